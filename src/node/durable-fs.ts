/**
 * Durable file operations: a write is visible whole or not at all, and survives power loss once
 * the promise resolves (POSIX: write a temporary file, fsync it, rename it over the target,
 * fsync the directory).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsync as fsyncCallback, openSync, rename as renameCallback, writeSync } from 'node:fs';
import { open, unlink, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** File mode of every file the node platform writes. */
export const FILE_MODE = 0o600;
/** File mode of every directory the node platform creates. */
export const DIRECTORY_MODE = 0o700;

const isWindows = process.platform === 'win32';

/**
 * Files up to this size are opened, written and closed with synchronous system calls; the fsyncs
 * and the rename (which wait for the disk or its journal) go through libuv's thread pool. Why: each
 * asynchronous fs call is a round trip through the pool that costs several times the system call
 * itself on a record of a few hundred bytes, and a durable write is eight such calls (open, write,
 * fsync, close, rename, open, fsync, close): the round trips were most of a store's overhead over
 * one atomic file write (BENCHMARKS.md, Node). The event loop is blocked for tens of microseconds
 * at most; larger files are written asynchronously so it never waits long.
 */
export const SYNC_WRITE_LIMIT = 64 * 1024;

// The callback forms: one thread-pool job each, without fs/promises' FileHandle around it.
const fsync = promisify(fsyncCallback);
const rename = promisify(renameCallback);

/**
 * Unique in this process (a counter) and between processes (the pid, and random bits drawn once,
 * for a pid reused after a crash): one random draw per process instead of one per write.
 */
const processTag = `${process.pid}-${randomBytes(6).toString('hex')}`;
let temporaryCount = 0;

/** A unique temporary file name inside `tmpDir`. */
export function temporaryPath(tmpDir: string): string {
  return join(tmpDir, `${processTag}-${(temporaryCount++).toString(36)}.tmp`);
}

/** Write `data` to a new file at `path` (mode 0600) and fsync it. Fails if `path` exists. */
export async function writeNewFileSynced(path: string, data: string | Uint8Array): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (bytes.byteLength > SYNC_WRITE_LIMIT) return writeNewFileSyncedAsync(path, bytes);
  const fd = openSync(path, 'wx', FILE_MODE);
  try {
    for (let written = 0; written < bytes.byteLength;) written += writeSync(fd, bytes, written);
    await fsync(fd);
  } finally {
    closeSync(fd);
  }
}

async function writeNewFileSyncedAsync(path: string, data: Uint8Array): Promise<void> {
  const handle = await open(path, 'wx', FILE_MODE);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Atomically replace `target` with `data`: temporary file in `tmpDir` (same file system), fsync,
 * rename. The caller fsyncs the target's directory (once per batch) with {@link syncDirectory}.
 */
export async function replaceFile(target: string, data: string | Uint8Array, tmpDir: string): Promise<void> {
  const temporary = temporaryPath(tmpDir);
  await writeNewFileSynced(temporary, data);
  try {
    // Not synchronous, unlike open and write: replacing a file waits for the file system's journal,
    // which on a busy disk held the event loop for half a millisecond per write (CPU profile at a
    // load average of 20), where open, write and close stayed in the tens of microseconds.
    await rename(temporary, target);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/**
 * fsync a directory so that renames and unlinks in it are durable. Windows cannot open a
 * directory for fsync (EPERM/EISDIR) and NTFS journals metadata itself, so it is skipped there.
 * Open and close are synchronous (no disk wait); the fsync goes through the thread pool.
 */
export async function syncDirectory(path: string): Promise<void> {
  if (isWindows) return;
  const fd = openSync(path, 'r');
  try {
    await fsync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Delete `path`; true when it existed. */
export async function removeFile(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return false;
    throw error;
  }
}

/**
 * Create `path` (and missing parents) with mode 0700 when it is missing. An existing directory is
 * left as it is: private-files.ts refuses it if it is not private, rather than changing the mode
 * of a directory someone else may have prepared.
 */
export async function createDirectory(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: DIRECTORY_MODE });
}

/** Whether `error` is a Node system error with code `code`. */
export function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
