/**
 * Pattern source: eric-horodyski/cs-demo-ac-react-cap2 (React, Identity Vault ~4.2.7) —
 * src/vault/SessionVault.ts (commits c20302e, 8601367): a singleton
 * `IonicIdentityVaultUser<User>` whose session type has neither `username` nor `token`, built with
 * `{ ready: () => Promise.resolve(true) }` as its platform, `getPlugin()` choosing the browser
 * plugin unless `isPlatform('capacitor')`; and src/vault/SessionVaultContext.tsx: the context
 * provider that logs in with `logout()` + `setAuthMode()` (biometrics when available, else the
 * passcode), assigns `onVaultLocked` / `onVaultUnlocked` on the instance, asks
 * `hasStoredSession()` and `getVault().isLocked()` to offer an unlock button, and unlocks with
 * `restoreSession()`. React state is replaced by a plain object; Auth Connect (which kept the
 * tokens in this vault, as its `tokenStorageProvider`) by a stand-in that stores the access token
 * with `getVault().storeValue`. Written anew here; compiled strict, as that app was.
 */
import { AuthMode, IonicIdentityVaultUser, type IonicNativeAuthPlugin, type LockEvent, type VaultConfig } from 'identity-vault';
import { BrowserVaultPlugin } from './browser-vault.js';
import { isPlatform } from './ionic-react.js';

export interface User {
  name: string;
  picture: string;
  email: string;
}

export class SessionVault extends IonicIdentityVaultUser<User> {
  private static instance: SessionVault | undefined = undefined;

  private constructor() {
    super(
      { ready: () => Promise.resolve(true) },
      {
        unlockOnAccess: true,
        hideScreenOnBackground: true,
        lockAfter: 300,
      },
    );
  }

  public static getInstance(): SessionVault {
    if (!SessionVault.instance) {
      SessionVault.instance = new SessionVault();
    }
    return SessionVault.instance;
  }

  getPlugin(): IonicNativeAuthPlugin {
    if (isPlatform('capacitor')) return super.getPlugin();
    return BrowserVaultPlugin.getInstance();
  }
}

/** Auth Connect as the app used it: log in (tokens kept in the vault), log out, read the access token. */
export interface AuthConnectStandIn {
  login(): Promise<void>;
  logout(): Promise<void>;
  getAccessToken(): Promise<string | undefined>;
}

const ACCESS_TOKEN_KEY = 'auth-connect.access-token';

/** An Auth Connect that signs `user` in with `accessToken` and keeps it in `vault`, as its token storage. */
export function authConnectStandIn(vault: SessionVault, user: User, accessToken: string): AuthConnectStandIn {
  return {
    async login() {
      await vault.saveSession(user);
      await (await vault.getVault()).storeValue(ACCESS_TOKEN_KEY, accessToken);
    },
    async logout() {
      await (await vault.getVault()).removeValue(ACCESS_TOKEN_KEY);
    },
    async getAccessToken() {
      const stored: unknown = await (await vault.getVault()).getValue(ACCESS_TOKEN_KEY);
      return typeof stored === 'string' ? stored : undefined;
    },
  };
}

/** The context provider's state and actions (SessionVaultContext.tsx), without React. */
export function sessionVaultProvider(authConnect: AuthConnectStandIn) {
  const vault = SessionVault.getInstance();
  const state = { isLocked: true, canUnlock: false, lockEvents: 0 };

  const getAuthMode = async (): Promise<AuthMode> => ((await vault.isBiometricsAvailable()) ? AuthMode.BiometricOnly : AuthMode.PasscodeOnly);

  const login = async () => {
    await vault.logout();
    await vault.setAuthMode(await getAuthMode());
    await authConnect.login();
    state.isLocked = false;
  };

  const logout = async () => {
    await authConnect.logout();
    await vault.logout();
    state.isLocked = true;
  };

  const checkLockStatus = async (): Promise<void> => {
    if (!(await vault.hasStoredSession())) {
      state.canUnlock = false;
    } else {
      const v = await vault.getVault();
      state.canUnlock = await v.isLocked();
    }
  };

  const unlock = async (): Promise<void> => {
    await vault.restoreSession();
    state.isLocked = false;
    state.canUnlock = false;
  };

  vault.onVaultLocked = (_event: LockEvent) => {
    state.isLocked = true;
    state.lockEvents++;
  };

  vault.onVaultUnlocked = async (_config: VaultConfig) => {
    state.isLocked = false;
  };

  return { vault, state, login, logout, checkLockStatus, unlock };
}

/** The app's API client: the access token from Auth Connect on every request. */
export async function apiRequest(authConnect: AuthConnectStandIn, url: string): Promise<{ url: string; authorization: string | undefined }> {
  const token = await authConnect.getAccessToken();
  return { url, authorization: token === undefined ? undefined : `Bearer ${token}` };
}
