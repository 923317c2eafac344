/**
 * The 5.x/6.x API (`Vault`) against the 3.x/4.x API (`IdentityVault` from the plugin) on the same
 * engine: `setValue` vs `storeValue`, `getValue` vs `getValue` (unlocked, cached), `unlock` (a
 * CustomPasscode vault answering `onPasscodeRequested`) vs `unlock(true, passcode)`. Each API on
 * its own web plugin and database, interleaved round by round.
 */
import { DeviceSecurityType, Vault, VaultType, setDefaultPlugin, type IdentityVault } from '../../src/index.js';
import { createWebPlugin } from '../../src/web/index.js';
import { interleave, perOperation, timeOnce, type Samples } from './timing.js';
import type { Rounds } from './unlock-figures.js';
import { VALUE_1KB } from './values.js';
import { PASSCODE, deleteDatabase, openVault } from './vaults.js';

/** A 5.x `Vault` of `type` on a new web plugin over `databaseName` (the default plugin while it is made). */
async function openV5(databaseName: string, type: VaultType): Promise<Vault> {
  await deleteDatabase(databaseName);
  setDefaultPlugin(createWebPlugin({ databaseName }));
  try {
    const vault = new Vault();
    await vault.initialize({ key: 'bench', type, deviceSecurityType: DeviceSecurityType.None, lockAfterBackgrounded: 0 });
    vault.onPasscodeRequested((_isPasscodeSetRequest, onComplete) => onComplete(PASSCODE));
    await vault.setValue('session', VALUE_1KB);
    return vault;
  } finally {
    setDefaultPlugin(undefined);
  }
}

async function openV4(databaseName: string, passcode: boolean): Promise<IdentityVault> {
  await deleteDatabase(databaseName);
  const vault = await openVault(databaseName, { vaultId: 'bench', username: 'v4' });
  if (passcode) {
    await vault.setPasscodeEnabled(true);
    await vault.setPasscode(PASSCODE);
  }
  await vault.storeValue('session', VALUE_1KB);
  return vault;
}

/** `setValue` vs `storeValue` and `getValue` vs `getValue`, SecureStorage, 1 KB. */
export async function v5Values(options: Rounds & { batch: number; getBatch: number }): Promise<Samples<'v5Set' | 'v4Store' | 'v5Get' | 'v4Get'>> {
  const v5 = await openV5('bench-v5-values', VaultType.SecureStorage);
  const v4 = await openV4('bench-v4-values', false);
  await v5.getValue('session');
  await v4.getValue('session');
  return interleave(
    {
      v5Set: () => perOperation(options.batch, () => v5.setValue('session', VALUE_1KB)),
      v4Store: () => perOperation(options.batch, () => v4.storeValue('session', VALUE_1KB)),
      v5Get: () => perOperation(options.getBatch, () => v5.getValue('session')),
      v4Get: () => perOperation(options.getBatch, () => v4.getValue('session')),
    },
    options,
  );
}

/** `unlock()` of a CustomPasscode `Vault` (the callback answers at once) vs `unlock(true, passcode)`. */
export async function v5Unlock(options: Rounds): Promise<Samples<'v5' | 'v4'>> {
  const v5 = await openV5('bench-v5-unlock', VaultType.CustomPasscode);
  const v4 = await openV4('bench-v4-unlock', true);
  return interleave(
    {
      v5: async () => {
        await v5.lock();
        return timeOnce(() => v5.unlock());
      },
      v4: async () => {
        await v4.lock();
        return timeOnce(() => v4.unlock(true, PASSCODE));
      },
    },
    options,
  );
}
