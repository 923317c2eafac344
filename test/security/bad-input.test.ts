/**
 * Every public method of the vault called with bad arguments and in wrong states: each call must
 * fail with a VaultError of the right code, and the persisted bytes must be identical before and after.
 */
import { describe, expect, it } from 'vitest';
import { SimulatedDevice } from 'identity-vault/testing';
import { VaultError, VaultErrorCodes, type IdentityVault, type PluginOptions } from 'identity-vault';
import { recordFigure } from './figures.js';

const cyclicObject: Record<string, unknown> = { a: 1 };
cyclicObject.self = cyclicObject;
const cyclicArray: unknown[] = [1];
cyclicArray.push([cyclicArray]);
class Account {
  id = 1;
}

const notStrings: unknown[] = [0, 1, -1, NaN, true, false, null, {}, [], ['token'], Symbol('k'), 10n, () => 'k', new String('k'), new Date(0)];
const badKeys: unknown[] = [...notStrings, '', 'x'.repeat(1025), 'x'.repeat(100_000), '\ud800', 'a\udc00b'];
const badValues: unknown[] = [
  undefined,
  () => 1,
  function named() {},
  Symbol('v'),
  10n,
  NaN,
  Infinity,
  -Infinity,
  new Date(0),
  new Map([[1, 2]]),
  new Set([1]),
  /re/,
  new Uint8Array([1, 2]),
  new ArrayBuffer(2),
  new Error('x'),
  new Account(),
  Promise.resolve(1),
  new WeakMap(),
  cyclicObject,
  cyclicArray,
  [1, , 3],
  [undefined],
  { nested: { deeper: undefined } },
  { f: () => 1 },
  { [Symbol('k')]: 1 },
  { big: 1n },
  '\ud800',
  { '\udc00': 1 },
  Object.create({ inherited: 1 }),
  new (class extends Array {})(),
];
const notBooleans: unknown[] = ['true', 'false', 1, 0, null, {}, [], NaN, Symbol('b'), () => true, new Boolean(true)];
const badPasscodes: unknown[] = ['', 1234, 0, true, {}, [], ['1234'], Symbol('p'), 10n, () => '1234', 'x'.repeat(1025), '\ud800', new String('1234')];

interface Call {
  name: string;
  run(vault: IdentityVault, device: SimulatedDevice): Promise<unknown> | unknown;
  code: VaultErrorCodes;
  state: 'unlocked' | 'locked' | 'plain';
}

const calls: Call[] = [];
const show = (x: unknown) => {
  try {
    return typeof x === 'string'
      ? JSON.stringify(x.length > 20 ? `${x.slice(0, 20)}…(${x.length})` : x)
      : typeof x === 'symbol' || typeof x === 'bigint' || typeof x === 'function'
        ? typeof x
        : (JSON.stringify(x) ?? String(x));
  } catch {
    return Object.prototype.toString.call(x);
  }
};
const invalid = VaultErrorCodes.InvalidArguments;
for (const key of badKeys) {
  calls.push({ name: `getValue(${show(key)})`, run: (v) => v.getValue(key as string), code: invalid, state: 'unlocked' });
  calls.push({ name: `storeValue(${show(key)}, 1)`, run: (v) => v.storeValue(key as string, 1), code: invalid, state: 'unlocked' });
  calls.push({ name: `storeValue(${show(key)}, 1) while locked`, run: (v) => v.storeValue(key as string, 1), code: invalid, state: 'locked' });
}
for (const value of badValues) {
  calls.push({ name: `storeValue('k', ${show(value)})`, run: (v) => v.storeValue('k', value), code: invalid, state: 'unlocked' });
  calls.push({ name: `storeToken(${show(value)})`, run: (v) => v.storeToken(value), code: invalid, state: 'unlocked' });
}
for (const bad of notBooleans) {
  calls.push({ name: `setPasscodeEnabled(${show(bad)})`, run: (v) => v.setPasscodeEnabled(bad as boolean), code: invalid, state: 'unlocked' });
  calls.push({ name: `setBiometricsEnabled(${show(bad)})`, run: (v) => v.setBiometricsEnabled(bad as boolean), code: invalid, state: 'unlocked' });
  calls.push({ name: `setInMemoryOnly(${show(bad)})`, run: (v) => v.setInMemoryOnly!(bad as boolean), code: invalid, state: 'unlocked' });
  calls.push({ name: `unlock(${show(bad)})`, run: (v) => v.unlock(bad as boolean), code: invalid, state: 'locked' });
}
for (const bad of badPasscodes) {
  calls.push({ name: `setPasscode(${show(bad)})`, run: (v) => v.setPasscode(bad as string), code: invalid, state: 'unlocked' });
  calls.push({ name: `unlock(true, ${show(bad)})`, run: (v) => v.unlock(true, bad as string), code: invalid, state: 'locked' });
}
// The built-in prompt answering garbage is refused the same way.
calls.push({ name: 'unlock(true) with a prompt answering ""', run: (v, d) => (d.passcodePrompt.queue(''), v.unlock(true)), code: invalid, state: 'locked' });
calls.push({
  name: 'setPasscode() with a prompt answering ""',
  run: (v, d) => (d.passcodePrompt.queue(''), v.setPasscode()),
  code: invalid,
  state: 'unlocked',
});
calls.push({
  name: 'setPasscode() with mismatched entries',
  run: (v, d) => (d.passcodePrompt.queue('1111', '2222'), v.setPasscode()),
  code: VaultErrorCodes.MismatchedPasscode,
  state: 'unlocked',
});
calls.push({
  name: 'setPasscode() cancelled',
  run: (v, d) => (d.passcodePrompt.queue(undefined), v.setPasscode()),
  code: VaultErrorCodes.UserCanceledInteraction,
  state: 'unlocked',
});
calls.push({
  name: 'unlock(true) cancelled',
  run: (v, d) => (d.passcodePrompt.queue(undefined), v.unlock(true)),
  code: VaultErrorCodes.UserCanceledInteraction,
  state: 'locked',
});
// Wrong states.
const locked = VaultErrorCodes.VaultLocked;
calls.push({ name: 'getValue while locked', run: (v) => v.getValue('token'), code: locked, state: 'locked' });
calls.push({ name: 'getToken while locked', run: (v) => v.getToken(), code: locked, state: 'locked' });
calls.push({ name: 'storeValue while locked', run: (v) => v.storeValue('k', 1), code: locked, state: 'locked' });
calls.push({ name: 'storeToken while locked', run: (v) => v.storeToken('t'), code: locked, state: 'locked' });
calls.push({ name: 'setPasscode while locked', run: (v) => v.setPasscode('9999'), code: locked, state: 'locked' });
calls.push({ name: 'setPasscodeEnabled while locked', run: (v) => v.setPasscodeEnabled(false), code: locked, state: 'locked' });
calls.push({ name: 'setBiometricsEnabled while locked', run: (v) => v.setBiometricsEnabled(true), code: locked, state: 'locked' });
calls.push({ name: 'setInMemoryOnly while locked', run: (v) => v.setInMemoryOnly!(true), code: locked, state: 'locked' });
calls.push({ name: 'setPasscode with passcode disabled', run: (v) => v.setPasscode('1234'), code: VaultErrorCodes.PasscodeNotEnabled, state: 'plain' });
calls.push({ name: 'unlock(false) on a passcode-only vault', run: (v) => v.unlock(false), code: VaultErrorCodes.BiometricsNotEnabled, state: 'locked' });
// getVault options.
const badOptions: unknown[] = [
  undefined,
  null,
  'default',
  {},
  { vaultId: 'v' },
  { username: 'u' },
  { vaultId: '', username: 'u' },
  { vaultId: 'v', username: '' },
  { vaultId: 1, username: 'u' },
  { vaultId: 'v', username: {} },
  { vaultId: 'v', username: 'u', lockAfter: -1 },
  { vaultId: 'v', username: 'u', lockAfter: NaN },
  { vaultId: 'v', username: 'u', lockAfter: Infinity },
  { vaultId: 'v', username: 'u', lockAfter: '5000' },
  { vaultId: 'v', username: 'u', hideScreenOnBackground: 1 },
  { vaultId: 'v', username: 'u', maxAttempts: 0 },
  { vaultId: 'v', username: 'u', maxAttempts: 2.5 },
  { vaultId: 'v', username: 'u', maxAttempts: '5' },
];
for (const options of badOptions) {
  calls.push({ name: `getVault(${show(options)})`, run: (_v, d) => d.plugin.getVault(options as PluginOptions), code: invalid, state: 'unlocked' });
}

