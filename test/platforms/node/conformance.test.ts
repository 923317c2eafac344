/**
 * The behavioural suite on the node platform, on real files in a temporary directory: real file
 * store, device key file, WebCrypto and 600,000-iteration PBKDF2, and the real terminal prompt
 * reading a scripted TTY. Only the clock is simulated (the suite moves time by minutes); the
 * lifecycle is the platform's own, driven through `platform.lifecycle.emit` as an Electron app would.
 *
 * Biometric cases do not apply: Node has no biometrics (see node-platform.test.ts for the
 * SecurityNotAvailable behaviour). They are reported as skipped, never as passed.
 */
import { afterAll, describe, it } from 'vitest';
import { createPlugin, disposePlugin } from '../../../src/core/plugin.js';
import type { IonicNativeAuthPlugin } from '../../../src/core/types.js';
import { SimulatedClock } from '../../../src/testing/simulated-clock.js';
import { createNodePlatform, type NodePlatform } from '../../../src/node/platform.js';
import { createTerminalPrompt } from '../../../src/node/terminal-prompt.js';
import { conformanceCases, type ConformanceDriver } from '../conformance.js';
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

describe('conformance: node platform on real files', () => {
  for (const testCase of conformanceCases) {
    const applies = !(testCase.needs ?? []).some((need) => need === 'biometrics' || need === 'reenroll');
    it.runIf(applies)(testCase.name, { timeout: 30_000 }, async () => testCase.run(await nodeDriver()));
  }
});
