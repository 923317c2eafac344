/**
 * Reading a vault directory only when it is private to the current user.
 *
 * A vault directory that someone else owns, or can write, or that is reached through a symlink,
 * may hold files planted by that someone: a meta with their wrap, values they chose, a journal
 * that replays their records. So on open the store directory and its sub-directories, and every
 * file as it is read, must be owned by the current user, have no group or other permission bits,
 * and not be a symlink; anything else is refused with `VaultError(VaultUnavailable)` naming the
 * path and the fix. Files are opened with O_NOFOLLOW and checked on the open descriptor (fstat),
 * so a file swapped between the check and the read cannot slip through.
 *
 * Windows has no POSIX owners or modes (ACLs instead), so only the symlink check applies there.
 */
import { closeSync, constants, fstatSync, openSync, readFile as readFileCallback, readFileSync } from 'node:fs';
import { link, lstat } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { unavailable, VaultError } from '../core/errors.js';
import { createDirectory, isErrno, removeFile, syncDirectory, writeNewFileSynced } from './durable-fs.js';

const isWindows = process.platform === 'win32';
const NO_FOLLOW = isWindows ? 0 : constants.O_NOFOLLOW;

function refuse(path: string, problem: string, fix: string, cause?: unknown): VaultError {
  return unavailable(
    `The vault store refuses ${path}: ${problem}. A vault directory and its files must belong to the current user, with no group or other permissions, and not be symlinks (${fix}).`,
    cause === undefined ? {} : { cause },
  );
}

/** Throw when `stats` (of `path`, from lstat or fstat) is not a private entry of the current user. */
export function assertPrivate(stats: Stats, path: string, kind: 'directory' | 'file'): void {
  if (stats.isSymbolicLink()) throw refuse(path, 'it is a symlink', 'replace the link with the real directory or file');
  if (kind === 'directory' ? !stats.isDirectory() : !stats.isFile()) throw refuse(path, `it is not a ${kind}`, 'remove it');
  if (isWindows) return;
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid)
    throw refuse(path, `it belongs to uid ${stats.uid}, not to the current user (uid ${uid})`, 'use a directory of your own');
  if ((stats.mode & 0o077) !== 0) {
    const mode = (stats.mode & 0o777).toString(8).padStart(3, '0');
    throw refuse(
      path,
      `its mode is ${mode}, which lets other users in`,
      `if nobody else could have changed it: chmod ${kind === 'directory' ? '700' : '600'} ${path}`,
    );
  }
}

/** Create `path` (0700) when missing, then refuse it unless it is a private directory of the current user. */
export async function openPrivateDirectory(path: string): Promise<void> {
  await createDirectory(path);
  assertPrivate(await lstat(path), path, 'directory');
}

/** Files up to this size are read with synchronous calls (see {@link readPrivateFile}). */
export const SYNC_READ_LIMIT = 64 * 1024;

/**
 * The bytes of the file at `path`, or `undefined` when there is none; refuses a symlink or a file
 * that is not private to the current user (checked on the open descriptor).
 *
 * Why synchronous calls: a record or meta file is a few hundred bytes, and each asynchronous fs
 * call is a round trip through libuv's thread pool that costs ten times the system call
 * (measured: 0.06 ms for open + fstat + read + close asynchronously, 0.005 ms synchronously). A
 * vault write reads the meta twice (the engine's refresh, the store's guard), so these round trips
 * were a third of a store's overhead over one atomic file write (BENCHMARKS.md, Node). The event
 * loop is blocked for microseconds; larger files are read asynchronously so it never waits long.
 */
export async function readPrivateFile(path: string): Promise<Buffer | undefined> {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | NO_FOLLOW);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    // O_NOFOLLOW on a symlink: ELOOP (Linux), EMLINK (FreeBSD), EFTYPE (NetBSD).
    if (isErrno(error, 'ELOOP') || isErrno(error, 'EMLINK') || isErrno(error, 'EFTYPE')) {
      throw refuse(path, 'it is a symlink', 'replace the link with the real file', error);
    }
    throw error;
  }
  try {
    const stats = fstatSync(fd);
    assertPrivate(stats, path, 'file');
    return stats.size <= SYNC_READ_LIMIT ? readFileSync(fd) : await readDescriptor(fd);
  } finally {
    closeSync(fd);
  }
}

const readDescriptor = promisify((fd: number, callback: (error: NodeJS.ErrnoException | null, data: Buffer) => void) => readFileCallback(fd, callback));

/**
 * Create the file at `path` with `data` once, even when several processes race: the bytes are
 * written and fsynced in a side file that is hard-linked into place (`link` never overwrites), so
 * the file appears whole or not at all and every racer then reads the winner's bytes. Returns the
 * file's content (the winner's).
 */
export async function createPrivateFileOnce(path: string, data: Uint8Array): Promise<Buffer> {
  const side = `${path}.${randomBytes(6).toString('hex')}.new`;
  try {
    await writeNewFileSynced(side, data);
    await link(side, path);
    await syncDirectory(dirname(path));
  } catch (error) {
    if (!isErrno(error, 'EEXIST')) throw error;
  } finally {
    await removeFile(side).catch(() => undefined);
  }
  const bytes = await readPrivateFile(path);
  if (bytes === undefined) throw unavailable(`${path} disappeared while it was created`);
  return bytes;
}
