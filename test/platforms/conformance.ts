/**
 * The behavioural suite every platform must pass: simulated, web (in Chromium), node (real files)
 * and any native implementation behind the Capacitor bridge.
 *
 * Runner-agnostic on purpose: it imports no test framework, so the same cases run under vitest
 * in Node and inside a browser page driven by Playwright. A runner loops over
 * {@link conformanceCases} and calls `run(driver)`; a case throws on failure.
 */
import {
  type IdentityVault,
  type IonicNativeAuthPlugin,
  type LockEvent,
  type PluginConfiguration,
  type PluginOptions,
  VaultError,
  VaultErrorCodes,
} from 'identity-vault';
import { equal, fail, rejects } from './conformance-asserts.js';

/** What a platform gives the suite. Optional parts switch the cases that need them on. */
export interface ConformanceDriver {
  readonly name: string;
  /** The plugin of the running app (a fresh one after {@link restart}). */
  plugin(): IonicNativeAuthPlugin;
  /** The app is killed and relaunched: memory gone, storage kept. */
  restart(): Promise<void>;
  /** Every persisted byte the platform wrote, as text, for canary scans. */
  dumpStorage(): Promise<string>;
  /** The built-in passcode prompt: one scripted answer per prompt (`undefined` = cancel). */
  passcodePrompt?: { queue(...answers: Array<string | undefined>): Promise<void> };
  /** Biometrics that can be scripted; absent on platforms without them. */
  biometrics?: {
    respondWith(outcome: 'success' | 'fail' | 'cancel'): Promise<void>;
    /** Biometric keys become invalid (re-enrolment, or the credential removed). */
    reenroll?(): Promise<void>;
    /** The codes a failed or cancelled prompt may give on this platform (the web cannot tell them apart). */
    failCodes: readonly VaultErrorCodes[];
    /** The codes after {@link reenroll}. */
    invalidatedCodes?: readonly VaultErrorCodes[];
  };
  /** App lifecycle and time. */
  lifecycle?: {
    background(): Promise<void>;
    foreground(): Promise<void>;
    advanceTime(ms: number): Promise<void>;
  };
  /** The default number of passcode attempts (5 unless the driver configured another). */
  readonly maxAttempts?: number;
}

export interface ConformanceCase {
  readonly name: string;
  /** Capabilities the case needs; runners may report a case as not applicable, never as passed. */
  readonly needs?: ReadonlyArray<'passcodePrompt' | 'biometrics' | 'reenroll' | 'lifecycle'>;
  run(driver: ConformanceDriver): Promise<void>;
}

export { ConformanceFailure } from './conformance-asserts.js';

let counter = 0;
function uniqueId(): string {
  counter++;
  return `conf-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${counter}`;
}

interface Recorder {
  locks: LockEvent[];
  unlocks: PluginConfiguration[];
  configs: PluginConfiguration[];
  ready: Promise<IdentityVault>;
}

/** A vault with a fresh descriptor and recorded events. */
function openVault(
  driver: ConformanceDriver,
  options: Partial<PluginOptions> & { vaultId?: string } = {},
): { vault: IdentityVault; events: Recorder; options: PluginOptions } {
  const events: Omit<Recorder, 'ready'> = { locks: [], unlocks: [], configs: [] };
  let resolveReady!: (vault: IdentityVault) => void;
  let rejectReady!: (error: unknown) => void;
  const ready = new Promise<IdentityVault>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  const full: PluginOptions = {
    vaultId: options.vaultId ?? uniqueId(),
    username: 'alice',
    ...options,
    onLock: (e) => events.locks.push(e),
    onUnlock: (c) => events.unlocks.push(c),
    onConfig: (c) => events.configs.push(c),
    onReady: (v) => resolveReady(v),
    onError: (e) => rejectReady(e),
  };
  return { vault: driver.plugin().getVault(full), events: { ...events, ready }, options: full };
}

async function withPasscode(vault: IdentityVault, passcode = '1234'): Promise<void> {
  await vault.setPasscodeEnabled(true);
  await vault.setPasscode(passcode);
}

const CANARY_TOKEN = 'tok-CANARY-7f3a9c';
const CANARY_VALUE = 'value-CANARY-b81d04';
const CANARY_PASSCODE = '482913-CANARY';

// ---- the cases ----------------------------------------------------------------------------------

