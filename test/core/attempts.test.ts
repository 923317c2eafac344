import { describe, expect, it } from 'vitest';
import {
  attemptLimit,
  attemptsExhausted,
  attemptsOnWrapChange,
  attemptsRecord,
  countAttempt,
  readRemainingAttempts,
  wrongPasscode,
} from '../../src/core/attempts.js';
import { VaultErrorCodes } from 'identity-vault';
import { EMPTY_META, type MetaRecord } from '../../src/core/records.js';
import { MemoryStore } from 'identity-vault/testing';

const KEY = 'iv1/app/alice/attempts';
const withPasscode = (maxAttempts?: number): MetaRecord => ({
  ...EMPTY_META,
  passcodeEnabled: true,
  kid: 'k',
  wraps: { passcode: { iv: 'aQ==', ct: 'Yw==', kdf: {} } as unknown as NonNullable<MetaRecord['wraps']['passcode']> },
  ...(maxAttempts === undefined ? {} : { maxAttempts }),
});

describe('attemptLimit', () => {
  it('is the limit stored with the passcode, or the client’s when that is lower; the client’s when none is stored', () => {
    expect(attemptLimit({ maxAttempts: 3 }, 10)).toBe(3);
    expect(attemptLimit({ maxAttempts: 10 }, 3)).toBe(3);
    expect(attemptLimit({}, 7)).toBe(7);
  });
});

describe('countAttempt', () => {
  it('takes one attempt off durably before anything is checked', async () => {
    const store = new MemoryStore();
    await store.commit({ put: [[KEY, attemptsRecord(3)]] });
    const counted = await countAttempt(store, KEY, withPasscode(3), 5);
    expect(counted).toEqual({ limit: 3, before: 3, remaining: 2 });
    expect(await store.get(KEY)).toEqual({ v: 1, remaining: 2 });
  });

  it('at zero it stays at zero and says no attempt was left', async () => {
    const store = new MemoryStore();
    await store.commit({ put: [[KEY, attemptsRecord(0)]] });
    expect(await countAttempt(store, KEY, withPasscode(3), 5)).toEqual({ limit: 3, before: 0, remaining: 0 });
    expect(await store.get(KEY)).toEqual({ v: 1, remaining: 0 });
  });

  it('a deleted counter of a vault that stores its limit counts as one attempt left (deleting it buys no guesses)', async () => {
    const store = new MemoryStore();
    expect(await countAttempt(store, KEY, withPasscode(5), 5)).toMatchObject({ before: 1, remaining: 0 });
  });

  it('an older vault (no stored limit) without a counter starts from the client’s limit', async () => {
    const store = new MemoryStore();
    expect(await countAttempt(store, KEY, withPasscode(), 4)).toMatchObject({ limit: 4, before: 4, remaining: 3 });
  });

  it('a counter raised in storage above the limit is read as the limit', async () => {
    const store = new MemoryStore();
    await store.commit({ put: [[KEY, attemptsRecord(1000)]] });
    expect(await countAttempt(store, KEY, withPasscode(3), 5)).toMatchObject({ before: 3, remaining: 2 });
  });
});

describe('readRemainingAttempts', () => {
  it('a vault without a passcode has the whole client limit; with one, what the counter says', async () => {
    const store = new MemoryStore();
    expect(await readRemainingAttempts(store, KEY, EMPTY_META, 5)).toBe(5);
    await store.commit({ put: [[KEY, attemptsRecord(2)]] });
    expect(await readRemainingAttempts(store, KEY, withPasscode(3), 5)).toBe(2);
  });
});

describe('what a change of wraps does to the counter', () => {
  it('a new passcode writes it, a passcode that stays keeps it, no passcode deletes it', () => {
    expect(attemptsOnWrapChange(true, true)).toBe('write');
    expect(attemptsOnWrapChange(false, true)).toBe('keep');
    expect(attemptsOnWrapChange(false, false)).toBe('delete');
  });
});

describe('the errors', () => {
  it('a wrong passcode is AuthFailed with the attempts left, in the message and as remainingAttempts', () => {
    const one = wrongPasscode(1);
    expect([one.code, one.remainingAttempts, one.message]).toEqual([
      VaultErrorCodes.AuthFailed,
      1,
      'Wrong passcode: 1 attempt left before the vault is cleared.',
    ]);
    expect(wrongPasscode(3).message).toContain('3 attempts left');
  });

  it('running out is TooManyFailedAttempts, saying whether the data was cleared or kept', () => {
    expect(attemptsExhausted(true)).toMatchObject({ code: VaultErrorCodes.TooManyFailedAttempts, message: expect.stringContaining('was cleared') });
    expect(attemptsExhausted(false)).toMatchObject({ code: VaultErrorCodes.TooManyFailedAttempts, message: expect.stringContaining('data was kept') });
  });
});
