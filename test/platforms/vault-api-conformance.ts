/**
 * The behavioural suite of the Identity Vault 5.x/6.x surface (`Vault`, `BrowserVault`, `Device`,
 * `VaultMigrator`), run on every platform exactly like `conformance.ts`: simulated, web (in
 * Chromium, with the virtual authenticator) and node (real files). Runner-agnostic: no test
 * framework; a case throws on failure. Each case points the default plugin at the driver's, as an
 * app's `setDefaultPlugin` would, so `new Vault()` and `Device` use that platform.
 */
import {
  setDefaultPlugin,
  VaultErrorCodes,
  BrowserVault,
  Device,
  DeviceSecurityType,
  Vault,
  VaultMigrator,
  VaultType,
  type IdentityVaultConfig,
} from 'identity-vault';
import type { ConformanceCase, ConformanceDriver } from './conformance.js';
import { ConformanceFailure, equal, fail, rejects } from './conformance-asserts.js';

let counter = 0;
function config(overrides: Partial<IdentityVaultConfig> = {}): IdentityVaultConfig {
  counter++;
  return { key: `v5-conf-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}-${counter}`, ...overrides };
}

/** Runs `body` with the driver's plugin as the default one (as `setDefaultPlugin` in an app's tests). */
async function onPlatform(driver: ConformanceDriver, body: () => Promise<void>): Promise<void> {
  setDefaultPlugin(() => driver.plugin());
  try {
    await body();
  } finally {
    setDefaultPlugin(undefined);
  }
}

/** A custom passcode handler answering from a list (then '' = cancel), recording the requests. */
function passcodes(vault: Vault, ...answers: string[]): boolean[] {
  const requests: boolean[] = [];
  vault.onPasscodeRequested(async (isPasscodeSetRequest, onComplete) => {
    requests.push(isPasscodeSetRequest);
    onComplete(answers.shift() ?? '');
  });
  return requests;
}

const CANARY = 'v5-CANARY-5e1f0a';

