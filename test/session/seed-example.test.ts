/**
 * The seed's example class (identity-vault-3.0-api.md, "Configuring the Vault"), VERBATIM, with
 * only the import lines added. One character was added to the seed's text: the `}` closing the
 * constructor right after `super(...)` — the seed's snippet never closes it, so as printed it is
 * not valid TypeScript (the "seed text" test below checks that nothing else differs).
 *
 * Type-checked by `seed-example-typecheck.test.ts` with `tsconfig.seed-example.json`: the example
 * as printed has unused parameters (`config`, `event`, `isSetupRequest`), unused private
 * properties (`http`, `router`) and overrides without `override`, which this repository's own
 * strict flags (noUnusedLocals, noUnusedParameters, noImplicitOverride) reject — an app with
 * Angular's default tsconfig needs only `override` added.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthMode, IonicIdentityVaultUser, setDefaultPlugin, type DefaultSession, type LockEvent, type VaultConfig } from 'identity-vault';
import { SimulatedDevice } from 'identity-vault/testing';

interface MyCustomSession extends DefaultSession {
  // username & token are inherited
  email: string;
  age: number;
  nicknames: string[];
}

export class IdentityService extends IonicIdentityVaultUser<MyCustomSession> {

constructor(private http: HttpClient, private router: Router, platform: Platform) {
  super(platform, {
    authMode: AuthMode.BiometricAndPasscode, // Use biometrics auth with passcode fallback
    restoreSessionOnReady: false, // whether or not to immediately attempt to restore the session when the vault is ready
    unlockOnReady: false, // set true to auto prompt the user to unlock when vault is ready
    unlockOnAccess: true, // set to true to auto prompt the user to unlock on first read access
    lockAfter: 5000, // lock after 5 seconds in the background
    hideScreenOnBackground: true // when in app launcher mode hide the current screen and display the splashscreen
  });
}

  onVaultUnlocked(config: VaultConfig) {
    //Route to my home page
  }

  onVaultLocked(event: LockEvent) {
    //Route to my login page
  }

  async onPasscodeRequest(isSetupRequest: boolean) {
    // Display a custom Passcode prompt and return the passcode as a string
    // or return undefined to use the build in native prompts. isSetupRequest
    // is true when attempting to set a new passcode on the vault, you can use
    // it to do something like prompt the user twice for the pin.
  }

}

// ---- the app's collaborators: plain local stand-ins ---------------------------------------------
class HttpClient {}
class Router {
  readonly navigations: string[][] = [];
  navigate(commands: string[]): Promise<boolean> {
    this.navigations.push(commands);
    return Promise.resolve(true);
  }
}
class Platform {
  ready(): Promise<string> {
    return Promise.resolve('dom');
  }
}

// ---- running it ----------------------------------------------------------------------------------

const session: MyCustomSession = { username: 'alice', token: 'tok', email: 'alice@example.com', age: 30, nicknames: ['al'] };

describe('the seed example IdentityService', () => {
  let device: SimulatedDevice;
  beforeEach(() => {
    device = new SimulatedDevice({ biometricType: 'faceID' });
    // The example's super() passes no plugin: point the run-time pick at the simulated device.
    setDefaultPlugin(() => device.plugin);
  });
  afterEach(() => {
    setDefaultPlugin(undefined);
    vi.restoreAllMocks();
  });

  it('constructs with (http, router, platform) and becomes ready with its options', async () => {
    const service = new IdentityService(new HttpClient(), new Router(), new Platform());
    await service.ready();
    expect(await service.getAuthMode()).toBe(AuthMode.BiometricAndPasscode);
    const config = await (await service.getVault()).getConfig();
    expect(config.lockAfter).toBe(5000);
    expect(config.hideScreenOnBackground).toBe(true);
  });

  it('saves a session (passcode set through the built-in prompt: onPasscodeRequest returns undefined)', async () => {
    const service = new IdentityService(new HttpClient(), new Router(), new Platform());
    device.passcodePrompt.respondWith('1234');
    await service.saveSession(session);
    expect(device.passcodePrompt.requests).toEqual(['setup', 'confirm']);
    expect(await service.getSession()).toEqual(session);
    expect(device.storage.dumpText()).not.toContain('alice@example.com');
  });

  it('locks after 5 s in the background (onVaultLocked), hides the screen, and unlocks on access (onVaultUnlocked)', async () => {
    const locked = vi.spyOn(IdentityService.prototype, 'onVaultLocked');
    const unlocked = vi.spyOn(IdentityService.prototype, 'onVaultUnlocked');
    const service = new IdentityService(new HttpClient(), new Router(), new Platform());
    device.passcodePrompt.respondWith('1234');
    await service.saveSession(session);
    device.sendToBackground();
    expect(device.isScreenHidden).toBe(true);
    device.advanceTime(5000);
    device.bringToForeground();
    await (await service.getVault()).getConfig();
    expect(locked).toHaveBeenCalledWith({ saved: true, timeout: true });
    // unlockOnAccess: true — reading asks Face ID, then restores (getSession is memory only, 4.x).
    expect(await service.getSession()).toBeUndefined();
    expect(await service.restoreSession()).toEqual(session);
    expect(device.biometrics.prompts).toBe(1);
    expect(unlocked).toHaveBeenCalledTimes(1);
  });

  it('falls back to the built-in passcode prompt when Face ID is cancelled', async () => {
    const service = new IdentityService(new HttpClient(), new Router(), new Platform());
    device.passcodePrompt.respondWith('1234');
    await service.saveSession(session);
    await service.lockOut();
    device.biometrics.respondWith('cancel');
    expect(await service.restoreSession()).toEqual(session);
    expect(device.passcodePrompt.requests).toEqual(['setup', 'confirm', 'unlock']);
  });

  it('survives a restart: the session is restored on access (restoreSession; getSession is memory only)', async () => {
    const first = new IdentityService(new HttpClient(), new Router(), new Platform());
    device.passcodePrompt.respondWith('1234');
    await first.saveSession(session);
    device.restart();
    const second = new IdentityService(new HttpClient(), new Router(), new Platform());
    expect(await second.getSession()).toBeUndefined();
    expect(await second.restoreSession()).toEqual(session);
    expect(await second.getSession()).toEqual(session);
  });

  const seedPath = fileURLToPath(new URL('../../../shared/seeds/identity-vault-3.0-api.md', import.meta.url));
  it.skipIf(!existsSync(seedPath))('the class above is the seed text, plus the one closing brace', () => {
    const seed = readFileSync(seedPath, 'utf8');
    const example = /```typescript\n([\s\S]*?)```/.exec(seed)?.[1] ?? '';
    const ours = readFileSync(fileURLToPath(import.meta.url), 'utf8');
    const start = ours.indexOf('interface MyCustomSession');
    const end = ours.indexOf('\n// ---- the app');
    const withoutAddedBrace = ours.slice(start, end).replace('  });\n}\n', '  });\n');
    expect(example.length).toBeGreaterThan(500);
    expect(withoutAddedBrace.trimEnd()).toBe(example.trimEnd());
  });
});
