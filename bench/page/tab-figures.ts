/**
 * "Lock seen by a second tab": the same vault opened in two pages of one origin. Tab A calls
 * `lock()`; tab B's `onLock` fires when the BroadcastChannel message arrives. Both record
 * `performance.timeOrigin + performance.now()`, which is comparable between the two pages.
 */
import type { IdentityVault } from '../../src/index.js';
import { wallNow } from './timing.js';
import { VALUE_1KB } from './values.js';
import { openVault } from './vaults.js';

const DATABASE = 'bench-tabs';
let vault: IdentityVault | undefined;
let lockSeenAt: number | undefined;

function opened(): IdentityVault {
  if (!vault) throw new Error('tabOpen() first');
  return vault;
}

/** Open the shared vault in this tab (SecureStorage: unlock needs no user). */
export async function tabOpen(): Promise<void> {
  vault = await openVault(DATABASE, { vaultId: 'bench', username: 'tabs' }, { onLock: () => (lockSeenAt ??= wallNow()) });
}

/** Tab A, once: store a value, so the vault has a key and a lock means something. */
export async function tabSeed(): Promise<void> {
  await opened().storeValue('session', VALUE_1KB);
}

/** Before each round: unlocked, nothing seen yet. */
export async function tabArm(): Promise<void> {
  const v = opened();
  if (await v.isLocked()) await v.unlock();
  lockSeenAt = undefined;
}

/** Tab A: lock; resolves the wall-clock time just before the call. */
export async function tabLock(): Promise<number> {
  const at = wallNow();
  await opened().lock();
  return at;
}

/** Tab B: when `onLock` fired (waits up to `timeoutMs` for it). */
export async function tabLockSeenAt(timeoutMs: number): Promise<number | null> {
  const deadline = performance.now() + timeoutMs;
  while (lockSeenAt === undefined && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1));
  return lockSeenAt ?? null;
}
