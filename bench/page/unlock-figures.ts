/**
 * Unlock figures: passcode vs the KDF alone, biometrics vs a bare WebAuthn `get()`, and unlock
 * cost against the number of values stored.
 */
import type { IdentityVault } from '../../src/index.js';
import { PBKDF2_MIN_ITERATIONS } from '../../src/platform/index.js';
import { bareWebAuthnGet, createPrfCredential, kdfAlone } from './baselines.js';
import { interleave, timeOnce, type Samples } from './timing.js';
import { VALUE_1KB, valueOfSize } from './values.js';
import { PASSCODE, deleteDatabase, fillVault, openVault } from './vaults.js';

export interface Rounds {
  readonly rounds: number;
  readonly warmup: number;
}

async function lockedThenTimedUnlock(vault: IdentityVault, unlock: () => Promise<void>): Promise<number> {
  await vault.lock();
  return timeOnce(unlock);
}

/** Unlock with passcode (attempt counter write + PBKDF2 600k + unwrap + counter delete) vs PBKDF2 600k alone. */
export async function passcodeUnlock(options: Rounds): Promise<Samples<'vault' | 'kdf'>> {
  await deleteDatabase('bench-passcode');
  const vault = await openVault('bench-passcode', { vaultId: 'bench', username: 'passcode' });
  await vault.setPasscodeEnabled(true);
  await vault.setPasscode(PASSCODE);
  await vault.storeValue('session', VALUE_1KB);
  return interleave(
    {
      vault: () => lockedThenTimedUnlock(vault, () => vault.unlock(true, PASSCODE)),
      kdf: () => timeOnce(() => kdfAlone(PASSCODE, PBKDF2_MIN_ITERATIONS)),
    },
    options,
  );
}

/** Biometric unlock (WebAuthn get with PRF + HKDF + unwrap) vs a bare `get()` with PRF, one virtual authenticator. */
export async function biometricUnlock(options: Rounds): Promise<Samples<'vault' | 'bare'>> {
  await deleteDatabase('bench-biometrics');
  const vault = await openVault('bench-biometrics', { vaultId: 'bench', username: 'biometrics' });
  await vault.setBiometricsEnabled(true);
  await vault.storeValue('session', VALUE_1KB);
  const credential = await createPrfCredential();
  return interleave(
    {
      vault: () => lockedThenTimedUnlock(vault, () => vault.unlock()),
      bare: () => timeOnce(() => bareWebAuthnGet(credential)),
    },
    options,
  );
}

/** Store sizes of the scaling figure. */
export const SCALE_SIZES = [10, 1_000, 10_000] as const;

/**
 * Unlock of vaults holding 10 / 1,000 / 10,000 values (1 KB each, each size in its own database),
 * round-robin: by passcode (the target figure) and by the device key (`SecureStorage`, no KDF, so
 * any cost that grows with the store shows).
 */
export async function unlockByStoreSize(options: Rounds): Promise<Record<string, number[]>> {
  const runners: Record<string, () => Promise<number>> = {};
  for (const size of SCALE_SIZES) {
    for (const auth of ['passcode', 'device'] as const) {
      const name = `bench-scale-${auth}-${size}`;
      await deleteDatabase(name);
      const vault = await openVault(name, { vaultId: 'bench', username: `${auth}-${size}` });
      await fillVault(vault, size, (i) => valueOfSize(1024, i), auth);
      runners[`${auth}:${size}`] = () => lockedThenTimedUnlock(vault, () => (auth === 'passcode' ? vault.unlock(true, PASSCODE) : vault.unlock()));
    }
  }
  return interleave(runners, options);
}
