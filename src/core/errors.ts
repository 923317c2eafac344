/**
 * The meaning of the error code in a thrown {@link VaultError}. One enum serves both API
 * generations: the names are the union of Identity Vault 3.x/4.x and 5.x/6.x, and the numbers are
 * the ones Identity Vault 5.x/6.x publishes (6.0 reference: `AuthFailed = 6`,
 * `BiometricsNotEnabled = 13`, …). Every 3.x/4.x name also exists in 5.x/6.x, so no name needed a
 * number of its own (docs/migration.md lists the mapping). Compare codes by name
 * (`VaultErrorCodes.AuthFailed`), never by number.
 */
export enum VaultErrorCodes {
  /** An unknown error happened. */
  Unknown = 0,
  /** The operation failed because the vault was locked. */
  VaultLocked = 1,
  /** The operation failed because the vault was unavailable (storage could not be read or written). */
  VaultUnavailable = 2,
  /** The operation failed because the provided arguments were invalid. */
  InvalidArguments = 3,
  /** The credentials were invalidated. This can happen when a user changes biometrics or passcode. */
  InvalidatedCredential = 4,
  /** Biometric security (or the device security a vault asks for) is unavailable. */
  SecurityNotAvailable = 5,
  /** User authentication failed. */
  AuthFailed = 6,
  /** Too many failed authentication attempts, so the vault was cleared. */
  TooManyFailedAttempts = 7,
  /** The user cancelled the authentication dialog (or, for a custom passcode, gave an empty one). */
  UserCanceledInteraction = 8,
  /** The user provided mismatched passcodes. */
  MismatchedPasscode = 9,
  /** The operation requires a passcode to be set up but it isn't set yet. */
  MissingPasscode = 10,
  /** The operation failed because passcode authentication is not enabled. */
  PasscodeNotEnabled = 11,
  /** The key was not found. This can happen when a user changes biometrics or passcode. */
  KeyNotFound = 12,
  /** The operation failed because biometric authentication is not enabled. */
  BiometricsNotEnabled = 13,
  /** The AuthMode is invalid. */
  InvalidAuthMode = 14,
  /** Identity Vault 5.x/6.x (Android): biometrics have not been authenticated yet. Never thrown here. */
  MissingBiometrics = 15,
  /** Identity Vault 5.x/6.x: `DeviceSecurityType.SystemPasscode` is not available on this Android device. Never thrown here. */
  AndroidSystemPasscodeUnavailable = 16,
  /** Identity Vault 5.x/6.x: biometrics are locked out on Android. Never thrown here (no platform reports a lockout). */
  AndroidBiometricsLockedOut = 17,
  /** Identity Vault 5.x/6.x: biometrics are locked out on iOS. Never thrown here (no platform reports a lockout). */
  iOSBiometricsLockedOut = 18,
  /** Identity Vault 5.x/6.x: an unexpected Android keystore error. Never thrown here. */
  AndroidUnexpectedKeystoreError = 19,
}

/** Options for {@link VaultError}. */
export interface VaultErrorOptions {
  /** The underlying failure, kept for debugging. Never contains secrets. */
  cause?: unknown;
  /** For `AuthFailed`: attempts left before the vault is cleared. */
  remainingAttempts?: number;
}

/**
 * An error that can be thrown by the vault. Every failure of the public API is one of these,
 * with a stable {@link VaultErrorCodes} `code`.
 *
 * Messages are written for developers and never contain a passcode, key, token or stored value.
 *
 * @example
 * ```ts
 * try {
 *   await vault.unlock(true);
 * } catch (e) {
 *   if (e instanceof VaultError && e.code === VaultErrorCodes.AuthFailed) {
 *     alert(`Wrong passcode, ${e.remainingAttempts} attempts left`);
 *   }
 * }
 * ```
 */
export class VaultError extends Error {
  /** What went wrong, as a stable code. */
  readonly code: VaultErrorCodes;
  /** For `AuthFailed` from a passcode: how many attempts are left before the vault is cleared. */
  readonly remainingAttempts?: number;

  constructor(code: VaultErrorCodes, message: string, options: VaultErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VaultError';
    this.code = code;
    if (options.remainingAttempts !== undefined) this.remainingAttempts = options.remainingAttempts;
  }

  /** The name of the code, for logs: `VaultError(AuthFailed): …`. */
  get codeName(): string {
    return VaultErrorCodes[this.code] ?? 'Unknown';
  }
}

/** True when `error` is a {@link VaultError}, optionally with the given code. */
export function isVaultError(error: unknown, code?: VaultErrorCodes): error is VaultError {
  return error instanceof VaultError && (code === undefined || error.code === code);
}

