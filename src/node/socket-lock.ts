/**
 * An exclusive lock between processes (and between store instances of one process) that the
 * operating system releases when its holder dies, and only then: a listening socket bound to a
 * name derived from the store.
 *
 * - Linux: a Unix socket in the abstract namespace (`\0identity-vault-lock-<id>`). The name lives
 *   in the kernel, not on disk; it is freed the moment the holder's descriptor closes, which the
 *   kernel does when the process exits or is killed (SIGKILL included). A stopped (SIGSTOP) or
 *   hung process keeps it, so it keeps excluding everyone else — no heartbeat, no age, no guess.
 * - Windows: a named pipe (`\\.\pipe\identity-vault-lock-<id>`), which libuv creates with
 *   FILE_FLAG_FIRST_PIPE_INSTANCE, so a second server fails with EADDRINUSE; Windows closes a
 *   process's handles when it ends.
 *
 * Why a socket rather than the alternatives (docs/security.md, "Node: locking"):
 * - `flock`/`fcntl` locks have the same OS-release property but Node exposes neither without a
 *   native add-on.
 * - A lock file must guess whether its holder died (pid liveness is unknowable across hosts and
 *   pids are reused; an age limit breaks the lock of a holder that is only stopped — the attack
 *   that counted two wrong guesses as one). It stays as the fallback on other systems (macOS,
 *   BSD), where it now never breaks the lock of a live local process (lock-file.ts).
 *
 * The `<id>` is 128 random bits kept in the store's `lock-id` file (0600, in the 0700 store
 * directory). Every process that opens the store reads the same id, whatever path it used
 * (symlink, bind mount), and another local user cannot read it, so they cannot bind the name
 * first to block the owner. Node opens sockets close-on-exec, so a child process spawned while the
 * lock is held does not inherit it.
 *
 * Limits: the abstract namespace belongs to a network namespace; two containers that share the
 * store directory but not the network namespace do not exclude each other (use one container per
 * store, or share the network namespace).
 */
import { createServer, type Server } from 'node:net';
import { unavailable } from '../core/errors.js';
import { isErrno } from './durable-fs.js';

/** The platforms where the OS-released socket lock exists. */
export function hasSocketLock(platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'linux' || platform === 'win32';
}

/** The socket name of the store whose `lock-id` is `id`. */
export function socketLockName(id: string, platform: NodeJS.Platform = process.platform): string {
  if (!/^[0-9a-f]{32}$/.test(id)) throw unavailable('The lock id of the vault store is corrupted');
  return platform === 'win32' ? `\\\\.\\pipe\\identity-vault-lock-${id}` : `\0identity-vault-lock-${id}`;
}

/** A held socket lock. */
export interface HeldSocketLock {
  /** Release the lock (idempotent). */
  release(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Take the lock named `name` (from {@link socketLockName}), waiting while another process or
 * store instance holds it.
 *
 * @example
 * ```ts
 * const held = await acquireSocketLock(socketLockName(id), { timeoutMs: 20_000 });
 * try { … } finally { await held.release(); }
 * ```
 * @throws VaultError `VaultUnavailable` when the lock stays held for `timeoutMs`, or the socket
 * cannot be created.
 */
export async function acquireSocketLock(name: string, options: { readonly timeoutMs?: number } = {}): Promise<HeldSocketLock> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  let delay = 1;
  for (;;) {
    const server = await listen(name);
    if (server !== undefined) return new HeldSocket(server);
    if (Date.now() > deadline) {
      throw unavailable(`The vault store is locked by another process; gave up after ${timeoutMs} ms`);
    }
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 20);
  }
}

/** Bind and listen on `name`: the server when this call got the name, `undefined` when it is taken. */
function listen(name: string): Promise<Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    const onError = (error: unknown) => {
      server.close();
      if (isErrno(error, 'EADDRINUSE')) resolve(undefined);
      else reject(unavailable('Could not take the lock of the vault store', { cause: error }));
    };
    server.once('error', onError);
    // exclusive: a cluster worker must not share the handle through its primary. Backlog 0: no
    // one ever connects; the socket only holds the name.
    server.listen({ path: name, exclusive: true, backlog: 0 }, () => {
      server.off('error', onError);
      // The lock must not keep the process alive by itself (the operation holding it does).
      server.unref();
      resolve(server);
    });
  });
}

class HeldSocket implements HeldSocketLock {
  #server: Server | undefined;
  constructor(server: Server) {
    this.#server = server;
  }

  release(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    // close() closes the descriptor at once, which frees the name; the callback only reports the
    // handle's clean-up one event-loop turn later, so it is not waited for. Should a taker still
    // find the name in use, it retries: exclusion never depends on this timing.
    server?.close();
    return Promise.resolve();
  }
}
