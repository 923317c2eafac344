/**
 * The hooks of `IonicIdentityVaultUser` (Identity Vault 3.x/4.x): the methods an app
 * overrides to follow its vault. They live in this base class so the session logic stays in
 * identity-vault-user.ts; an app subclasses `IonicIdentityVaultUser` and overrides them there.
 *
 * @module
 */
import type { VaultError } from '../core/errors.js';
import type { LockEvent, VaultConfig } from '../core/types.js';

/**
 * The overridable hooks of `IonicIdentityVaultUser`. Hooks are called, not awaited; only
 * {@link VaultUserHooks.onPasscodeRequest} is awaited. An app may also assign a function to a hook
 * on an instance (`service.onVaultLocked = () => …`), as React apps written for 4.x do.
 */
export abstract class VaultUserHooks<T> {
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
   * Called when restoring the session at ready (`restoreSessionOnReady`) failed, for example because
   * the user cancelled the unlock prompt. The vault stays locked and `ready()` still resolves.
   * @example
   * ```ts
   * override onSessionRestoreError(error: VaultError) { void this.router.navigate(['login']); }
   * ```
   */
  onSessionRestoreError(error: VaultError): unknown {
    void error;
    return undefined;
  }

  /**
   * Called when there is an error during vault setup; `ready()` then rejects with it.
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
   * Called when unlocking at ready (`unlockOnReady`) failed. The vault stays locked and `ready()`
   * still resolves.
   * @example
   * ```ts
   * override onUnlockOnReadyError(error: VaultError) { this.showUnlockButton = true; }
   * ```
   */
  onUnlockOnReadyError(error: VaultError): unknown {
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
}