async function vaultIn(state: Call['state']) {
  const device = new SimulatedDevice();
  const vault = device.plugin.getVault({ vaultId: 'app', username: 'alice' });
  if (state !== 'plain') {
    await vault.setPasscodeEnabled(true);
    await vault.setPasscode('1234');
  }
  await vault.storeValue('token', 'stored-token');
  await vault.storeValue('k', { kept: true });
  if (state === 'locked') await vault.lock();
  return { device, vault };
}

describe('bad input matrix', () => {
  it(`every one of ${calls.length} bad calls fails with the right VaultError and leaves storage byte-identical`, async () => {
    expect(calls.length).toBeGreaterThanOrEqual(200);
    const problems: string[] = [];
    const fixtures = { unlocked: await vaultIn('unlocked'), locked: await vaultIn('locked'), plain: await vaultIn('plain') };
    for (const call of calls) {
      const { device, vault } = fixtures[call.state];
      const before = device.storage.dumpText();
      let error: unknown;
      try {
        await call.run(vault, device);
        problems.push(`${call.name}: resolved`);
        continue;
      } catch (e) {
        error = e;
      }
      if (!(error instanceof VaultError)) problems.push(`${call.name}: threw ${String(error)}, not a VaultError`);
      else if (error.code !== call.code)
        problems.push(`${call.name}: ${VaultErrorCodes[error.code]} instead of ${VaultErrorCodes[call.code]} (${error.message})`);
      if (device.storage.dumpText() !== before) problems.push(`${call.name}: changed the stored bytes`);
    }
    expect(problems).toEqual([]);
    // The vaults still work after all that.
    expect(await fixtures.unlocked.vault.getValue('k')).toEqual({ kept: true });
    await fixtures.locked.vault.unlock(true, '1234');
    expect(await fixtures.locked.vault.getToken()).toBe('stored-token');
    recordFigure(
      'Bad input',
      'simulated',
      `${calls.length} bad calls over every public method: each the right VaultError, stored bytes identical before and after`,
    );
  });

  it('prototype-polluting keys are stored as data and change no object', async () => {
    const { vault } = await vaultIn('unlocked');
    for (const key of ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString']) {
      await vault.storeValue(key, { key });
      expect(await vault.getValue(key)).toEqual({ key });
    }
    const polluting = JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}') as unknown;
    await vault.storeValue('payload', polluting);
    const back = (await vault.getValue('payload')) as Record<string, unknown>;
    expect(Object.keys(back)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    recordFigure(
      '24. prototype-polluting keys',
      'simulated',
      '__proto__, constructor, prototype as keys and inside values: stored as data, Object.prototype untouched',
    );
  });
});
