/**
 * Set-up for the Identity Vault 5.x/6.x tests: every `new Vault()`, `BrowserVault` and `Device`
 * call runs on a SimulatedDevice through `setDefaultPlugin`, as an app's own tests would.
 */
import { afterEach } from 'vitest';
import { setDefaultPlugin, type IdentityVaultConfig, VaultError, VaultErrorCodes } from 'identity-vault';
import { SimulatedDevice, type SimulatedDeviceOptions } from 'identity-vault/testing';

let current: SimulatedDevice | undefined;

/** A fresh simulated device that backs every vault created from now on. */
export function useSimulatedDevice(options: SimulatedDeviceOptions = {}): SimulatedDevice {
  const device = new SimulatedDevice(options);
  current = device;
  setDefaultPlugin(() => device.plugin);
  return device;
}

afterEach(() => {
  current = undefined;
  setDefaultPlugin(undefined);
});

let counter = 0;
/** A config with a key no other test uses. */
export function configFor(overrides: Partial<IdentityVaultConfig> = {}): IdentityVaultConfig {
  counter++;
  return { key: `com.example.vault-${counter}`, ...overrides };
}

/** The code of the VaultError `promise` rejects with (fails when it resolves or rejects otherwise). */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof VaultError)) throw new Error(`expected a VaultError, got ${String(error)}`, { cause: error });
    return VaultErrorCodes[error.code];
  }
  throw new Error('expected a rejection, but it resolved');
}

/** Lets queued promise callbacks run. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

export { current as currentDevice };
