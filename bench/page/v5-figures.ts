/**
 * The 5.x/6.x API (`Vault`) against the 3.x/4.x API (`IdentityVault` from the plugin) on the same
 * engine: `setValue` vs `storeValue`, `getValue` vs `getValue` (unlocked, cached), `unlock` (a
 * CustomPasscode vault answering `onPasscodeRequested`) vs `unlock(true, passcode)`. Both APIs'
 * vaults in one database from one web plugin, interleaved round by round.
 */
import { DeviceSecurityType, Vault, VaultType, setDefaultPlugin, type IdentityVault, type IonicNativeAuthPlugin } from '../../src/index.js';
import { createWebPlugin } from '../../src/web/index.js';
import { interleave, perOperation, timeOnce, type Samples } from './timing.js';
import type { Rounds } from './unlock-figures.js';
import { VALUE_1KB } from './values.js';
import { PASSCODE, deleteDatabase } from './vaults.js';

/** A 5.x `Vault` of `type` on `plugin` (the default plugin while it is made). */
async function openV5(plugin: IonicNativeAuthPlugin, type: VaultType): Promise<Vault> {
  setDefaultPlugin(plugin);
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

/** A 3.x/4.x vault from `plugin` (`getVault`, as an app's session layer makes one). */
async function openV4(plugin: IonicNativeAuthPlugin, passcode: boolean): Promise<IdentityVault> {
  const vault = await new Promise<IdentityVault>((resolve, reject) => {
    const made = plugin.getVault({ vaultId: 'bench', username: 'v4', onReady: () => resolve(made), onError: reject });
  });
  if (passcode) {
    await vault.setPasscodeEnabled(true);
    await vault.setPasscode(PASSCODE);
  }
  await vault.storeValue('session', VALUE_1KB);
  return vault;
}

/**
 * Both APIs' vaults in ONE database, from one web plugin: the figure compares the two APIs over one
 * engine and one store. (Each in a database of its own, as before, also compared two LevelDB
 * instances, whose log and compaction state differ from run to run.)
 */
async function bothVaults(databaseName: string, type: VaultType, passcode: boolean): Promise<{ v5: Vault; v4: IdentityVault }> {
  await deleteDatabase(databaseName);
  const plugin = createWebPlugin({ databaseName });
  return { v5: await openV5(plugin, type), v4: await openV4(plugin, passcode) };
}

/** `setValue` vs `storeValue` and `getValue` vs `getValue`, SecureStorage, 1 KB. */
export async function v5Values(options: Rounds & { batch: number; getBatch: number }): Promise<Samples<'v5Set' | 'v4Store' | 'v5Get' | 'v4Get'>> {
  const { v5, v4 } = await bothVaults('bench-v5-values', VaultType.SecureStorage, false);
  await v5.getValue('session');
  await v4.getValue('session');
  // Each pair interleaved on its own, so each of the two goes first in every other round. (In one
  // rotation of all four, setValue ran right before storeValue in three rounds of four, and right
  // after the reads: the pairs were not in a balanced order.)
  const writes = await interleave(
    {
      v5Set: () => perOperation(options.batch, () => v5.setValue('session', VALUE_1KB)),
      v4Store: () => perOperation(options.batch, () => v4.storeValue('session', VALUE_1KB)),
    },
    options,
  );
  const reads = await interleave(
    {
      v5Get: () => perOperation(options.getBatch, () => v5.getValue('session')),
      v4Get: () => perOperation(options.getBatch, () => v4.getValue('session')),
    },
    options,
  );
  return { ...writes, ...reads };
}

/** `unlock()` of a CustomPasscode `Vault` (the callback answers at once) vs `unlock(true, passcode)`. */
export async function v5Unlock(options: Rounds): Promise<Samples<'v5' | 'v4'>> {
  const { v5, v4 } = await bothVaults('bench-v5-unlock', VaultType.CustomPasscode, true);
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
