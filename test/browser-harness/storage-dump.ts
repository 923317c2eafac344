/**
 * In-page dump of everything a page can persist: every IndexedDB database and object store,
 * localStorage, sessionStorage and cookies — as text, for canary scans. Binary data is dumped
 * as hex *and* as Latin-1 text and UTF-8 text, so a plaintext canary hidden in bytes is found too.
 */
function describe(value: unknown, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[cycle]';
  seen.add(value);
  if (value instanceof CryptoKey) {
    return { cryptoKey: { type: value.type, extractable: value.extractable, algorithm: value.algorithm, usages: value.usages } };
  }
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    return {
      hex: [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(''),
      latin1: String.fromCharCode(...bytes),
      utf8: new TextDecoder().decode(bytes),
    };
  }
  if (value instanceof Blob) return { blob: value.size };
  if (Array.isArray(value)) return value.map((item) => describe(item, seen));
  if (value instanceof Map) return [...value.entries()].map(([k, v]) => [describe(k, seen), describe(v, seen)]);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, describe(v, seen)]));
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** The whole origin's client-side storage as JSON text. */
export async function dumpStorage(): Promise<string> {
  const databases: Record<string, Record<string, unknown[]>> = {};
  for (const info of await indexedDB.databases()) {
    if (!info.name) continue;
    const db = await request(indexedDB.open(info.name));
    const stores: Record<string, unknown[]> = {};
    for (const storeName of [...db.objectStoreNames]) {
      const tx = db.transaction(storeName, 'readonly');
      const store = tx.objectStore(storeName);
      const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
      stores[storeName] = keys.map((key, i) => describe({ key, value: values[i] }));
    }
    db.close();
    databases[info.name] = stores;
  }
  const local = Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)]));
  const session = Object.fromEntries(Object.keys(sessionStorage).map((k) => [k, sessionStorage.getItem(k)]));
  return JSON.stringify({ indexedDB: databases, localStorage: local, sessionStorage: session, cookies: document.cookie }, null, 1);
}
