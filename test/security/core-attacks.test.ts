/**
 * Attacks on the core through the simulated device: nonce reuse, tampering with every stored
 * byte, swapped ciphertexts, backups restored, secrets in messages, large vaults, memory after lock.
 * Each test records the figure it proves (see figures.ts).
 */
import { describe, expect, it } from 'vitest';
import { SimulatedDevice, inspectVaultMemory } from 'identity-vault/testing';
import { VaultError, VaultErrorCodes, type IdentityVault } from 'identity-vault';
import { vaultKeys } from '../../src/core/records.js';
import { recordFigure } from './figures.js';

const PASSCODE = 'CANARY-passcode-93817';
const TOKEN = 'CANARY-token-eyJhbGciOi';
const keysA = vaultKeys('app', 'alice');

async function populated(device = new SimulatedDevice()) {
  const vault = device.plugin.getVault({ vaultId: 'app', username: 'alice' });
  await vault.setPasscodeEnabled(true);
  await vault.setPasscode(PASSCODE);
  await vault.setBiometricsEnabled(true);
  await vault.storeToken(TOKEN);
  await vault.storeValue('session', { token: TOKEN, username: 'alice', email: 'CANARY-alice@example.com' });
  await vault.storeValue('counter', 42);
  await vault.lock();
  return { device, vault };
}

const EXPECTED: Record<string, unknown> = { token: TOKEN, session: { token: TOKEN, username: 'alice', email: 'CANARY-alice@example.com' }, counter: 42 };

/** Unlock with the right passcode and read every value; each outcome is right data or a VaultError. */
async function readEverything(vault: IdentityVault): Promise<{ errors: VaultErrorCodes[]; wrong: string[] }> {
  const errors: VaultErrorCodes[] = [];
  const wrong: string[] = [];
  const attempt = async (what: string, action: () => Promise<unknown>, expected?: unknown) => {
    try {
      const value = await action();
      if (expected !== undefined && value !== undefined && JSON.stringify(value) !== JSON.stringify(expected)) wrong.push(what);
    } catch (error) {
      if (!(error instanceof VaultError)) throw error;
      errors.push(error.code);
    }
  };
  await attempt('unlock', () => vault.unlock(true, PASSCODE));
  for (const [key, value] of Object.entries(EXPECTED)) await attempt(key, () => vault.getValue(key), value);
  return { errors, wrong };
}

describe('nonces', () => {
  it('no IV repeats over 100,000 writes under one key', async () => {
    const device = new SimulatedDevice();
    const vault = device.plugin.getVault({ vaultId: 'app', username: 'alice' });
    const ivs = new Set<string>();
    let writes = 0;
    const commit = device.storage.commit.bind(device.storage);
    device.storage.commit = async (change) => {
      for (const [, record] of change.put ?? []) {
        // Value records carry their IV as bytes (wraps in the meta record as base64 text).
        if (record.iv instanceof Uint8Array) {
          ivs.add(Buffer.from(record.iv).toString('hex'));
          writes++;
        }
      }
      return commit(change);
    };
    for (let i = 0; i < 100_000; i++) await vault.storeValue(`k${i % 16}`, i);
    expect(writes).toBeGreaterThanOrEqual(100_000);
    expect(ivs.size).toBe(writes);
    recordFigure('8. fresh 96-bit IV per encryption', 'simulated', `${writes.toLocaleString('en')} writes under one key, ${writes - ivs.size} repeated IVs`);
  }, 120_000);
});

