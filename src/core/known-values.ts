/**
 * Key rotation from the values a tab already holds (issue 16, `npm run bench` "data-key
 * rotation"): the values cached with the fingerprint of their stored record (value-cache.ts) are
 * sealed under the new key as soon as it is made, and the store puts them before the rotation's
 * reads answer (`SecretStore.rewrite`'s `early`), instead of waiting for the reads, then opening
 * and sealing each value.
 *
 * Why it is safe: the transaction still reads every record, and a sealed copy stands only for a
 * record read with the fingerprint its value was cached with (envelope.ts `sealedFingerprint`:
 * the same IV and GCM tag under the data key means the same ciphertext, so the same value). Every
 * other record read (written by another tab since, unknown to this tab) is opened and sealed as
 * before, and its put follows the early one; a sealed copy whose record is gone (removed by
 * another tab) is deleted again by the store. So what commits is exactly what a rotation that
 * waited for its reads would commit.
 */
import { sameFingerprint } from './envelope.js';
import type { VaultContext } from './key-wraps.js';
import type { StoredRecord } from './ports.js';
import type { KnownValue } from './value-cache.js';
import { recordFingerprint, sealValue } from './value-records.js';

type Entry = readonly [string, StoredRecord];

export class KnownValues {
  readonly #ctx: VaultContext;
  /** Store key → the value held. */
  readonly #byStoreKey = new Map<string, KnownValue>();
  /** Store key → the fingerprint of its sealed copy under the new key. */
  readonly #sealedAs = new Map<string, Uint8Array>();
  /** Store keys whose record read matched the value held: their sealed copy stands. */
  readonly #covered = new Set<string>();

  constructor(ctx: VaultContext, known: readonly KnownValue[]) {
    this.#ctx = ctx;
    for (const value of known) this.#byStoreKey.set(ctx.keys.value(value.key), value);
  }

  /** Every value held, sealed under `newKey` as the vault seals values (value-records.ts). */
  seal(newKey: CryptoKey): Promise<Entry[]> {
    return Promise.all(
      [...this.#byStoreKey].map(async ([storeKey, value]): Promise<Entry> => {
        const record = await sealValue(this.#ctx, newKey, value.key, value.json);
        this.#sealedAs.set(storeKey, recordFingerprint(record)!);
        return [storeKey, record];
      }),
    );
  }

  /** Whether `storeKey` has a sealed copy (the store puts it before the reads' outcome is known). */
  has(storeKey: string): boolean {
    return this.#byStoreKey.has(storeKey);
  }

  /** Of `records` read, those no sealed copy stands for: unknown to this tab, or stored as another record. */
  notCovered(records: ReadonlyArray<readonly [string, StoredRecord]>): Array<readonly [string, StoredRecord]> {
    return records.filter(([storeKey, record]) => {
      const held = this.#byStoreKey.get(storeKey);
      const stored = held && recordFingerprint(record);
      if (!held || !stored || !sameFingerprint(stored, held.sealedAs)) return true;
      this.#covered.add(storeKey);
      return false;
    });
  }

  /**
   * Once committed, for the cache (value-cache.ts `resealed`): each value held → the fingerprint of
   * its record now, or `undefined` where the record read was not the value held (or was gone).
   */
  outcome(): Map<string, Uint8Array | undefined> {
    const outcome = new Map<string, Uint8Array | undefined>();
    for (const [storeKey, value] of this.#byStoreKey) outcome.set(value.key, this.#covered.has(storeKey) ? this.#sealedAs.get(storeKey) : undefined);
    return outcome;
  }
}
