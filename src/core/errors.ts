/**
 * The meaning of the error code in a thrown {@link VaultError}.
 *
 * Numeric values follow the order of the Identity Vault 3.x/4.x plugin so that code that
 * persisted or logged a number keeps its meaning.
 */
export enum VaultErrorCodes {
  /** An unknown error happened. */
  Unknown = 0,
  /** The operation failed because biometric authentication is not enabled. */
  BiometricsNotEnabled = 1,
  /** The operation failed because passcode authentication is not enabled. */
  PasscodeNotEnabled = 2,
  /** The operation requires a passcode to be set up but it isn't set yet. Call `setPasscode`. */
  MissingPasscode = 3,
  /** The operation failed because the vault was locked. */
  VaultLocked = 4,
  /** The operation failed because the vault was unavailable (storage could not be read or written). */
  VaultUnavailable = 5,
  /** User authentication failed. */
  AuthFailed = 6,
  /** The key was not found. This can happen when a user changes biometrics or passcode. */
  KeyNotFound = 7,
  /** Too many failed authentication attempts, so the vault was cleared. */
  TooManyFailedAttempts = 8,
  /** The operation failed because the provided arguments were invalid. */
  InvalidArguments = 9,
  /** The AuthMode is invalid. */
  InvalidAuthMode = 10,
  /** Biometric security is unavailable. */
  SecurityNotAvailable = 11,
  /** The user cancelled the authentication dialog. */
  UserCanceledInteraction = 12,
  /** The user provided mismatched passcodes. */
  MismatchedPasscode = 13,
  /** The credentials were invalidated. This can happen when a user changes biometrics or passcode. */
  InvalidatedCredential = 14,
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