describe('tampering with stored bytes', () => {
  it('flipping any byte of any stored record gives right data or a VaultError, never wrong data', async () => {
    const { device } = await populated();
    const pristine = device.storage.dump();
    let mutations = 0;
    const codes = new Map<string, number>();
    const wrongData: string[] = [];
    for (const [key, text] of Object.entries(pristine)) {
      // Every byte position of every record; each mutation on a fresh copy of the storage.
      for (let at = 0; at < text.length; at++) {
        const tampered = text.slice(0, at) + String.fromCharCode(text.charCodeAt(at) ^ 1) + text.slice(at + 1);
        device.storage.restoreSnapshot(new Map(Object.entries(pristine)));
        device.storage.setRaw(key, tampered);
        device.restart();
        const vault = device.plugin.getVault({ vaultId: 'app', username: 'alice' });
        const { errors, wrong } = await readEverything(vault);
        for (const c of errors) codes.set(VaultErrorCodes[c], (codes.get(VaultErrorCodes[c]) ?? 0) + 1);
        wrongData.push(...wrong.map((w) => `${key}@${at}: ${w}`));
        mutations++;
      }
    }
    expect(wrongData).toEqual([]);
    const allowed = ['VaultUnavailable', 'AuthFailed', 'VaultLocked', 'MissingPasscode', 'KeyNotFound', 'PasscodeNotEnabled'];
    expect([...codes.keys()].filter((c) => !allowed.includes(c))).toEqual([]);
    recordFigure(
      '9. any flipped byte fails to open',
      'simulated',
      `${mutations.toLocaleString('en')} single-byte mutations of every stored record: 0 wrong values; errors: ${[...codes].map(([c, n]) => `${c} ${n}`).join(', ')}`,
    );
  }, 120_000);

  it('truncated records are VaultUnavailable and the other values stay readable', async () => {
    const { device } = await populated();
    const pristine = device.storage.dump();
    const valueKey = keysA.value('counter');
    for (const length of [0, 1, 10, pristine[valueKey]!.length - 1]) {
      device.storage.restoreSnapshot(new Map(Object.entries(pristine)));
      device.storage.setRaw(valueKey, pristine[valueKey]!.slice(0, length));
      device.restart();
      const vault = device.plugin.getVault({ vaultId: 'app', username: 'alice' });
      await vault.unlock(true, PASSCODE);
      await expect(vault.getValue('counter')).rejects.toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
      expect(await vault.getToken()).toBe(TOKEN);
    }
  });

  it('ciphertexts swapped between keys and between vaults do not open (no silent wipe of the rest)', async () => {
    const device = new SimulatedDevice();
    const a = device.plugin.getVault({ vaultId: 'app', username: 'alice' });
    const b = device.plugin.getVault({ vaultId: 'app', username: 'bob' });
    await a.storeValue('token', 'alice-token');
    await a.storeValue('other', 'alice-other');
    await b.storeValue('token', 'bob-token');
    const dump = device.storage.dump();
    const keysB = vaultKeys('app', 'bob');
    device.storage.setRaw(keysA.value('other'), dump[keysA.value('token')]!); // between keys
    device.storage.setRaw(keysB.value('token'), dump[keysA.value('token')]!); // between vaults
    device.restart();
    const a2 = device.plugin.getVault({ vaultId: 'app', username: 'alice' });
    const b2 = device.plugin.getVault({ vaultId: 'app', username: 'bob' });
    await a2.unlock();
    await b2.unlock();
    await expect(a2.getValue('other')).rejects.toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
    await expect(b2.getValue('token')).rejects.toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
    expect(await a2.getValue('token')).toBe('alice-token');
    // The wrapped data keys too: bob's wrap copied into alice's meta does not open alice's vault.
    const metaA = JSON.parse(dump[keysA.meta]!) as { wraps: { device: unknown } };
    const metaB = JSON.parse(dump[keysB.meta]!) as { wraps: { device: unknown } };
    device.storage.setRaw(keysA.meta, JSON.stringify({ ...metaA, wraps: { device: metaB.wraps.device } }));
    device.restart();
    await expect(device.plugin.getVault({ vaultId: 'app', username: 'alice' }).unlock()).rejects.toMatchObject({ code: VaultErrorCodes.KeyNotFound });
    recordFigure(
      '10. additional data binds vault, username and key',
      'simulated',
      'value moved between keys and between vaults, data key wrap moved between vaults: none opens; the rest stays readable',
    );
  });
});

describe('attempt counter and backups', () => {
  it('restoring an older storage snapshot resets the counter (a documented limit) but never reveals data without the passcode', async () => {
    const { device, vault } = await populated(new SimulatedDevice({ maxAttempts: 3 }));
    const backup = device.storage.snapshot();
    await expect(vault.unlock(true, '000000')).rejects.toMatchObject({ code: VaultErrorCodes.AuthFailed });
    await expect(vault.unlock(true, '000001')).rejects.toMatchObject({ code: VaultErrorCodes.AuthFailed });
    expect(await vault.remainingAttempts()).toBe(1);
    device.storage.restoreSnapshot(backup);
    device.restart();
    const restored = device.plugin.getVault({ vaultId: 'app', username: 'alice', maxAttempts: 3 });
    expect(await restored.remainingAttempts()).toBe(3); // what storage alone cannot prevent
    await expect(restored.getToken()).rejects.toMatchObject({ code: VaultErrorCodes.VaultLocked });
    await expect(restored.unlock(true, '000002')).rejects.toMatchObject({ code: VaultErrorCodes.AuthFailed });
    recordFigure(
      'Backup restore',
      'simulated',
      'an older snapshot brings the counter back to its old value (documented); values stay sealed, each guess still costs a full KDF run',
    );
  });
});