export const conformanceCases: readonly ConformanceCase[] = [
  {
    name: 'a new vault is unlocked, empty, with neither passcode nor biometrics',
    async run(driver) {
      const { vault, events } = openVault(driver);
      equal(await events.ready, vault, 'onReady receives the vault');
      equal(await vault.isLocked(), false, 'isLocked');
      equal(await vault.isInUse(), false, 'isInUse');
      equal(await vault.isPasscodeEnabled(), false, 'isPasscodeEnabled');
      equal(await vault.isBiometricsEnabled(), false, 'isBiometricsEnabled');
      equal(await vault.isPasscodeSetupNeeded(), false, 'isPasscodeSetupNeeded');
      equal(await vault.remainingAttempts(), driver.maxAttempts ?? 5, 'remainingAttempts');
      equal(await vault.getUsername(), 'alice', 'getUsername');
      equal(await vault.getToken(), undefined, 'getToken on an empty vault');
      const config = await vault.getConfig();
      equal(config.lockAfter, 0, 'default lockAfter');
      equal(config.hideScreenOnBackground, false, 'default hideScreenOnBackground');
      equal(vault.config?.descriptor.username, 'alice', 'config property is set once ready');
    },
  },
  {
    name: 'values round-trip as JSON data; getToken is getValue("token")',
    async run(driver) {
      const { vault } = openVault(driver);
      const value = { n: 1.5, s: 'ünïcødé ✓ 🔐', list: [1, 'two', null, true, { deep: [[]] }], empty: {}, __proto__text: 'x' };
      await vault.storeValue('profile', value);
      await vault.storeToken(CANARY_TOKEN);
      await vault.storeValue('__proto__', 'stored as data');
      equal(await vault.getValue('profile'), value, 'getValue');
      equal(await vault.getToken(), CANARY_TOKEN, 'getToken');
      equal(await vault.getValue('token'), CANARY_TOKEN, 'getValue("token")');
      equal(await vault.getValue('__proto__'), 'stored as data', 'a __proto__ key is just a key');
      equal(await vault.getValue('missing'), undefined, 'missing key');
      equal(await vault.isInUse(), true, 'isInUse after a store');
      const copy = (await vault.getValue('profile')) as { n: number };
      copy.n = 99;
      equal(((await vault.getValue('profile')) as { n: number }).n, 1.5, 'a returned value is a copy');
    },
  },
  {
    name: 'bad arguments are InvalidArguments and change nothing',
    async run(driver) {
      const { vault } = openVault(driver);
      await vault.storeValue('k', 'before');
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      const badValues: unknown[] = [undefined, () => 1, Symbol('s'), 10n, Number.NaN, Infinity, new Date(0), new Map(), cyclic, [undefined], { f: () => 1 }];
      for (const bad of badValues) await rejects(vault.storeValue('k', bad), VaultErrorCodes.InvalidArguments, `storeValue(k, ${typeof bad})`);
      const badKeys: unknown[] = ['', 1, null, undefined, {}, 'x'.repeat(5000), '\ud800'];
      for (const key of badKeys) {
        await rejects(vault.storeValue(key as string, 1), VaultErrorCodes.InvalidArguments, `storeValue(${JSON.stringify(key)})`);
        await rejects(vault.getValue(key as string), VaultErrorCodes.InvalidArguments, `getValue(${JSON.stringify(key)})`);
      }
      await rejects(vault.setPasscodeEnabled('yes' as unknown as boolean), VaultErrorCodes.InvalidArguments, 'setPasscodeEnabled("yes")');
      await rejects(vault.setBiometricsEnabled(1 as unknown as boolean), VaultErrorCodes.InvalidArguments, 'setBiometricsEnabled(1)');
      await rejects(vault.unlock('x' as unknown as boolean), VaultErrorCodes.InvalidArguments, 'unlock("x")');
      await vault.setPasscodeEnabled(true);
      await rejects(vault.setPasscode(''), VaultErrorCodes.InvalidArguments, 'setPasscode("")');
      await rejects(vault.setPasscode(1234 as unknown as string), VaultErrorCodes.InvalidArguments, 'setPasscode(1234)');
      equal(await vault.getValue('k'), 'before', 'the stored value is unchanged');
      let thrown: unknown;
      try {
        driver.plugin().getVault({ vaultId: '', username: 'u' });
      } catch (error) {
        thrown = error;
      }
      if (!(thrown instanceof VaultError) || thrown.code !== VaultErrorCodes.InvalidArguments) fail('getVault with an empty vaultId throws InvalidArguments');
    },
  },
  {
    name: 'passcode: setup needed, MissingPasscode, lock, wrong and right passcode, attempts reset',
    async run(driver) {
      const { vault, events } = openVault(driver);
      await vault.setPasscodeEnabled(true);
      equal(await vault.isPasscodeEnabled(), true, 'isPasscodeEnabled');
      equal(await vault.isPasscodeSetupNeeded(), true, 'isPasscodeSetupNeeded before setPasscode');
      await rejects(vault.storeValue('k', 1), VaultErrorCodes.MissingPasscode, 'store before setPasscode');
      await vault.setPasscode(CANARY_PASSCODE);
      equal(await vault.isPasscodeSetupNeeded(), false, 'isPasscodeSetupNeeded after setPasscode');
      await vault.storeValue('k', CANARY_VALUE);
      await vault.lock();
      equal(await vault.isLocked(), true, 'isLocked after lock');
      equal(events.locks.at(-1), { saved: true, timeout: false }, 'onLock event');
      await rejects(vault.getValue('k'), VaultErrorCodes.VaultLocked, 'getValue when locked');
      await rejects(vault.storeValue('k', 2), VaultErrorCodes.VaultLocked, 'storeValue when locked');
      await rejects(vault.setPasscode('9999'), VaultErrorCodes.VaultLocked, 'setPasscode when locked');
      await rejects(vault.setPasscodeEnabled(false), VaultErrorCodes.VaultLocked, 'setPasscodeEnabled when locked');
      await rejects(vault.setBiometricsEnabled(true), [VaultErrorCodes.VaultLocked, VaultErrorCodes.SecurityNotAvailable], 'setBiometricsEnabled when locked');
      const wrong = await rejects(vault.unlock(true, '0000'), VaultErrorCodes.AuthFailed, 'wrong passcode');
      equal(wrong.remainingAttempts, (driver.maxAttempts ?? 5) - 1, 'remainingAttempts on the error');
      equal(await vault.remainingAttempts(), (driver.maxAttempts ?? 5) - 1, 'remainingAttempts()');
      await vault.unlock(true, CANARY_PASSCODE);
      equal(await vault.isLocked(), false, 'unlocked');
      equal(events.unlocks.length >= 1, true, 'onUnlock fired');
      equal(await vault.remainingAttempts(), driver.maxAttempts ?? 5, 'attempts reset by success');
      equal(await vault.getValue('k'), CANARY_VALUE, 'value after unlock');
    },
  },
  {
    name: 'too many wrong passcodes clear the vault with TooManyFailedAttempts',
    async run(driver) {
      const { vault } = openVault(driver, { maxAttempts: 3 });
      await withPasscode(vault);
      await vault.storeValue('k', CANARY_VALUE);
      await vault.lock();
      await rejects(vault.unlock(true, '0000'), VaultErrorCodes.AuthFailed, 'first wrong');
      await rejects(vault.unlock(true, '0000'), VaultErrorCodes.AuthFailed, 'second wrong');
      await rejects(vault.unlock(true, '0000'), VaultErrorCodes.TooManyFailedAttempts, 'third wrong');
      equal(await vault.isLocked(), false, 'cleared vault is unlocked');
      equal(await vault.isInUse(), false, 'cleared vault is empty');
      equal(await vault.getValue('k'), undefined, 'value gone');
      equal(await vault.isPasscodeSetupNeeded(), true, 'passcode must be set again');
      equal(await vault.remainingAttempts(), 3, 'counter reset');
    },
  },
  {
    name: 'restart keeps data locked; failed attempts survive a restart',
    async run(driver) {
      const { vault, options } = openVault(driver);
      await withPasscode(vault);
      await vault.storeValue('k', CANARY_VALUE);
      await rejects(
        Promise.resolve()
          .then(() => vault.lock())
          .then(() => vault.unlock(true, '1111')),
        VaultErrorCodes.AuthFailed,
        'wrong before restart',
      );
      await driver.restart();
      const again = driver.plugin().getVault({ vaultId: options.vaultId, username: options.username });
      equal(await again.isLocked(), true, 'locked after restart');
      equal(await again.isInUse(), true, 'in use after restart');
      equal(await again.remainingAttempts(), (driver.maxAttempts ?? 5) - 1, 'attempt count survived the restart');
      await again.unlock(true, '1234');
      equal(await again.getValue('k'), CANARY_VALUE, 'value after restart');
    },
  },
  {
    name: 'changing the passcode re-wraps the key: old fails, new works, values intact',
    async run(driver) {
      const { vault } = openVault(driver);
      await withPasscode(vault, '1111');
      await vault.storeValue('a', [1, 2, 3]);
      await vault.setPasscode('2222');
      await vault.lock();
      await rejects(vault.unlock(true, '1111'), VaultErrorCodes.AuthFailed, 'old passcode');
      await vault.unlock(true, '2222');
      equal(await vault.getValue('a'), [1, 2, 3], 'values intact');
    },
  },
  {
    name: 'instances of one descriptor share state; unsubscribe stops events',
    async run(driver) {
      const first = openVault(driver);
      const second = openVault(driver, { vaultId: first.options.vaultId });
      await Promise.all([first.events.ready, second.events.ready]);
      await withPasscode(first.vault);
      await first.vault.storeValue('shared', 'x');
      equal(await second.vault.getValue('shared'), 'x', 'a write through one is seen by the other');
      equal(second.vault.config?.isPasscodeEnabled, true, 'config of the other instance is current');
      equal(second.events.configs.length >= 1, true, 'onConfig fired on the other instance');
      await second.vault.unsubscribe();
      const before = second.events.locks.length;
      await first.vault.lock();
      equal(await second.vault.isLocked(), true, 'lock through one is seen by the other');
      equal(second.events.locks.length, before, 'no events after unsubscribe');
      equal(first.events.locks.length >= 1, true, 'the subscribed instance got onLock');
    },
  },
  {
    name: 'different descriptors are separate vaults',
    async run(driver) {
      const a = openVault(driver);
      const b = openVault(driver, { vaultId: a.options.vaultId, username: 'bob' });
      await withPasscode(a.vault, '1111');
      await withPasscode(b.vault, '2222');
      await a.vault.storeValue('k', 'for alice');
      await b.vault.storeValue('k', 'for bob');
      await a.vault.lock();
      equal(await b.vault.isLocked(), false, 'locking alice leaves bob unlocked');
      await rejects(a.vault.unlock(true, '2222'), VaultErrorCodes.AuthFailed, "bob's passcode does not open alice's vault");
      equal(await b.vault.remainingAttempts(), driver.maxAttempts ?? 5, "alice's failure does not count against bob");
      await a.vault.clear();
      equal(await b.vault.getValue('k'), 'for bob', 'clearing alice leaves bob intact');
    },
  },
  {
    name: 'with neither passcode nor biometrics, data persists under the device key and unlock() needs no input',
    async run(driver) {
      const { vault, options } = openVault(driver);
      await vault.storeValue('k', CANARY_VALUE);
      await vault.lock();
      equal(await vault.isLocked(), true, 'locked');
      await vault.unlock();
      equal(await vault.getValue('k'), CANARY_VALUE, 'value after device-key unlock');
      await driver.restart();
      const again = driver.plugin().getVault({ vaultId: options.vaultId, username: options.username });
      await again.unlock();
      equal(await again.getValue('k'), CANARY_VALUE, 'value after restart');
    },
  },
  {
    name: 'wrong-state calls fail with the documented codes',
    async run(driver) {
      const { vault } = openVault(driver);
      await rejects(vault.setPasscode('1234'), VaultErrorCodes.PasscodeNotEnabled, 'setPasscode with passcode disabled');
      await vault.storeValue('k', 1);
      await vault.lock();
      await rejects(vault.unlock(true, '1234'), VaultErrorCodes.PasscodeNotEnabled, 'unlock(true) with passcode disabled');
      await vault.unlock();
      await vault.clear();
      equal(await vault.isInUse(), false, 'clear empties');
      equal(await vault.isLocked(), false, 'clear leaves unlocked');
    },
  },
  {
    name: 'disabling the passcode falls back to the device key; nothing is lost',
    async run(driver) {
      const { vault } = openVault(driver);
      await withPasscode(vault);
      await vault.storeValue('k', 'kept');
      await vault.setPasscodeEnabled(false);
      await vault.lock();
      await vault.unlock();
      equal(await vault.getValue('k'), 'kept', 'value after disabling the passcode');
    },
  },
  {
    name: 'built-in prompt: setPasscode() asks twice; mismatch and cancel are typed errors; unlock(true) asks once',
    needs: ['passcodePrompt'],
    async run(driver) {
      const prompt = driver.passcodePrompt!;
      const { vault } = openVault(driver);
      await vault.setPasscodeEnabled(true);
      await prompt.queue('1111', '2222');
      await rejects(vault.setPasscode(), VaultErrorCodes.MismatchedPasscode, 'mismatched entries');
      await prompt.queue(undefined);
      await rejects(vault.setPasscode(), VaultErrorCodes.UserCanceledInteraction, 'cancel at setup');
      equal(await vault.isPasscodeSetupNeeded(), true, 'still needs setup');
      await prompt.queue('5555', '5555');
      await vault.setPasscode();
      await vault.storeValue('k', 'v');
      await vault.lock();
      await prompt.queue(undefined);
      await rejects(vault.unlock(true), VaultErrorCodes.UserCanceledInteraction, 'cancel at unlock');
      equal(await vault.remainingAttempts(), driver.maxAttempts ?? 5, 'a cancel is not a failed attempt');
      await prompt.queue('5555');
      await vault.unlock(true);
      equal(await vault.getValue('k'), 'v', 'unlocked through the prompt');
    },
  },
  {
    name: 'biometrics: enable, lock, unlock; failure and cancel are typed; passcode still works',
    needs: ['biometrics'],
    async run(driver) {
      const bio = driver.biometrics!;
      const { vault } = openVault(driver);
      equal(await vault.isBiometricsAvailable(), true, 'isBiometricsAvailable');
      const type = await vault.getBiometricType();
      equal(type === 'touchID' || type === 'faceID', true, 'getBiometricType is touchID or faceID');
      await withPasscode(vault);
      await bio.respondWith('success');
      await vault.setBiometricsEnabled(true);
      equal(await vault.isBiometricsEnabled(), true, 'isBiometricsEnabled');
      await vault.storeValue('k', CANARY_VALUE);
      await vault.lock();
      await vault.unlock();
      equal(await vault.getValue('k'), CANARY_VALUE, 'biometric unlock');
      await vault.lock();
      await bio.respondWith('cancel');
      await rejects(vault.unlock(false), bio.failCodes, 'cancelled prompt');
      await bio.respondWith('fail');
      await rejects(vault.unlock(false), bio.failCodes, 'failed prompt');
      equal(await vault.remainingAttempts(), driver.maxAttempts ?? 5, 'biometric failures do not use passcode attempts');
      await vault.unlock(true, '1234');
      equal(await vault.getValue('k'), CANARY_VALUE, 'passcode still works');
      await bio.respondWith('success');
    },
  },
  {
    name: 'biometrics re-enrolled: typed error, passcode path still works',
    needs: ['biometrics', 'reenroll'],
    async run(driver) {
      const bio = driver.biometrics!;
      const { vault } = openVault(driver);
      await withPasscode(vault);
      await bio.respondWith('success');
      await vault.setBiometricsEnabled(true);
      await vault.storeValue('k', 'v');
      await vault.lock();
      await bio.reenroll!();
      await rejects(vault.unlock(false), bio.invalidatedCodes ?? [VaultErrorCodes.InvalidatedCredential, VaultErrorCodes.KeyNotFound], 'after re-enrolment');
      await vault.unlock(true, '1234');
      equal(await vault.getValue('k'), 'v', 'passcode path works');
    },
  },
  {
    name: 'lockAfter: hidden shorter stays unlocked, hidden longer locks with timeout: true',
    needs: ['lifecycle'],
    async run(driver) {
      const life = driver.lifecycle!;
      const { vault, events } = openVault(driver, { lockAfter: 1000 });
      await withPasscode(vault);
      await vault.storeValue('k', 'v');
      await life.background();
      await life.advanceTime(400);
      await life.foreground();
      equal(await vault.isLocked(), false, 'unlocked after a short absence');
      await life.background();
      await life.advanceTime(1500);
      await life.foreground();
      equal(await vault.isLocked(), true, 'locked after a long absence');
      equal(events.locks.at(-1), { saved: true, timeout: true }, 'LockEvent says timeout');
    },
  },
  {
    name: 'lockAfter 0 never locks in the background',
    needs: ['lifecycle'],
    async run(driver) {
      const life = driver.lifecycle!;
      const { vault } = openVault(driver, { lockAfter: 0 });
      await withPasscode(vault);
      await vault.storeValue('k', 'v');
      await life.background();
      await life.advanceTime(60_000);
      await life.foreground();
      equal(await vault.isLocked(), false, 'still unlocked');
    },
  },
  {
    name: 'persisted storage holds no value, token or passcode in plaintext',
    async run(driver) {
      const { vault } = openVault(driver);
      await withPasscode(vault, CANARY_PASSCODE);
      await vault.storeToken(CANARY_TOKEN);
      await vault.storeValue('session', { token: CANARY_TOKEN, note: CANARY_VALUE });
      await vault.lock();
      const dump = await driver.dumpStorage();
      for (const canary of [CANARY_TOKEN, CANARY_VALUE, CANARY_PASSCODE, 'CANARY']) {
        if (dump.includes(canary)) fail(`storage contains ${canary} in plaintext`);
      }
      if (dump.length === 0) fail('the storage dump is empty: the driver dumped nothing');
    },
  },
];
