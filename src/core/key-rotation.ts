/**
 * Rotating the data key whenever its wraps change (which wraps exist, and how they bind: key-wraps.ts).
 *
 * Why rotate: storage keeps old bytes around (IndexedDB's LevelDB log files, an old `meta` file
 * beside Node's `device-key`, a backup). If the data key stayed the same when protection changed,
 * an old wrap in such a copy (say, the device-key wrap from before a passcode was set, or the wrap
 * under an old passcode) would open every value written afterwards. So whenever a wrap is added,
 * removed or replaced, a NEW data key is made and every value is re-encrypted under it, in one
 * commit (one IndexedDB transaction on the web, one journal commit on Node): a crash leaves the
 * old state or the new one. Old wraps then open only values from before the change.
 *
 * No write from another tab or process may be lost to the rotation (its commit would overwrite
 * it with the value read before, or leave it under the old key). Two ways, by store:
 * - **One transaction** (stores with `SecretStore.rewrite`: the web). The guard, the read of every
 *   value, the re-encryption and the write happen in ONE strict IndexedDB transaction, kept open
 *   while the values are re-encrypted; other tabs' writes wait for it (none fails or is lost), then
 *   find the new key id. A new device key is read or stored in that same transaction (records and
 *   device key share one database), so it needs no strict write of its own and no check after.
 * - **Mark** (every other store): a *mark* commit (`meta.rekeying`, guarded by the key id) from
 *   which value writes under the old key are refused (their guard checks the mark), so the set of
 *   values cannot change underneath; then the re-encrypted values, the new wraps and the new key
 *   id, guarded by the mark. A crash between the two leaves the old state plus a mark, which
 *   expires after {@link REKEY_MARK_STALE_MS}; a failure in between takes the mark back.
 *
 * What it costs: `npm run bench`, "Data-key rotation".
 */
import { generateDataKey, open, sealBytes } from './envelope.js';
import { toBase64 } from './bytes.js';
import type { SecretStore, StoreCommit, StoredRecord } from './ports.js';
import { parseValue, rekeyInProgress, toStored, type MetaRecord } from './records.js';
import { makeWraps, valueBinding, withLimit, wrapKinds, type VaultContext, type WrapInputs } from './key-wraps.js';
import { KnownValues } from './known-values.js';
import type { KnownValue } from './value-cache.js';

/** A guarded commit found the vault changed by another tab or process. */
export class StaleKeyState extends Error {
  constructor() {
    super('the vault changed underneath');
    this.name = 'StaleKeyState';
  }
}

const ignore = (): undefined => undefined;
const kidOf = (record: StoredRecord | undefined): unknown => (record as { kid?: unknown } | undefined)?.kid ?? null;

/** Value records are re-encrypted in parallel batches of this many (and, without `entries`, read so). */
const BATCH = 64;
/** At most this many values held are sealed before a rotation's transaction (see rotateInOneTransaction). */
export const EARLY_MAX = 256;

/**
 * `records` opened with `oldKey` and sealed under `newKey`. A record that does not open (damaged,
 * or moved in from elsewhere) is left as it is: it was unreadable before and stays so; rotation
 * neither repairs nor drops it.
 */
async function reencryptRecords(
  ctx: VaultContext,
  oldKey: CryptoKey,
  newKey: CryptoKey,
  records: ReadonlyArray<readonly [string, StoredRecord | undefined]>,
): Promise<Array<readonly [string, StoredRecord]>> {
  const crypto = ctx.platform.crypto;
  const out: Array<readonly [string, StoredRecord]> = [];
  for (let i = 0; i < records.length; i += BATCH) {
    const sealed = await Promise.all(
      records.slice(i, i + BATCH).map(async ([storeKey, record]) => {
        if (record === undefined) return undefined;
        const binding = valueBinding(ctx, ctx.keys.keyOfValue(storeKey));
        let plaintext: Uint8Array<ArrayBuffer>;
        try {
          plaintext = await open(crypto, oldKey, parseValue(record), binding);
        } catch {
          return undefined;
        }
        const fresh = await sealBytes(crypto, newKey, plaintext, binding);
        plaintext.fill(0);
        return [storeKey, { v: 1, iv: fresh.iv, ct: fresh.ct }] as const;
      }),
    );
    for (const entry of sealed) if (entry) out.push(entry);
  }
  return out;
}

