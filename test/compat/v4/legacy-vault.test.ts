/**
 * Vaults written by identity-vault 0.1.0 still open after the AuthMode renumbering. 0.1.0 numbered
 * AuthMode in the 3.0 order (InMemoryOnly 0, PasscodeOnly 1, BiometricOnly 2, BiometricAndPasscode 3,
 * SecureStorage 4); Identity Vault 4.x numbers them BiometricOnly 0, PasscodeOnly 1,
 * BiometricAndPasscode 2, InMemoryOnly 3, BiometricOrPasscode 4, SecureStorage 5, and this package
 * now does too. A vault never stores an AuthMode number: it stores which unlock methods are on
 * (fixtures/vault-0.1.0-passcode.json, written by 0.1.0 itself: `passcodeEnabled`,
 * `biometricsEnabled`, wraps), and the mode is derived from them. So an old vault opens with the
 * mode it had, whatever number that mode had then.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AuthMode, IonicIdentityVaultUser, type DefaultSession } from 'identity-vault';
import { SimulatedDevice } from 'identity-vault/testing';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/vault-0.1.0-passcode.json', import.meta.url), 'utf8')) as { records: Record<string, string> };

class Identity extends IonicIdentityVaultUser<DefaultSession> {
  async onPasscodeRequest(): Promise<string> {
    return '2468';
  }
}

describe('a vault written by identity-vault 0.1.0', () => {
  it('holds no AuthMode number, only the unlock switches', () => {
    const meta = JSON.parse(fixture.records['iv1/app/legacy/meta']!) as Record<string, unknown>;
    expect(Object.keys(meta).sort()).toEqual(['biometricsEnabled', 'credential', 'kid', 'passcodeEnabled', 'v', 'wraps']);
    expect(JSON.stringify(fixture.records)).not.toMatch(/authMode/i);
  });

  it('opens as PasscodeOnly, whatever authMode the app now configures, and unlocks with its passcode', async () => {
    const device = new SimulatedDevice({ biometricType: 'faceID' });
    device.storage.restoreSnapshot(new Map(Object.entries(fixture.records)));
    const user = new Identity(
      { ready: async () => undefined },
      { authMode: AuthMode.BiometricAndPasscode, plugin: device.plugin, unlockOnAccess: true },
      { username: 'legacy', vaultId: 'app' },
    );
    await user.ready();
    expect(await user.getAuthMode()).toBe(AuthMode.PasscodeOnly); // not reconfigured: it holds data
    expect(await (await user.getVault()).isLocked()).toBe(true);
    expect(await user.restoreSession()).toEqual({ username: 'legacy', token: 'token-written-by-0.1.0' });
    expect(user.token).toBe('token-written-by-0.1.0');
    expect(await (await user.getVault()).getValue('refresh')).toEqual({ r: 'refresh-written-by-0.1.0' });
    expect(await (await user.getVault()).getKeys()).toEqual(expect.arrayContaining(['session', 'refresh']));
  });

  it('AuthMode numbers are Identity Vault 4.x’s', () => {
    expect({ ...AuthMode }).toMatchObject({
      BiometricOnly: 0,
      PasscodeOnly: 1,
      BiometricAndPasscode: 2,
      InMemoryOnly: 3,
      BiometricOrPasscode: 4,
      SecureStorage: 5,
    });
    expect(Object.keys(AuthMode).filter((key) => Number.isNaN(Number(key)))).toHaveLength(6);
  });
});
