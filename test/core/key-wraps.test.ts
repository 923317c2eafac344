import { describe, expect, it } from 'vitest';
import { OpenFailed, bindingData, generateDataKey, open, seal } from '../../src/core/envelope.js';
import { VaultErrorCodes } from 'identity-vault';
import { derivePasscodeKey, newKdfParams } from '../../src/core/kdf.js';
import {
  canRotate,
  changesWraps,
  makeWraps,
  openBiometricWrap,
  openDeviceWrap,
  openPasscodeWrap,
  passcodeWrapNeedsUpgrade,
  releaseDeviceKeyIfUnused,
  unsealPasscodeSlot,
  withLimit,
} from '../../src/core/key-wraps.js';
import { EMPTY_META, parseMeta, toStored, type MetaRecord } from '../../src/core/records.js';
import { testContext } from './vault-context.js';

const code = (c: VaultErrorCodes) => expect.objectContaining({ code: c });
const probe = bindingData('probe');

/** Whether `candidate` is the same AES key as `dataKey` (it opens what `dataKey` sealed). */
async function sameKey(ctx: ReturnType<typeof testContext>, dataKey: CryptoKey, candidate: CryptoKey): Promise<boolean> {
  const sealed = await seal(ctx.platform.crypto, dataKey, new TextEncoder().encode('x'), probe);
  return open(ctx.platform.crypto, candidate, sealed, probe).then(
    () => true,
    () => false,
  );
}

async function vaultWith(ctx: ReturnType<typeof testContext>, switches: Partial<MetaRecord>, passcode = '1234') {
  const dataKey = await generateDataKey(ctx.platform.crypto);
  const kdf = newKdfParams(ctx.platform.crypto, ctx.platform.kdf);
  const passcodeKey = await derivePasscodeKey(ctx.platform.crypto, passcode, kdf);
  const enrolled = switches.biometricsEnabled ? await ctx.biometrics.enroll() : undefined;
  const meta: MetaRecord = { ...EMPTY_META, kid: 'kid-1', ...switches, ...(enrolled ? { credential: enrolled.credential } : {}) };
  const inputs = { ...(meta.passcodeEnabled ? { passcode: { key: passcodeKey, kdf } } : {}), ...(enrolled ? { biometricKey: enrolled.key } : {}) };
  const made = await makeWraps(ctx, meta, dataKey, inputs, { meta: EMPTY_META, dataKey: undefined }, 5);
  return { dataKey, kdf, passcodeKey, biometricKey: enrolled?.key, meta: withLimit({ ...meta, wraps: made.wraps }, made.maxAttempts) };
}

describe('which wraps a vault has', () => {
  it('no method switched on: only a device wrap, and it opens to the data key', async () => {
    const ctx = testContext();
    const { dataKey, meta } = await vaultWith(ctx, {});
    expect(Object.keys(meta.wraps)).toEqual(['device']);
    expect(meta.maxAttempts).toBeUndefined();
    expect(await sameKey(ctx, dataKey, await openDeviceWrap(ctx, meta))).toBe(true);
  });

  it('passcode and biometrics on: a passcode slot and a biometric wrap, no device wrap; the limit is stored with the slot', async () => {
    const ctx = testContext();
    const { dataKey, meta, kdf, passcodeKey, biometricKey } = await vaultWith(ctx, { passcodeEnabled: true, biometricsEnabled: true });
    expect(Object.keys(meta.wraps).sort()).toEqual(['biometric', 'passcode']);
    expect(meta.maxAttempts).toBe(5);
    expect(await sameKey(ctx, dataKey, await openPasscodeWrap(ctx, meta.wraps.passcode!, kdf, passcodeKey, meta.kid!, meta.maxAttempts))).toBe(true);
    expect(await sameKey(ctx, dataKey, await openBiometricWrap(ctx, meta.wraps.biometric!, meta.kid!, biometricKey!))).toBe(true);
  });
});