/** Wraps anything thrown by a platform into a VaultError, keeping VaultErrors as they are. */
export function toVaultError(error: unknown, fallback: VaultErrorCodes, message: string): VaultError {
  if (error instanceof VaultError) return error;
  return new VaultError(fallback, message, { cause: error });
}

/**
 * The meaning of the error code in a thrown {@link DeviceError} (Identity Vault 5.x/6.x `Device`
 * API), with the numbers Identity Vault publishes.
 */
export enum DeviceErrorCodes {
  /** An unknown error happened. */
  Unknown = 0,
  /** The operation failed because the provided arguments were invalid. */
  InvalidArguments = 1,
  /** The user cancelled the authentication dialog. */
  UserCanceledInteraction = 2,
  /** Device security (a user-verifying authenticator) is unavailable. */
  SecurityNotAvailable = 3,
  /** User authentication failed. */
  AuthFailed = 4,
  /** Biometrics have been locked out, usually because of too many failed attempts. */
  BiometricsLockedOut = 5,
  /** Biometric authentication is not enabled (not supported, or not set up on the device). */
  BiometricsNotEnabled = 6,
}

/**
 * An error thrown by the `Device` API (Identity Vault 5.x/6.x), with a {@link DeviceErrorCodes}
 * `code`. Messages never contain secrets.
 */
export class DeviceError extends Error {
  /** What went wrong, as a stable code. */
  readonly code: DeviceErrorCodes;

  constructor(code: DeviceErrorCodes, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DeviceError';
    this.code = code;
  }
}

// ---- building errors ---------------------------------------------------------------------------
//
// Every VaultError is built here, by the factory named after its code. One rule for the message:
// it is ours. A platform's own error (a DOMException, a native rejection, a Node errno) rides
// along as `cause` and is never copied into `message`: its text is not under our control (a
// native plugin or an OS may put a path, a key alias or a value in it), and docs/security.md
// ("Error messages and logs") promises messages without secrets. Developers read `cause`.

/** A {@link VaultError} with a code known only at run time; prefer the factory named after the code. */
export function vaultError(code: VaultErrorCodes, message: string, options?: VaultErrorOptions): VaultError {
  return new VaultError(code, message, options);
}

type Factory = (message: string, options?: VaultErrorOptions) => VaultError;
const factory =
  (code: VaultErrorCodes): Factory =>
  (message, options) =>
    new VaultError(code, message, options);

/** `Unknown`: a failure no other code describes (an untranslated platform error, with `cause`). */
export const unknownError = factory(VaultErrorCodes.Unknown);
/** `BiometricsNotEnabled`. */
export const biometricsNotEnabled = factory(VaultErrorCodes.BiometricsNotEnabled);
/** `PasscodeNotEnabled`. */
export const passcodeNotEnabled = factory(VaultErrorCodes.PasscodeNotEnabled);
/** `MissingPasscode`: a passcode is needed and none is set. */
export const missingPasscode = factory(VaultErrorCodes.MissingPasscode);
/** `VaultLocked`. */
export const locked = factory(VaultErrorCodes.VaultLocked);
/** `VaultUnavailable`: storage cannot be read or written, or holds something unreadable. */
export const unavailable = factory(VaultErrorCodes.VaultUnavailable);
/** `AuthFailed`; pass `remainingAttempts` after a wrong passcode. */
export const authFailed = factory(VaultErrorCodes.AuthFailed);
/** `KeyNotFound`. */
export const keyNotFound = factory(VaultErrorCodes.KeyNotFound);
/** `TooManyFailedAttempts`: the vault was cleared. */
export const tooManyFailedAttempts = factory(VaultErrorCodes.TooManyFailedAttempts);
/** `InvalidArguments`: a caller passed something the API does not accept. */
export const invalidArguments = factory(VaultErrorCodes.InvalidArguments);
/** `InvalidAuthMode`. */
export const invalidAuthMode = factory(VaultErrorCodes.InvalidAuthMode);
/** `SecurityNotAvailable`: biometrics (or the secure hardware) cannot be used. */
export const securityNotAvailable = factory(VaultErrorCodes.SecurityNotAvailable);
/** `UserCanceledInteraction`. */
export const userCanceled = factory(VaultErrorCodes.UserCanceledInteraction);
/** `MismatchedPasscode`. */
export const mismatchedPasscode = factory(VaultErrorCodes.MismatchedPasscode);
/** `InvalidatedCredential`: the biometric key is gone (re-enrolment, a deleted passkey). */
export const invalidatedCredential = factory(VaultErrorCodes.InvalidatedCredential);

/** `VaultUnavailable` for a stored record that does not parse; nothing is deleted. `cause`: the parse failure. */
export function corrupted(what: string, options?: VaultErrorOptions): VaultError {
  return unavailable(`The stored ${what} is corrupted or was written by an unknown version; it was left untouched.`, options);
}
