/**
 * The lock-file fallback of the store lock, for systems without the OS-released socket lock
 * (socket-lock.ts: Linux and Windows use that). An exclusive lock between processes (and between
 * store instances of one process) sharing a directory, made of a lock file created atomically
 * (`link`, which never overwrites; `open(path, 'wx')` where hard links are missing).
 *
 * The file holds `{ pid, host, token }`; its mtime is the holder's heartbeat ({@link HeldLock.touch}).
 * A lock is broken only when its holder is known to be gone:
 * - a holder on this host is judged by its pid alone: a dead pid (SIGKILL, crash) is broken at
 *   once; a live one is never broken, however long it has been quiet, because a stopped (SIGSTOP)
 *   or hung process would wake up and write while another process holds the lock (an attacker
 *   stopping a process counted two wrong passcode guesses as one that way). A reused pid keeps the
 *   lock held until that process ends: a `VaultUnavailable` timeout, never two holders;
 * - a holder on another host (a network file system), or an unreadable lock file, by age
 *   (`staleMs` without a heartbeat), since its liveness cannot be checked from here.
 *
 * Breaking is done by renaming the lock file to a unique name and checking that the renamed
 * file is the very one judged stale (same inode); if another breaker got there first and a new
 * holder already created a fresh lock, the fresh lock is put back with `link` (which never
 * overwrites). What remains is a window of microseconds in which two breakers of one stale lock
 * and a third process must interleave exactly; it cannot happen with fewer than three processes.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { link, open, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { unavailable, VaultError } from '../core/errors.js';
import { FILE_MODE, isErrno, removeFile } from './durable-fs.js';

/** Lock timing. */
export interface LockOptions {
  /**
   * Lock-file fallback only: a lock of another host (or an unreadable one) not touched for this
   * long is stale. A live holder on this host is never stale. @default 10000
   */
  readonly staleMs?: number;
  /** Give up waiting after this long with `VaultError(VaultUnavailable)`. @default 20000 */
  readonly timeoutMs?: number;
  /**
   * How processes exclude each other: `'socket'`, a socket the OS releases with its holder
   * (socket-lock.ts; Linux and Windows), or `'file'`, the lock file (every other system).
   * @default 'socket' where available, else 'file'
   */
  readonly mechanism?: 'socket' | 'file';
}

interface LockContent {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
}

/** A held lock. */
export interface HeldLock {
  /** True when acquiring it broke a stale lock: a holder died, so its temporary files may be left over. */
  readonly brokeStale: boolean;
  /** Refresh the heartbeat during a long operation. */
  touch(): Promise<void>;
  /** Release the lock (idempotent). */
  release(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether process `pid` exists (on this host). A zombie counts as alive until it is reaped. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return !isErrno(error, 'ESRCH');
  }
}

/**
 * The lock at `path`.
 *
 * @example
 * ```ts
 * const held = await acquireLock('/home/ada/.local/share/identity-vault/app/lock');
 * try { … } finally { await held.release(); }
 * ```
 * @throws VaultError `VaultUnavailable` when the lock stays held by a live process for `timeoutMs`,
 * or on an I/O error.
 */
export async function acquireLock(path: string, options: LockOptions = {}): Promise<HeldLock> {
  const staleMs = options.staleMs ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  const me = { pid: process.pid, host: hostname() };
  let brokeStale = false;
  let delay = 1;
  for (;;) {
    const token = randomBytes(12).toString('hex');
    let won: boolean;
    try {
      won = await createLockFile(path, JSON.stringify({ ...me, token } satisfies LockContent));
    } catch (error) {
      throw lockFileError(path, error);
    }
    if (won) return new Held(path, token, brokeStale);
    const outcome = await breakIfStale(path, staleMs, me.host).catch((error: unknown) => {
      throw lockFileError(path, error);
    });
    if (outcome === 'broken') brokeStale = true;
    if (outcome !== 'held') continue;
    if (Date.now() > deadline) {
      throw unavailable(`The vault store is locked by another process (lock file ${path}); gave up after ${timeoutMs} ms`);
    }
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 20);
  }
}

/**
 * Create the lock file with its whole content, atomically: the content is written to a side
 * file first and hard-linked into place (`link` fails with EEXIST, never overwrites), so a lock
 * file is never seen empty — a holder killed between create and write would otherwise leave a
 * lock whose owner cannot be told dead. File systems without hard links fall back to `open('wx')`.
 */
