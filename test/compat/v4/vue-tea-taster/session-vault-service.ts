/**
 * Pattern source: ionic-team/tea-taster-vue (Vue 3, Identity Vault ~4.2.7, commit ef0c4b8)
 * src/services/SessionVaultService.ts, src/store/actions.ts and src/services/api.ts. Reproduced:
 * a module-level `sessionVaultService = new SessionVaultService()` extending
 * `IonicIdentityVaultUser<Session>` where `Session` is `{ user, token }` (no `username`), created
 * with `{ ready: () => Promise.resolve() }` and the 4.1 options `allowSystemPinFallback` and
 * `shouldClearVaultAfterTooManyFailedAttempts`; `restoreSession` overridden to clear a vault it
 * finds locked; `onVaultLocked` clearing the store and going to /login; `canUnlock()` from
 * `hasStoredSession`, `getVault().isLocked()`, `getAuthMode()` and `isBiometricsAvailable()`; a
 * PIN-dialog `onPasscodeRequest`; `getPlugin()` choosing the browser plugin unless
 * `isPlatform('hybrid')`; the store's login action calling `login(session, authMode)` without
 * awaiting it; and an axios-style request interceptor putting the store's token on requests.
 * Written anew here; compiled strict, as that app was.
 */
import { AuthMode, IonicIdentityVaultUser, type IonicNativeAuthPlugin, VaultErrorCodes } from 'identity-vault';
import { browserVaultPlugin } from './browser-vault.js';
import { isPlatform, modalController, router, store } from './ionic-vue.js';

export interface User {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
}

export interface Session {
  user: User;
  token: string;
}

export class SessionVaultService extends IonicIdentityVaultUser<Session> {
  constructor() {
    super(
      { ready: () => Promise.resolve() },
      {
        unlockOnAccess: true,
        hideScreenOnBackground: true,
        lockAfter: 5000,
        allowSystemPinFallback: true,
        shouldClearVaultAfterTooManyFailedAttempts: false,
      },
    );
  }

  async restoreSession(): Promise<Session | undefined> {
    try {
      return await super.restoreSession();
    } catch (error) {
      if (error.code === VaultErrorCodes.VaultLocked) {
        const vault = await this.getVault();
        await vault.clear();
      } else {
        throw error;
      }
    }
  }

  onVaultLocked(): void {
    store.dispatch('clear');
    router.replace('/login');
  }

  async canUnlock(): Promise<boolean> {
    if (!(await this.hasStoredSession())) return false;
    const vault = await this.getVault();
    if (!(await vault.isLocked())) return false;
    const mode = await this.getAuthMode();
    return (
      mode === AuthMode.PasscodeOnly || mode === AuthMode.BiometricAndPasscode || (mode === AuthMode.BiometricOnly && (await this.isBiometricsAvailable()))
    );
  }

  async onPasscodeRequest(isPasscodeSetRequest: boolean): Promise<string> {
    const dlg = await modalController.create({ componentProps: { setPasscodeMode: isPasscodeSetRequest } });
    void dlg.present();
    const { data } = await dlg.onDidDismiss();
    return Promise.resolve(data || '');
  }

  getPlugin(): IonicNativeAuthPlugin {
    if (isPlatform('hybrid')) {
      return super.getPlugin();
    }
    return browserVaultPlugin;
  }
}

export const sessionVaultService = new SessionVaultService();

/** The store's actions (src/store/actions.ts), with the authentication call given. */
export const actions = {
  async login(payload: { session: Session; authMode: AuthMode }): Promise<boolean> {
    store.commit('SET_SESSION', payload.session);
    void sessionVaultService.login(payload.session, payload.authMode); // not awaited, as in the app
    return true;
  },
  async logout(): Promise<void> {
    await sessionVaultService.logout();
    store.dispatch('clear');
  },
  async restore(): Promise<Session | undefined> {
    let session: Session | undefined;
    try {
      session = await sessionVaultService.restoreSession();
    } catch {
      session = undefined;
    }
    if (session) store.commit('SET_SESSION', session);
    return session;
  },
};

/** The axios client's request interceptor (src/services/api.ts). */
export function withToken(config: { url: string; headers: Record<string, string> }): { url: string; headers: Record<string, string> } {
  const token = store.getters.sessionToken;
  if (token) config.headers['Authorization'] = `Bearer ${token}`;
  return config;
}
