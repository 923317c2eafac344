/**
 * `IonicIdentityVaultUser<T>`: the class an app subclasses to keep its user's session in a vault.
 *
 * @module
 */
import { toVaultError, VaultError, VaultErrorCodes } from '../core/errors.js';
import {
  AuthMode,
  type BiometricType,
  type DefaultSession,
  type IdentityVault,
  type LockEvent,
  type VaultConfig,
  type VaultDescriptor,
} from '../core/types.js';
import { applyAuthMode } from './apply-auth-mode.js';
import { authModeOf, switchesFor, toVaultConfig } from './auth-mode-switches.js';
import { callHook } from './call-hook.js';
import { defaultPlugin as resolveDefaultPlugin, type setDefaultPlugin } from '../default-plugin.js';
import type { IdentityVaultUser } from './identity-vault-user-api.js';
import { openVault } from './open-vault.js';
import { unlockVault } from './unlock-vault.js';
import { resolveVaultOptions, type ResolvedVaultOptions, type VaultOptions } from './vault-options.js';

/** The vault an {@link IonicIdentityVaultUser} uses when no descriptor is given. */
export const DEFAULT_VAULT_DESCRIPTOR: Readonly<VaultDescriptor> = Object.freeze({ username: '_lastUser', vaultId: 'default' });

/** The vault key the session object is stored under. */
export const SESSION_KEY = 'session';

/** Anything with a `ready()` promise: Ionic's / Capacitor's `Platform`, or `{ ready: async () => {} }`. */
export interface PlatformReady {
  ready(): Promise<unknown>;
}

const ignore = (): void => undefined;

/**
 * The main class of the session layer: subclass it to keep your user's session in an
 * {@link IdentityVault} and override the `on*` hooks to follow the vault. `T` must extend
 * {@link DefaultSession}.
 *
 * Every method waits for the vault to be set up, so it can be called right after construction;
 * when setup failed, every method rejects with the setup error (a `VaultError`, see {@link IonicIdentityVaultUser.ready}).
 * Hooks are called, not awaited; only {@link IonicIdentityVaultUser.onPasscodeRequest} is awaited.
 * With `noImplicitOverride` on (Angular's default), write `override` before your hooks.
 *
 * @example
 * ```ts
 * interface MyCustomSession extends DefaultSession {
 *   email: string;
 * }
 *
 * export class IdentityService extends IonicIdentityVaultUser<MyCustomSession> {
 *   constructor(private router: Router, platform: Platform) {
 *     super(platform, { authMode: AuthMode.BiometricAndPasscode, unlockOnAccess: true, lockAfter: 5000 });
 *   }
 *   override onVaultUnlocked(config: VaultConfig) {
 *     void this.router.navigate(['home']);
 *   }
 *   override onVaultLocked(event: LockEvent) {
 *     void this.router.navigate(['login']);
 *   }
 * }
 * ```
 */
export class IonicIdentityVaultUser<T extends DefaultSession> implements IdentityVaultUser<T> {
  readonly #options: ResolvedVaultOptions;
  readonly #descriptor: VaultDescriptor;
  /** Resolves with the vault once it is open and configured; rejects with the setup error. */
  readonly #vault: Promise<IdentityVault>;
  /** {@link #vault}, then the ready-time unlock/restore (whose failures do not reject it). */
  readonly #ready: Promise<void>;
  #readyActions: Promise<void> = Promise.resolve();
  /** Whether onVaultReady was called; config changes made during setup are not reported. */
  #announced = false;
  #session: T | undefined;
  /**
   * Bumped on every lock (and lockOut/logout). A session read or written before a lock must never
   * be kept after it: the copy is set only when the generation is the one seen before the last await.
   */
  #lockGeneration = 0;
  #restoring: Promise<T | undefined> | undefined;
  #unlocking: { readonly mode: AuthMode | undefined; readonly promise: Promise<void> } | undefined;

