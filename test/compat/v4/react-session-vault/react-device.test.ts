/**
 * eric-horodyski/cs-demo-ac-react-cap2 (React; Identity Vault 4.2.7) on a device: the singleton
 * `SessionVault` (session type without `username`/`token`) takes SimulatedDevice's plugin through
 * `super.getPlugin()` → the global `IonicNativeAuth`, and the context provider's flows run
 * login → background lock → unlock → token on requests → logout. Sources cited in session-vault.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { AuthMode } from 'identity-vault';
import { SimulatedDevice } from 'identity-vault/testing';
import { settle } from '../harness.js';
import { runOn } from './ionic-react.js';
import { apiRequest, authConnectStandIn, sessionVaultProvider, SessionVault, type User } from './session-vault.js';

const window = globalThis as { IonicNativeAuth?: unknown };
const user: User = { name: 'Eric', picture: 'https://example.com/eric.png', email: 'eric@example.com' };

afterAll(() => {
  delete window.IonicNativeAuth;
});

describe('cs-demo-ac-react-cap2 on a device (Face ID)', () => {
  it('login (logout + setAuthMode) → lock after 300 ms → canUnlock → unlock with Face ID → token on requests → logout', async () => {
    const device = new SimulatedDevice({ biometricType: 'faceID' });
    window.IonicNativeAuth = device.plugin;
    runOn(['capacitor', 'hybrid']);
    const authConnect = authConnectStandIn(SessionVault.getInstance(), user, 'access-token-1');
    const provider = sessionVaultProvider(authConnect);

    device.passcodePrompt.respondWith('1357'); // logout() re-applies the default BiometricAndPasscode, whose passcode the built-in prompt sets
    await provider.login();
    expect(await provider.vault.getAuthMode()).toBe(AuthMode.BiometricOnly);
    expect(provider.state.isLocked).toBe(false);
    expect(provider.vault.token).toBeUndefined(); // this session type has no token
    expect(await provider.vault.getSession()).toEqual(user);
    expect((await apiRequest(authConnect, '/me')).authorization).toBe('Bearer access-token-1');
    expect(device.storage.dumpText()).not.toContain('access-token-1');

    device.sendToBackground();
    device.advanceTime(300);
    device.bringToForeground();
    await settle();
    expect(provider.state.isLocked).toBe(true); // the onVaultLocked assigned on the instance ran
    expect(provider.state.lockEvents).toBe(1);
    expect(await provider.vault.getSession()).toBeUndefined();

    await provider.checkLockStatus();
    expect(provider.state.canUnlock).toBe(true);
    const prompts = device.biometrics.prompts;
    await provider.unlock();
    expect(device.biometrics.prompts).toBe(prompts + 1);
    expect(provider.state.isLocked).toBe(false);
    expect(await provider.vault.getSession()).toEqual(user);
    expect((await apiRequest(authConnect, '/me')).authorization).toBe('Bearer access-token-1');

    await provider.logout();
    await provider.checkLockStatus();
    expect(provider.state.canUnlock).toBe(false);
    expect(await provider.vault.hasStoredSession()).toBe(false);
    expect((await apiRequest(authConnect, '/me')).authorization).toBeUndefined();
  });
});
