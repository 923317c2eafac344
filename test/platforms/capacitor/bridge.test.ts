/**
 * `identity-vault/capacitor` through Capacitor's own JavaScript bridge: `registerPlugin`'s proxy,
 * plugin headers and `nativePromise`/`nativeCallback` are set up as a native shell sets them up,
 * with the in-process fake behind them. This checks the wiring an app gets — platform detection,
 * the proxy, listeners — and runs the conformance suite through it.
 *
 * Capacitor reads its globals when @capacitor/core is first imported, so they are set before the
 * dynamic import below (vitest runs each test file in its own process).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createPlugin, disposePlugin } from 'identity-vault/platform';
import type { IonicNativeAuthPlugin } from 'identity-vault';
import type { NativePlatform } from 'identity-vault/capacitor';
import { SimulatedClock } from 'identity-vault/testing';
import { conformanceCases, type ConformanceDriver } from '../conformance.js';
import { FakeNativePlugin } from './fake-native-plugin.js';
import { scriptedControls } from './native-driver.js';

const PROMISE_METHODS = [
  'storeGet',
  'storeKeys',
  'storeHasPrefix',
  'storeCommit',
  'getDeviceKey',
  'getBiometricAvailability',
  'enrollBiometric',
  'releaseBiometricKey',
  'removeBiometric',
  'promptPasscode',
  'getLifecycleState',
  'setPrivacyScreen',
  'dumpStorage',
  'removeListener',
] as const;

let native: FakeNativePlugin;
const bridged: string[] = [];
let capacitor: typeof import('identity-vault/capacitor');

beforeAll(async () => {
  const handles = new Map<string, { remove(): Promise<void> }>();
  let nextCallback = 1;
  const g = globalThis as Record<string, unknown>;
  g.CapacitorCustomPlatform = { name: 'ios', plugins: {} };
  g.Capacitor = {
    PluginHeaders: [
      { name: 'IdentityVault', methods: [...PROMISE_METHODS.map((name) => ({ name, rtype: 'promise' })), { name: 'addListener', rtype: 'callback' }] },
    ],
    // What the native shell does: JSON in, JSON out, rejections carry a string `code`.
    nativePromise: async (plugin: string, method: string, options: unknown) => {
      expect(plugin).toBe('IdentityVault');
      bridged.push(method);
      const copy = JSON.parse(JSON.stringify(options ?? {})) as Record<string, unknown>;
      if (method === 'removeListener') return handles.get(String(copy.callbackId))?.remove();
      return (native as unknown as Record<string, (o: unknown) => Promise<unknown>>)[method]!(copy);
    },
    nativeCallback: (_plugin: string, method: string, options: { eventName: string }, callback: (data: unknown) => void) => {
      expect(method).toBe('addListener');
      const id = String(nextCallback++);
      void native.addListener(options.eventName as 'lifecycle', (data) => callback(JSON.parse(JSON.stringify(data)))).then((h) => handles.set(id, h));
      return id;
    },
  };
  native = new FakeNativePlugin();
  capacitor = await import('identity-vault/capacitor');
});

describe('identity-vault/capacitor through the Capacitor bridge', () => {
  it('detects the native plugin and picks the native platform', async () => {
    expect(capacitor.isNativeAvailable()).toBe(true);
    const platform = await capacitor.createCapacitorPlatform();
    expect(platform.name).toBe('capacitor');
    const vault = createPlugin(platform).getVault({ vaultId: 'bridge', username: 'ada' });
    await vault.storeValue('k', { through: 'the bridge' });
    expect(await vault.getValue('k')).toEqual({ through: 'the bridge' });
    expect(bridged).toContain('storeCommit');
    expect(bridged).toContain('getDeviceKey');
    await (platform as NativePlatform).dispose();
  });

  it('lifecycle events arrive through nativeCallback; listeners are removed through removeListener', async () => {
    const platform = (await capacitor.createCapacitorPlatform()) as NativePlatform;
    await new Promise((resolve) => setTimeout(resolve, 10));
    const seen: string[] = [];
    platform.lifecycle.subscribe((event) => seen.push(event));
    native.emit('background');
    native.emit('foreground');
    expect(seen).toEqual(['background', 'foreground']);
    const before = native.listenerCount;
    await platform.dispose();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(native.listenerCount).toBe(before - 1);
  });

  describe('conformance through the bridge', () => {
    for (const testCase of conformanceCases) {
      it(testCase.name, async () => {
        native = new FakeNativePlugin();
        const clock = new SimulatedClock(Date.now());
        let platform!: NativePlatform;
        let plugin!: IonicNativeAuthPlugin;
        const launch = async () => {
          platform = (await capacitor.createCapacitorPlatform({ native: { clock } })) as NativePlatform;
          plugin = createPlugin(platform);
          await new Promise((resolve) => setTimeout(resolve, 5)); // the listener registers asynchronously
        };
        await launch();
        const driver: ConformanceDriver = {
          name: 'capacitor-bridge',
          plugin: () => plugin,
          restart: async () => {
            disposePlugin(plugin);
            await platform.dispose();
            await launch();
          },
          dumpStorage: async () => (await native.dumpStorage()).text,
          ...scriptedControls(native, clock),
        };
        await testCase.run(driver);
        await platform.dispose();
      });
    }
  });
});
