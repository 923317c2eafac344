/**
 * `IonicIdentityVaultUser<T>`: the class an app subclasses to keep its user's session in a vault
 * (the Identity Vault 3.x/4.x API). Its hooks are in vault-user-hooks.ts, the vault queries in
 * vault-user-queries.ts and how it sets its vault up in vault-user-setup.ts.
 *
 * @module
 */
import { locked, toVaultError, VaultErrorCodes } from '../core/errors.js';
import { AuthMode, type DefaultSession, type IdentityVault, type IonicNativeAuthPlugin, type VaultDescriptor } from '../core/types.js';
import { authModeOf, checkAuthMode } from './auth-mode-switches.js';
import { callHook } from './call-hook.js';
import { authModeChanges } from './lazy-auth-mode.js';
import { defaultGetPlugin, type setDefaultPlugin } from '../default-plugin.js';
import type { IdentityVaultUser } from './identity-vault-user-api.js';
import { checkSession, isSession, SESSION_KEY, SessionKeeper } from './session-keeper.js';
import { setUpVaultUser, type PlatformReady } from './vault-user-setup.js';
import { resolveVaultOptions, type ResolvedVaultOptions, type VaultOptions } from './vault-options.js';
import { VaultUserQueries } from './vault-user-queries.js';

export { SESSION_KEY } from './session-keeper.js';
export type { PlatformReady } from './vault-user-setup.js';

/** The vault an {@link IonicIdentityVaultUser} uses when no descriptor is given. */
export const DEFAULT_VAULT_DESCRIPTOR: Readonly<VaultDescriptor> = Object.freeze({ username: '_lastUser', vaultId: 'default' });

const ignore = (): void => undefined;

