/**
 * A vault's values as stored: each one JSON text sealed under the data key (AES-GCM), bound to its
 * vault, user and key name, so a record moved to another key or vault does not open
 * (docs/security.md, "Who is kept out of what").
 */
import { open, sealBytes, sealedFingerprint } from './envelope.js';
import { VaultError, unavailable } from './errors.js';
import { valueBinding, type VaultContext } from './key-wraps.js';
import type { StoredRecord } from './ports.js';
import { parseValue, type ValueRecordBytes } from './records.js';
import { fromUtf8, utf8 } from './bytes.js';

/** The stored record of the value under `key`: IV and ciphertext as bytes (records.ts says why). */
export async function sealValue(ctx: VaultContext, dataKey: CryptoKey, key: string, json: string): Promise<StoredRecord> {
  const plaintext = utf8(json);
  const sealed = await sealBytes(ctx.platform.crypto, dataKey, plaintext, valueBinding(ctx, key));
  // The encoded plaintext is this function's own copy (encrypt took its own): nothing of it stays behind.
  plaintext.fill(0);
  return { v: 1, iv: sealed.iv, ct: sealed.ct } satisfies ValueRecordBytes;
}

/**
 * The fingerprint of a stored value record (envelope.ts `sealedFingerprint`), kept beside its value
 * in the cache (value-cache.ts); `undefined` for a record that is not a value record.
 */
export function recordFingerprint(record: StoredRecord): Uint8Array | undefined {
  try {
    return sealedFingerprint(parseValue(record));
  } catch {
    return undefined;
  }
}

/** The records of `entries` (key → JSON text), as `[store key, record]` pairs for one commit. */
export async function sealValues(
  ctx: VaultContext,
  dataKey: CryptoKey,
  entries: Iterable<readonly [string, string]>,
): Promise<Array<readonly [string, StoredRecord]>> {
  const put: Array<readonly [string, StoredRecord]> = [];
  for (const [key, json] of entries) put.push([ctx.keys.value(key), await sealValue(ctx, dataKey, key, json)]);
  return put;
}

/**
 * The JSON text in `record`, the value under `key`.
 * @throws VaultUnavailable when it does not open or is not JSON: deliberately uninformative
 *   (tampered, moved from another key or vault, or written under another data key).
 */
export async function openValue(ctx: VaultContext, dataKey: CryptoKey, key: string, record: StoredRecord): Promise<string> {
  try {
    const json = fromUtf8(await open(ctx.platform.crypto, dataKey, parseValue(record), valueBinding(ctx, key)));
    JSON.parse(json);
    return json;
  } catch (error) {
    if (error instanceof VaultError) throw error;
    throw unavailable('The stored value could not be opened: it is corrupted or does not belong to this key and vault. Nothing was changed.');
  }
}