/**
 * `todo` (records no early copy of `held` stands for) re-encrypted; one that does not open is put
 * back as it was where an early copy went out under its key (the early put must not stand for a
 * record that was not the value held).
 */
async function reencryptNotCovered(
  ctx: VaultContext,
  oldKey: CryptoKey,
  newKey: CryptoKey,
  held: KnownValues,
  todo: ReadonlyArray<readonly [string, StoredRecord]>,
): Promise<Array<readonly [string, StoredRecord]>> {
  const sealed = await reencryptRecords(ctx, oldKey, newKey, todo);
  const done = new Set(sealed.map(([storeKey]) => storeKey));
  for (const entry of todo) if (!done.has(entry[0]) && held.has(entry[0])) sealed.push(entry);
  return sealed;
}

/** Every stored value of the vault, read and re-encrypted (see {@link reencryptRecords}). */
export async function reencryptValues(ctx: VaultContext, oldKey: CryptoKey, newKey: CryptoKey): Promise<Array<readonly [string, StoredRecord]>> {
  const { store } = ctx.platform;
  if (store.entries) return reencryptRecords(ctx, oldKey, newKey, await store.entries(ctx.keys.valuesPrefix));
  const storeKeys = await store.keys(ctx.keys.valuesPrefix);
  const out: Array<readonly [string, StoredRecord]> = [];
  for (let i = 0; i < storeKeys.length; i += BATCH) {
    const batch = storeKeys.slice(i, i + BATCH);
    const records = await Promise.all(batch.map((storeKey) => store.get(storeKey)));
    out.push(
      ...(await reencryptRecords(
        ctx,
        oldKey,
        newKey,
        batch.map((storeKey, j) => [storeKey, records[j]] as const),
      )),
    );
  }
  return out;
}

/** What a rotation wrote. */
export interface Rotated {
  readonly meta: MetaRecord;
  readonly dataKey: CryptoKey;
  /**
   * Whether a device wrap it wrote is known to open with the device key stored after its commit
   * (made under a key stored in the same transaction). When not, the caller checks
   * (key-state.ts `settleDeviceKey`): another tab may delete the key between a read and a commit.
   */
  readonly deviceWrapChecked?: boolean;
  /** For the cache, when values held were sealed before the reads (known-values.ts `outcome`). */
  readonly values?: ReadonlyMap<string, Uint8Array | undefined>;
}

type Limits = { readonly maxAttempts: number; readonly attempts: 'write' | 'delete' | 'keep' };

/** The writes of a rotation's final commit besides the values and the meta: the attempt counter. */
function counterChange(ctx: VaultContext, limits: Limits): Pick<StoreCommit, 'delete'> & { put: Array<readonly [string, StoredRecord]> } {
  return {
    put: limits.attempts === 'write' ? [[ctx.keys.attempts, { v: 1, remaining: limits.maxAttempts }] as const] : [],
    ...(limits.attempts === 'delete' ? { delete: [ctx.keys.attempts] } : {}),
  };
}

/**
 * Rotates the data key: `next` gives the switches (its `kid` is replaced), `inputs` the new key
 * material. `attempts` is written or deleted in the final commit (the counter is written when a
 * passcode is set and removed when it is turned off). `known`: values the tab holds with the
 * fingerprint of their record (value-cache.ts), sealed before the reads answer where the store
 * rewrites in one transaction (known-values.ts).
 *
 * @throws StaleKeyState when another tab or process changed the key or is rotating it; anything
 *   the wraps throw (biometric key release, device key). Nothing is changed then.
 */
export async function rotateDataKey(
  ctx: VaultContext,
  current: MetaRecord,
  next: MetaRecord,
  oldKey: CryptoKey,
  inputs: WrapInputs,
  limits: Limits,
  known: readonly KnownValue[] = [],
): Promise<Rotated> {
  const { store } = ctx.platform;
  if (store.rewrite) return rotateInOneTransaction(ctx, store as RewritingStore, current, next, oldKey, inputs, limits, known);
  return rotateWithMark(ctx, current, next, oldKey, inputs, limits);
}

type RewritingStore = SecretStore & Required<Pick<SecretStore, 'rewrite'>>;

