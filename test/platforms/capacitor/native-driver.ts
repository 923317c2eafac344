/**
 * A conformance driver for any object implementing the native port (docs/native-contract.md):
 * the in-process fake in this folder, or the real plugin on a device.
 *
 * On a device: bundle this file, test/platforms/conformance.ts and src/capacitor/native-platform.ts
 * into a debug build of an app that installs the native plugin, then call
 * `runConformance(createNativeConformanceDriver({ plugin: IdentityVault }), console.log)` from a
 * debug page. Without `controls`, cases that need scripted biometrics, prompts or the lifecycle
 * are reported as not applicable; give `controls` that ask a human (or drive the simulator:
 * iOS Simulator Features ▸ Face ID ▸ Matching/Non-matching Face, Android `adb -e emu finger touch 1`)
 * to run them too.
 */
import { createPlugin, disposePlugin, type ClockPort } from 'identity-vault/platform';
import { type IonicNativeAuthPlugin, VaultErrorCodes } from 'identity-vault';
import type { IdentityVaultPlugin, NativePlatform, NativePlatformOptions } from 'identity-vault/capacitor';
import { createNativePlatform } from '../../../src/capacitor/native-platform.js';
import { conformanceCases, type ConformanceDriver } from '../conformance.js';

/** What a tester (or a fake) can do that JavaScript cannot do to a real device. */
export interface NativeControls {
  passcodePrompt?: { queue(...answers: Array<string | undefined>): Promise<void> };
  biometrics?: ConformanceDriver['biometrics'];
  lifecycle?: { background(): Promise<void>; foreground(): Promise<void>; advanceTime(ms: number): Promise<void> };
}

/** An implementation a test can script: the fake native plugin, or simulated platform parts. */
export interface ScriptableNative {
  queuePasscodes(...answers: Array<string | undefined>): unknown;
  respondWith(outcome: 'success' | 'fail' | 'cancel'): unknown;
  reenroll(): unknown;
  emit(state: 'background' | 'foreground'): unknown;
}

/** Full {@link NativeControls} over a scriptable implementation and a clock the test moves. */
export function scriptedControls(native: ScriptableNative, clock: { advance(ms: number): void }): Required<NativeControls> {
  return {
    passcodePrompt: { queue: async (...answers) => void native.queuePasscodes(...answers) },
    biometrics: {
      respondWith: async (outcome) => void native.respondWith(outcome),
      reenroll: async () => void native.reenroll(),
      failCodes: NATIVE_FAIL_CODES,
      invalidatedCodes: [VaultErrorCodes.InvalidatedCredential],
    },
    lifecycle: {
      background: async () => void native.emit('background'),
      foreground: async () => void native.emit('foreground'),
      advanceTime: async (ms) => clock.advance(ms),
    },
  };
}

export interface NativeDriverOptions {
  readonly plugin: IdentityVaultPlugin;
  readonly controls?: NativeControls;
  /** A clock the lifecycle controls can move (a simulated one in tests). */
  readonly clock?: ClockPort;
  readonly platformOptions?: NativePlatformOptions;
}

/** The driver: "restart" drops the JavaScript side (platform and plugin) and keeps the native state. */
export function createNativeConformanceDriver({ plugin, controls = {}, clock, platformOptions = {} }: NativeDriverOptions): ConformanceDriver {
  let platform: NativePlatform;
  let vaults: IonicNativeAuthPlugin;
  const launch = () => {
    platform = createNativePlatform(plugin, { ...platformOptions, ...(clock ? { clock } : {}) });
    vaults = createPlugin(platform);
  };
  launch();
  return {
    name: 'capacitor-native',
    plugin: () => vaults,
    restart: async () => {
      disposePlugin(vaults);
      await platform.dispose();
      launch();
    },
    dumpStorage: async () => {
      if (!plugin.dumpStorage) throw new Error('this native build has no dumpStorage() (debug builds only)');
      return (await plugin.dumpStorage()).text;
    },
    ...(controls.passcodePrompt ? { passcodePrompt: controls.passcodePrompt } : {}),
    ...(controls.biometrics ? { biometrics: controls.biometrics } : {}),
    ...(controls.lifecycle ? { lifecycle: controls.lifecycle } : {}),
  };
}

/** The codes a native biometric failure or cancel may give. */
export const NATIVE_FAIL_CODES = [VaultErrorCodes.AuthFailed, VaultErrorCodes.UserCanceledInteraction] as const;

/** Run every case without a test framework (on a device); resolves a summary. */
export async function runConformance(driver: ConformanceDriver, log: (line: string) => void = () => undefined) {
  const summary = { passed: 0, failed: 0, notApplicable: 0 };
  const has = {
    passcodePrompt: !!driver.passcodePrompt,
    biometrics: !!driver.biometrics,
    reenroll: !!driver.biometrics?.reenroll,
    lifecycle: !!driver.lifecycle,
  };
  for (const testCase of conformanceCases) {
    if ((testCase.needs ?? []).some((need) => !has[need])) {
      summary.notApplicable++;
      log(`n/a   ${testCase.name}`);
      continue;
    }
    try {
      await testCase.run(driver);
      summary.passed++;
      log(`pass  ${testCase.name}`);
    } catch (error) {
      summary.failed++;
      log(`FAIL  ${testCase.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return summary;
}
