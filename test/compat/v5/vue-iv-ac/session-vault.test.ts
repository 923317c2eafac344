/**
 * The Vue app's session vault (pattern of ionic-enterprise/tutorials-and-demos-vue, demos/iv-ac;
 * see session-vault.ts) run unchanged on identity-vault's built package and a SimulatedDevice:
 * custom passcode through the PIN dialog, biometrics, background lock, privacy screen, restart.
 */
import { setDefaultPlugin, VaultErrorCodes } from 'identity-vault';
import { SimulatedDevice } from 'identity-vault/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';

type App = typeof import('./session-vault.js');

let launches = 0;
/**
 * Launches the app: a fresh instance of its module (module-level vault, cached session), as a cold
 * start. The query string makes Vite load the app module anew; identity-vault stays one instance.
 */
async function launch(device: SimulatedDevice): Promise<App> {
  setDefaultPlugin(() => device.plugin);
  const app = (await import(/* @vite-ignore */ `./session-vault.js?launch=${++launches}`)) as App;
  await app.useSessionVault().initializeVault();
  return app;
}

afterEach(() => setDefaultPlugin(undefined));

const session = { accessToken: 'access-CANARY', refreshToken: 'refresh' };

describe('Vue iv-ac session vault on SimulatedDevice', () => {
  it('custom passcode: the PIN dialog sets the PIN, a dismissed dialog cancels, the right PIN unlocks', async () => {
    const device = new SimulatedDevice();
    const app = await launch(device);
    const vault = app.useSessionVault();
    await vault.setSession(session);
    app.pinDialog.answer('1234');
    await vault.setUnlockMode('CustomPasscode');
    expect(app.pinDialog.shown).toEqual([true]);

    await vault.lock();
    expect(app.router.visited).toEqual(['/unlock']);
    expect(await vault.canUnlock()).toBe(true);

    app.pinDialog.answer(undefined); // dismissed
    await expect(vault.unlock()).rejects.toMatchObject({ code: VaultErrorCodes.UserCanceledInteraction });
    app.pinDialog.answer('1234');
    await vault.unlock();
    expect(await vault.getSession()).toEqual(session);
    expect(app.pinDialog.shown).toEqual([true, false, false]);
    expect(device.storage.dumpText()).not.toContain('access-CANARY');
  });

  it('after a restart the saved unlock mode wins over initialize’s SecureStorage', async () => {
    const device = new SimulatedDevice();
    const first = await launch(device);
    await first.useSessionVault().setSession(session);
    first.pinDialog.answer('1234');
    await first.useSessionVault().setUnlockMode('CustomPasscode');

    device.restart();
    const app = await launch(device);
    const vault = app.useSessionVault();
    await app.preferences.set({ key: 'LastUnlockMode', value: 'CustomPasscode' });
    expect(await vault.canUnlock()).toBe(true);
    app.pinDialog.answer('1234');
    expect(await vault.getSession()).toEqual(session); // getValue unlocks first
  });

  it('biometrics with passcode: provisioned through Device, locks after 5 s in the background, unlocks with a prompt', async () => {
    const device = new SimulatedDevice({ biometricType: 'faceID' });
    const app = await launch(device);
    const vault = app.useSessionVault();
    await vault.setSession(session);
    await vault.setUnlockMode('BiometricsWithPasscode');
    await vault.hideContentsInBackground(true);

    device.sendToBackground();
    expect(device.isScreenHidden).toBe(true);
    device.advanceTime(5000);
    device.bringToForeground();
    await vi.waitFor(() => expect(app.router.visited).toEqual(['/unlock']));

    device.biometrics.respondWith('cancel');
    await expect(vault.getSession()).rejects.toMatchObject({ code: VaultErrorCodes.UserCanceledInteraction });
    device.biometrics.respondWith('success');
    expect(await vault.getSession()).toEqual(session);
  });

  it('canUseBiometrics / canUseSystemPasscode answer from the device on hybrid', async () => {
    const { platform } = await import('../shell/app-shell.js');
    platform.hybrid = true;
    try {
      let app = await launch(new SimulatedDevice({ biometricType: 'touchID' }));
      expect(await app.useSessionVault().canUseBiometrics()).toBe(true);
      expect(await app.useSessionVault().canUseSystemPasscode()).toBe(true);
      app = await launch(new SimulatedDevice({ biometricType: 'none' }));
      expect(await app.useSessionVault().canUseBiometrics()).toBe(false);
    } finally {
      platform.hybrid = false;
    }
  });

  it('clearSession empties the vault and goes back to SecureStorage', async () => {
    const device = new SimulatedDevice();
    const app = await launch(device);
    const vault = app.useSessionVault();
    await vault.setSession(session);
    app.pinDialog.answer('1234');
    await vault.setUnlockMode('CustomPasscode');
    await vault.clearSession();
    expect(await vault.getSession()).toBeNull();
    expect(await vault.canUnlock()).toBe(false);
  });
});
