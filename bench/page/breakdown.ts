/**
 * Where the time of `unlock(passcode)` and `storeValue` goes: each step timed alone with the same
 * internals the vault uses (the web store's `IndexedDbStore` over its `IdbConnection`, the core's
 * envelope). Steps are interleaved like the figures.
 */
import { IdbConnection, RECORDS_STORE } from '../../src/web/idb-connection.js';
import { IndexedDbStore, readGuard } from '../../src/web/indexeddb-store.js';
import { bindingData, generateDataKey, seal, sealBytes, unwrapDataKey, wrapDataKey } from '../../src/core/envelope.js';
import { createWebCrypto } from '../../src/shared/web-crypto.js';
import { utf8 } from '../../src/core/bytes.js';
import { interleave, perOperation, timeOnce, type Samples } from './timing.js';
import type { Rounds } from './unlock-figures.js';
import { VALUE_1KB } from './values.js';
import { deleteDatabase, openVault } from './vaults.js';
import { set } from 'idb-keyval';
import { keyvalStoreWithDurability } from './baselines.js';
import { guardedTransaction, openRaw } from './store-floor.js';

/** A new database `name` holding a meta record, as the web store and the connection it runs on. */
async function freshStore(name: string): Promise<{ store: IndexedDbStore; connection: IdbConnection }> {
  await deleteDatabase(name);
  const connection = new IdbConnection(name);
  const store = new IndexedDbStore(connection);
  await store.commit({ put: [['meta', { kid: 'k' }]] });
  return { store, connection };
}

/** The steps of a passcode unlock besides the KDF: counter update (strict), unwrapKey, counter delete (strict). */
export async function unlockBreakdown(options: Rounds): Promise<Samples<'counterUpdate' | 'unwrap' | 'counterDelete' | 'bothWritesRelaxedEstimate'>> {
  const { store } = await freshStore('bench-breakdown-unlock');
  const port = createWebCrypto();
  const dataKey = await generateDataKey(port);
  const wrappingKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['wrapKey', 'unwrapKey']);
  const binding = bindingData('wrap', 'passcode', 'bench', 'ada', 'kid', null);
  const wrapped = await wrapDataKey(port, dataKey, wrappingKey, binding);
  const relaxed = await openRaw('bench-breakdown-relaxed', 'relaxed');
  return interleave(
    {
      counterUpdate: () => timeOnce(() => store.update('attempts', () => ({ v: 1, remaining: 4 }))),
      unwrap: () => timeOnce(() => unwrapDataKey(port, wrapped, wrappingKey, binding)),
      counterDelete: () => timeOnce(() => store.commit({ delete: ['attempts'] })),
      bothWritesRelaxedEstimate: () =>
        timeOnce(async () => {
          await relaxed((s) => s.put({ v: 1, remaining: 4 }, 'attempts'));
          await relaxed((s) => s.delete('attempts'));
        }),
    },
    options,
  );
}

type StoreSteps =
  | 'storeValue'
  | 'storeValueWithPeer'
  | 'keyvalStrict'
  | 'seal'
  | 'encrypt'
  | 'sealThenCommit'
  | 'sealDuringCommit'
  | 'guardThenPut'
  | 'sealThenCommitBase64'
  | 'guardedCommit'
  | 'plainCommit'
  | 'peerPost'
  | 'rawGuardAutoCommit'
  | 'rawGuardCommit'
  | 'rawGuardCommitBytes'
  | 'rawFenceCommit'
  | 'rawPutCommit'
  | 'rawSealThenGuard'
  | 'rawSealDuringGuard';

