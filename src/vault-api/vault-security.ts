/**
 * How a 5.x/6.x vault type maps onto the engine's unlock methods, and the two moves built on it:
 * unlocking as the stored vault is secured, and re-securing the values for a new type.
 *
 * | type | engine |
 * | --- | --- |
 * | SecureStorage | neither passcode nor biometrics: the data key is wrapped by the device key |
 * | DeviceSecurity | biometrics (the platform's user-verifying key release) |
 * | CustomPasscode | the passcode |
 * | InMemory | in-memory only |
 */
import { securityNotAvailable } from '../core/errors.js';
import type { IdentityVault, PluginConfiguration } from '../core/types.js';
import { VaultType } from './config.js';
import type { PasscodeRequests } from './passcode-requests.js';

/** A vault of identity-vault's own plugin: it always has the in-memory switch (optional in `IdentityVault` for app vaults). */
export type EngineVault = IdentityVault & Required<Pick<IdentityVault, 'isInMemoryOnly' | 'setInMemoryOnly'>>;

/** Unlocks `values` with the method the stored vault has (not the one a pending config wants). */
export async function unlockAsStored(values: IdentityVault, passcodes: PasscodeRequests): Promise<void> {
  if (!(await values.isLocked())) return;
  const state = await values.getConfig();
  if (state.isBiometricsEnabled) return values.unlock(false);
  if (!state.isPasscodeEnabled) return values.unlock();
  if (!passcodes.handledByApp) return values.unlock(true); // the platform's built-in prompt
  return values.unlock(true, await passcodes.request(false));
}

/** Whether the stored vault, as `now` describes it, is secured as `type` says: {@link secureAs} would change nothing. */
export function isSecuredAs(type: VaultType, now: PluginConfiguration): boolean {
  const passcode = type === VaultType.CustomPasscode;
  const setupNeeded = passcode && now.isPasscodeSetupNeeded;
  return (
    now.isInMemoryOnly === (type === VaultType.InMemory) &&
    now.isPasscodeEnabled === passcode &&
    now.isBiometricsEnabled === (type === VaultType.DeviceSecurity) &&
    !setupNeeded
  );
}

/**
 * Makes the stored vault match `type`. Changes go in an order that never leaves the values
 * without a working unlock method: the new method is set up before the old one is removed, and a
 * passcode that could not be set (cancel) switches the passcode off again.
 * @param unlock unlocks the values first when something must change
 */
export async function secureAs(type: VaultType, values: EngineVault, passcodes: PasscodeRequests, unlock: () => Promise<void>): Promise<void> {
  const now = await values.getConfig();
  if (isSecuredAs(type, now)) return;
  const passcode = type === VaultType.CustomPasscode;
  const biometric = type === VaultType.DeviceSecurity;
  const memory = type === VaultType.InMemory;
  await unlock();
  if (memory) return values.setInMemoryOnly(true);
  if (now.isInMemoryOnly) await values.setInMemoryOnly(false);
  if (passcode) {
    await values.setPasscodeEnabled(true);
    if (await values.isPasscodeSetupNeeded()) {
      try {
        if (passcodes.handledByApp) await values.setPasscode(await passcodes.request(true));
        else await values.setPasscode(); // the built-in prompt asks twice
      } catch (error) {
        if (!now.isPasscodeEnabled) await values.setPasscodeEnabled(false).catch(() => undefined);
        throw error;
      }
    }
    if (now.isBiometricsEnabled) await values.setBiometricsEnabled(false);
    return;
  }
  if (biometric) {
    if (!(await values.isBiometricsAvailable())) {
      throw securityNotAvailable('DeviceSecurity needs a user-verifying authenticator (biometrics or the device passcode), and this device has none.');
    }
    await values.setBiometricsEnabled(true);
  } else if (now.isBiometricsEnabled) await values.setBiometricsEnabled(false);
  if (now.isPasscodeEnabled) await values.setPasscodeEnabled(false);
}
