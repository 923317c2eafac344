/**
 * ionic-team/cs-demo-iv (Angular; Identity Vault 3.4.3 → 4.2.6) run against the built package:
 * its identity service, browser plugin and interceptor (reproduced in this folder, sources cited
 * there), through login → lock → unlock → token on requests → logout, on a SimulatedDevice (the
 * native path: `getPlugin()` → `super.getPlugin()` → the global `IonicNativeAuth`) and on the app's
 * own browser plugin; then its unit-test habits: `window.IonicNativeAuth = new BrowserAuthPlugin(…)`
 * (src/app/services/identity/identity.service.spec.ts) and a mock vault returned from `getVault`
 * (src/app/services/identity/identity.mock.ts).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthMode, VaultErrorCodes, type IdentityVault } from 'identity-vault';
import { SimulatedDevice } from 'identity-vault/testing';
import { FakeIonicPlatform, IonicStorageStandIn, RequestRecorder, settle } from '../harness.js';
import { AuthInterceptor } from './auth-interceptor.js';
import { BrowserAuthPlugin, BrowserAuthService } from './browser-auth.js';
import { IdentityService, type PinDialog, type SettingsService, type User } from './identity.service.js';

// The spec's `(window as any).IonicNativeAuth = …`; Node has no `window`, the global is the same object.
const window = globalThis as { IonicNativeAuth?: unknown };

const user: User = { id: 42, firstName: 'Douglas', lastName: 'Adams', email: 'thank.you@forthefish.com' };

function settings(choice: { biometrics?: boolean; passcode?: boolean; secureStorage?: boolean }): SettingsService {
  return {
    useBiometrics: async () => choice.biometrics === true,
    usePasscode: async () => choice.passcode === true,
    useSecureStorageMode: async () => choice.secureStorage === true,
  };
}

/** The PIN dialog: answers in order, then `fallback`. */
function pinDialog(...answers: Array<{ data?: string; role?: string }>): PinDialog & { opened: boolean[] } {
  const opened: boolean[] = [];
  return {
    opened,
    open: async (setPasscodeMode) => {
      opened.push(setPasscodeMode);
      return answers.length > 1 ? answers.shift()! : answers[0]!;
    },
  };
}

function app(platformNames: string[], choice: Parameters<typeof settings>[0], dialog = pinDialog({ data: '1234' })) {
  const storage = new IonicStorageStandIn();
  const identity = new IdentityService(new BrowserAuthPlugin(new BrowserAuthService(storage)), new FakeIonicPlatform(platformNames), settings(choice), dialog);
  const api = new RequestRecorder();
  const interceptor = new AuthInterceptor(identity);
  const request = (url: string) => interceptor.intercept({ url, headers: {} }, (req) => api.handle(req));
  return { identity, api, request, storage, dialog };
}

afterEach(() => {
  delete window.IonicNativeAuth;
});

describe('cs-demo-iv on a device (SimulatedDevice as the native IonicNativeAuth global)', () => {
  it('passcode login → background lock → unlock on the next request → token on requests → logout', async () => {
    const device = new SimulatedDevice({ biometricType: 'none' });
    window.IonicNativeAuth = device.plugin;
    const { identity, api, request, dialog } = app(['hybrid', 'capacitor'], { passcode: true });
    await identity.ready();

    await request('https://api.example.com/login');
    expect(api.lastAuthorization()).toBeUndefined(); // the login call never carries a token
    await identity.set(user, 'token-from-login');
    expect(dialog.opened).toEqual([true]); // login() asked for the new passcode once
    expect(await identity.getAuthMode()).toBe(AuthMode.PasscodeOnly);
    expect(identity.token).toBe('token-from-login');
    await request('https://api.example.com/tea-categories');
    expect(api.lastAuthorization()).toBe('Bearer token-from-login');
    expect(device.storage.dumpText()).not.toContain('token-from-login');

    device.sendToBackground();
    device.advanceTime(5000);
    device.bringToForeground();
    await settle();
    expect(identity.events).toContain('locked');
    expect(identity.navigations).toEqual(['login']);
    expect(identity.token).toBeUndefined();

    await request('https://api.example.com/tea-categories'); // getToken → restoreSession → unlock (PIN dialog)
    expect(dialog.opened).toEqual([true, false]);
    expect(api.lastAuthorization()).toBe('Bearer token-from-login');

    await identity.remove();
    expect(identity.token).toBeUndefined();
    expect(await identity.hasStoredSession()).toBe(false);
    await request('https://api.example.com/tea-categories');
    expect(api.lastAuthorization()).toBeUndefined();
  });

  it('biometric login (Face ID), lock, Face ID unlock on request; getAvailableHardware for the settings page', async () => {
    const device = new SimulatedDevice({ biometricType: 'faceID' });
    window.IonicNativeAuth = device.plugin;
    const { identity, api, request } = app(['hybrid', 'capacitor'], { biometrics: true });
    await identity.set(user, 'bio-token');
    expect(await identity.getAuthMode()).toBe(AuthMode.BiometricOnly);
    expect(await identity.supportedBiometricTypes()).toBe('Face Match');
    await identity.lockOut();
    expect(identity.token).toBeUndefined();
    const prompts = device.biometrics.prompts;
    await request('https://api.example.com/users/current');
    expect(device.biometrics.prompts).toBe(prompts + 1);
    expect(api.lastAuthorization()).toBe('Bearer bio-token');
    await identity.remove();
  });

  it('a cancelled PIN dialog (a thrown { code, message }) leaves the request without a token and the vault locked', async () => {
    const device = new SimulatedDevice({ biometricType: 'none' });
    window.IonicNativeAuth = device.plugin;
    const dialog = pinDialog({ data: '1234' }, { role: 'cancel' });
    const { identity, api, request } = app(['hybrid', 'capacitor'], { passcode: true }, dialog);
    await identity.set(user, 'kept-token');
    await identity.lockOut();
    await request('https://api.example.com/teas');
    expect(api.lastAuthorization()).toBeUndefined();
    expect(await (await identity.getVault()).isLocked()).toBe(true);
    expect(await identity.hasStoredSession()).toBe(true);
  });

  it('shouldClearVaultAfterTooManyFailedAttempts: false keeps the data after 5 wrong PINs and refuses the passcode', async () => {
    const device = new SimulatedDevice({ biometricType: 'none' });
    window.IonicNativeAuth = device.plugin;
    const dialog = pinDialog({ data: '1234' }, { data: '0000' });
    const { identity } = app(['hybrid', 'capacitor'], { passcode: true }, dialog);
    await identity.set(user, 'precious');
    await identity.lockOut();
    const codes: number[] = [];
    for (let i = 0; i < 6; i++)
      codes.push(
        await identity.restoreSession().then(
          () => -1,
          (error: { code: number }) => error.code,
        ),
      );
    expect(codes.slice(0, 4)).toEqual(Array(4).fill(VaultErrorCodes.AuthFailed));
    expect(codes.slice(4)).toEqual([VaultErrorCodes.TooManyFailedAttempts, VaultErrorCodes.TooManyFailedAttempts]);
    expect(await identity.hasStoredSession()).toBe(true); // not cleared
    expect(await (await identity.getVault()).isInUse()).toBe(true);
  });

  it('the prompt options reach the vault: the built-in passcode dialog shows androidPromptTitle/Subtitle/Description', async () => {
    const device = new SimulatedDevice({ biometricType: 'none' });
    window.IonicNativeAuth = device.plugin;
    const { identity } = app(['hybrid', 'capacitor'], { passcode: true });
    await identity.set(user, 'texts');
    await identity.lockOut();
    device.passcodePrompt.respondWith('1234');
    await (await identity.getVault()).unlock(true); // the vault's own (built-in) prompt
    expect(device.passcodePrompt.texts.at(-1)).toEqual({
      title: 'Identity Vault Demo',
      subtitle: 'Demo all the things',
      description: 'Unlock to see your teas',
    });
  });
});

