/**
 * The values an unlocked vault decrypted (JSON text), each with the fingerprint of the stored
 * record it was read from or written as, when known.
 *
 * Why the fingerprint: key rotation (key-rotation.ts) seals the values it holds under the new key
 * before its transaction's reads answer, and keeps such a sealed copy only where the record read
 * in that transaction still has the fingerprint the value was cached with — proof that the value
 * held is the value stored (another tab's write meanwhile gives another IV and tag). A fingerprint
 * is not secret: it is bytes of the stored record (value-records.ts `recordFingerprint`).
 *
 * Every change to a value goes through one method here, so a value never keeps the fingerprint of
 * an older record: `set` without a record forgets it.
 */
export class ValueCache {
  readonly #json = new Map<string, string>();
  readonly #sealedAs = new Map<string, Uint8Array>();

  get size(): number {
    return this.#json.size;
  }

  get(key: string): string | undefined {
    return this.#json.get(key);
  }

  /** Caches `json` under `key`; `sealedAs`: the fingerprint of the record it was read from or written as. */
  set(key: string, json: string, sealedAs?: Uint8Array): void {
    this.#json.set(key, json);
    if (sealedAs) this.#sealedAs.set(key, sealedAs);
    else this.#sealedAs.delete(key);
  }

  delete(key: string): void {
    this.#json.delete(key);
    this.#sealedAs.delete(key);
  }

  clear(): void {
    this.#json.clear();
    this.#sealedAs.clear();
  }

  /** The cached values whose stored record's fingerprint is known. */
  sealed(): KnownValue[] {
    const known: KnownValue[] = [];
    for (const [key, sealedAs] of this.#sealedAs) known.push({ key, json: this.#json.get(key)!, sealedAs });
    return known;
  }

  /**
   * After a rotation: each key of `outcome` is now stored as the record with that fingerprint
   * (the value unchanged), or, `undefined`, the value cached may not be the one stored: dropped.
   * A key dropped meanwhile (another tab's write announced) stays dropped.
   */
  resealed(outcome: ReadonlyMap<string, Uint8Array | undefined>): void {
    for (const [key, sealedAs] of outcome) {
      if (sealedAs === undefined) this.delete(key);
      else if (this.#json.has(key)) this.#sealedAs.set(key, sealedAs);
    }
  }
}

/** A cached value and the fingerprint of the record it was read from or written as. */
export interface KnownValue {
  readonly key: string;
  readonly json: string;
  readonly sealedAs: Uint8Array;
}