  /**
   * Sets up the vault of `descriptor` once `platform.ready()` resolves. Nothing is asked of the
   * user here; with `unlockOnReady` or `restoreSessionOnReady` the prompt comes at ready.
   *
   * @param platform - anything with `ready()`; the vault is opened after it resolves.
   * @param options - see {@link VaultOptions}; `plugin` picks the platform (default: `defaultPlugin()`,
   *   or what {@link setDefaultPlugin} set).
   * @param descriptor - the vault to use; another descriptor is another, separate vault (multi-tenant).
   *   Defaults to {@link DEFAULT_VAULT_DESCRIPTOR}.
   * @example
   * ```ts
   * const user = new IonicIdentityVaultUser<DefaultSession>({ ready: async () => {} }, { plugin: device.plugin });
   * ```
   */
  constructor(platform: PlatformReady, options: VaultOptions, descriptor: VaultDescriptor = DEFAULT_VAULT_DESCRIPTOR) {
    this.#options = resolveVaultOptions(options);
    this.#descriptor = { username: descriptor.username, vaultId: descriptor.vaultId };
    this.#vault = this.#setUp(platform);
    this.#ready = this.#vault.then(() => this.#readyActions);
    this.#ready.catch(ignore); // a rejected setup is reported through onSetupError; ready() still rejects
  }

  // ---- setup --------------------------------------------------------------------------------

