import { describe, expect, it } from 'vitest';
import { SimulatedDevice } from '../../src/testing/index.js';
import { VaultErrorCodes } from '../../src/core/errors.js';

describe('smoke', () => {
  it('stores, locks and unlocks with a passcode', async () => {
    const device = new SimulatedDevice();
    const vault = device.plugin.getVault({ vaultId: 'v', username: 'u' });
    await vault.setPasscodeEnabled(true);
    await expect(vault.storeValue('k', 1)).rejects.toMatchObject({ code: VaultErrorCodes.MissingPasscode });
    await vault.setPasscode('1234');
    await vault.storeToken('tok-CANARY');
    expect(await vault.getToken()).toBe('tok-CANARY');
    await vault.lock();
    expect(await vault.isLocked()).toBe(true);
    await expect(vault.getToken()).rejects.toMatchObject({ code: VaultErrorCodes.VaultLocked });
    await expect(vault.unlock(true, '0000')).rejects.toMatchObject({ code: VaultErrorCodes.AuthFailed, remainingAttempts: 4 });
    await vault.unlock(true, '1234');
    expect(await vault.getToken()).toBe('tok-CANARY');
    device.restart();
    const again = device.plugin.getVault({ vaultId: 'v', username: 'u' });
    expect(await again.isLocked()).toBe(true);
    await again.setBiometricsEnabled(true).catch((e) => expect(e.code).toBe(VaultErrorCodes.VaultLocked));
    await again.unlock(true, '1234');
    await again.setBiometricsEnabled(true);
    await again.lock();
    await again.unlock();
    expect(await again.getToken()).toBe('tok-CANARY');
    expect(device.storage.dumpText()).not.toContain('CANARY');
  });
});