/**
 * The steps of `storeValue`, interleaved with `storeValue` itself and idb-keyval's strict `set`:
 * seal (AES-GCM, the bytes kept: what the vault stores since issue 16) and AES-GCM alone; seal then
 * the guarded commit, as the engine chains them, with the record holding bytes (now) and base64
 * text (before issue 16: the A/B of that change, same rounds); the guarded commit alone (`IndexedDbStore`: guard read + put, `commit()` once the guard
 * passed) and without the guard; one BroadcastChannel post. On a raw strict transaction: the
 * pipelined guard + put left to auto-commit vs `commit()` in the guard's `onsuccess`; and the value
 * record with the bytes as bytes (what the vault stores) vs the same record as base64 text; the
 * guard's alternative that needs no round trip, a *fence* (an `add` of a tombstone key that the
 * backend refuses once the key id is retired, aborting the transaction, plus its `delete`, put,
 * `commit()` at once: tried for issue 16, not kept) vs the put alone with `commit()`; and
 * the seal before the transaction (as the engine does) vs during it: the guard read issued first,
 * the put issued in its `onsuccess` once the seal is ready (re-reading the guard to keep the
 * transaction open until then), which would hide the trip to WebCrypto behind the read. The same
 * overlap on the web store's own connection and guard read, as a port for it would build it
 * (`sealDuringCommit`: the seal started in the turn the transaction starts, the put and `commit()`
 * in the guard's `onsuccess` when the record is ready, else a `getKey` ping until it is, as
 * `src/web/rewrite-transaction.ts` keeps its transaction open), beside the same transaction with
 * the record ready before it starts and still put only once the guard answered (`guardThenPut`:
 * what the overlap costs with nothing to overlap). `sealLate` counts the overlapped stores whose
 * seal was not ready when the guard answered (then the ping's round trip is paid too).
 */