describe('how wraps bind', () => {
  it('a device wrap copied to another user’s vault, or read under another key id, does not open (KeyNotFound)', async () => {
    const alice = testContext('app', 'alice');
    const { meta } = await vaultWith(alice, {});
    const bob = testContext('app', 'bob', alice);
    await expect(openDeviceWrap(bob, meta)).rejects.toEqual(code(VaultErrorCodes.KeyNotFound));
    await expect(openDeviceWrap(alice, { ...meta, kid: 'kid-2' })).rejects.toEqual(code(VaultErrorCodes.KeyNotFound));
  });

  it('the passcode slot is bound to its attempt limit: a raised limit in storage makes it fail to open', async () => {
    const ctx = testContext();
    const { meta, kdf, passcodeKey } = await vaultWith(ctx, { passcodeEnabled: true });
    await expect(openPasscodeWrap(ctx, meta.wraps.passcode!, kdf, passcodeKey, meta.kid!, 50)).rejects.toBeInstanceOf(OpenFailed);
  });

  it('a wrong passcode key fails with OpenFailed (the caller counts it)', async () => {
    const ctx = testContext();
    const { meta, kdf } = await vaultWith(ctx, { passcodeEnabled: true });
    const wrong = await derivePasscodeKey(ctx.platform.crypto, '9999', kdf);
    await expect(openPasscodeWrap(ctx, meta.wraps.passcode!, kdf, wrong, meta.kid!, meta.maxAttempts)).rejects.toBeInstanceOf(OpenFailed);
  });

  it('a biometric key from a new enrolment no longer opens the wrap: InvalidatedCredential', async () => {
    const ctx = testContext();
    const { meta } = await vaultWith(ctx, { biometricsEnabled: true });
    const other = await ctx.biometrics.enroll();
    await expect(openBiometricWrap(ctx, meta.wraps.biometric!, meta.kid!, other.key)).rejects.toEqual(code(VaultErrorCodes.InvalidatedCredential));
  });

  it('without a device key (a restored phone), the device wrap is KeyNotFound', async () => {
    const ctx = testContext();
    const { meta } = await vaultWith(ctx, {});
    ctx.deviceKey.forget();
    await expect(openDeviceWrap(ctx, meta)).rejects.toEqual(code(VaultErrorCodes.KeyNotFound));
  });
});

describe('when the data key must rotate', () => {
  const device: MetaRecord = { ...EMPTY_META, kid: 'k', wraps: { device: { iv: 'aQ==', ct: 'Yw==' } } };
  const plainPasscode = { iv: 'aQ==', ct: 'Yw==', kdf: {} } as unknown as NonNullable<MetaRecord['wraps']['passcode']>;

  it('adding, removing or replacing a wrap changes the wraps; the same switches do not', () => {
    expect(changesWraps(device, device, {})).toBe(false);
    expect(changesWraps(device, { ...device, passcodeEnabled: true }, {})).toBe(false); // switched on, not set: the device wrap stays
    expect(changesWraps(device, device, { biometricKey: {} as CryptoKey })).toBe(true);
    expect(changesWraps({ ...device, credential: { id: 'a' } }, { ...device, credential: { id: 'b' } }, {})).toBe(true);
  });

  it('a passcode wrap from before the slot cannot be remade without the passcode: no rotation until it is known', () => {
    const old: MetaRecord = { ...EMPTY_META, kid: 'k', passcodeEnabled: true, wraps: { passcode: plainPasscode } };
    expect(canRotate(old, { ...old, biometricsEnabled: true }, {})).toBe(false);
    expect(canRotate(old, { ...old, passcodeEnabled: false }, {})).toBe(true);
    expect(canRotate(old, old, { passcode: { key: {} as CryptoKey, kdf: {} as never } })).toBe(true);
  });
});

