/**
 * The baselines, measured in the same page as the vault: the KDF alone, idb-keyval (as shipped,
 * and through its own `UseStore` seam with an explicit durability), and a bare WebAuthn `get()`
 * with PRF.
 */
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';

/** The passcode KDF alone, with the vault's parameters: PBKDF2-HMAC-SHA256 into an AES-GCM-256 wrapping key. */
export async function kdfAlone(passcode: string, iterations: number): Promise<CryptoKey> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(passcode), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, material, { name: 'AES-GCM', length: 256 }, false, [
    'wrapKey',
    'unwrapKey',
  ]);
}

/**
 * idb-keyval's own `createStore`, except that transactions get an explicit `durability`. idb-keyval
 * calls `db.transaction(store, mode)` with no options, which is durability `'default'` (Chromium
 * treats it as `'relaxed'`: the commit resolves before the data is flushed to disk).
 */
export function keyvalStoreWithDurability(dbName: string, durability: IDBTransactionDurability): UseStore {
  let db: Promise<IDBDatabase> | undefined;
  const open = (): Promise<IDBDatabase> => {
    if (!db) {
      const request = indexedDB.open(dbName);
      request.onupgradeneeded = () => request.result.createObjectStore('keyval');
      db = promisifyRequest(request);
    }
    return db;
  };
  return (mode, callback) => open().then((d) => callback(d.transaction('keyval', mode, { durability }).objectStore('keyval')));
}

/** idb-keyval's default store as the library creates it (for reading a transaction's durability). */
export const keyvalDefaultLike = (): UseStore => createStore('keyval-store', 'keyval');

/** A platform credential with PRF on the page's virtual authenticator, for the bare-`get()` baseline. */
export async function createPrfCredential(): Promise<{ id: Uint8Array<ArrayBuffer>; salt: Uint8Array<ArrayBuffer> }> {
  const salt = crypto.getRandomValues(new Uint8Array(32));
  const created = (await navigator.credentials.create({
    publicKey: {
      rp: { id: location.hostname, name: 'bench' },
      user: { id: crypto.getRandomValues(new Uint8Array(16)), name: 'baseline', displayName: 'baseline' },
      challenge: crypto.getRandomValues(new Uint8Array(32)),
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      authenticatorSelection: { authenticatorAttachment: 'platform', userVerification: 'required', residentKey: 'preferred' },
      extensions: { prf: { eval: { first: salt } } },
    },
  })) as PublicKeyCredential | null;
  if (!created?.getClientExtensionResults().prf?.enabled) throw new Error('the virtual authenticator created no PRF credential');
  return { id: new Uint8Array(created.rawId), salt };
}

/** A bare WebAuthn assertion with user verification and PRF, as an app without a vault would make it. */
export async function bareWebAuthnGet(credential: { id: Uint8Array<ArrayBuffer>; salt: Uint8Array<ArrayBuffer> }): Promise<ArrayBuffer> {
  const assertion = (await navigator.credentials.get({
    publicKey: {
      challenge: crypto.getRandomValues(new Uint8Array(32)),
      rpId: location.hostname,
      allowCredentials: [{ type: 'public-key', id: credential.id }],
      userVerification: 'required',
      timeout: 60_000,
      extensions: { prf: { eval: { first: credential.salt } } },
    },
  })) as PublicKeyCredential | null;
  const first = assertion?.getClientExtensionResults().prf?.results?.first;
  if (!first) throw new Error('the assertion returned no PRF output');
  return first as ArrayBuffer;
}
