/**
 * ionic-team/tea-taster-vue (Vue 3; Identity Vault 4.2.7) in a browser: `getPlugin()` returns the
 * app's `browserVaultPlugin` over Capacitor Storage (`value && JSON.parse(value)`: `null` for a
 * missing key). Same actions and interceptor as on the device.
 */
import { describe, expect, it, vi } from 'vitest';
import { AuthMode } from 'identity-vault';
import { Plugins } from './ionic-vue.js';
import { actions, sessionVaultService, withToken, type Session } from './session-vault-service.js';

const session: Session = { user: { id: 8, firstName: 'Web', lastName: 'User', email: 'web@example.com' }, token: 'web-tea' };
const get = (url: string) => withToken({ url, headers: {} }).headers['Authorization'];

describe("tea-taster-vue in the browser (the app's BrowserVaultService)", () => {
  it('login → lock → restore → token on requests → logout; a missing session (null) is none', async () => {
    expect(await sessionVaultService.hasStoredSession()).toBe(false);
    expect(await sessionVaultService.canUnlock()).toBe(false);
    await actions.login({ session, authMode: AuthMode.InMemoryOnly });
    await vi.waitFor(async () => expect(await sessionVaultService.hasStoredSession()).toBe(true));
    expect(get('/teas')).toBe('Bearer web-tea');

    await sessionVaultService.lockOut();
    expect(sessionVaultService.token).toBeUndefined();
    expect(await sessionVaultService.canUnlock()).toBe(false); // the browser vault never locks
    expect(await actions.restore()).toEqual(session);
    expect(sessionVaultService.token).toBe('web-tea');
    expect(get('/teas')).toBe('Bearer web-tea');

    await actions.logout();
    expect((await Plugins.Storage.keys()).keys).toEqual([]);
    expect(await sessionVaultService.hasStoredSession()).toBe(false);
    expect(get('/teas')).toBeUndefined();
  });
});
