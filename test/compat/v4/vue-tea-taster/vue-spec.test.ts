/**
 * ionic-team/tea-taster-vue's unit tests (commit ef0c4b8) tests/unit/services/SessionVaultService.spec.ts
 * and tests/unit/store/actions.spec.ts: they replace methods on the module-level service instance
 * (`sessionVaultService.getAuthMode = jest.fn()…`, `getVault` resolving a mock vault, `login = jest.fn()`)
 * and test the app's own logic. Reproduced with vi.fn(); the instance must accept the assignments
 * and route the app's calls through them.
 */
import { describe, expect, it, vi } from 'vitest';
import { AuthMode, type IdentityVault } from 'identity-vault';
import { store } from './ionic-vue.js';
import { actions, sessionVaultService, type Session } from './session-vault-service.js';

describe('sessionVaultService.canUnlock with a mock vault', () => {
  function arrange(options: { stored: boolean; locked: boolean; mode: AuthMode; biometrics: boolean }) {
    const vault = { isLocked: vi.fn().mockResolvedValue(options.locked) } as unknown as IdentityVault;
    sessionVaultService.getAuthMode = vi.fn().mockResolvedValue(options.mode);
    sessionVaultService.hasStoredSession = vi.fn().mockResolvedValue(options.stored);
    sessionVaultService.isBiometricsAvailable = vi.fn().mockResolvedValue(options.biometrics);
    sessionVaultService.getVault = vi.fn().mockResolvedValue(vault);
  }

  it('is false without a stored session, or when the vault is not locked', async () => {
    arrange({ stored: false, locked: true, mode: AuthMode.PasscodeOnly, biometrics: true });
    expect(await sessionVaultService.canUnlock()).toBe(false);
    arrange({ stored: true, locked: false, mode: AuthMode.PasscodeOnly, biometrics: true });
    expect(await sessionVaultService.canUnlock()).toBe(false);
  });

  it('is false for the modes that do not lock, true for the passcode modes, and depends on biometrics for BiometricOnly', async () => {
    for (const mode of [AuthMode.InMemoryOnly, AuthMode.SecureStorage]) {
      arrange({ stored: true, locked: true, mode, biometrics: true });
      expect(await sessionVaultService.canUnlock()).toBe(false);
    }
    for (const mode of [AuthMode.PasscodeOnly, AuthMode.BiometricAndPasscode]) {
      arrange({ stored: true, locked: true, mode, biometrics: false });
      expect(await sessionVaultService.canUnlock()).toBe(true);
    }
    arrange({ stored: true, locked: true, mode: AuthMode.BiometricOnly, biometrics: false });
    expect(await sessionVaultService.canUnlock()).toBe(false);
    arrange({ stored: true, locked: true, mode: AuthMode.BiometricOnly, biometrics: true });
    expect(await sessionVaultService.canUnlock()).toBe(true);
  });
});

describe('the login action with a mocked sessionVaultService.login', () => {
  it('calls login(session, authMode) and commits the session', async () => {
    sessionVaultService.login = vi.fn();
    const session: Session = { token: '12341234', user: { id: 42, firstName: 'Douglas', lastName: 'Adams', email: 'fish@yummy.com' } };
    await actions.login({ session, authMode: AuthMode.BiometricAndPasscode });
    expect(sessionVaultService.login).toHaveBeenCalledWith(session, AuthMode.BiometricAndPasscode);
    expect(store.state.session).toEqual(session);
  });
});
