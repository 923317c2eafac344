/**
 * The lock of one store directory: the OS-released socket lock where the system has one
 * (socket-lock.ts), else the lock file (lock-file.ts). The choice and its reasons are in
 * socket-lock.ts and docs/security.md ("Node: locking").
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { invalidArguments } from '../core/errors.js';
import { acquireLock, removeLockLeftovers, type HeldLock, type LockOptions } from './lock-file.js';
import { createPrivateFileOnce, readPrivateFile } from './private-files.js';
import { acquireSocketLock, hasSocketLock, socketLockName } from './socket-lock.js';

/** Takes the lock of one store directory. */
export interface StoreLock {
  /** Wait for the lock and hold it. */
  acquire(): Promise<HeldLock>;
  /** Remove what a killed holder may have left beside the lock (the lock file's side files). */
  removeLeftovers(): Promise<void>;
}

/** The lock of the store in `directory` (which exists and was checked to be private). */
export function createStoreLock(directory: string, options: LockOptions = {}): StoreLock {
  const mechanism = options.mechanism ?? (hasSocketLock() ? 'socket' : 'file');
  if (mechanism === 'file') {
    const path = join(directory, 'lock');
    return { acquire: () => acquireLock(path, options), removeLeftovers: () => removeLockLeftovers(path) };
  }
  if (!hasSocketLock()) throw invalidArguments(`lock.mechanism 'socket' is not available on ${process.platform}`);
  let name: string | undefined;
  return {
    async acquire() {
      name ??= socketLockName(await lockId(join(directory, 'lock-id')));
      const held = await acquireSocketLock(name, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
      return { brokeStale: false, touch: async () => undefined, release: () => held.release() };
    },
    removeLeftovers: async () => undefined,
  };
}

/** The store's lock id: 128 random bits in hex, created once by whichever process comes first. */
async function lockId(path: string): Promise<string> {
  const bytes = (await readPrivateFile(path)) ?? (await createPrivateFileOnce(path, Buffer.from(randomBytes(16).toString('hex'))));
  return bytes.toString('utf8');
}
