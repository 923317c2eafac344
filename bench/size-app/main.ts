/**
 * The size app: an app that uses the Identity Vault 3.x/4.x API exactly as the README's "Use"
 * section shows (an `IdentityService` subclass of `IonicIdentityVaultUser`, no `plugin` option, so
 * the platform is picked at run time), built by Vite like any app. `bench/lib/size.mjs` builds it
 * and reports what it adds to the entry chunk and what comes later in lazy chunks.
 */
import { AuthMode, IonicIdentityVaultUser, type DefaultSession, type LockEvent, type VaultConfig } from 'identity-vault';

interface MySession extends DefaultSession {
  email: string;
}

export class IdentityService extends IonicIdentityVaultUser<MySession> {
  constructor(platform: { ready(): Promise<unknown> }) {
    super(platform, {
      authMode: AuthMode.BiometricAndPasscode,
      restoreSessionOnReady: true,
      unlockOnAccess: true,
      lockAfter: 5000,
      hideScreenOnBackground: true,
    });
  }
  override onVaultUnlocked(config: VaultConfig): void {
    document.body.dataset['state'] = `unlocked:${config.authMode}`;
  }
  override onVaultLocked(event: LockEvent): void {
    document.body.dataset['state'] = `locked:${event.timeout}`;
  }
  override async onPasscodeRequest(): Promise<string | undefined> {
    return undefined; // the built-in passcode dialog
  }
}

const identity = new IdentityService({ ready: () => Promise.resolve() });
void identity.restoreSession().then((session) => {
  document.body.dataset['session'] = session ? 'restored' : 'none';
});