describe('secrets never in messages or logs', () => {
  it('no error message or console output contains a passcode, token or value', async () => {
    const output: string[] = [];
    const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
    const originals = methods.map((m) => console[m]);
    methods.forEach((m) => (console[m] = (...args: unknown[]) => output.push(args.map(String).join(' '))));
    const messages: string[] = [];
    try {
      const { device, vault } = await populated();
      const collect = async (promise: Promise<unknown>) => {
        try {
          await promise;
        } catch (error) {
          messages.push(String((error as Error).message), JSON.stringify(error), String((error as Error).stack));
        }
      };
      await collect(vault.unlock(true, `${PASSCODE}-wrong`));
      await collect(vault.getToken());
      await collect(vault.storeValue('x', TOKEN));
      await vault.unlock(true, PASSCODE);
      await collect(vault.storeValue('bad', { token: TOKEN, f: () => TOKEN }));
      await collect(vault.setPasscode(`${PASSCODE}\ud800`));
      device.passcodePrompt.queue(PASSCODE, `${PASSCODE}x`);
      await collect(vault.setPasscode());
      device.storage.failNextWrites(1, new Error('disk full'));
      await collect(vault.storeValue('y', TOKEN));
      await vault.lock();
      for (let i = 0; i < 5; i++) await collect(vault.unlock(true, `${PASSCODE}${i}`));
    } finally {
      methods.forEach((m, i) => (console[m] = originals[i]!));
    }
    expect(messages.length).toBeGreaterThanOrEqual(8);
    const leaks = [...messages, ...output].filter((text) => text.includes('CANARY'));
    expect(leaks).toEqual([]);
    recordFigure(
      '23. no secret in logs or errors',
      'simulated',
      `${messages.length / 3} failing calls with canary passcode/token: 0 messages and 0 log lines contain a canary`,
    );
  });
});

describe('load and memory', () => {
  it('a vault of 10,000 values stores, locks, unlocks and reads back correctly', async () => {
    const device = new SimulatedDevice();
    const vault = device.plugin.getVault({ vaultId: 'big', username: 'u' });
    await vault.setPasscodeEnabled(true);
    await vault.setPasscode('1234');
    for (let i = 0; i < 10_000; i++) await vault.storeValue(`key-${i}`, { i, text: `value ${i}` });
    await vault.lock();
    device.restart();
    const again = device.plugin.getVault({ vaultId: 'big', username: 'u' });
    await again.unlock(true, '1234');
    for (let i = 0; i < 10_000; i++) expect(await again.getValue(`key-${i}`)).toEqual({ i, text: `value ${i}` });
    recordFigure('Load', 'simulated', '10,000 values stored, locked, restarted, unlocked and read back: 0 differences');
  }, 60_000);

  it('after lock() the vault holds no decrypted value or key material', async () => {
    const { vault } = await populated();
    await vault.unlock(true, PASSCODE);
    for (const key of Object.keys(EXPECTED)) await vault.getValue(key);
    expect(inspectVaultMemory(vault).cachedValues).toBe(3);
    await vault.lock();
    expect(inspectVaultMemory(vault)).toEqual({ locked: true, holdsDataKey: false, cachedValues: 0, inMemoryValues: 0 });
    recordFigure('13. after lock, no key or value in memory', 'simulated', 'engine state after lock: data key dropped, 0 cached values (was 3)');
  });
});

describe('plaintext in storage', () => {
  it('after a full workflow no value, token, email or passcode appears in any persisted byte', async () => {
    const { device, vault } = await populated();
    await vault.unlock(true, PASSCODE);
    await vault.setPasscode(`${PASSCODE}-2`);
    await vault.setBiometricsEnabled(false);
    await vault.lock();
    const dump = device.storage.dumpText();
    expect(dump).not.toContain('CANARY');
    expect(dump).not.toContain('alice@example');
    recordFigure('11. no plaintext in storage', 'simulated', `${dump.length.toLocaleString('en')} persisted bytes after a full workflow: 0 canaries`);
  });
});

describe('wrong passcode reveals nothing', () => {
  it('a wrong passcode fails by failing to decrypt, with the same message whatever was guessed', async () => {
    const { vault } = await populated();
    const messages = new Set<string>();
    for (const guess of ['0', PASSCODE.slice(0, -1), `${PASSCODE} `]) {
      try {
        await vault.unlock(true, guess);
      } catch (error) {
        messages.add((error as VaultError).message.replace(/\d+ attempts?/, 'N attempts'));
      }
    }
    expect(messages.size).toBe(1);
  });
});

describe('salts', () => {
  it('the same passcode in two vaults wraps differently (a random salt per vault)', async () => {
    const device = new SimulatedDevice();
    const wraps = new Set<string>();
    const salts = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const vault = device.plugin.getVault({ vaultId: 'salt', username: `user-${i}` });
      await vault.setPasscodeEnabled(true);
      await vault.setPasscode('1234');
      const meta = JSON.parse(device.storage.dump()[vaultKeys('salt', `user-${i}`).meta]!) as { wraps: { passcode: { ct: string; kdf: { salt: string } } } };
      wraps.add(meta.wraps.passcode.ct);
      salts.add(meta.wraps.passcode.kdf.salt);
      expect(Buffer.from(meta.wraps.passcode.kdf.salt, 'base64')).toHaveLength(16);
    }
    expect(wraps.size).toBe(20);
    expect(salts.size).toBe(20);
    recordFigure('2. random salt per vault', 'simulated', 'one passcode in 20 vaults: 20 different 16-byte salts, 20 different wraps');
  });
});
