/**
 * Rotating the data key whenever its wraps change (which wraps exist, and how they bind: key-wraps.ts).
 *
 * Why rotate: storage keeps old bytes around (IndexedDB's LevelDB log files, an old `meta` file
 * beside Node's `device-key`, a backup). If the data key stayed the same when protection changed,
 * an old wrap in such a copy (say, the device-key wrap from before a passcode was set, or the wrap
 * under an old passcode) would open every value written afterwards. So whenever a wrap is added,
 * removed or replaced, a NEW data key is made and every value is re-encrypted under it, in one
 * `SecretStore.commit` (one IndexedDB transaction on the web, one journal commit on Node): a crash
 * leaves the old state or the new one. Old wraps then open only values from before the change.
 *
 * The rotation takes two commits so that no write from another tab or process is lost:
 * 1. a *mark* (`meta.rekeying`, guarded by the key id): from then on value writes under the old key
 *    are refused (their guard checks the mark), so the set of values cannot change underneath;
 * 2. the re-encrypted values, the new wraps and the new key id, guarded by the mark.
 * A crash between the two leaves the old state plus a mark, which expires after
 * {@link REKEY_MARK_STALE_MS}; a failure in between takes the mark back.
 *
 * What it costs (`npm run bench`, "Data-key rotation"): the mark is a relaxed commit that also
 * reads the values where the store can (`SecretStore.commitThenRead`, one transaction); the new
 * key and its wraps (a new device key is a strict write of its own) are made meanwhile; then the
 * values are re-encrypted and the final strict commit writes them.
 */
import { generateDataKey, open, sealBytes } from './envelope.js';
import { toBase64 } from './bytes.js';
import type { StoreCommit, StoredRecord } from './ports.js';
import { parseValue, rekeyInProgress, toStored, type MetaRecord } from './records.js';
import { makeWraps, valueBinding, withLimit, wrapKinds, type VaultContext, type WrapInputs } from './key-wraps.js';

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
}

/**
 * Rotates the data key: `next` gives the switches (its `kid` is replaced), `inputs` the new key
 * material. `attempts` is written or deleted in the final commit (the counter is written when a
 * passcode is set and removed when it is turned off).
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
  limits: { readonly maxAttempts: number; readonly attempts: 'write' | 'delete' | 'keep' },
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
    const attemptsPut = limits.attempts === 'write' ? [[ctx.keys.attempts, { v: 1, remaining: limits.maxAttempts }] as const] : [];
    const done = await store.commit({
      guard: {
        key: ctx.keys.meta,
        test: (stored) => kidOf(stored) === current.kid && (stored as { rekeying?: { kid?: unknown } } | undefined)?.rekeying?.kid === kid,
      },
      put: [[ctx.keys.meta, toStored(meta)], ...values, ...attemptsPut],
      ...(limits.attempts === 'delete' ? { delete: [ctx.keys.attempts] } : {}),
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
