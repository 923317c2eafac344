/**
 * ionic-team/ionifits (Angular; Identity Vault 3.5.1 → 4.2.2) run against the built package: its
 * identity service (a `public platform: Platform` parameter property and `getPlugin()`) and browser
 * vault, reproduced in this folder. The app's requests took the token from Auth Connect, which kept
 * it in this service; here the package's own `createAuthFetch` plays that part, reading the
 * service's `token` and calling its `restoreSession()` as the 4.x apps' interceptors did.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AuthMode, VaultErrorCodes, createAuthFetch, type DefaultSession } from 'identity-vault';
import { SimulatedDevice } from 'identity-vault/testing';
import { FakeIonicPlatform, IonicStorageStandIn, settle } from '../harness.js';
import { BrowserAuthPlugin, BrowserAuthService } from './browser-auth.service.js';
import { IONIFITS_3_5_OPTIONS, IdentityService } from './identity.service.js';

const window = globalThis as { IonicNativeAuth?: unknown };
const session: DefaultSession = { username: 'matt@ionifits.example', token: 'expenses-token' };

/** The app's API calls, through the package's fetch wrapper; records the Authorization each one carried. */
function api(identity: IdentityService) {
  const seen: Array<string | null> = [];
  const authFetch = createAuthFetch(identity, {
    allowedOrigins: ['https://api.ionifits.example'],
    fetch: async (input, init) => {
      seen.push(new Headers(init?.headers).get('Authorization'));
      void input;
      return new Response('[]', { status: 200 });
    },
  });
  return { seen, get: (path: string) => authFetch(`https://api.ionifits.example${path}`) };
}

afterEach(() => {
  delete window.IonicNativeAuth;
});

describe('ionifits on a device (Face ID, the 4.2.2 configuration)', () => {
  it('login → background lock after 1 s → Face ID unlock on the next request → token on requests → logout', async () => {
    const device = new SimulatedDevice({ biometricType: 'faceID' });
    window.IonicNativeAuth = device.plugin;
    const identity = new IdentityService(
      new FakeIonicPlatform(['hybrid', 'capacitor']),
      new BrowserAuthPlugin(new BrowserAuthService(new IonicStorageStandIn())),
    );
    expect(identity.platform.is('hybrid')).toBe(true); // the subclass's own view of `platform`
    device.passcodePrompt.respondWith('2580'); // BiometricAndPasscode: the built-in prompt sets the fallback passcode
    await identity.saveSession(session);
    expect(await identity.getAuthMode()).toBe(AuthMode.BiometricAndPasscode);
    const { seen, get } = api(identity);
    await get('/expenses');
    expect(seen).toEqual(['Bearer expenses-token']);

    device.sendToBackground();
    device.advanceTime(1000);
    device.bringToForeground();
    await settle();
    expect(identity.token).toBeUndefined();
    expect(device.storage.dumpText()).not.toContain('expenses-token');

    const prompts = device.biometrics.prompts;
    await get('/employees');
    expect(device.biometrics.prompts).toBe(prompts + 1);
    expect(seen.at(-1)).toBe('Bearer expenses-token');

    await identity.logout();
    await get('/expenses');
    expect(seen.at(-1)).toBeNull();
    expect(await identity.hasStoredSession()).toBe(false);
  });

  it('the 3.5.1 configuration (SecureStorage, restoreSessionOnReady + unlockOnReady) restores the session at start without asking', async () => {
    const device = new SimulatedDevice({ biometricType: 'faceID' });
    window.IonicNativeAuth = device.plugin;
    const first = new IdentityService(
      new FakeIonicPlatform(['hybrid']),
      new BrowserAuthPlugin(new BrowserAuthService(new IonicStorageStandIn())),
      IONIFITS_3_5_OPTIONS,
    );
    await first.saveSession(session);
    device.restart();
    window.IonicNativeAuth = device.plugin;
    const second = new IdentityService(
      new FakeIonicPlatform(['hybrid']),
      new BrowserAuthPlugin(new BrowserAuthService(new IonicStorageStandIn())),
      IONIFITS_3_5_OPTIONS,
    );
    await second.ready();
    expect(second.token).toBe('expenses-token');
    expect(await second.getSession()).toEqual(session);
    expect(device.biometrics.prompts + device.passcodePrompt.requests.length).toBe(0);
    const { seen, get } = api(second);
    await get('/expenses');
    expect(seen).toEqual(['Bearer expenses-token']);
  });
});

describe("ionifits in the browser (the app's BrowserAuthService over Ionic Storage)", () => {
  it('login → lock → token read back from storage on the next request → logout (clear() wipes the storage; null reads as no session)', async () => {
    const storage = new IonicStorageStandIn();
    const identity = new IdentityService(new FakeIonicPlatform([]), new BrowserAuthPlugin(new BrowserAuthService(storage)));
    await identity.saveSession(session);
    const { seen, get } = api(identity);
    await get('/expenses');
    await identity.lockOut();
    expect(identity.token).toBeUndefined();
    await get('/expenses');
    expect(seen).toEqual(['Bearer expenses-token', 'Bearer expenses-token']);
    await identity.logout();
    expect(await storage.keys()).toEqual([]);
    expect(await identity.hasStoredSession()).toBe(false);
    await get('/expenses');
    expect(seen.at(-1)).toBeNull();
  });
});

describe("ionifits's unit test", () => {
  it("'should be created' with no plugin anywhere: construction does not throw; ready() says why the vault is unavailable", async () => {
    const identity = new IdentityService(new FakeIonicPlatform(['hybrid']), new BrowserAuthPlugin(new BrowserAuthService(new IonicStorageStandIn())));
    expect(identity).toBeTruthy();
    const error = await identity.ready().then(
      () => undefined,
      (e: { code: number }) => e,
    );
    expect(error?.code).toBe(VaultErrorCodes.VaultUnavailable);
  });
});
