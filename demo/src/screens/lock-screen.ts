/** The vault is locked: unlock with biometrics and/or the passcode, or give up the session. */
import type { DemoApp } from '../app.js';
import { h, whileBusy } from '../dom.js';
import { MAX_ATTEMPTS } from '../identity-service.js';
import { AUTH_MODE_LABELS, authModeOf } from '../messages.js';
import { AuthMode } from '../vault-lib.js';
import { screen, type Notice } from './common.js';

/** What the lock screen shows, read from the locked vault (its configuration is not secret). */
export interface LockState {
  readonly authMode: AuthMode;
  readonly passcodeEnabled: boolean;
  readonly biometricsEnabled: boolean;
  readonly biometricsAvailable: boolean;
  /** Resolves with the passcode attempts left (it may wait for a prompt that is open). */
  readonly remainingAttempts: Promise<number>;
}

/**
 * Reads the lock screen's state without waiting on the vault's queue: while the built-in dialog
 * or a biometric prompt is open, the vault answers queries only after it closes, so the screen
 * behind the prompt is drawn from `vault.config` (kept current by the vault's events).
 */
export async function readLockState(app: DemoApp): Promise<LockState> {
  const vault = await app.identity.getVault();
  const config = vault.config ?? (await vault.getConfig());
  return {
    authMode: authModeOf(config),
    passcodeEnabled: config.isPasscodeEnabled,
    biometricsEnabled: config.isBiometricsEnabled,
    biometricsAvailable: await app.identity.isBiometricsAvailable(), // asks the platform, not the queue
    remainingAttempts: vault.remainingAttempts(),
  };
}

export function lockScreen(app: DemoApp, state: LockState, notice?: Notice): HTMLElement {
  const buttons: HTMLButtonElement[] = [];
  const unlockButton = (label: string, mode: AuthMode | undefined, primary: boolean): HTMLButtonElement => {
    const button = h(
      'button',
      { type: 'button', class: primary ? 'primary' : undefined, onclick: () => void whileBusy(actions, () => app.unlock(mode)) },
      label,
    );
    buttons.push(button);
    return button;
  };
  const canUseBiometrics = state.biometricsEnabled && state.biometricsAvailable;
  if (canUseBiometrics) unlockButton('Unlock with biometrics', AuthMode.BiometricOnly, true);
  if (state.passcodeEnabled) unlockButton('Unlock with passcode', AuthMode.PasscodeOnly, !canUseBiometrics);
  if (!state.passcodeEnabled && !state.biometricsEnabled) unlockButton('Unlock', undefined, true);
  const actions = h('div', { class: 'actions' }, ...buttons);
  const attemptsLeft = h('li', { 'data-testid': 'attempts-left' }, 'Passcode attempts left before the vault is erased: …');
  void state.remainingAttempts.then(
    (left) => (attemptsLeft.textContent = `Passcode attempts left before the vault is erased: ${left} of ${MAX_ATTEMPTS}`),
    () => attemptsLeft.remove(),
  );
  const forget = h(
    'button',
    { type: 'button', class: 'link', onclick: () => void whileBusy(actions, () => app.forgetLockedSession()) },
    'Log out and erase the vault on this device',
  );
  return screen(
    'locked',
    'Vault locked',
    notice,
    h('p', {}, 'Your session is stored encrypted on this device. Unlock the vault to continue.'),
    h(
      'ul',
      { class: 'facts' },
      h('li', {}, 'Unlock method: ', h('strong', {}, AUTH_MODE_LABELS[state.authMode])),
      state.passcodeEnabled && attemptsLeft,
      state.biometricsEnabled && !state.biometricsAvailable && h('li', {}, 'Biometric unlock is on, but this device has no biometric authenticator right now.'),
    ),
    actions,
    h('p', { class: 'secondary-actions' }, forget),
  );
}