describe("cs-demo-iv in the browser (the app's own BrowserAuthPlugin over Ionic Storage)", () => {
  it('login → lock → token restored on the next request → logout; a missing session reads as null and counts as none', async () => {
    const { identity, api, request, storage } = app([], {});
    await identity.set(user, 'web-token');
    expect(await identity.getAuthMode()).toBe(AuthMode.SecureStorage); // what the app's browser vault reports
    await request('https://api.example.com/teas');
    expect(api.lastAuthorization()).toBe('Bearer web-token');
    expect(storage.dump()).toContain('web-token'); // the app's own browser fallback stores in the clear, as it did

    await identity.lockOut();
    expect(identity.token).toBeUndefined();
    await request('https://api.example.com/teas');
    expect(api.lastAuthorization()).toBe('Bearer web-token');

    await identity.remove();
    expect(await storage.get('session')).toBeNull();
    expect(await identity.hasStoredSession()).toBe(false); // null is no session
    expect(await identity.restoreSession()).toBeUndefined();
    await request('https://api.example.com/teas');
    expect(api.lastAuthorization()).toBeUndefined();
  });
});

describe("cs-demo-iv's unit-test habits", () => {
  it('window.IonicNativeAuth = new BrowserAuthPlugin(new BrowserAuthService(storageMock)) is what the default getPlugin() returns', async () => {
    const storage = new IonicStorageStandIn();
    window.IonicNativeAuth = new BrowserAuthPlugin(new BrowserAuthService(storage));
    const other = new BrowserAuthPlugin(new BrowserAuthService(new IonicStorageStandIn()));
    const identity = new IdentityService(other, new FakeIonicPlatform(['capacitor']), settings({}), pinDialog({ data: '1' }));
    expect(identity.getPlugin()).toBe(window.IonicNativeAuth);
    await identity.set(user, 'spec-token');
    expect(await storage.get('session')).toEqual({ username: user.email, token: 'spec-token' });
    expect(await identity.getToken()).toBe('spec-token');
  });

  it('a page spec injects a mock vault through getVault (jasmine.createSpyObj in the app; vi.fn here)', async () => {
    window.IonicNativeAuth = new BrowserAuthPlugin(new BrowserAuthService(new IonicStorageStandIn()));
    const identity = new IdentityService(
      new BrowserAuthPlugin(new BrowserAuthService(new IonicStorageStandIn())),
      new FakeIonicPlatform([]),
      settings({}),
      pinDialog({ data: '1' }),
    );
    const vault = { isLockedOutOfBiometrics: vi.fn().mockResolvedValue(true) } as unknown as IdentityVault;
    identity.getVault = vi.fn().mockResolvedValue(vault);
    // What the app's login page does before offering the biometric button:
    const lockedOut = await (await identity.getVault()).isLockedOutOfBiometrics();
    expect(lockedOut).toBe(true);
    expect(identity.getVault).toHaveBeenCalledTimes(1);
  });
});
