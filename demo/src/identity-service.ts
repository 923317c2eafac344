/**
 * The demo's identity service: an `IonicIdentityVaultUser` subclass (the Identity Vault 3.x/4.x API), configured the way
 * the README describes, with its hooks handed to the app.
 */
import type { DemoSettings } from './settings.js';
import { AuthMode, createWebPlugin, IonicIdentityVaultUser, type DefaultSession, type LockEvent, type VaultDescriptor, type VaultError } from './vault-lib.js';

/** What the demo keeps in the vault: the Identity Vault 3.x/4.x API's `DefaultSession` (username, token) and a little more. */
export interface DemoSession extends DefaultSession {
  readonly displayName: string;
  readonly email: string;
  /** When the server stops accepting the token (ISO time). */
  readonly expiresAt: string;
}

/** Failed passcode attempts before the vault is erased. */
export const MAX_ATTEMPTS = 5;

/** This demo's vault. */
export const DEMO_VAULT: VaultDescriptor = { vaultId: 'identity-vault-demo', username: '_lastUser' };

/** What the app does when the vault speaks. */
export interface IdentityHooks {
  /** A passcode: a string, or `undefined` for the library's built-in dialog. */
  passcode(isPasscodeSetRequest: boolean): Promise<string | undefined>;
  locked(event: LockEvent): void;
  setupError(error: VaultError): void;
}

/**
 * `restoreSessionOnReady` + `unlockOnAccess`: on load, a vault holding a session asks to be
 * unlocked at once and the session comes back. `lockAfter` and `hideScreenOnBackground` come from
 * the demo's settings, so they change on the next load.
 */
export class IdentityService extends IonicIdentityVaultUser<DemoSession> {
  readonly #hooks: IdentityHooks;

  constructor(settings: DemoSettings, hooks: IdentityHooks) {
    super(
      { ready: () => Promise.resolve() }, // a module script runs after the document is parsed
      {
        authMode: AuthMode.PasscodeOnly,
        restoreSessionOnReady: true,
        unlockOnAccess: true,
        lockAfter: settings.lockAfter,
        hideScreenOnBackground: settings.hideScreenOnBackground,
        plugin: createWebPlugin({
          databaseName: 'identity-vault-demo',
          maxAttempts: MAX_ATTEMPTS,
          webAuthn: { rpName: 'identity-vault demo' },
        }),
      },
      DEMO_VAULT,
    );
    this.#hooks = hooks;
  }

  override onPasscodeRequest(isPasscodeSetRequest: boolean): Promise<string | undefined> {
    return this.#hooks.passcode(isPasscodeSetRequest);
  }

  override onVaultLocked(event: LockEvent): void {
    this.#hooks.locked(event);
  }

  override onSetupError(error: VaultError): void {
    this.#hooks.setupError(error);
  }

  /** The ready-time unlock and restore (restoreSessionOnReady) failed: a cancelled prompt, a wrong passcode. */
  override onSessionRestoreError(error: VaultError): void {
    this.#hooks.setupError(error);
  }
}
