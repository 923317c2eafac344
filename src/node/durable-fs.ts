/**
 * Durable file operations: a write is visible whole or not at all, and survives power loss once
 * the promise resolves (POSIX: write a temporary file, fsync it, rename it over the target,
 * fsync the directory).
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

/** File mode of every file the node platform writes. */
export const FILE_MODE = 0o600;
/** File mode of every directory the node platform creates. */
export const DIRECTORY_MODE = 0o700;

const isWindows = process.platform === 'win32';

/** A unique temporary file name inside `tmpDir`. */
export function temporaryPath(tmpDir: string): string {
  return join(tmpDir, `${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

/** Write `data` to a new file at `path` (mode 0600) and fsync it. Fails if `path` exists. */
export async function writeNewFileSynced(path: string, data: string | Uint8Array): Promise<void> {
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
    await rename(temporary, target);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/**
 * fsync a directory so that renames and unlinks in it are durable. Windows cannot open a
 * directory for fsync (EPERM/EISDIR) and NTFS journals metadata itself, so it is skipped there.
 */
export async function syncDirectory(path: string): Promise<void> {
  if (isWindows) return;
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
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
