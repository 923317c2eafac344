/**
 * The floor of a data-key rotation (issue 16): what any rotation of the fixture's values must do
 * here, with no vault around it, as `rotateDataKey` does it on the web (src/core/key-rotation.ts,
 * src/web/rewrite-transaction.ts). A new data key; a new device key and the data key's wrap under
 * it (the timed change turns the passcode off, and setting it had deleted the old device key);
 * then ONE strict transaction through the vault's own `IndexedDbStore.rewrite` with the meta guard,
 * the device key read and the new one stored. Up to `EARLY_MAX` values, the values held are sealed
 * before it, put with its reads and checked by fingerprint when they answer; more are read in
 * parts and opened and sealed as they arrive. What it leaves out is the vault's own work around
 * that: its queue, the cache, the key state it holds, the events.
 *
 * The records put back are the ones sealed under the old key (same size), so every call does the
 * same work on the same records; the new key's ciphertexts are made and dropped.
 */
import { bindingData, generateDataKey, open, sealBytes, wrapDataKey, type SealedStored } from '../../src/core/envelope.js';
import { EARLY_MAX } from '../../src/core/key-rotation.js';
import { KnownValues } from '../../src/core/known-values.js';
import type { StoredRecord } from '../../src/core/ports.js';
import { recordFingerprint } from '../../src/core/value-records.js';
import type { sealedRecords } from './sealed-records.js';
import { VALUE_1KB } from './values.js';

type Fixture = Awaited<ReturnType<typeof sealedRecords>>;

/** The meta the fixture's guard accepts (`{ kid: 'k' }`), and that guard. */
export const FIXTURE_GUARD = { key: 'meta', test: (meta: StoredRecord | undefined) => meta?.['kid'] === 'k' };

/**
 * `prepare` (untimed) deletes the fixture's device key, as setting the passcode did; `rotate` is
 * the floor itself (see the module's header). The fixture's records must be stored, with the meta.
 */
export function rotationFloor(fixture: Fixture): { prepare: () => Promise<void>; rotate: () => Promise<void> } {
  const { store, deviceKeys, port, oldKey, prefix, binding, records, context } = fixture;
  const early = records.length <= EARLY_MAX;
  // Every value held, as the rotation's cache gives them: the core's own KnownValues seals and checks them.
  const known = records.map(([storeKey, record]) => ({
    key: context.keys.keyOfValue(storeKey),
    json: JSON.stringify(VALUE_1KB),
    sealedAs: recordFingerprint(record)!,
  }));
  const wrapBinding = bindingData('wrap', 'device', 'bench', 'steps', 'k');
  const reencryptPart = async (newKey: CryptoKey, part: Array<[string, StoredRecord]>) => {
    const out: Array<readonly [string, StoredRecord]> = [];
    for (let i = 0; i < part.length; i += 64) {
      const sealed = await Promise.all(
        part.slice(i, i + 64).map(async ([key, record]) => {
          const opened = await open(port, oldKey, record as unknown as SealedStored, binding(key));
          await sealBytes(port, newKey, opened, binding(key));
          return [key, record] as const;
        }),
      );
      out.push(...sealed);
    }
    return out;
  };
  const rotate = async () => {
    const parts: Array<Promise<Array<readonly [string, StoredRecord]>>> = [];
    // As the rotation: the new data key and a new device key made at once, the wrap under the
    // device key made before the reads answer (used when the transaction finds no device key),
    // `finish` called beside the reads.
    const newKeyMade = generateDataKey(port);
    const fresh = port.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['wrapKey', 'unwrapKey']) as Promise<CryptoKey>;
    const freshWrap = Promise.all([newKeyMade, fresh]).then(([newKey, deviceKey]) => wrapDataKey(port, newKey, deviceKey, wrapBinding));
    freshWrap.catch(() => undefined); // awaited in finish
    const newKey = await newKeyMade;
    const held = early ? new KnownValues(context, known) : undefined;
    await held?.seal(newKey);
    const done = await store.rewrite(
      { guard: FIXTURE_GUARD, prefix, deviceKey: true, ...(early ? { early: records } : {}) },
      (part) => {
        if (held) {
          if (held.notCovered(part).length > 0) throw new Error('a record changed under the rotation floor');
          return;
        }
        const sealed = reencryptPart(newKey, part);
        parts.push(sealed);
        return sealed;
      },
      async (found) => {
        if (found.deviceKey) await wrapDataKey(port, newKey, found.deviceKey, wrapBinding);
        else await freshWrap;
        return { change: { put: [['meta', { kid: 'k' }]] }, ...(found.deviceKey ? {} : { deviceKey: await fresh }) };
      },
    );
    if (!done) throw new Error('the rotation floor did not commit');
    if (!early && (await Promise.all(parts)).flat().length !== records.length) throw new Error('a part was not re-encrypted');
  };
  return { prepare: () => deviceKeys.delete(), rotate };
}
