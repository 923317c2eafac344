/**
 * The fixture of the rotation breakdown and of the rotation-from-mirror prototype: a fresh database
 * with its store and device-key port, an old and a new data key, and `count` 1 KB values sealed
 * under the old key as the vault writes them (bytes records, bound to their key), not yet stored;
 * and the vault context those records belong to (vault `bench`, user `tag`), for the core's own
 * parts (`KnownValues`) to run on them.
 */
import { bindingData, generateDataKey, sealBytes } from '../../src/core/envelope.js';
import { utf8 } from '../../src/core/bytes.js';
import type { VaultContext } from '../../src/core/key-wraps.js';
import { vaultKeys } from '../../src/core/records.js';
import type { Platform, StoredRecord } from '../../src/core/ports.js';
import { createWebCrypto } from '../../src/shared/web-crypto.js';
import { IdbConnection } from '../../src/web/idb-connection.js';
import { IndexedDbStore } from '../../src/web/indexeddb-store.js';
import { IndexedDbDeviceKey } from '../../src/web/device-key.js';
import { VALUE_1KB } from './values.js';
import { deleteDatabase } from './vaults.js';

/**
 * Deletes `name` and `${name}-keyval`, opens `name`, and seals `count` records under
 * `iv1/bench/${tag}/v/` + `keyName(i)`, in that order.
 */
export async function sealedRecords(name: string, tag: string, count: number, keyName: (i: number) => string) {
  await deleteDatabase(name);
  await deleteDatabase(`${name}-keyval`);
  const connection = new IdbConnection(name);
  const store = new IndexedDbStore(connection);
  const deviceKeys = new IndexedDbDeviceKey(connection);
  const port = createWebCrypto();
  const oldKey = await generateDataKey(port);
  const newKey = await generateDataKey(port);
  const plaintext = utf8(JSON.stringify(VALUE_1KB));
  const prefix = `iv1/bench/${tag}/v/`;
  const binding = (storeKey: string) => bindingData('value', 'bench', tag, storeKey.slice(prefix.length));
  const records: Array<readonly [string, StoredRecord]> = [];
  for (let i = 0; i < count; i++) {
    const key = prefix + keyName(i);
    records.push([key, { v: 1, ...(await sealBytes(port, oldKey, plaintext, binding(key))) }]);
  }
  // The parts of a context these records need (WebCrypto, keys, descriptor); no other port is used.
  const context: VaultContext = {
    platform: { crypto: port } as unknown as Platform,
    descriptor: { vaultId: 'bench', username: tag },
    keys: vaultKeys('bench', tag),
  };
  if (context.keys.valuesPrefix !== prefix) throw new Error('the fixture prefix is not the vault keys prefix');
  return { connection, store, deviceKeys, port, oldKey, newKey, prefix, binding, records, context };
}
