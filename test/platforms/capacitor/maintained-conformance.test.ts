/**
 * The conformance suite on the native plugin platform (src/capacitor/plugin-platform.ts), called
 * directly, once over iOS-flavoured and once over Android-flavoured fakes of the five plugins
 * (test/platforms/capacitor/maintained/). The same cases through Capacitor's bridge are in
 * maintained-bridge-*.test.ts.
 */
import { describe, it } from 'vitest';
import { createPlugin, disposePlugin } from 'identity-vault/platform';
import type { IonicNativeAuthPlugin } from 'identity-vault';
import type { PluginPlatform } from 'identity-vault/capacitor';
import { createPluginPlatform } from '../../../src/capacitor/plugin-platform.js';
import { SimulatedClock } from 'identity-vault/testing';
import { conformanceCases, type ConformanceDriver } from '../conformance.js';
import { FakeMaintainedDevice } from './maintained/fake-device.js';
import { scriptedControls } from './native-driver.js';

for (const os of ['ios', 'android'] as const) {
  describe(`conformance: plugin platform over ${os} plugin fakes`, () => {
    for (const testCase of conformanceCases) {
      it(testCase.name, async () => {
        const device = await FakeMaintainedDevice.create(os);
        const clock = new SimulatedClock(Date.now());
        let platform!: PluginPlatform;
        let plugin!: IonicNativeAuthPlugin;
        const launch = () => {
          platform = createPluginPlatform(device.plugins(), { passcodePrompt: device.passcodePrompt, clock });
          plugin = createPlugin(platform);
        };
        launch();
        const driver: ConformanceDriver = {
          name: `capacitor-plugins-${os}`,
          plugin: () => plugin,
          restart: async () => {
            disposePlugin(plugin);
            await platform.dispose();
            device.killApp();
            launch();
          },
          dumpStorage: async () => device.dumpStorage(),
          ...scriptedControls(device, clock),
        };
        await testCase.run(driver);
        await platform.dispose();
      });
    }
  });
}
