/**
 * `SecretStore` over the native port. The port stores opaque text and offers one primitive for
 * consistency, a compare-and-set precondition on a commit (`expect`); guards and `update`, whose
 * tests are JavaScript functions that cannot cross the bridge, are built on it optimistically:
 * read, decide, commit only if the record is still the text that was read, else retry.
 */
import { invalidArguments, unavailable, VaultErrorCodes } from '../core/errors.js';
import type { SecretStore, StoreCommit, StoredRecord } from '../core/ports.js';
import { isRecord, parseStoredRecord, recordText } from '../core/records.js';
import type { IdentityVaultPlugin, StoreCommitOptions } from './definitions.js';
import { callNative } from './native-errors.js';

type StorePort = Pick<IdentityVaultPlugin, 'storeGet' | 'storeKeys' | 'storeHasPrefix' | 'storeCommit'>;

/** Compare-and-set rounds before giving up (another writer keeps changing the record). */
const MAX_ROUNDS = 32;
const ONLY_UNAVAILABLE = [VaultErrorCodes.VaultUnavailable] as const;

const malformed = (what: string) => unavailable(`The native IdentityVault plugin returned a malformed result for ${what}`);

function parse(text: string | null, key: string): StoredRecord | undefined {
  if (text === null) return undefined;
  const record = parseStoredRecord(text);
  if (record !== undefined) return record;
  throw unavailable(`The native store holds an unreadable record (key length ${key.length}); it was left untouched`);
}

function serialise(record: unknown): string {
  if (!isRecord(record)) {
    throw invalidArguments('A stored record must be a plain JSON object');
  }
  return recordText(record);
}

class NativeStore implements SecretStore {
  readonly #port: StorePort;

  constructor(port: StorePort) {
    this.#port = port;
  }

  async get(key: string): Promise<StoredRecord | undefined> {
    return parse(await this.#read(key), key);
  }

  async keys(prefix: string): Promise<string[]> {
    const result = await callNative(() => this.#port.storeKeys({ prefix }), VaultErrorCodes.VaultUnavailable, 'storeKeys failed', ONLY_UNAVAILABLE);
    if (typeof result !== 'object' || result === null || !Array.isArray(result.keys) || !result.keys.every((k) => typeof k === 'string'))
      throw malformed('storeKeys');
    return result.keys;
  }

  async hasPrefix(prefix: string): Promise<boolean> {
    const result = await callNative(() => this.#port.storeHasPrefix({ prefix }), VaultErrorCodes.VaultUnavailable, 'storeHasPrefix failed', ONLY_UNAVAILABLE);
    if (typeof result !== 'object' || result === null || typeof result.value !== 'boolean') throw malformed('storeHasPrefix');
    return result.value;
  }

  async commit(change: StoreCommit): Promise<boolean> {
    const batch: StoreCommitOptions = {
      ...(change.deletePrefixes?.length ? { deletePrefixes: [...change.deletePrefixes] } : {}),
      ...(change.delete?.length ? { delete: [...change.delete] } : {}),
      ...(change.put?.length ? { put: change.put.map(([key, record]) => ({ key, value: serialise(record) })) } : {}),
    };
    const guard = change.guard;
    if (guard === undefined) {
      if (!(await this.#commit(batch))) throw unavailable('The native store refused a commit that had no precondition');
      return true;
    }
    return this.#casLoop<boolean>(guard.key, (current) => (guard.test(parse(current, guard.key)) ? { options: batch, result: true } : { skip: false }));
  }

  async update(key: string, update: (current: StoredRecord | undefined) => StoredRecord | undefined): Promise<StoredRecord | undefined> {
    return this.#casLoop<StoredRecord | undefined>(key, (current) => {
      const next = update(parse(current, key));
      if (next === undefined) return current === null ? { skip: undefined } : { options: { delete: [key] }, result: undefined };
      return { options: { put: [{ key, value: serialise(next) }] }, result: next };
    });
  }

  async #read(key: string): Promise<string | null> {
    const result = await callNative(() => this.#port.storeGet({ key }), VaultErrorCodes.VaultUnavailable, 'storeGet failed', ONLY_UNAVAILABLE);
    // `value` absent is read as null: some bridges drop a nil/NSNull entry from a result.
    const value = (result as { value?: unknown } | null)?.value ?? null;
    if (typeof result !== 'object' || result === null || !(value === null || typeof value === 'string')) throw malformed('storeGet');
    return value;
  }

  async #commit(options: StoreCommitOptions): Promise<boolean> {
    const result = await callNative(() => this.#port.storeCommit(options), VaultErrorCodes.VaultUnavailable, 'storeCommit failed', ONLY_UNAVAILABLE);
    if (typeof result !== 'object' || result === null || typeof result.committed !== 'boolean') throw malformed('storeCommit');
    return result.committed;
  }

  async #casLoop<T>(key: string, round: (current: string | null) => { options: StoreCommitOptions; result: T } | { skip: T }): Promise<T> {
    for (let i = 0; i < MAX_ROUNDS; i++) {
      const current = await this.#read(key);
      const step = round(current);
      if ('skip' in step) return step.skip;
      if (await this.#commit({ ...step.options, expect: { key, value: current } })) return step.result;
    }
    throw unavailable(`Another writer kept changing a record; gave up after ${MAX_ROUNDS} attempts`);
  }
}

/**
 * The store of a native plugin.
 *
 * @example
 * ```ts
 * const store = createNativeStore(IdentityVault);
 * await store.update('attempts', (r) => ({ remaining: ((r?.remaining as number) ?? 5) - 1 }));
 * ```
 */
export function createNativeStore(port: StorePort): SecretStore {
  return new NativeStore(port);
}
