/**
 * ionic-team/tea-taster-vue (Vue 3; Identity Vault 4.2.7) on a device: the module-level
 * `sessionVaultService` (session `{ user, token }`, no `username`) gets SimulatedDevice's plugin
 * through `super.getPlugin()` → the global `IonicNativeAuth`. The store's actions and the axios
 * interceptor run login → background lock → unlock → token on requests → logout. Sources cited in
 * session-vault-service.ts.
 */
import { device } from './device-setup.js';
import { describe, expect, it, vi } from 'vitest';
import { AuthMode } from 'identity-vault';
import { settle } from '../harness.js';
import { modalController, router, store } from './ionic-vue.js';
import { actions, sessionVaultService, withToken, type Session } from './session-vault-service.js';

const session: Session = { user: { id: 7, firstName: 'Ken', lastName: 'S', email: 'ken@example.com' }, token: 'tea-token' };
const get = (url: string) => withToken({ url, headers: {} }).headers['Authorization'];

describe('tea-taster-vue on a device (passcode)', () => {
  it('login action (login() not awaited) → lock after 5 s → canUnlock → restore with the PIN dialog → token on requests → logout', async () => {
    modalController.answers = ['1234'];
    await actions.login({ session, authMode: AuthMode.PasscodeOnly });
    expect(get('/teas')).toBe('Bearer tea-token');
    await vi.waitFor(async () => expect(await sessionVaultService.getSession()).toEqual(session));
    expect(sessionVaultService.token).toBe('tea-token');
    expect(modalController.opened).toEqual([true]);
    expect(await sessionVaultService.getAuthMode()).toBe(AuthMode.PasscodeOnly);
    expect(device.storage.dumpText()).not.toContain('tea-token');

    device.sendToBackground();
    device.advanceTime(5000);
    device.bringToForeground();
    await settle();
    expect(router.history).toEqual(['/login']);
    expect(store.state.session).toBeUndefined();
    expect(sessionVaultService.token).toBeUndefined();
    expect(get('/teas')).toBeUndefined();
    expect(await sessionVaultService.canUnlock()).toBe(true);

    expect(await actions.restore()).toEqual(session);
    expect(modalController.opened).toEqual([true, false]);
    expect(get('/teas')).toBe('Bearer tea-token');

    await actions.logout();
    expect(get('/teas')).toBeUndefined();
    expect(await sessionVaultService.canUnlock()).toBe(false);
    expect(await sessionVaultService.hasStoredSession()).toBe(false);
    expect(await actions.restore()).toBeUndefined();
  });
});
