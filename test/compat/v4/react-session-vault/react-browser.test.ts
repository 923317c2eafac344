/**
 * eric-horodyski/cs-demo-ac-react-cap2 (React; Identity Vault 4.2.7) in a browser: `getPlugin()`
 * returns the app's own `BrowserVaultPlugin` over Capacitor Storage, whose `getValue` of a missing
 * key is `JSON.parse(null)`, i.e. `null`. The same provider flows run. Sources cited in the
 * reproduced files.
 */
import { describe, expect, it } from 'vitest';
import { AuthMode } from 'identity-vault';
import { Plugins, runOn } from './ionic-react.js';
import { apiRequest, authConnectStandIn, sessionVaultProvider, SessionVault, type User } from './session-vault.js';

const user: User = { name: 'Web', picture: '', email: 'web@example.com' };

describe('cs-demo-ac-react-cap2 in the browser (BrowserVault over Capacitor Storage)', () => {
  it('login → lock (the browser vault never locks) → unlock → token on requests → logout; null is no session', async () => {
    runOn([]);
    const authConnect = authConnectStandIn(SessionVault.getInstance(), user, 'web-access');
    const provider = sessionVaultProvider(authConnect);
    await provider.checkLockStatus(); // nothing stored: BrowserVault.getValue('session') is null
    expect(provider.state.canUnlock).toBe(false);
    expect(await provider.vault.hasStoredSession()).toBe(false);

    await provider.login();
    expect(await provider.vault.getAuthMode()).toBe(AuthMode.SecureStorage); // what the browser vault reports
    expect((await apiRequest(authConnect, '/me')).authorization).toBe('Bearer web-access');

    await provider.vault.lockOut();
    expect(await provider.vault.getSession()).toBeUndefined();
    await provider.checkLockStatus();
    expect(provider.state.canUnlock).toBe(false); // stored, but the browser vault is not locked
    await provider.unlock();
    expect(await provider.vault.getSession()).toEqual(user);
    expect((await apiRequest(authConnect, '/me')).authorization).toBe('Bearer web-access');

    await provider.logout();
    expect((await Plugins.Storage.keys()).keys).toEqual([]);
    expect(await provider.vault.hasStoredSession()).toBe(false);
    expect(await provider.vault.restoreSession()).toBeUndefined();
    expect((await apiRequest(authConnect, '/me')).authorization).toBeUndefined();
  });
});
