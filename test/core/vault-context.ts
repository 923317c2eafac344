/**
 * A vault context (platform parts and a descriptor) for unit tests of the core's pieces, built from
 * the simulated device's parts: real WebCrypto, an in-memory store, a simulated clock, device key
 * and biometrics.
 */
import { SimulatedBiometrics, SimulatedClock, SimulatedDeviceKey, SimulatedPasscodePrompt, MemoryStore } from 'identity-vault/testing';
import { createWebCrypto } from '../../src/shared/web-crypto.js';
import { vaultKeys } from '../../src/core/records.js';
import type { VaultContext } from '../../src/core/key-wraps.js';
import type { Platform } from 'identity-vault/platform';

export interface TestContext extends VaultContext {
  readonly store: MemoryStore;
  readonly clock: SimulatedClock;
  readonly deviceKey: SimulatedDeviceKey;
  readonly biometrics: SimulatedBiometrics;
}

export function testContext(vaultId = 'app', username = 'alice', shared?: Pick<TestContext, 'store' | 'deviceKey' | 'biometrics' | 'clock'>): TestContext {
  const subtle = globalThis.crypto.subtle;
  const store = shared?.store ?? new MemoryStore();
  const clock = shared?.clock ?? new SimulatedClock();
  const deviceKey = shared?.deviceKey ?? new SimulatedDeviceKey(subtle);
  const biometrics = shared?.biometrics ?? new SimulatedBiometrics('faceID', subtle);
  const platform: Platform = {
    name: 'unit',
    store,
    crypto: createWebCrypto(),
    deviceKey,
    biometrics,
    passcodePrompt: new SimulatedPasscodePrompt(),
    lifecycle: { subscribe: () => () => undefined, isInBackground: () => false, setPrivacyScreen: () => undefined },
    clock,
    cacheValues: true,
    kdf: { testOnlyFastKdf: true },
  };
  return { platform, descriptor: { vaultId, username }, keys: vaultKeys(vaultId, username), store, clock, deviceKey, biometrics };
}