export async function storeBreakdown(options: Rounds & { batch: number }): Promise<Samples<StoreSteps> & { sealLate: number; overlapped: number }> {
  const { store, connection } = await freshStore('bench-breakdown-store');
  const raw = await openRaw('bench-breakdown-raw', 'strict');
  await raw((s) => s.put({ kid: 'k' }, 'meta'));
  // The fence in a database of its own, as a vault that fenced every write would have it: its add +
  // delete leave deleted records behind in the backend, which slowed the other rows' requests in a
  // shared database (the engineer's A/B at load 12: the guarded transaction 1.27× the put alone
  // beside the fence, 1.18× in databases of their own), making the fence look cheaper than it is.
  const rawFenced = await openRaw('bench-breakdown-raw-fence', 'strict');
  const channel = new BroadcastChannel('bench-breakdown');
  await deleteDatabase('bench-breakdown-vault');
  await deleteDatabase('bench-breakdown-keyval');
  const vault = await openVault('bench-breakdown-vault', { vaultId: 'bench', username: 'breakdown' });
  await vault.storeValue('session', VALUE_1KB);
  // The same vault in a tab that has heard another tab (src/web/broadcast-peers.ts): it sends a
  // 'changed' message after each store, which a tab alone does not. The other tab answers once,
  // then closes its channel, so no receiver in this page adds work the sender would not have.
  await deleteDatabase('bench-breakdown-vault-peer');
  const peered = await openVault('bench-breakdown-vault-peer', { vaultId: 'bench', username: 'breakdown' });
  await peered.storeValue('session', VALUE_1KB);
  const otherTab = new BroadcastChannel('bench-breakdown-vault-peer');
  otherTab.postMessage({ type: 'here' });
  await new Promise((resolve) => setTimeout(resolve, 50));
  otherTab.close();
  const strict = keyvalStoreWithDurability('bench-breakdown-keyval', 'strict');
  await set('session', VALUE_1KB, strict);
  const message = { type: 'changed', vault: 'iv1/bench/ada/', keys: ['session'] };
  const port = createWebCrypto();
  const dataKey = await generateDataKey(port);
  const binding = bindingData('value', 'bench', 'ada', 'session');
  // What the vault stores: IV and ciphertext as bytes (src/core/value-records.ts).
  const record = { v: 1, ...(await sealBytes(port, dataKey, utf8(JSON.stringify(VALUE_1KB)), binding)) };
  // What it stored before issue 16, for the raw transaction's base64 row.
  const base64Record = { v: 1, ...(await seal(port, dataKey, utf8(JSON.stringify(VALUE_1KB)), binding)) };
  const guard = { key: 'meta', test: (m: { readonly [field: string]: unknown } | undefined) => m?.['kid'] === 'k' };
  const guarded = (body: (s: IDBObjectStore) => void, commitAfterGuard: boolean) => guardedTransaction(raw, body, commitAfterGuard);
  const sealNow = () => sealBytes(port, dataKey, utf8(JSON.stringify(VALUE_1KB)), binding);
  const sealDuringGuard = () =>
    raw((s, tx) => {
      let sealed: Awaited<ReturnType<typeof sealNow>> | undefined;
      void sealNow().then((done) => (sealed = done));
      let first = true;
      const next = (read: IDBRequest) => {
        read.onsuccess = () => {
          if (first && (read.result as { kid?: string } | undefined)?.kid !== 'k') return tx.abort();
          first = false;
          if (!sealed) return next(s.get('meta'));
          s.put({ v: 1, iv: sealed.iv, ct: sealed.ct }, 'v/session');
          tx.commit();
        };
      };
      next(s.get('meta'));
    });
  const counts = { sealLate: 0, overlapped: 0 };
  const sealDuringCommit = () => sealDuringStoreCommit(connection, guard, sealNow, counts);
  const guardThenPut = () =>
    connection.run(RECORDS_STORE, 'readwrite', true, (s, result) =>
      readGuard(s, guard, result, false, () => {
        s.put(record, 'v/session');
        result.commitNow();
      }),
    );
  const samples = await interleave(
    {
      storeValue: () => perOperation(options.batch, () => vault.storeValue('session', VALUE_1KB)),
      storeValueWithPeer: () => perOperation(options.batch, () => peered.storeValue('session', VALUE_1KB)),
      keyvalStrict: () => perOperation(options.batch, () => set('session', VALUE_1KB, strict)),
      seal: () => perOperation(options.batch, () => sealBytes(port, dataKey, utf8(JSON.stringify(VALUE_1KB)), binding)),
      encrypt: () =>
        perOperation(options.batch, () =>
          crypto.subtle.encrypt({ name: 'AES-GCM', iv: port.randomBytes(12), additionalData: binding }, dataKey, utf8(JSON.stringify(VALUE_1KB))),
        ),
      sealThenCommit: () =>
        perOperation(options.batch, async () => {
          const sealed = await sealBytes(port, dataKey, utf8(JSON.stringify(VALUE_1KB)), binding);
          await store.commit({ guard, put: [['v/session', { v: 1, iv: sealed.iv, ct: sealed.ct }]] });
        }),
      sealDuringCommit: () => perOperation(options.batch, sealDuringCommit),
      guardThenPut: () => perOperation(options.batch, guardThenPut),
      sealThenCommitBase64: () =>
        perOperation(options.batch, async () => {
          const sealed = await seal(port, dataKey, utf8(JSON.stringify(VALUE_1KB)), binding);
          await store.commit({ guard, put: [['v/session', { v: 1, iv: sealed.iv, ct: sealed.ct }]] });
        }),
      guardedCommit: () => perOperation(options.batch, () => store.commit({ guard, put: [['v/session', record]] })),
      plainCommit: () => perOperation(options.batch, () => store.commit({ put: [['v/session', record]] })),
      peerPost: () => perOperation(options.batch * 10, async () => channel.postMessage(message)),
      rawGuardAutoCommit: () => perOperation(options.batch, () => guarded((s) => s.put(record, 'v/session'), false)),
      rawGuardCommit: () => perOperation(options.batch, () => guarded((s) => s.put(base64Record, 'v/session'), true)),
      rawGuardCommitBytes: () => perOperation(options.batch, () => guarded((s) => s.put(record, 'v/session'), true)),
      rawFenceCommit: () =>
        perOperation(options.batch, () =>
          rawFenced((s, tx) => {
            // No tombstone under this key: the add succeeds and the delete takes it back.
            s.add(0, 'fence/k');
            s.delete('fence/k');
            s.put(record, 'v/session');
            tx.commit();
          }),
        ),
      rawPutCommit: () =>
        perOperation(options.batch, () =>
          raw((s, tx) => {
            s.put(record, 'v/session');
            tx.commit();
          }),
        ),
      rawSealThenGuard: () =>
        perOperation(options.batch, async () => {
          const sealed = await sealNow();
          await guarded((s) => s.put({ v: 1, iv: sealed.iv, ct: sealed.ct }, 'v/session'), true);
        }),
      rawSealDuringGuard: () => perOperation(options.batch, sealDuringGuard),
    },
    options,
  );
  return { ...samples, ...counts };
}

/**
 * One store with the seal overlapping the guard read, on the web store's connection (the commit
 * issue 16 asked to measure before building; not built: `overlapBullet` in bench/lib/analysis.mjs
 * says why). The transaction and the guard read start in the turn the seal starts; the put can only
 * be issued in a request's handler (a transaction is inactive between them), so it goes out once
 * the guard passed and the record is ready, with `commit()` beside it. A seal that fails aborts the
 * transaction.
 */
