/**
 * Issue 11 (Medium): a lock that lands while `saveSession` / `restoreSession` wait for the vault
 * must not leave the session in memory. The lock comes from another `IdentityVault` instance of
 * the same vault (what a second tab's or a Lock button's `lock()` does), queued while the vault is
 * busy writing or reading the session, so it runs before the session layer resumes.
 */
import { describe, expect, it } from 'vitest';
import { AuthMode, SESSION_KEY } from 'identity-vault';
import type { SimulatedDevice } from 'identity-vault/testing';
import { alice, bob, newDevice, settle, userOn } from './helpers.js';

const descriptor = { vaultId: 'default', username: '_lastUser' };

/** Queue a lock of the vault from a second instance the moment the store is touched for the session. */
function lockDuringNextSessionAccess(device: SimulatedDevice, kind: 'commit' | 'get'): { fired: () => boolean } {
  const storage = device.storage;
  let fired = false;
  const elsewhere = device.plugin.getVault(descriptor);
  const lockFromElsewhere = (): void => {
    if (fired) return;
    fired = true;
    void elsewhere.lock();
  };
  if (kind === 'commit') {
    const commit = storage.commit.bind(storage);
    storage.commit = async (change) => {
      if (change.put?.some(([key]) => key.endsWith(`/v/${SESSION_KEY}`))) lockFromElsewhere();
      return commit(change);
    };
  } else {
    const get = storage.get.bind(storage);
    storage.get = async (key) => {
      if (key.endsWith(`/v/${SESSION_KEY}`)) lockFromElsewhere();
      return get(key);
    };
  }
  return { fired: () => fired };
}

/** Alice's session saved with a passcode, the app restarted, and the new run unlocked: nothing read yet. */
async function unlockedAfterRestart() {
  const device = newDevice();
  const first = userOn(device, { authMode: AuthMode.PasscodeOnly });
  first.passcode = '1234';
  await first.saveSession(alice);
  device.restart();
  const user = userOn(device, { authMode: AuthMode.PasscodeOnly });
  user.passcode = '1234';
  await user.ready();
  await user.unlock();
  return { device, user };
}

describe('session copy and lock generation', () => {
  it('a lock landing while saveSession writes leaves no session in memory', async () => {
    const device = newDevice();
    const user = userOn(device, { authMode: AuthMode.PasscodeOnly });
    user.passcode = '1234';
    await user.saveSession(alice);
    const probe = lockDuringNextSessionAccess(device, 'commit');
    await settle(user);
    await user.saveSession(bob); // stored: the write itself finished before the lock
    await settle(user);
    expect(probe.fired()).toBe(true);
    const vault = await user.getVault();
    expect(await vault.isLocked()).toBe(true);
    expect(await user.getSession()).toBeUndefined();
    await user.unlock();
    expect(await user.restoreSession()).toEqual(bob); // getSession is memory only (4.x); unlocking does not read
    expect(user.token).toBe(bob.token);
  });

  it('a lock landing while restoreSession reads leaves no session in memory and restore reports the lock', async () => {
    const { device, user } = await unlockedAfterRestart();
    const probe = lockDuringNextSessionAccess(device, 'get');
    const restored = await user.restoreSession().then(
      (session) => ({ session }),
      (error: unknown) => ({ error }),
    );
    await settle(user);
    expect(probe.fired()).toBe(true);
    expect(restored).toMatchObject({ error: { code: expect.any(Number) } });
    expect(await (await user.getVault()).isLocked()).toBe(true);
    expect(await user.getSession()).toBeUndefined();
    expect(user.argsOf('onSessionRestored')).toEqual([]);
  });

  it('getSession (memory only, 4.x) never reads the vault, so it can return no stale copy', async () => {
    const { device, user } = await unlockedAfterRestart();
    const probe = lockDuringNextSessionAccess(device, 'get');
    expect(await user.getSession()).toBeUndefined();
    await settle(user);
    expect(await user.getSession()).toBeUndefined();
    expect(probe.fired()).toBe(false); // nothing was read
  });
});
