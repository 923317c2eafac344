/**
 * The device key on Node: 32 random bytes in a file (mode 0600) beside the store, imported as a
 * non-extractable AES-GCM `CryptoKey` (usages `wrapKey`/`unwrapKey`).
 *
 * Honest limits: Node has no key store that can hold a non-extractable key across restarts (no
 * Keychain/Keystore/TPM access in the runtime), so the key bytes are on disk. The device key
 * protects a `SecureStorage` vault against someone who copies the record files alone (a backup
 * of `records/`, a file attached to a bug report); it does not protect against someone who can
 * read the whole directory as the user — they have the key too. Use a passcode for that.
 */
import { randomBytes, webcrypto } from 'node:crypto';
import { dirname } from 'node:path';
import type { DeviceKeyPort } from '../core/ports.js';
import { unavailable, VaultError } from '../core/errors.js';
import { createPrivateFileOnce, openPrivateDirectory, readPrivateFile } from './private-files.js';
import { removeFile, syncDirectory } from './durable-fs.js';

/** Length of the device key in bytes (AES-256). */
export const DEVICE_KEY_BYTES = 32;

/** Options of {@link createFileDeviceKey}. */
export interface FileDeviceKeyOptions {
  /** The key file; its directory is created (0700) when missing. */
  readonly path: string;
  /** WebCrypto to import with. @default node:crypto webcrypto.subtle */
  readonly subtle?: SubtleCrypto;
}

/**
 * A {@link DeviceKeyPort} backed by the file at `options.path`.
 *
 * @example
 * ```ts
 * const deviceKey = createFileDeviceKey({ path: join(directory, 'device-key') });
 * const key = await deviceKey.get({ create: true }); // CryptoKey, extractable: false
 * ```
 * @throws VaultError `VaultUnavailable` when the file cannot be read or written, or is not 32 bytes.
 */
export function createFileDeviceKey(options: FileDeviceKeyOptions): DeviceKeyPort {
  return new FileDeviceKey(options.path, options.subtle ?? (webcrypto.subtle as SubtleCrypto));
}

class FileDeviceKey implements DeviceKeyPort {
  readonly #path: string;
  readonly #subtle: SubtleCrypto;

  constructor(path: string, subtle: SubtleCrypto) {
    this.#path = path;
    this.#subtle = subtle;
  }

  // Not cached in memory: another process may delete the key file (its `clear()`, or a rotation
  // that leaves no wrap under the device key) or replace it. A cached key would then wrap a new data
  // key under a key no other process can read, and this process's own check after the commit would
  // pass against the cache. Reading the file is one small synchronous read and an import, made at an
  // unlock or when wraps are written, never per value.
  async get({ create }: { create: boolean }): Promise<CryptoKey | undefined> {
    try {
      let bytes = await readKeyFile(this.#path);
      if (bytes === undefined) {
        if (!create) return undefined;
        bytes = await createKeyFile(this.#path);
      }
      try {
        return await this.#subtle.importKey('raw', bytes, { name: 'AES-GCM' }, false, ['wrapKey', 'unwrapKey']);
      } finally {
        bytes.fill(0);
      }
    } catch (error) {
      if (error instanceof VaultError) throw error;
      throw unavailable(`The device key ${this.#path} could not be used`, { cause: error });
    }
  }

  // Unlink, then fsync the directory so the deletion survives a crash. The old bytes may remain
  // on the disk's free blocks: docs/security.md says what an old copy of storage can open.
  async delete(): Promise<void> {
    try {
      if (await removeFile(this.#path)) await syncDirectory(dirname(this.#path));
    } catch (error) {
      throw unavailable(`The device key ${this.#path} could not be deleted`, { cause: error });
    }
  }
}

async function readKeyFile(path: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const data = await readPrivateFile(path);
  return data === undefined ? undefined : keyBytes(path, data);
}

/** Copy the key out of `data` (which is then zeroed), refusing a file of the wrong length. */
function keyBytes(path: string, data: Buffer): Uint8Array<ArrayBuffer> {
  if (data.length !== DEVICE_KEY_BYTES) {
    data.fill(0);
    throw unavailable(`The device key ${path} is corrupted (expected ${DEVICE_KEY_BYTES} bytes)`);
  }
  const bytes = new Uint8Array(new ArrayBuffer(DEVICE_KEY_BYTES));
  bytes.set(data);
  data.fill(0);
  return bytes;
}

/** Create the key file once, even when several processes race: every racer ends up with the winner's key. */
async function createKeyFile(path: string): Promise<Uint8Array<ArrayBuffer>> {
  await openPrivateDirectory(dirname(path));
  const fresh = randomBytes(DEVICE_KEY_BYTES);
  try {
    return keyBytes(path, await createPrivateFileOnce(path, fresh));
  } finally {
    fresh.fill(0);
  }
}