async function createLockFile(path: string, content: string): Promise<boolean> {
  const side = `${path}.${randomBytes(6).toString('hex')}.new`;
  await writeFile(side, content, { mode: FILE_MODE, flag: 'wx' });
  try {
    await link(side, path);
    return true;
  } catch (error) {
    if (isErrno(error, 'EEXIST')) return false;
    if (!isErrno(error, 'EPERM') && !isErrno(error, 'ENOTSUP') && !isErrno(error, 'ENOSYS')) throw error;
  } finally {
    await removeFile(side).catch(() => undefined);
  }
  try {
    await writeFile(path, content, { mode: FILE_MODE, flag: 'wx' });
    return true;
  } catch (error) {
    if (isErrno(error, 'EEXIST')) return false;
    throw error;
  }
}

function lockFileError(path: string, cause: unknown): VaultError {
  return cause instanceof VaultError ? cause : unavailable(`Could not use the lock file ${path}`, { cause });
}

function parseContent(raw: string): LockContent | undefined {
  try {
    const value = JSON.parse(raw) as Partial<LockContent>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.token === 'string') return value as LockContent;
  } catch {
    // Empty or partial: its creator is between open('wx') and write, or died there.
  }
  return undefined;
}

/**
 * Break the lock at `path` when stale: `'broken'` when this call removed a stale lock, `'gone'`
 * when it was released (or broken by someone else) meanwhile, `'held'` when a live holder has it.
 */
async function breakIfStale(path: string, staleMs: number, host: string): Promise<'broken' | 'gone' | 'held'> {
  let observed: { ino: number; dev: number; mtimeMs: number; raw: string };
  try {
    const handle = await open(path, 'r');
    try {
      const info = await handle.stat();
      observed = { ino: info.ino, dev: info.dev, mtimeMs: info.mtimeMs, raw: await handle.readFile('utf8') };
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return 'gone';
    throw error;
  }
  const content = parseContent(observed.raw);
  const local = content !== undefined && content.host === host;
  // Never judge a live local holder by age: it may only be stopped or in hung I/O (see the top).
  const dead = local && !isProcessAlive(content.pid);
  const old = !local && Date.now() - observed.mtimeMs > staleMs;
  if (!old && !dead) return 'held';

  const aside = `${path}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await rename(path, aside);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return 'gone'; // another breaker, or the holder released it
    throw error;
  }
  const moved = await stat(aside);
  if (moved.ino !== observed.ino || moved.dev !== observed.dev) {
    // We moved a fresh lock that replaced the stale one meanwhile: put it back, never overwriting.
    await link(aside, path).catch((error: unknown) => {
      if (!isErrno(error, 'EEXIST')) throw error;
    });
    await removeFile(aside);
    return 'held';
  }
  await removeFile(aside);
  return 'broken';
}

class Held implements HeldLock {
  #released = false;
  readonly #path: string;
  readonly #token: string;

  constructor(
    path: string,
    token: string,
    readonly brokeStale: boolean,
  ) {
    this.#path = path;
    this.#token = token;
  }

  async touch(): Promise<void> {
    if (this.#released) return;
    const now = new Date();
    await utimes(this.#path, now, now).catch(() => undefined);
  }

  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    // Only remove the lock if it is still ours: if we were judged stale (held > staleMs) another
    // process may hold a fresh one now.
    let raw: string;
    try {
      raw = await readFile(this.#path, 'utf8');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return;
      throw lockFileError(this.#path, error);
    }
    if (parseContent(raw)?.token !== this.#token) return;
    await unlink(this.#path).catch((error: unknown) => {
      if (!isErrno(error, 'ENOENT')) throw lockFileError(this.#path, error);
    });
  }
}

/**
 * Remove side files a killed process left beside the lock (`<lock>.*.new`, `<lock>.*.stale`)
 * once they are older than `minAgeMs` (a live process keeps one for microseconds).
 */
export async function removeLockLeftovers(path: string, minAgeMs = 5_000): Promise<void> {
  const directory = dirname(path);
  const base = `${basename(path)}.`;
  for (const name of await readdir(directory)) {
    if (!name.startsWith(base) || !(name.endsWith('.new') || name.endsWith('.stale'))) continue;
    const file = join(directory, name);
    try {
      if (Date.now() - (await stat(file)).mtimeMs >= minAgeMs) await removeFile(file);
    } catch (error) {
      if (!isErrno(error, 'ENOENT')) throw error;
    }
  }
}
