/**
 * Pattern source: ionic-team/ionifits (Angular) src/app/services/identity.service.ts — at Identity
 * Vault ^3.5.1 (commit 2a939fb: `AuthMode.SecureStorage` with `restoreSessionOnReady` +
 * `unlockOnReady` + `unlockOnAccess`; commit 720b726 adds `getPlugin()`) and ^4.2.2 (commit
 * c865832: the default auth mode, `unlockOnAccess`, `lockAfter: 1000`). The shape reproduced: the
 * constructor re-declares the base class's `platform` as a public parameter property of Ionic's
 * `Platform` type and `getPlugin()` picks the browser plugin unless `this.platform.is('hybrid')`.
 * Nothing else is overridden: the service is handed to Auth Connect as its token storage and to
 * pages as is. Written anew here; compiled with that app's settings (not strict).
 */
import { AuthMode, IonicIdentityVaultUser, type IonicNativeAuthPlugin, type DefaultSession, type VaultOptions } from 'identity-vault';
import type { FakeIonicPlatform } from '../harness.js';
import type { BrowserAuthPlugin } from './browser-auth.service.js';

/** The two configurations the app shipped: 3.5.1's secure-storage one and 4.2.2's. */
export const IONIFITS_3_5_OPTIONS: VaultOptions = {
  authMode: AuthMode.SecureStorage,
  restoreSessionOnReady: true,
  unlockOnReady: true,
  unlockOnAccess: true,
  lockAfter: 5000,
  hideScreenOnBackground: true,
};

export const IONIFITS_4_2_OPTIONS: VaultOptions = {
  restoreSessionOnReady: false,
  unlockOnReady: false,
  // Automatically trigger Face ID
  unlockOnAccess: true,
  lockAfter: 1000,
  hideScreenOnBackground: true,
};

export class IdentityService extends IonicIdentityVaultUser<DefaultSession> {
  constructor(
    public platform: FakeIonicPlatform,
    private browserAuthPlugin: BrowserAuthPlugin,
    options: VaultOptions = IONIFITS_4_2_OPTIONS,
  ) {
    super(platform, options);
  }

  getPlugin(): IonicNativeAuthPlugin {
    if (this.platform.is('hybrid')) {
      return super.getPlugin();
    }
    return this.browserAuthPlugin;
  }
}
