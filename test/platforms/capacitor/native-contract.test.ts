/**
 * The Capacitor bridge: the conformance suite through `createNativePlatform` against an
 * in-process implementation of the native port (docs/native-contract.md). A device run uses the
 * same driver with the real plugin (see native-driver.ts).
 */
import { describe, expect, it } from 'vitest';
import { webcrypto } from 'node:crypto';
import { createPlugin, type LifecycleEvent, type LifecyclePort, type Platform } from 'identity-vault/platform';
import { VaultErrorCodes } from 'identity-vault';
import { createNativePlatform } from '../../../src/capacitor/native-platform.js';
import { createNativeStore } from '../../../src/capacitor/native-store.js';
import { IdentityVaultWeb } from '../../../src/capacitor/web.js';
import { MemoryStore, SimulatedBiometrics, SimulatedClock, SimulatedPasscodePrompt } from 'identity-vault/testing';
import { conformanceCases } from '../conformance.js';
import { FakeNativePlugin } from './fake-native-plugin.js';
import { createNativeConformanceDriver, runConformance, scriptedControls } from './native-driver.js';

const subtle = webcrypto.subtle as SubtleCrypto;
/**
 * The KDF is not what these tests check (the node suite runs the real 600,000-iteration PBKDF2):
 * the labelled test KDF keeps ~60 cases fast. A device run uses the default.
 */
const platformOptions = {} as const;

function fakeDriver() {
  const native = new FakeNativePlugin();
  const clock = new SimulatedClock(Date.now());
  const driver = createNativeConformanceDriver({
    plugin: native,
    clock,
    platformOptions,
    controls: scriptedControls(native, clock),
  });
  return { native, driver };
}

describe('conformance: createNativePlatform over a fake native plugin', () => {
  for (const testCase of conformanceCases) {
    it(testCase.name, () => testCase.run(fakeDriver().driver));
  }
});

/** A whole platform turned into the port by IdentityVaultWeb, and back by createNativePlatform. */
function simulatedPlatform(clock: SimulatedClock) {
  const listeners = new Set<(event: LifecycleEvent) => void>();
  let background = false;
  const lifecycle: LifecyclePort & { emit(event: LifecycleEvent): void } = {
    subscribe: (listener) => (listeners.add(listener), () => void listeners.delete(listener)),
    isInBackground: () => background,
    setPrivacyScreen: () => undefined,
    emit(event) {
      background = event === 'background';
      for (const listener of [...listeners]) listener(event);
    },
  };
  const biometrics = new SimulatedBiometrics('touchID', subtle);
  const prompt = new SimulatedPasscodePrompt();
  const store = new MemoryStore();
  let deviceKey: CryptoKey | undefined;
  const platform: Platform = {
    name: 'simulated',
    store,
    crypto: { subtle, randomBytes: (n) => webcrypto.getRandomValues(new Uint8Array(new ArrayBuffer(n))) },
    deviceKey: {
      async get({ create }) {
        if (!deviceKey && create) deviceKey = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['wrapKey', 'unwrapKey']);
        return deviceKey;
      },
      async delete() {
        deviceKey = undefined;
      },
    },
    biometrics,
    passcodePrompt: prompt,
    lifecycle,
    clock,
    cacheValues: true,
  };
  return { platform, biometrics, prompt, lifecycle, store };
}

describe('conformance: IdentityVaultWeb (the port in JavaScript) over a simulated platform', () => {
  for (const testCase of conformanceCases) {
    it(testCase.name, async () => {
      const clock = new SimulatedClock(Date.now());
      const sim = simulatedPlatform(clock);
      const port = new IdentityVaultWeb(sim.platform);
      await testCase.run(
        Object.assign(
          createNativeConformanceDriver({
            plugin: port,
            clock,
            platformOptions,
            controls: scriptedControls(
              {
                queuePasscodes: (...answers) => sim.prompt.queue(...answers),
                respondWith: (outcome) => sim.biometrics.respondWith(outcome),
                reenroll: () => sim.biometrics.reenroll(),
                emit: (state) => sim.lifecycle.emit(state),
              },
              clock,
            ),
          }),
          { dumpStorage: async () => sim.store.dumpText() },
        ),
      );
    });
  }
});

