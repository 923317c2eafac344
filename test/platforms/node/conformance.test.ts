/**
 * The behavioural suite on the node platform, on real files in a temporary directory: real file
 * store, device key file, WebCrypto and 600,000-iteration PBKDF2, and the real terminal prompt
 * reading a scripted TTY. Only the clock is simulated (the suite moves time by minutes); the
 * lifecycle is the platform's own, driven through `platform.lifecycle.emit` as an Electron app would.
 *
 * Biometric cases do not apply: Node has no biometrics. They are not run, and a test here proves
 * why (biometrics unavailable, enabling them is SecurityNotAvailable) — nothing is reported as passed
 * that did not run.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { VaultErrorCodes, type IonicNativeAuthPlugin, setDefaultPlugin, Device, Vault, VaultType } from 'identity-vault';
import { createPlugin, disposePlugin } from 'identity-vault/platform';
import { SimulatedClock } from 'identity-vault/testing';
import { createNodePlatform, type NodePlatform, createTerminalPrompt } from 'identity-vault/node';
import { conformanceCases, type ConformanceDriver } from '../conformance.js';
import { vaultApiConformanceCases } from '../vault-api-conformance.js';
import { CapturedOutput, FakeTty } from './fake-tty.js';
import { dumpDirectory, removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

async function nodeDriver(): Promise<ConformanceDriver> {
  const directory = await tempDir('iv-conformance-');
  const tty = new FakeTty();
  const output = new CapturedOutput();
  let clock = new SimulatedClock(Date.now());
  let platform: NodePlatform;
  let plugin: IonicNativeAuthPlugin;
  const launch = () => {
    platform = { ...createNodePlatform({ directory, prompt: createTerminalPrompt({ input: tty, output }) }), clock };
    plugin = createPlugin(platform);
  };
  launch();
  return {
    name: 'node',
    plugin: () => plugin,
    restart: async () => {
      disposePlugin(plugin);
      clock = new SimulatedClock(clock.now());
      launch();
    },
    dumpStorage: () => dumpDirectory(directory),
    passcodePrompt: { queue: async (...answers) => tty.answer(...answers) },
    lifecycle: {
      background: async () => platform.lifecycle.emit('background'),
      foreground: async () => platform.lifecycle.emit('foreground'),
      advanceTime: async (ms) => clock.advance(ms),
    },
  };
}

const needsBiometrics = (testCase: (typeof conformanceCases)[number]) => (testCase.needs ?? []).some((need) => need === 'biometrics' || need === 'reenroll');

describe('conformance: node platform on real files', () => {
  for (const testCase of conformanceCases.filter((c) => !needsBiometrics(c))) {
    it(testCase.name, { timeout: 30_000 }, async () => testCase.run(await nodeDriver()));
  }

  it(`the ${conformanceCases.filter(needsBiometrics).length} biometric cases do not apply: no biometrics, enabling them is SecurityNotAvailable`, async () => {
    const vault = (await nodeDriver()).plugin().getVault({ vaultId: 'no-biometrics', username: 'u' });
    expect(await vault.isBiometricsAvailable()).toBe(false);
    expect(await vault.getBiometricType()).toBe('none');
    await expect(vault.setBiometricsEnabled(true)).rejects.toMatchObject({ code: VaultErrorCodes.SecurityNotAvailable });
  });
});

describe('conformance of the Identity Vault 5.x/6.x API: node platform on real files', () => {
  for (const testCase of vaultApiConformanceCases.filter((c) => !needsBiometrics(c))) {
    it(testCase.name, { timeout: 60_000 }, async () => testCase.run(await nodeDriver()));
  }

  it(`the ${vaultApiConformanceCases.filter(needsBiometrics).length} biometric cases do not apply: DeviceSecurity is SecurityNotAvailable`, async () => {
    const driver = await nodeDriver();
    setDefaultPlugin(() => driver.plugin());
    try {
      const vault = new Vault({ key: 'no-device-security', type: VaultType.SecureStorage });
      await vault.setValue('k', 1);
      await expect(vault.updateConfig({ ...vault.config, type: VaultType.DeviceSecurity })).rejects.toMatchObject({
        code: VaultErrorCodes.SecurityNotAvailable,
      });
      expect(await Device.isBiometricsEnabled()).toBe(false);
      expect(await vault.getValue('k')).toBe(1);
    } finally {
      setDefaultPlugin(undefined);
    }
  });
});