  async #setUp(platform: PlatformReady): Promise<IdentityVault> {
    let vault: IdentityVault | undefined;
    try {
      await platform.ready();
      const plugin = this.#options.plugin ?? (await resolveDefaultPlugin());
      vault = await openVault(
        plugin,
        { descriptor: this.#descriptor, lockAfter: this.#options.lockAfter, hideScreenOnBackground: this.#options.hideScreenOnBackground },
        {
          onLock: (event) => {
            this.#dropSession();
            callHook(() => this.onVaultLocked(event));
          },
          onUnlock: (config) => callHook(() => this.onVaultUnlocked(toVaultConfig(config))),
          // Configuring a new vault is part of setup: the app gets the result in onVaultReady.
          onConfig: (config) => {
            if (this.#announced) callHook(() => this.onConfigChange(toVaultConfig(config)));
          },
          onLateError: (error) => callHook(() => this.onSetupError(error)),
        },
      );
      switchesFor(this.#options.authMode);
      // Configuring a new vault stores no value, so `inUse` holds after it too.
      const inUse = await vault.isInUse();
      if (!inUse) await this.#configureNewVault(vault);
      const config = await vault.getConfig();
      const locked = await vault.isLocked();
      this.#announced = true;
      callHook(() => this.onVaultReady(toVaultConfig(config)));
      this.#readyActions = this.#startReadyActions(vault, inUse, locked, authModeOf(config));
      return vault;
    } catch (error) {
      // A user whose setup failed hears nothing more from the vault.
      await vault?.unsubscribe().catch(ignore);
      const vaultError = toVaultError(error, VaultErrorCodes.Unknown, 'The vault could not be set up.');
      callHook(() => this.onSetupError(vaultError));
      throw vaultError;
    }
  }

  /** A vault without data takes the configured AuthMode (the seed: "only affects newly created vaults"). */
  async #configureNewVault(vault: IdentityVault): Promise<void> {
    // Nothing stored means nothing to protect: an empty vault that came back locked (its key was
    // made when biometrics were enabled) is reset rather than asking the user to unlock nothing.
    if (await vault.isLocked()) await vault.clear();
    await applyAuthMode(vault, this.#options.authMode, { degradeWithoutBiometrics: true });
  }

  /**
   * `restoreSessionOnReady` / `unlockOnReady`. Starts synchronously (the shared restore or unlock is
   * in flight before any caller waiting for the vault resumes), so early calls join it.
   */
  #startReadyActions(vault: IdentityVault, inUse: boolean, locked: boolean, mode: AuthMode): Promise<void> {
    const { restoreSessionOnReady, unlockOnAccess, unlockOnReady } = this.#options;
    let work: Promise<unknown> | undefined;
    if (inUse && restoreSessionOnReady && (!locked || unlockOnAccess || unlockOnReady || mode === AuthMode.SecureStorage)) {
      work = this.#restoreShared(vault, unlockOnAccess || unlockOnReady);
    } else if (inUse && locked && unlockOnReady) {
      work = this.#unlockShared(vault, undefined);
    }
    return (work ?? Promise.resolve()).then(ignore, (error: unknown) => {
      const vaultError = toVaultError(error, VaultErrorCodes.Unknown, 'The session could not be restored at ready.');
      callHook(() => this.onSetupError(vaultError));
    });
  }

  // ---- session ------------------------------------------------------------------------------

  /**
   * Resolves when the vault is set up and available, after the ready-time unlock and restore
   * (`unlockOnReady`, `restoreSessionOnReady`) were tried. Their failures (a cancelled prompt)
   * go to {@link IonicIdentityVaultUser.onSetupError} and leave the vault locked; ready still resolves.
   *
   * @throws VaultError the setup error (also passed to `onSetupError`): `VaultUnavailable` when no
   *   platform can be used, `SecurityNotAvailable` for `BiometricOnly` without biometrics,
   *   `InvalidAuthMode`, `InvalidArguments` for bad options.
   * @example
   * ```ts
   * await user.ready();
   * ```
   */
  ready(): Promise<void> {
    return this.#ready;
  }

  /**
   * The session: the copy in memory; otherwise read from the vault when that needs no prompt (the
   * vault is unlocked or `SecureStorage`) or `unlockOnAccess` allows one. Resolves `undefined` when
   * there is none or the vault is locked and may not ask.
   *
   * @throws VaultError from the unlock under `unlockOnAccess` (`UserCanceledInteraction`, `AuthFailed`, …).
   * @example
   * ```ts
   * const session = await user.getSession();
   * if (!session) await router.navigate(['login']);
   * ```
   */
  async getSession(): Promise<T | undefined> {
    const vault = await this.#vault;
    if (this.#session !== undefined) return this.#session;
    if (this.#restoring !== undefined) return this.#restoring;
    if (!this.#options.unlockOnAccess) {
      await this.#unlocking?.promise.catch(ignore);
      if ((await vault.isLocked()) && !(await opensWithoutUser(vault))) return undefined;
    }
    return this.#restoreShared(vault, this.#options.unlockOnAccess).catch((error: unknown) => {
      // "Locked and may not ask" resolves undefined; a lock that raced the read is that case too.
      if (error instanceof VaultError && error.code === VaultErrorCodes.VaultLocked) return undefined;
      throw error;
    });
  }

  /**
   * Reads the session from the vault, keeps it in memory and calls
   * {@link IonicIdentityVaultUser.onSessionRestored}. A locked vault is unlocked first when
   * `unlockOnAccess` is set (or it is `SecureStorage`, which needs no user). Concurrent calls share
   * one read, so the user is asked once.
   *
   * @throws VaultError `VaultLocked` when the vault is locked and `unlockOnAccess` is off; the
   *   unlock's errors otherwise.
   * @example
   * ```ts
   * const session = await user.restoreSession();
   * ```
   */
  async restoreSession(): Promise<T | undefined> {
    return this.#restoreShared(await this.#vault, this.#options.unlockOnAccess);
  }

  /**
   * Stores `session` in the vault (under the key {@link SESSION_KEY}) and keeps it in memory. When the
   * vault needs a passcode first (passcode enabled, none set), asks for it through
   * `onPasscodeRequest(true)`. The session must be JSON data (no `Date`, `Map`, functions).
   *
   * @throws VaultError `VaultLocked` when locked and `unlockOnAccess` is off; `MismatchedPasscode` /
   *   `UserCanceledInteraction` from the passcode setup; `InvalidArguments` for a session that is not JSON data.
   * @example
   * ```ts
   * await user.saveSession({ username: 'alice', token: await login(), email: 'a@example.com' });
   * ```
   */
  async saveSession(session: T): Promise<void> {
    const vault = await this.#vault;
    if (typeof session !== 'object' || session === null) {
      throw new VaultError(VaultErrorCodes.InvalidArguments, 'saveSession needs a session object.');
    }
    await this.#ensureUnlocked(vault, this.#options.unlockOnAccess);
    if (await vault.isPasscodeSetupNeeded()) await this.#setPasscode(vault);
    const generation = this.#lockGeneration;
    await vault.storeValue(SESSION_KEY, session);
    // Stored either way; a lock that landed meanwhile means the app must unlock to see it again.
    if (generation === this.#lockGeneration) this.#session = session;
  }

  /**
   * Whether a session is saved: checked in the vault when it is unlocked; for a locked vault,
   * whether it holds any data (its contents cannot be read without the user).
   *
   * @example
   * ```ts
   * if (await user.hasStoredSession()) await user.unlock();
   * ```
   */
  async hasStoredSession(): Promise<boolean> {
    const vault = await this.#vault;
    if (this.#session !== undefined) return true;
    if (await vault.isLocked()) return vault.isInUse();
    return (await vault.getValue(SESSION_KEY)) !== undefined;
  }

  /**
   * Locks the vault, keeping the stored session; the copy in memory is dropped and
   * {@link IonicIdentityVaultUser.onVaultLocked} is called. An `InMemoryOnly` vault loses its data.
   *
   * @example
   * ```ts
   * await user.lockOut();
   * ```
   */
  async lockOut(): Promise<void> {
    const vault = await this.#vault;
    this.#dropSession();
    await vault.lock();
  }

  /**
   * Logs the user out: clears the vault (session, values, passcode) and the copy in memory. The
   * emptied vault is a new vault again, so the configured `authMode` is applied to it; if that fails
   * (biometrics gone for `BiometricOnly`), the error goes to `onSetupError` and logout still resolves.
   *
   * @example
   * ```ts
   * await user.logout();
   * ```
   */
  async logout(): Promise<void> {
    const vault = await this.#vault;
    this.#dropSession();
    await vault.clear();
    await applyAuthMode(vault, this.#options.authMode, { degradeWithoutBiometrics: true }).catch((error: unknown) => {
      const vaultError = toVaultError(error, VaultErrorCodes.Unknown, 'The configured AuthMode could not be applied after logout.');
      callHook(() => this.onSetupError(vaultError));
    });
  }

  // ---- unlock and configuration ------------------------------------------------------------

  /**
   * Unlocks the vault with its AuthMode, or `authMode` when given. `BiometricAndPasscode` tries
   * biometrics first and falls back to the passcode when they fail or are cancelled. The passcode
   * comes from `onPasscodeRequest(false)`; `undefined` there uses the built-in prompt. Does nothing
   * when the vault is unlocked; concurrent calls for the same mode share one prompt.
   *
   * @throws VaultError `AuthFailed` (with `remainingAttempts`), `UserCanceledInteraction`,
   *   `TooManyFailedAttempts` (the vault was cleared), `InvalidatedCredential`, `BiometricsNotEnabled`,
   *   `PasscodeNotEnabled`, `InvalidAuthMode`.
   * @example
   * ```ts
   * await user.unlock();                       // the vault's mode
   * await user.unlock(AuthMode.PasscodeOnly);  // skip biometrics
   * ```
   */
  async unlock(authMode?: AuthMode): Promise<void> {
    if (authMode !== undefined) switchesFor(authMode);
    return this.#unlockShared(await this.#vault, authMode);
  }

  /**
   * The {@link AuthMode} of the vault, derived from its switches: both → `BiometricAndPasscode`,
   * passcode → `PasscodeOnly`, biometrics → `BiometricOnly`, in-memory → `InMemoryOnly`, neither →
   * `SecureStorage`.
   *
   * @example
   * ```ts
   * if ((await user.getAuthMode()) === AuthMode.InMemoryOnly) showWarning();
   * ```
   */
  async getAuthMode(): Promise<AuthMode> {
    return authModeOf(await (await this.#vault).getConfig());
  }

  /**
   * Changes the {@link AuthMode} of the unlocked vault. `PasscodeOnly` and `BiometricAndPasscode`
   * ask for a new passcode (`onPasscodeRequest(true)`) when none is set; `InMemoryOnly` deletes
   * what is stored and keeps the data in memory; `SecureStorage` keeps it under the device key.
   *
   * @throws VaultError `VaultLocked` when the vault is locked; `SecurityNotAvailable` when the mode
   *   needs biometrics the device lacks (nothing changed); `InvalidAuthMode`; the passcode setup's
   *   `MismatchedPasscode` / `UserCanceledInteraction` (the passcode switch is put back).
   * @example
   * ```ts
   * await user.setAuthMode(AuthMode.PasscodeOnly);
   * ```
   */
  async setAuthMode(authMode: AuthMode): Promise<void> {
    const vault = await this.#vault;
    switchesFor(authMode);
    if (await vault.isLocked()) throw new VaultError(VaultErrorCodes.VaultLocked, 'The vault is locked: unlock it before changing its AuthMode.');
    await applyAuthMode(vault, authMode, { setUpPasscode: () => this.#setPasscode(vault) });
  }

  /**
   * Enables or disables biometric unlock.
   *
   * @throws VaultError `SecurityNotAvailable` when the device has no biometrics; `VaultLocked`.
   * @example
   * ```ts
   * if (await user.isBiometricsAvailable()) await user.setBiometricsEnabled(true);
   * ```
   */
  async setBiometricsEnabled(isBiometricsEnabled: boolean): Promise<void> {
    return (await this.#vault).setBiometricsEnabled(isBiometricsEnabled);
  }

  /**
   * Sets or changes the passcode: asks `onPasscodeRequest(true)`; a string is the new passcode,
   * `undefined` uses the built-in prompt, which asks twice.
   *
   * @throws VaultError `MismatchedPasscode` when the two entries differ; `UserCanceledInteraction`;
   *   `PasscodeNotEnabled`; `VaultLocked`; `InvalidArguments` for an empty passcode.
   * @example
   * ```ts
   * await user.setPasscode();
   * ```
   */
  async setPasscode(): Promise<void> {
    return this.#setPasscode(await this.#vault);
  }

  /**
   * Enables or disables passcode unlock. Enabling asks for a passcode (see
   * {@link IonicIdentityVaultUser.setPasscode}) when none is set; if that fails, passcode stays off.
   *
   * @throws VaultError `VaultLocked`; the passcode setup's errors.
   * @example
   * ```ts
   * await user.setPasscodeEnabled(true);
   * ```
   */
  async setPasscodeEnabled(isPasscodeEnabled: boolean): Promise<void> {
    const vault = await this.#vault;
    const wasEnabled = await vault.isPasscodeEnabled();
    await vault.setPasscodeEnabled(isPasscodeEnabled);
    if (!isPasscodeEnabled || !(await vault.isPasscodeSetupNeeded())) return;
    try {
      await this.#setPasscode(vault);
    } catch (error) {
      if (!wasEnabled) await vault.setPasscodeEnabled(false).catch(ignore);
      throw error;
    }
  }

  /**
   * The type of biometrics the device supports.
   * @example
   * ```ts
   * const label = (await user.getBiometricType()) === 'faceID' ? 'Face ID' : 'Touch ID';
   * ```
   */
  async getBiometricType(): Promise<BiometricType> {
    return (await this.#vault).getBiometricType();
  }

  /**
   * Raw access to the underlying vault, for advanced workflows.
   * @example
   * ```ts
   * await (await user.getVault()).storeValue('refreshToken', refresh);
   * ```
   */
  async getVault(): Promise<IdentityVault> {
    return this.#vault;
  }

  /**
   * Whether biometrics are supported by the device and set up by its user.
   * @example
   * ```ts
   * const canUseBiometrics = await user.isBiometricsAvailable();
   * ```
   */
  async isBiometricsAvailable(): Promise<boolean> {
    return (await this.#vault).isBiometricsAvailable();
  }

  /**
   * Whether biometric unlock is enabled on the vault.
   * @example
   * ```ts
   * toggle.checked = await user.isBiometricsEnabled();
   * ```
   */
  async isBiometricsEnabled(): Promise<boolean> {
    return (await this.#vault).isBiometricsEnabled();
  }

  /**
   * Whether passcode unlock is enabled on the vault.
   * @example
   * ```ts
   * toggle.checked = await user.isPasscodeEnabled();
   * ```
   */
  async isPasscodeEnabled(): Promise<boolean> {
    return (await this.#vault).isPasscodeEnabled();
  }

  // ---- hooks (override these) ---------------------------------------------------------------

  /**
   * Called when the vault's configuration changed (AuthMode, passcode set, cleared).
   * @example
   * ```ts
   * override onConfigChange(state: VaultConfig) { this.authMode = state.authMode; }
   * ```
   */
  onConfigChange(state: VaultConfig): unknown {
    void state;
    return undefined;
  }

  /**
   * Called for a passcode. Return it, or `undefined` to use the platform's built-in prompt (which
   * asks twice when setting). `isPasscodeSetRequest` is true when a new passcode is being set.
   * Awaited; throwing (for a cancelled custom prompt) fails the unlock or setup with that error.
   *
   * @example
   * ```ts
   * override async onPasscodeRequest(isPasscodeSetRequest: boolean) {
   *   return this.pinDialog.ask({ confirm: isPasscodeSetRequest });
   * }
   * ```
   */
  async onPasscodeRequest(isPasscodeSetRequest: boolean): Promise<string | void> {
    void isPasscodeSetRequest;
    return undefined;
  }

  /**
   * Called when the session was restored from the vault.
   * @example
   * ```ts
   * override onSessionRestored(session: MySession) { this.user$.next(session); }
   * ```
   */
  onSessionRestored(session: T): unknown {
    void session;
    return undefined;
  }

  /**
   * Called when there is an error during vault setup (then `ready()` rejects with it) or with the
   * ready-time unlock/restore (then the vault stays locked and `ready()` resolves).
   * @example
   * ```ts
   * override onSetupError(error: VaultError) { console.warn(error.codeName, error.message); }
   * ```
   */
  onSetupError(error: VaultError): unknown {
    void error;
    return undefined;
  }

  /**
   * Called when the vault was locked: `event.timeout` after `lockAfter` in the background,
   * `event.saved` false when nothing was persisted (`InMemoryOnly`: the data is gone).
   * @example
   * ```ts
   * override onVaultLocked(event: LockEvent) { void this.router.navigate(['login']); }
   * ```
   */
  onVaultLocked(event: LockEvent): unknown {
    void event;
    return undefined;
  }

  /**
   * Called once, when the vault is set up (before the ready-time unlock/restore).
   * @example
   * ```ts
   * override onVaultReady(state: VaultConfig) { this.needsPasscode = state.isPasscodeSetupNeeded; }
   * ```
   */
  onVaultReady(state: VaultConfig): unknown {
    void state;
    return undefined;
  }

  /**
   * Called when the vault was unlocked.
   * @example
   * ```ts
   * override onVaultUnlocked(state: VaultConfig) { void this.router.navigate(['home']); }
   * ```
   */
  onVaultUnlocked(state: VaultConfig): unknown {
    void state;
    return undefined;
  }

  // ---- internals ----------------------------------------------------------------------------

  #restoreShared(vault: IdentityVault, allowPrompt: boolean): Promise<T | undefined> {
    if (this.#restoring !== undefined) return this.#restoring;
    const restoring = this.#restoreNow(vault, allowPrompt);
    this.#restoring = restoring;
    const done = (): void => {
      if (this.#restoring === restoring) this.#restoring = undefined;
    };
    restoring.then(done, done);
    return restoring;
  }

  async #restoreNow(vault: IdentityVault, allowPrompt: boolean): Promise<T | undefined> {
    if (!(await vault.isInUse())) return undefined;
    await this.#ensureUnlocked(vault, allowPrompt);
    const generation = this.#lockGeneration;
    const session = await vault.getValue<T | undefined>(SESSION_KEY);
    if (generation !== this.#lockGeneration) throw lockedWhileReading();
    if (session === undefined || session === null) return undefined;
    this.#session = session;
    callHook(() => this.onSessionRestored(session));
    return session;
  }

  /** Unlocks a locked vault when allowed (joining an unlock in flight), else throws `VaultLocked`. */
  async #ensureUnlocked(vault: IdentityVault, allowPrompt: boolean): Promise<void> {
    if (!(await vault.isLocked())) return;
    const pending = this.#unlocking;
    if (pending !== undefined) {
      await pending.promise;
      if (!(await vault.isLocked())) return;
    }
    if (allowPrompt || (await opensWithoutUser(vault))) return this.#unlockShared(vault, undefined);
    throw new VaultError(VaultErrorCodes.VaultLocked, 'The vault is locked: call unlock() first, or set unlockOnAccess.');
  }

  #unlockShared(vault: IdentityVault, mode: AuthMode | undefined): Promise<void> {
    const pending = this.#unlocking;
    if (pending !== undefined && pending.mode === mode) return pending.promise;
    const promise = (async () => {
      await pending?.promise.catch(ignore);
      if (!(await vault.isLocked())) return;
      const effective = mode ?? authModeOf(await vault.getConfig());
      try {
        await unlockVault(vault, effective, () => this.onPasscodeRequest(false));
      } catch (error) {
        if (error instanceof VaultError && error.code === VaultErrorCodes.TooManyFailedAttempts) this.#dropSession();
        throw error;
      }
    })();
    const entry = { mode, promise };
    this.#unlocking = entry;
    const done = (): void => {
      if (this.#unlocking === entry) this.#unlocking = undefined;
    };
    promise.then(done, done);
    return promise;
  }

  #dropSession(): void {
    this.#session = undefined;
    this.#lockGeneration++;
  }

  async #setPasscode(vault: IdentityVault): Promise<void> {
    const passcode = await this.onPasscodeRequest(true);
    return typeof passcode === 'string' ? vault.setPasscode(passcode) : vault.setPasscode();
  }
}

/** The vault locked while the session was being read: what was read is not kept or returned. */
function lockedWhileReading(): VaultError {
  return new VaultError(VaultErrorCodes.VaultLocked, 'The vault was locked while the session was being read: unlock it again.');
}

/** A `SecureStorage` vault opens under the device key: reading it never needs the user. */
async function opensWithoutUser(vault: IdentityVault): Promise<boolean> {
  return authModeOf(await vault.getConfig()) === AuthMode.SecureStorage;
}
