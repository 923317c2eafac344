/**
 * The native plugin platform as an app gets it on a phone: found through `@capacitor/core`
 * (`isNativePlatform`, `isPluginAvailable`, `registerPlugin` proxies) behind Capacitor's bridge,
 * chosen by the root import's default plugin, and the conformance suite through it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { IonicNativeAuthPlugin } from 'identity-vault';
import type { NativeOS, PluginPlatform } from 'identity-vault/capacitor';
import { SimulatedClock } from 'identity-vault/testing';
import { conformanceCases, type ConformanceDriver } from '../../conformance.js';
import { scriptedControls } from '../native-driver.js';
import { installBridge, type Bridge } from './bridge-harness.js';
import { FakeMaintainedDevice } from './fake-device.js';

export function bridgeSuite(os: NativeOS): void {
  let bridge: Bridge;
  let platforms: typeof import('identity-vault/capacitor');
  let core: typeof import('identity-vault/platform');
  let defaults: typeof import('identity-vault');

  beforeAll(async () => {
    bridge = installBridge(os, await FakeMaintainedDevice.create(os));
    platforms = await import('identity-vault/capacitor');
    core = await import('identity-vault/platform');
    defaults = await import('identity-vault');
  });

  describe(`the native plugin platform through Capacitor's bridge (${os})`, () => {
    // First: once registered natively, Capacitor reports a plugin available for good.
    it('without one of the plugins it is not used (the web platform stays)', async () => {
      for (const name of ['NativeBiometric', 'SecureStorage', 'CapacitorSQLite', 'App', 'PrivacyScreen']) {
        bridge.uninstall(name);
        expect(await platforms.loadPluginPlatform(), name).toBeUndefined();
        bridge.reinstall(name);
      }
      const platform = await platforms.loadPluginPlatform();
      expect(platform?.name).toBe(`capacitor-${os}`);
      await platform?.dispose();
    });

    it('the root import picks it by itself on a native platform with the five plugins', async () => {
      const plugin = await defaults.defaultPlugin();
      const vault = plugin.getVault({ vaultId: 'picked', username: 'ada' });
      await vault.storeValue('k', { through: 'the bridge' });
      expect(await vault.getValue('k')).toEqual({ through: 'the bridge' });
      expect(bridge.calls).toContain('CapacitorSQLite.executeSet');
      expect(bridge.calls).toContain('SecureStorage.internalGetItem');
      expect(bridge.device.sqlite.dump()).not.toContain('the bridge');
    });

    it('the 5.x/6.x Vault and Device follow the same choice', async () => {
      const { Vault } = await import('identity-vault');
      const { Device } = await import('identity-vault');
      bridge.calls.length = 0;
      const vault = new Vault({ key: 'io.example.picked-v5' });
      await vault.setValue('k', { through: 'the 5.x API' });
      expect(await vault.getValue('k')).toEqual({ through: 'the 5.x API' });
      expect(bridge.calls).toContain('CapacitorSQLite.executeSet');
      expect(bridge.device.sqlite.dump()).not.toContain('5.x API');
      bridge.calls.length = 0;
      expect(await Device.isBiometricsSupported()).toBe(true);
      expect(bridge.calls).toContain('NativeBiometric.isAvailable');
      await Device.setHideScreenOnBackground(true);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(bridge.calls).toContain('PrivacyScreen.enable');
      await Device.setHideScreenOnBackground(false);
    });

    it('App events arrive through nativeCallback; dispose removes the listeners through removeListener', async () => {
      const platform = (await platforms.loadPluginPlatform())!;
      await new Promise((resolve) => setTimeout(resolve, 10));
      const seen: string[] = [];
      platform.lifecycle.subscribe((event) => seen.push(event));
      bridge.device.app.background();
      bridge.device.app.foreground();
      expect(seen).toEqual(['background', 'foreground']);
      const before = bridge.device.app.listenerCount;
      await platform.dispose();
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(bridge.device.app.listenerCount).toBeLessThan(before);
    });

    it("the on-device check passes on the fakes, with the tester's steps scripted", async () => {
      const device = await FakeMaintainedDevice.create(os);
      bridge.device = device;
      const { runNativeDeviceCheck } = await import('identity-vault/capacitor');
      const lines: string[] = [];
      const steps: string[] = [];
      const summary = await runNativeDeviceCheck({
        log: (line) => lines.push(line),
        instruct: async (step) => {
          steps.push(step);
          if (/Authenticate/.test(step)) device.respondWith('success');
          else if (/Cancel/.test(step)) device.respondWith('cancel');
          else if (/app switcher/.test(step)) {
            await new Promise((resolve) => setTimeout(resolve, 10)); // a person takes longer than the bridge
            device.app.background();
            expect(device.privacyScreen.snapshots.at(-1)).toBe(true);
            device.app.foreground();
          }
        },
      });
      expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
      expect(summary).toEqual({ passed: 8, failed: 0 });
      expect(steps).toHaveLength(3);
      expect(device.biometric.items.size).toBe(0); // the scratch key was removed
    });

    describe('conformance through the bridge', () => {
      for (const testCase of conformanceCases) {
        it(testCase.name, async () => {
          const device = await FakeMaintainedDevice.create(os);
          bridge.device = device;
          const clock = new SimulatedClock(Date.now());
          let platform!: PluginPlatform;
          let plugin!: IonicNativeAuthPlugin;
          const launch = async () => {
            platform = (await platforms.loadPluginPlatform({ passcodePrompt: device.passcodePrompt, clock }))!;
            plugin = core.createPlugin(platform);
            await new Promise((resolve) => setTimeout(resolve, 5)); // listeners register asynchronously
          };
          await launch();
          const driver: ConformanceDriver = {
            name: `capacitor-plugins-bridge-${os}`,
            plugin: () => plugin,
            restart: async () => {
              core.disposePlugin(plugin);
              await platform.dispose();
              device.killApp();
              await launch();
            },
            dumpStorage: async () => device.dumpStorage(),
            ...scriptedControls(device, clock),
          };
          await testCase.run(driver);
          await platform.dispose();
        });
      }
    });
  });
}