describe('releaseDeviceKeyIfUnused', () => {
  it('keeps the device key while any vault has a device wrap; deletes it once none has', async () => {
    const alice = testContext('app', 'alice');
    const { meta } = await vaultWith(alice, {});
    await alice.store.commit({ put: [[alice.keys.meta, toStored(meta)]] });
    expect(await releaseDeviceKeyIfUnused(alice)).toBe(false);
    expect(alice.deviceKey.exists).toBe(true);
    await alice.store.commit({ put: [[alice.keys.meta, toStored({ ...meta, wraps: {} })]] });
    expect(await releaseDeviceKeyIfUnused(alice)).toBe(true);
    expect(alice.deviceKey.exists).toBe(false);
  });
});

/** A context whose platform seals passcode slots under the device key (as the Capacitor plugin platform does). */
function sealingContext(vaultId = 'app', username = 'alice', shared?: Parameters<typeof testContext>[2]) {
  const ctx = testContext(vaultId, username, shared);
  return { ...ctx, platform: { ...ctx.platform, bindPasscodeToDeviceKey: true } };
}

describe('passcode slots sealed under the device key (bindPasscodeToDeviceKey)', () => {
  it('the slot gets a seal whose key is wrapped under the device key; the passcode still opens the data key', async () => {
    const ctx = sealingContext();
    const { dataKey, meta, kdf, passcodeKey } = await vaultWith(ctx, { passcodeEnabled: true });
    const wrap = meta.wraps.passcode!;
    expect(wrap.slotKey).toBeDefined();
    expect(ctx.deviceKey.exists).toBe(true);
    expect(passcodeWrapNeedsUpgrade(ctx, wrap)).toBe(false);
    expect(parseMeta(toStored(meta))).toEqual(meta);
    expect(await sameKey(ctx, dataKey, await openPasscodeWrap(ctx, wrap, kdf, passcodeKey, meta.kid!, meta.maxAttempts))).toBe(true);
  });

  it('without the seal the passcode opens nothing; without the device key (or with another) the seal is KeyNotFound', async () => {
    const ctx = sealingContext();
    const { meta, kdf, passcodeKey } = await vaultWith(ctx, { passcodeEnabled: true });
    const { slotKey, ...unsealed } = meta.wraps.passcode!;
    void slotKey;
    await expect(openPasscodeWrap(ctx, unsealed, kdf, passcodeKey, meta.kid!, meta.maxAttempts)).rejects.toBeInstanceOf(OpenFailed);
    const other = sealingContext();
    await expect(unsealPasscodeSlot(other, meta.wraps.passcode!)).rejects.toEqual(code(VaultErrorCodes.KeyNotFound));
    await other.deviceKey.get({ create: true });
    await expect(unsealPasscodeSlot(other, meta.wraps.passcode!)).rejects.toEqual(code(VaultErrorCodes.KeyNotFound));
  });

  it('a slot without a seal needs an upgrade only where the platform seals; records with a seal but no slot are refused', async () => {
    const plain = testContext();
    const { meta } = await vaultWith(plain, { passcodeEnabled: true });
    expect(passcodeWrapNeedsUpgrade(plain, meta.wraps.passcode!)).toBe(false);
    expect(passcodeWrapNeedsUpgrade(sealingContext(), meta.wraps.passcode!)).toBe(true);
    const { iv, ct, kdf } = meta.wraps.passcode!;
    expect(() => parseMeta(toStored({ ...meta, wraps: { passcode: { iv, ct, kdf, slotKey: { iv, ct } } } }))).toThrow();
  });

  it('releaseDeviceKeyIfUnused keeps the device key while a sealed slot uses it', async () => {
    const alice = sealingContext('app', 'alice');
    const { meta } = await vaultWith(alice, { passcodeEnabled: true });
    await alice.store.commit({ put: [[alice.keys.meta, toStored(meta)]] });
    expect(await releaseDeviceKeyIfUnused(alice)).toBe(false);
    expect(alice.deviceKey.exists).toBe(true);
  });
});