describe('native adapter', () => {
  const descriptor = { vaultId: 'app', username: 'ada' };

  it('the device runner reports cases it cannot drive as not applicable, never as passed', async () => {
    const native = new FakeNativePlugin();
    const lines: string[] = [];
    const summary = await runConformance(createNativeConformanceDriver({ plugin: native, platformOptions }), (line) => lines.push(line));
    const needy = conformanceCases.filter((c) => (c.needs ?? []).length > 0).length;
    expect(summary).toEqual({ passed: conformanceCases.length - needy, failed: 0, notApplicable: needy });
    expect(lines.filter((l) => l.startsWith('n/a')).length).toBe(needy);
  });

  it('imports released keys as non-extractable AES-GCM keys', async () => {
    const native = new FakeNativePlugin();
    const platform = createNativePlatform(native);
    const key = await platform.deviceKey.get({ create: true });
    expect(key).toMatchObject({ extractable: false, algorithm: { name: 'AES-GCM', length: 256 } });
    expect([...key!.usages].sort()).toEqual(['unwrapKey', 'wrapKey']);
    await expect(subtle.exportKey('raw', key!)).rejects.toThrow();
    const { key: bio } = await platform.biometrics.enroll(descriptor);
    expect(bio.extractable).toBe(false);
    expect(await createNativePlatform(new FakeNativePlugin()).deviceKey.get({ create: false })).toBeUndefined();
  });

  it('a biometric "success" without 32 bytes of key material cannot unlock (docs/security.md, Biometrics)', async () => {
    const { native, driver } = fakeDriver();
    const vault = driver.plugin().getVault(descriptor);
    await vault.setPasscodeEnabled(true);
    await vault.setPasscode('1234');
    await vault.setBiometricsEnabled(true);
    await vault.storeValue('k', 'v');
    await vault.lock();
    native.faults.releaseWithoutSecret = true;
    await expect(vault.unlock(false)).rejects.toMatchObject({ code: VaultErrorCodes.AuthFailed });
    native.faults.releaseWithoutSecret = false;
    native.faults.shortSecret = true;
    await expect(vault.unlock(false)).rejects.toMatchObject({ code: VaultErrorCodes.AuthFailed });
    expect(await vault.isLocked()).toBe(true);
    native.faults.shortSecret = false;
    await vault.unlock(false);
    expect(await vault.getValue('k')).toBe('v');
    const releases = native.calls.filter((c) => c.method === 'releaseBiometricKey').map((c) => (c.options as { purpose: string }).purpose);
    expect(releases).toEqual(['unwrap', 'unwrap', 'unwrap']);
  });

  it('biometric lockout after 5 failures is AuthFailed and leaves the passcode path working', async () => {
    const { native, driver } = fakeDriver();
    const vault = driver.plugin().getVault(descriptor);
    await vault.setPasscodeEnabled(true);
    await vault.setPasscode('1234');
    await vault.setBiometricsEnabled(true);
    await vault.lock();
    native.respondWith('fail');
    for (let i = 0; i < 6; i++) await expect(vault.unlock(false)).rejects.toMatchObject({ code: VaultErrorCodes.AuthFailed });
    expect(await vault.isBiometricsAvailable()).toBe(false);
    await vault.unlock(true, '1234');
    expect(await vault.isLocked()).toBe(false);
  });

  it('maps native rejection codes; unknown codes and UNIMPLEMENTED fall back', async () => {
    const native = new FakeNativePlugin();
    const broken = Object.assign(Object.create(native) as FakeNativePlugin, {
      getBiometricAvailability: () => Promise.reject(Object.assign(new Error('not implemented'), { code: 'UNIMPLEMENTED' })),
      storeGet: () => Promise.reject(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' })),
      storeKeys: () => Promise.reject(Object.assign(new Error('no'), { code: 'UserCanceledInteraction' })),
      promptPasscode: () => Promise.reject(Object.assign(new Error('not implemented'), { code: 'UNIMPLEMENTED' })),
    });
    const platform = createNativePlatform(broken);
    expect(await platform.biometrics.availability()).toEqual({ available: false, type: 'none' });
    const io = await platform.store.get('k').catch((e: unknown) => e);
    expect(io).toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
    expect((io as Error).cause).toMatchObject({ code: 'SQLITE_IOERR' });
    // A store may only fail with VaultUnavailable, whatever the native side says.
    await expect(platform.store.keys('')).rejects.toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
    const prompt = await platform.passcodePrompt.request({ purpose: 'unlock', descriptor }).catch((e: unknown) => e);
    expect(prompt).toMatchObject({ code: VaultErrorCodes.UserCanceledInteraction });
    expect((prompt as Error).message).toContain('onPasscodeRequest');
    await expect(platform.biometrics.keyForUnwrap({ credential: { credentialId: 'cred-404' } })).rejects.toMatchObject({ code: VaultErrorCodes.KeyNotFound });
    await expect(platform.biometrics.keyForUnwrap({ credential: { id: 'web-credential' } })).rejects.toMatchObject({ code: VaultErrorCodes.KeyNotFound });
  });

  it('a prompt cancelled natively (reject UserCanceledInteraction or passcode null) resolves undefined', async () => {
    const native = new FakeNativePlugin();
    const platform = createNativePlatform(native);
    native.queuePasscodes(undefined);
    expect(await platform.passcodePrompt.request({ purpose: 'unlock', descriptor })).toBeUndefined();
    expect(await platform.passcodePrompt.request({ purpose: 'unlock', descriptor })).toBeUndefined(); // nothing scripted: dismissed
  });

  it('guards and update retry when another writer changes the record between read and commit', async () => {
    const native = new FakeNativePlugin();
    const store = createNativeStore(native);
    await store.commit({ put: [['n', { n: 1 }]] });
    native.faults.beforeCommit = () => native.records.set('n', JSON.stringify({ n: 10 }));
    expect(await store.update('n', (r) => ({ n: (r?.n as number) + 1 }))).toEqual({ n: 11 });
    native.faults.beforeCommit = () => native.records.set('n', JSON.stringify({ n: 20 }));
    expect(await store.commit({ guard: { key: 'n', test: (r) => r?.n === 11 }, put: [['x', { x: 1 }]] })).toBe(false);
    expect(await store.get('x')).toBeUndefined();
    expect(await store.commit({ guard: { key: 'n', test: (r) => r?.n === 20 }, put: [['x', { x: 1 }]] })).toBe(true);
    expect(await store.update('gone', () => undefined)).toBeUndefined();
    native.records.set('bad', '{not json');
    await expect(store.get('bad')).rejects.toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
  });

  it('forwards the privacy screen and the lifecycle, including an app launched in the background', async () => {
    const native = new FakeNativePlugin();
    native.inBackground = true;
    const platform = createNativePlatform(native);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(platform.lifecycle.isInBackground()).toBe(true);
    const seen: string[] = [];
    platform.lifecycle.subscribe((event) => seen.push(event));
    native.emit('foreground');
    native.emit('foreground');
    native.emit('background');
    expect(seen).toEqual(['foreground', 'background']);
    const vault = createPlugin(platform).getVault({ ...descriptor, hideScreenOnBackground: true });
    await vault.isLocked();
    await new Promise((resolve) => setImmediate(resolve));
    expect(native.privacyScreen).toBe(true);
    await platform.dispose();
    expect(native.listenerCount).toBe(0);
  });

  it('stores only ciphertext natively: records hold no value, token or passcode', async () => {
    const { native, driver } = fakeDriver();
    const vault = driver.plugin().getVault(descriptor);
    await vault.setPasscodeEnabled(true);
    await vault.setPasscode('pass-CANARY');
    await vault.storeToken('token-CANARY');
    expect((await native.dumpStorage()).text).not.toContain('CANARY');
  });
});