export const vaultApiConformanceCases: readonly ConformanceCase[] = [
  {
    name: '5.x: a vault that does not exist yet is locked and empty; values round-trip encrypted and survive a restart',
    run: (driver) =>
      onPlatform(driver, async () => {
        const settings = config();
        const vault = new Vault(settings);
        equal(await vault.doesVaultExist(), false, 'doesVaultExist before any write');
        equal(await vault.isLocked(), true, 'isLocked of a vault that does not exist');
        equal(await vault.getValue('missing'), null, 'a missing key');
        await vault.setValue('session', { token: CANARY });
        equal(await vault.isLocked(), false, 'SecureStorage after a write');
        if ((await driver.dumpStorage()).includes(CANARY)) fail('the value is in storage in plaintext');
        await driver.restart();
        const again = new BrowserVault(settings);
        equal(await again.getValue('session'), { token: CANARY }, 'after a restart');
        equal(await again.doesVaultExist(), true, 'doesVaultExist after a restart');
      }),
  },
  {
    name: '5.x: getKeys, removeValue, exportVault, importVault and clear',
    run: (driver) =>
      onPlatform(driver, async () => {
        const vault = new Vault(config());
        await vault.setValue('a', 1);
        await vault.setValue('b', [true]);
        equal((await vault.getKeys()).sort(), ['a', 'b'], 'getKeys');
        await vault.removeValue('a');
        equal(await vault.exportVault(), { b: [true] }, 'exportVault');
        await vault.importVault({ c: { d: 'e' } });
        equal(await vault.exportVault(), { c: { d: 'e' } }, 'importVault replaces everything');
        await vault.clear();
        equal(await vault.doesVaultExist(), false, 'after clear');
        equal(await vault.getValue('c'), null, 'a value after clear');
      }),
  },
  {
    name: '5.x: custom passcode set through onPasscodeRequested, unlock asks again, cancel and wrong passcode reject',
    run: (driver) =>
      onPlatform(driver, async () => {
        const vault = new Vault(config({ type: VaultType.CustomPasscode, deviceSecurityType: DeviceSecurityType.None }));
        // Not digits alone: the storage dump shows bytes as hex too, and about 690 hex digits of IVs and
        // ciphertext hold a given 4-digit string about once in a hundred dumps (one false alarm seen).
        const passcode = 'kite-2468';
        const requests = passcodes(vault, passcode, '', '1111', passcode);
        await vault.setValue('t', CANARY);
        equal(requests, [true], 'a new passcode was asked for');
        await vault.lock();
        equal(await vault.isLocked(), true, 'after lock');
        await rejects(vault.unlock(), VaultErrorCodes.UserCanceledInteraction, "'' cancels");
        await rejects(vault.unlock(), VaultErrorCodes.AuthFailed, 'a wrong passcode');
        equal(await vault.getValue('t'), CANARY, 'getValue unlocks first with the right passcode');
        equal(requests, [true, false, false, false], 'requests');
        if ((await driver.dumpStorage()).includes(passcode)) fail('the passcode is in storage');
      }),
  },
  {
    name: '5.x: the saved config wins over initialize’s after a restart; a passcode given ahead is used without asking',
    run: (driver) =>
      onPlatform(driver, async () => {
        const settings = config({ type: VaultType.SecureStorage });
        const vault = new Vault(settings);
        passcodes(vault, '1357');
        await vault.setValue('k', 'v');
        await vault.updateConfig({ ...vault.config, type: VaultType.CustomPasscode, lockAfterBackgrounded: 3000 });
        await driver.restart();
        const again = new Vault();
        await again.initialize(settings);
        equal([again.config.type, again.config.lockAfterBackgrounded], [VaultType.CustomPasscode, 3000], 'config after restart');
        equal(await again.isLocked(), true, 'locked after restart');
        const requests = passcodes(again);
        await again.setCustomPasscode('1357');
        equal(await again.getValue('k'), 'v', 'unlocked with the passcode given ahead');
        equal(requests, [], 'nobody was asked');
      }),
  },
  {
    name: '5.x: too many wrong passcodes clear the vault, then onError fires, and the vault still answers',
    run: (driver) =>
      onPlatform(driver, async () => {
        const vault = new Vault(
          config({ type: VaultType.CustomPasscode, shouldClearVaultAfterTooManyFailedAttempts: true, customPasscodeInvalidUnlockAttempts: 2 }),
        );
        passcodes(vault, '9999', '0000', '0000');
        await vault.setValue('t', CANARY);
        await vault.lock();
        const errors: string[] = [];
        vault.onError((error) => errors.push(VaultErrorCodes[error.code]));
        await rejects(vault.unlock(), VaultErrorCodes.AuthFailed, 'first wrong passcode');
        await rejects(vault.unlock(), VaultErrorCodes.TooManyFailedAttempts, 'second wrong passcode');
        equal(errors, ['AuthFailed', 'TooManyFailedAttempts'], 'onError, in order');
        equal([await vault.doesVaultExist(), await vault.isEmpty(), await vault.getValue('t')], [false, true, null], 'the cleared vault answers');
        if ((await driver.dumpStorage()).includes('iv5%2F' + vault.config.key + '/vault/v/')) fail('a value record is left');
      }),
  },
  {
    name: '5.x: InMemory drops its values on lock; SecureStorage never locks',
    run: (driver) =>
      onPlatform(driver, async () => {
        const memory = new Vault(config({ type: VaultType.InMemory }));
        await memory.setValue('m', CANARY);
        if ((await driver.dumpStorage()).includes(CANARY)) fail('an InMemory value reached storage');
        await memory.lock();
        equal(await memory.getValue('m'), null, 'InMemory after lock');
        const secure = new Vault(config());
        await secure.setValue('s', 1);
        await secure.lock();
        equal(await secure.isLocked(), false, 'SecureStorage after lock');
      }),
  },
  {
    name: '5.x: calls fired without await take effect in call order',
    run: (driver) =>
      onPlatform(driver, async () => {
        const vault = new Vault();
        const settings = config();
        void vault.initialize(settings);
        void vault.setValue('n', 1);
        void vault.updateConfig({ ...settings, type: VaultType.InMemory });
        void vault.setValue('n', 2);
        void vault.removeValue('n');
        void vault.setValue('n', 3);
        equal(await vault.getValue('n'), 3, 'the last write');
        equal(vault.config.type, VaultType.InMemory, 'the config update landed');
      }),
  },
  {
    name: '5.x: DeviceSecurity unlocks with the platform’s biometrics; a failed or cancelled prompt keeps it locked',
    needs: ['biometrics'],
    run: (driver) =>
      onPlatform(driver, async () => {
        const vault = new Vault(config({ type: VaultType.DeviceSecurity, deviceSecurityType: DeviceSecurityType.None }));
        equal(vault.config.deviceSecurityType, DeviceSecurityType.Both, 'None becomes Both');
        await vault.setValue('b', CANARY);
        await vault.lock();
        await driver.biometrics!.respondWith('cancel');
        await rejects(vault.getValue('b'), driver.biometrics!.failCodes, 'a cancelled prompt');
        equal(await vault.isLocked(), true, 'still locked');
        await driver.biometrics!.respondWith('success');
        equal(await vault.getValue('b'), CANARY, 'after the prompt');
      }),
  },
  {
    name: '5.x: Device answers from the platform and shows its prompt',
    needs: ['biometrics'],
    run: (driver) =>
      onPlatform(driver, async () => {
        equal(await Device.isBiometricsEnabled(), true, 'isBiometricsEnabled');
        equal((await Device.getAvailableHardware()).length, 1, 'one kind of hardware');
        equal(await Device.hasSecureHardware(), true, 'hasSecureHardware');
        await driver.biometrics!.respondWith('success');
        await Device.showBiometricPrompt({ iosBiometricsLocalizedReason: 'conformance' });
        await driver.biometrics!.respondWith('cancel');
        try {
          await Device.showBiometricPrompt({});
          fail('a cancelled prompt resolved');
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          if (code !== 2 && code !== 4) fail(`a cancelled prompt gave code ${String(code)}, expected UserCanceledInteraction (2) or AuthFailed (4)`);
        }
        await driver.biometrics!.respondWith('success');
      }),
  },
  {
    name: '5.x: lockAfterBackgrounded locks after that long in the background',
    needs: ['lifecycle'],
    run: (driver) =>
      onPlatform(driver, async () => {
        const vault = new Vault(config({ type: VaultType.CustomPasscode, lockAfterBackgrounded: 60_000 }));
        const locks: boolean[] = [];
        vault.onLock((event) => locks.push(event.timeout));
        passcodes(vault, '8642', '8642');
        await vault.setValue('x', 1);
        await driver.lifecycle!.background();
        await driver.lifecycle!.advanceTime(61_000);
        await driver.lifecycle!.foreground();
        equal(await vault.isLocked(), true, 'locked after 61 s in the background');
        equal(locks, [true], 'onLock with timeout');
        equal(await vault.getValue('x'), 1, 'unlocks again');
      }),
  },
  {
    name: '5.x: VaultMigrator on an empty legacy vault fails with "no data in legacy vault" and no code',
    run: (driver) =>
      onPlatform(driver, async () => {
        try {
          await new VaultMigrator({}, undefined, { vaultId: `legacy-${config().key}`, username: 'u' }).exportVault();
          fail('exportVault of an empty legacy vault resolved');
        } catch (error) {
          if (error instanceof ConformanceFailure) throw error;
          const e = error as { code?: unknown; message?: unknown };
          if (e.code !== undefined || !/no data in legacy vault/.test(String(e.message)))
            fail(`unexpected error ${String(e.message)} (code ${String(e.code)})`);
        }
      }),
  },
];