function sealDuringStoreCommit(
  connection: IdbConnection,
  guard: Parameters<typeof readGuard>[1],
  sealNow: () => Promise<{ iv: Uint8Array; ct: Uint8Array }>,
  counts: { sealLate: number; overlapped: number },
): Promise<boolean> {
  let sealed: { readonly record?: object; readonly error?: unknown } | undefined;
  sealNow().then(
    ({ iv, ct }) => (sealed = { record: { v: 1, iv, ct } }),
    (error: unknown) => (sealed = { error }),
  );
  counts.overlapped++;
  let late = false;
  return connection.run(RECORDS_STORE, 'readwrite', true, (store, result) => {
    const putWhenSealed = (): void => {
      if (!sealed) {
        if (!late) counts.sealLate++;
        late = true;
        store.getKey(guard.key).onsuccess = putWhenSealed;
      } else if (sealed.record) {
        store.put(sealed.record, 'v/session');
        result.commitNow();
      } else result.fail(sealed.error);
    };
    readGuard(store, guard, result, false, putWhenSealed);
  });
}

type StorePhase = 'beforeSeal' | 'cryptoTrip' | 'sealToTransaction' | 'transactionCall' | 'commit';

/**
 * What runs between the app's call and the commit, by timestamps the page takes around the two
 * platform calls a store makes (the prototypes are wrapped for these calls only, then put back):
 * `SubtleCrypto.encrypt` called (E) and resolved (R), `IDBDatabase.transaction` entered (Xs) and
 * returned (X), that transaction's `complete` (C). For store i of `count` sequential `storeValue`s:
 * the app's await resuming and the vault's work up to the seal, E_i − C_{i−1}; the trip to
 * WebCrypto's thread, R_i − E_i; the vault's work from the sealed bytes to the transaction,
 * Xs_i − R_i; creating the transaction (the browser's own call, idb-keyval pays it too), X_i − Xs_i;
 * the commit, C_i − X_i. Medians per phase, in milliseconds.
 */
export async function storePhases(options: { count: number }): Promise<Record<StorePhase, number>> {
  await deleteDatabase('bench-phases');
  const vault = await openVault('bench-phases', { vaultId: 'bench', username: 'phases' });
  for (let i = 0; i < 20; i++) await vault.storeValue('session', VALUE_1KB);
  const marks: Array<{ E: number; R?: number; Xs?: number; X?: number; C?: number }> = [];
  const encrypt = SubtleCrypto.prototype.encrypt;
  const transaction = IDBDatabase.prototype.transaction;
  SubtleCrypto.prototype.encrypt = function (this: SubtleCrypto, ...args: Parameters<SubtleCrypto['encrypt']>) {
    const mark: (typeof marks)[number] = { E: performance.now() };
    marks.push(mark);
    return encrypt.apply(this, args).then((result) => ((mark.R = performance.now()), result));
  };
  IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
    const entered = performance.now();
    const tx = transaction.apply(this, args);
    const mark = marks.at(-1);
    if (args[1] === 'readwrite' && mark && mark.X === undefined) {
      mark.Xs = entered;
      mark.X = performance.now();
      tx.addEventListener('complete', () => (mark.C = performance.now()));
    }
    return tx;
  } as IDBDatabase['transaction'];
  try {
    for (let i = 0; i < options.count; i++) await vault.storeValue('session', VALUE_1KB);
  } finally {
    SubtleCrypto.prototype.encrypt = encrypt;
    IDBDatabase.prototype.transaction = transaction;
  }
  const phases: Record<StorePhase, number[]> = { beforeSeal: [], cryptoTrip: [], sealToTransaction: [], transactionCall: [], commit: [] };
  for (let i = 1; i < marks.length; i++) {
    const { E, R, Xs, X, C } = marks[i]!;
    const previous = marks[i - 1]!.C;
    if (R === undefined || Xs === undefined || X === undefined || C === undefined || previous === undefined) continue;
    phases.beforeSeal.push(E - previous);
    phases.cryptoTrip.push(R - E);
    phases.sealToTransaction.push(Xs - R);
    phases.transactionCall.push(X - Xs);
    phases.commit.push(C - X);
  }
  const medianOf = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? NaN;
  return Object.fromEntries(Object.entries(phases).map(([name, values]) => [name, medianOf(values)])) as Record<StorePhase, number>;
}