/** The rotation in one transaction of the store (see the module's header). */
async function rotateInOneTransaction(
  ctx: VaultContext,
  store: RewritingStore,
  current: MetaRecord,
  next: MetaRecord,
  oldKey: CryptoKey,
  inputs: WrapInputs,
  limits: Limits,
  known: readonly KnownValue[],
): Promise<Rotated> {
  const { crypto, clock } = ctx.platform;
  const kid = toBase64(crypto.randomBytes(16));
  const now = clock.now();
  const target: MetaRecord = { ...withoutMark(next), kid };
  const usesDevice = wrapKinds(target, inputs, current).has('device');
  const newKeyMade = generateDataKey(crypto);
  // Held once made, so a part that arrives later is re-encrypted in its own turn (no await in between).
  let newKey: CryptoKey | undefined;
  newKeyMade.then((made) => (newKey = made), ignore);
  // A small vault's values held are sealed before the transaction, which then puts them with its
  // reads, not after their answer (known-values.ts). Larger ones are read and re-encrypted in parts:
  // sealing every value first would hold the transaction back longer than the parts take.
  const held = known.length > 0 && known.length <= EARLY_MAX ? new KnownValues(ctx, known) : undefined;
  const sealedEarly = held && newKeyMade.then((made) => held.seal(made));
  const previous = { meta: current, dataKey: oldKey };
  const wrapsFor = (dataKey: CryptoKey, deviceKey?: CryptoKey) =>
    makeWraps(ctx, target, dataKey, inputs, previous, limits.maxAttempts, deviceKey ? Promise.resolve(deviceKey) : undefined);
  // Everything that does not need the transaction's reads is made before they answer: the wraps,
  // and for a device wrap a new device key and the wrap under it, used when the transaction finds
  // no device key (then stored with the commit); when it finds one, the wrap is made under that.
  const freshDeviceKey = usesDevice ? newDeviceKey(ctx) : undefined;
  const early = usesDevice
    ? Promise.all([newKeyMade, freshDeviceKey]).then(([made, deviceKey]) => wrapsFor(made, deviceKey))
    : newKeyMade.then((made) => wrapsFor(made));
  early.catch(ignore); // awaited in finish
  // Wraps that may show a prompt (biometrics) are awaited before, so no transaction waits on a user.
  if (!usesDevice && target.biometricsEnabled) await early;
  let written: Rotated | undefined;
  const earlyPuts = await sealedEarly;
  const committed = await store.rewrite(
    {
      guard: { key: ctx.keys.meta, test: (stored) => kidOf(stored) === current.kid && !rekeyInProgress(stored, now) },
      prefix: ctx.keys.valuesPrefix,
      deviceKey: usesDevice,
      ...(earlyPuts ? { early: earlyPuts } : {}),
    },
    // Each part is re-encrypted as it arrives (its opens issued in this turn once the key is made);
    // the store puts it once sealed, and commits only after every part's puts. With values held,
    // only the records no early copy stands for.
    (records) => {
      const todo = held ? held.notCovered(records) : records;
      if (todo.length === 0) return; // nothing to wait for: the transaction need not stay open for it
      const reencrypt = (made: CryptoKey) => (held ? reencryptNotCovered(ctx, oldKey, made, held, todo) : reencryptRecords(ctx, oldKey, made, todo));
      return newKey ? reencrypt(newKey) : newKeyMade.then(reencrypt);
    },
    // Called once the guard and the device key are read, while the values are.
    async (found) => {
      const dataKey = await newKeyMade;
      const deviceKey = usesDevice ? (found.deviceKey ?? (await freshDeviceKey)) : undefined;
      const { wraps, maxAttempts } = await (found.deviceKey === undefined ? early : wrapsFor(dataKey, found.deviceKey));
      const meta = withLimit({ ...target, wraps }, maxAttempts);
      const counter = counterChange(ctx, limits);
      // The device wrap is made under the key this transaction read, or stores: no check after.
      written = { meta, dataKey, deviceWrapChecked: usesDevice };
      return {
        change: { put: [[ctx.keys.meta, toStored(meta)], ...counter.put], ...(counter.delete ? { delete: counter.delete } : {}) },
        ...(usesDevice && found.deviceKey === undefined ? { deviceKey: deviceKey! } : {}),
      };
    },
  );
  if (!committed || written === undefined) throw new StaleKeyState();
  return held ? { ...written, values: held.outcome() } : written;
}

/**
 * A new device key as the DeviceKeyPort describes it: AES-GCM 256, not extractable, wrapKey/unwrapKey
 * only — the key `IndexedDbDeviceKey.get({ create: true })` makes (src/web/device-key.ts), made here
 * because the store keeps it in the rotation's own transaction. Change both together.
 */