/**
 * The main class of the session layer: subclass it to keep your user's session in an
 * {@link IdentityVault} and override the `on*` hooks to follow the vault. `T` is the session's
 * type (default {@link DefaultSession}); any object type works, with or without `username` and
 * `token`, as in Identity Vault 4.x.
 *
 * Every method waits for the vault to be set up, so it can be called right after construction;
 * when setup failed, every method rejects with the setup error (a `VaultError`, see {@link IonicIdentityVaultUser.ready}).
 * Hooks are called, not awaited; only `onPasscodeRequest` is awaited.
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
export class IonicIdentityVaultUser<T = DefaultSession> extends VaultUserQueries<T> implements IdentityVaultUser<T> {
  /**
   * The token of the session in memory (its `token` field when that is a string), as in Identity
   * Vault 4.x: set when a session is saved, restored or logged in, `undefined` again on lock (the
   * session copy is dropped), logout and `TooManyFailedAttempts`. Apps send it on requests:
   * `if (!this.token) await this.restoreSession(); return this.token;`.
   */
  token: string | undefined = undefined;
  /** The platform given to the constructor; subclasses use it (`this.platform.is('hybrid')`). */
  readonly platform: PlatformReady;
  readonly #options: ResolvedVaultOptions;
  readonly #descriptor: VaultDescriptor;
  /** Resolves with the vault once it is open and configured; rejects with the setup error. */
  readonly #vault: Promise<IdentityVault>;
  /** {@link #vault}, then the ready-time unlock/restore (whose failures do not reject it). */
  readonly #ready: Promise<void>;
  /** The session in memory (and `token`), and the shared reads and unlocks that fill it. */
  readonly #keeper = new SessionKeeper<T>({
    changed: (session) => {
      const token = (session as { token?: unknown } | undefined)?.token;
      this.token = typeof token === 'string' ? token : undefined;
    },
    restored: (session) => callHook(() => this.onSessionRestored(session)),
    passcode: () => this.onPasscodeRequest(false),
  });

  /**
   * Sets up the vault of `descriptor` once `platform.ready()` resolves. Nothing is asked of the
   * user here; with `unlockOnReady` or `restoreSessionOnReady` the prompt comes at ready. The
   * plugin comes from {@link IonicIdentityVaultUser.getPlugin}, called after `platform.ready()`, so
   * a subclass's own fields are set by then.
   *
   * @param platform - anything with `ready()`; the vault is opened after it resolves.
   * @param options - see {@link VaultOptions}.
   * @param descriptor - the vault to use; another descriptor is another, separate vault (multi-tenant).
   *   Defaults to {@link DEFAULT_VAULT_DESCRIPTOR}.
   * @example
   * ```ts
   * const user = new IonicIdentityVaultUser<DefaultSession>({ ready: async () => {} }, { plugin: device.plugin });
   * ```
   */
  constructor(platform: PlatformReady, options: VaultOptions, descriptor: VaultDescriptor = DEFAULT_VAULT_DESCRIPTOR) {
    super();
    this.platform = platform;
    this.#options = resolveVaultOptions(options);
    this.#descriptor = { username: descriptor.username, vaultId: descriptor.vaultId };
    const setup = setUpVaultUser(platform, {
      hooks: this,
      plugin: () => this.getPlugin(),
      options: this.#options,
      descriptor: this.#descriptor,
      keeper: this.#keeper,
    });
    this.#vault = setup.vault;
    this.#ready = setup.ready;
    this.#ready.catch(ignore); // a rejected setup is reported through onSetupError; ready() still rejects
  }

  /**
   * The plugin that hands out the vault (Identity Vault 3.2+). Override it to supply your own, for
   * example a browser fallback: `return isNative ? super.getPlugin() : browserAuthPlugin;`. The
   * default is `options.plugin` when given, else what {@link setDefaultPlugin} set, else a global
   * `IonicNativeAuth` (where 4.x apps' specs put a mock plugin), else the platform picked at run
   * time (the web platform in browsers).
   *
   * @example
   * ```ts
   * override getPlugin(): IonicNativeAuthPlugin {
   *   return this.platform.is('hybrid') ? super.getPlugin() : this.browserAuthPlugin;
   * }
   * ```
   */
  getPlugin(): IonicNativeAuthPlugin {
    return this.#options.plugin ?? defaultGetPlugin();
  }

  // ---- session ------------------------------------------------------------------------------

  /**
   * Resolves when the vault is set up and available, after the ready-time unlock and restore
   * (`unlockOnReady`, `restoreSessionOnReady`) were tried. Their failures (a cancelled prompt)
   * go to `onUnlockOnReadyError` / `onSessionRestoreError` and leave the vault locked; ready still resolves.
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
   * The session in memory, "without checking the vault for it" (Identity Vault 4.x): it never
   * reads the vault and never prompts. It waits for {@link IonicIdentityVaultUser.ready}, so a
   * `restoreSessionOnReady` restore is in. Use {@link IonicIdentityVaultUser.restoreSession} to read
   * (and unlock) the vault.
   *
   * @example
   * ```ts
   * const session = (await user.getSession()) ?? (await user.restoreSession());
   * ```
   */
  async getSession(): Promise<T | undefined> {
    await this.#ready;
    return this.#keeper.session;
  }

  /**
   * Reads the session from the vault, keeps it in memory and calls `onSessionRestored`. A locked
   * vault is unlocked first when `unlockOnAccess` is set (or it is `SecureStorage`, which needs no
   * user). Concurrent calls share one read, so the user is asked once. A stored `null` counts as
   * no session.
   *
   * @throws VaultError `VaultLocked` when the vault is locked and `unlockOnAccess` is off; the
   *   unlock's errors otherwise.
   * @example
   * ```ts
   * const session = await user.restoreSession();
   * ```
   */
  async restoreSession(): Promise<T | undefined> {
    return this.#keeper.restore(await this.#vault, this.#options.unlockOnAccess);
  }

  /**
   * Stores `session` in the vault (under the key {@link SESSION_KEY}) and keeps it in memory. When the
   * vault needs a passcode first (passcode enabled, none set), asks for it through
   * `onPasscodeRequest(true)`. The session must be JSON data (no `Date`, `Map`, functions). When
   * the vault locks while it is being stored, it is stored but not kept in memory: the app unlocks
   * to see it again.
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
    checkSession(session);
    await this.#keeper.ensureUnlocked(vault, this.#options.unlockOnAccess);
    if (await vault.isPasscodeSetupNeeded()) await this.#setPasscode(vault);
    const generation = this.#keeper.generation;
    await vault.storeValue(SESSION_KEY, session);
    this.#keeper.keep(session, generation);
  }

  /**
   * Logs a new session in (Identity Vault 3.1): clears the vault, including a stored passcode,
   * puts it in `authMode` (default: the configured one), asking for a new passcode through
   * `onPasscodeRequest(true)` when that mode has one, and saves `session`.
   *
   * @throws VaultError `InvalidAuthMode`; `SecurityNotAvailable` when `authMode` needs biometrics the
   *   device lacks (the vault is left empty); the passcode setup's `MismatchedPasscode` /
   *   `UserCanceledInteraction`; `InvalidArguments` for a session that is not JSON data.
   * @example
   * ```ts
   * await identity.login({ username: user.email, token }, AuthMode.PasscodeOnly);
   * ```
   */
  async login(session: T, authMode?: AuthMode): Promise<void> {
    const vault = await this.#vault;
    checkSession(session);
    const mode = authMode === undefined ? this.#options.authMode : checkAuthMode(authMode);
    const { applyAuthMode } = await authModeChanges(); // before clearing: a failed load changes nothing
    this.#keeper.drop();
    await vault.clear();
    await applyAuthMode(vault, mode, { setUpPasscode: () => this.#setPasscode(vault), degradeWithoutBiometrics: authMode === undefined });
    await this.saveSession(session);
  }

  /**
   * Whether a session is saved: checked in the vault when it is unlocked (a stored `null` is no
   * session, as app vaults backed by Ionic Storage or Capacitor Preferences return for a missing
   * key); for a locked vault, whether it holds any data (its contents cannot be read without the user).
   *
   * @example
   * ```ts
   * if (await user.hasStoredSession()) await user.unlock();
   * ```
   */
  async hasStoredSession(): Promise<boolean> {
    const vault = await this.#vault;
    if (this.#keeper.session !== undefined) return true;
    if (await vault.isLocked()) return vault.isInUse();
    return isSession(await vault.getValue(SESSION_KEY));
  }

  /**
   * Locks the vault, keeping the stored session; the copy in memory and {@link IonicIdentityVaultUser.token}
   * are dropped and `onVaultLocked` is called. An `InMemoryOnly` vault loses its data.
   *
   * @example
   * ```ts
   * await user.lockOut();
   * ```
   */
  async lockOut(): Promise<void> {
    const vault = await this.#vault;
    this.#keeper.drop();
    await vault.lock();
  }

  /**
   * Logs the user out: clears the vault (session, values, passcode), the copy in memory and
   * {@link IonicIdentityVaultUser.token}. The emptied vault is a new vault again, so the configured
   * `authMode` is applied to it; if that fails (biometrics gone for `BiometricOnly`), the error goes
   * to `onSetupError` and logout still resolves.
   *
   * @example
   * ```ts
   * await user.logout();
   * ```
   */
  async logout(): Promise<void> {
    const vault = await this.#vault;
    this.#keeper.drop();
    await vault.clear();
    const apply = async () => (await authModeChanges()).applyAuthMode(vault, this.#options.authMode, { degradeWithoutBiometrics: true });
    await apply().catch((error: unknown) => {
      const vaultError = toVaultError(error, VaultErrorCodes.Unknown, 'The configured AuthMode could not be applied after logout.');
      callHook(() => this.onSetupError(vaultError));
    });
  }

  // ---- unlock and configuration ------------------------------------------------------------

  /**
   * Unlocks the vault with its AuthMode, or `authMode` when given. `BiometricAndPasscode` tries
   * biometrics first and falls back to the passcode when they fail or are cancelled;
   * `BiometricOrPasscode` uses biometrics when they are available, else the passcode. The passcode
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
    if (authMode !== undefined) checkAuthMode(authMode);
    return this.#keeper.unlock(await this.#vault, authMode);
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
   * what is stored and keeps the data in memory; `SecureStorage` keeps it under the device key;
   * `BiometricOrPasscode` becomes `BiometricOnly` or `PasscodeOnly`, whichever the device can do.
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
    checkAuthMode(authMode);
    if (await vault.isLocked()) throw locked('The vault is locked: unlock it before changing its AuthMode.');
    await (await authModeChanges()).applyAuthMode(vault, authMode, { setUpPasscode: () => this.#setPasscode(vault) });
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
   * Raw access to the underlying vault, for advanced workflows.
   * @example
   * ```ts
   * await (await user.getVault()).storeValue('refreshToken', refresh);
   * ```
   */
  async getVault(): Promise<IdentityVault> {
    return this.#vault;
  }

  // ---- internals ----------------------------------------------------------------------------

  async #setPasscode(vault: IdentityVault): Promise<void> {
    return (await authModeChanges()).setNewPasscode(vault, await this.onPasscodeRequest(true), this.#options.minPasscodeLength);
  }
}