function newDeviceKey(ctx: VaultContext): Promise<CryptoKey> {
  return ctx.platform.crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['wrapKey', 'unwrapKey']) as Promise<CryptoKey>;
}

/** The rotation with a mark (see the module's header): for stores without `SecretStore.rewrite`. */
async function rotateWithMark(
  ctx: VaultContext,
  current: MetaRecord,
  next: MetaRecord,
  oldKey: CryptoKey,
  inputs: WrapInputs,
  limits: Limits,
): Promise<Rotated> {
  const { store, crypto, clock } = ctx.platform;
  const kid = toBase64(crypto.randomBytes(16));
  const now = clock.now();
  const target: MetaRecord = { ...withoutMark(next), kid };
  // A new device key is a strict write of its own, the longest step of a small rotation: it starts
  // first, and runs beside the mark, the read and the re-encryption (nothing stored needs it yet).
  const deviceKey = wrapKinds(target, inputs, current).has('device') ? ctx.platform.deviceKey.get({ create: true }) : undefined;
  deviceKey?.catch(ignore); // makeWraps awaits it
  // The mark may be relaxed (durable only once a later commit is): losing it to a power cut leaves
  // the old state without a mark, which is what a crash leaves anyway once the mark expires.
  const mark: StoreCommit = {
    guard: { key: ctx.keys.meta, test: (stored) => kidOf(stored) === current.kid && !rekeyInProgress(stored, now) },
    put: [[ctx.keys.meta, toStored({ ...withoutMark(current), rekeying: { kid, at: now } })]],
    durability: 'relaxed',
  };
  // Where the store reads the values with the mark, each part is re-encrypted as it arrives
  // (used only once the mark committed); else they are read after it.
  const parts: Array<Promise<Array<readonly [string, StoredRecord]>>> = [];
  const newKeyMade = generateDataKey(crypto);
  const marking = store.commitThenRead
    ? store.commitThenRead(mark, ctx.keys.valuesPrefix, (records) => {
        const part = newKeyMade.then((newKey) => reencryptRecords(ctx, oldKey, newKey, records));
        part.catch(ignore); // awaited once the mark committed
        parts.push(part);
      })
    : store.commit(mark);
  // The new key's wraps need nothing stored either: made while the mark commits and the values
  // are read and re-encrypted.
  const wrapping = newKeyMade.then((newKey) => makeWraps(ctx, target, newKey, inputs, { meta: current, dataKey: oldKey }, limits.maxAttempts, deviceKey));
  const settled = () => wrapping.then(ignore, ignore);
  wrapping.catch(ignore); // awaited on every path below; this only keeps it from counting as unhandled meanwhile
  const marked = await marking.catch(async (error: unknown) => {
    await settled();
    throw error;
  });
  if (!marked) {
    await settled();
    throw new StaleKeyState();
  }
  try {
    const newKey = await newKeyMade;
    const reencrypted = store.commitThenRead ? Promise.all(parts).then((done) => done.flat()) : reencryptValues(ctx, oldKey, newKey);
    const [values, { wraps, maxAttempts }] = await Promise.all([reencrypted, wrapping]);
    const meta = withLimit({ ...target, wraps }, maxAttempts);
    const counter = counterChange(ctx, limits);
    const done = await store.commit({
      guard: {
        key: ctx.keys.meta,
        test: (stored) => kidOf(stored) === current.kid && (stored as { rekeying?: { kid?: unknown } } | undefined)?.rekeying?.kid === kid,
      },
      put: [[ctx.keys.meta, toStored(meta)], ...values, ...counter.put],
      ...(counter.delete ? { delete: counter.delete } : {}),
    });
    if (!done) throw new StaleKeyState();
    return { meta, dataKey: newKey };
  } catch (error) {
    // Take the mark back (best effort; it expires anyway) so writes under the old key resume.
    await store
      .commit({
        guard: { key: ctx.keys.meta, test: (stored) => (stored as { rekeying?: { kid?: unknown } } | undefined)?.rekeying?.kid === kid },
        put: [[ctx.keys.meta, toStored(withoutMark(current))]],
      })
      .catch(() => undefined);
    throw error;
  }
}

function withoutMark(meta: MetaRecord): MetaRecord {
  const { rekeying, ...rest } = meta;
  void rekeying;
  return rest;
}
