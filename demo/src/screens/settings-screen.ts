/**
 * Settings: the vault's auth mode, biometrics and passcode (applied to the unlocked vault at once),
 * how the passcode is typed, and the two load-time options `lockAfter` and `hideScreenOnBackground`.
 */
import type { DemoApp } from '../app.js';
import { h, whileBusy } from '../dom.js';
import { AUTH_MODE_LABELS, AUTH_MODES } from '../messages.js';
import type { AuthMode } from '../vault-lib.js';
import { passcodeEntryChoice, screen, type Notice } from './common.js';

/** The vault's state the settings show. */
export interface VaultSettingsState {
  readonly authMode: AuthMode;
  readonly passcodeEnabled: boolean;
  readonly biometricsEnabled: boolean;
  readonly biometricsAvailable: boolean;
}

export async function readVaultSettings(app: DemoApp): Promise<VaultSettingsState> {
  const { identity } = app;
  const [authMode, passcodeEnabled, biometricsEnabled, biometricsAvailable] = await Promise.all([
    identity.getAuthMode(),
    identity.isPasscodeEnabled(),
    identity.isBiometricsEnabled(),
    identity.isBiometricsAvailable(),
  ]);
  return { authMode, passcodeEnabled, biometricsEnabled, biometricsAvailable };
}

export function settingsScreen(app: DemoApp, state: VaultSettingsState, notice?: Notice): HTMLElement {
  const busy = (work: () => Promise<void>) => (): void => void whileBusy(root, work);

  const mode = h(
    'select',
    { id: 'auth-mode', name: 'auth-mode', 'aria-describedby': 'auth-mode-hint' },
    ...AUTH_MODES.map((m) => h('option', { value: m, selected: m === state.authMode }, AUTH_MODE_LABELS[m])),
  );
  const biometrics: HTMLInputElement = h('input', {
    id: 'biometrics',
    type: 'checkbox',
    checked: state.biometricsEnabled,
    disabled: !state.biometricsAvailable && !state.biometricsEnabled,
    'aria-describedby': 'biometrics-hint',
    onchange: busy(() => app.setBiometrics(biometrics.checked)),
  });
  const lockAfter = h('input', {
    id: 'lock-after',
    type: 'number',
    min: 0,
    step: 1,
    inputmode: 'numeric',
    value: app.settings.lockAfter / 1000,
    'aria-describedby': 'load-time-hint',
  });
  const hide = h('input', { id: 'hide-screen', type: 'checkbox', checked: app.settings.hideScreenOnBackground, 'aria-describedby': 'load-time-hint' });

  const root = screen(
    'settings',
    'Settings',
    notice,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'unlock-title' },
      h('h2', { id: 'unlock-title' }, 'Unlocking'),
      h(
        'div',
        { class: 'field inline' },
        h('label', { for: 'auth-mode' }, 'Auth mode'),
        mode,
        h('button', { type: 'button', onclick: busy(() => app.setAuthMode(Number(mode.value) as AuthMode)) }, 'Apply auth mode'),
      ),
      h(
        'p',
        { id: 'auth-mode-hint', class: 'hint' },
        'Applies to this vault now. “In memory only” erases what is stored: the session ends with the next lock or reload. ' +
          'After logging out, a new vault starts as “Passcode only”, the demo’s configured authMode.',
      ),
      h('div', { class: 'field check' }, biometrics, h('label', { for: 'biometrics' }, 'Unlock with biometrics')),
      h(
        'p',
        { id: 'biometrics-hint', class: 'hint' },
        state.biometricsAvailable
          ? 'Uses this device’s platform authenticator (Touch ID, Windows Hello, Android, a passkey manager) through WebAuthn PRF.'
          : 'Not available: this browser has no user-verifying platform authenticator.',
      ),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', disabled: !state.passcodeEnabled, onclick: busy(() => app.changePasscode()) }, 'Change passcode'),
      ),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'entry-title' },
      h('h2', { id: 'entry-title' }, 'Typing the passcode'),
      passcodeEntryChoice(app.settings.passcodeEntry),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'background-title' },
      h('h2', { id: 'background-title' }, 'In the background'),
      h('div', { class: 'field' }, h('label', { for: 'lock-after' }, 'Lock after this many seconds in the background (0: never)'), lockAfter),
      h('div', { class: 'field check' }, hide, h('label', { for: 'hide-screen' }, 'Hide the screen while the page is in the background')),
      h('p', { id: 'load-time-hint', class: 'hint' }, 'These two take effect on the next load: the vault reads them when the page starts.'),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            onclick: () => {
              const value = Number(lockAfter.value);
              if (!Number.isFinite(value) || value < 0) {
                lockAfter.setCustomValidity('Enter 0 or a positive number of seconds.');
                lockAfter.reportValidity();
                return;
              }
              app.saveLoadTimeSettings({ lockAfter: Math.round(value * 1000), hideScreenOnBackground: hide.checked });
            },
          },
          'Save and reload',
        ),
      ),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', onclick: () => void app.route() }, 'Back to home')),
  );
  lockAfter.addEventListener('input', () => lockAfter.setCustomValidity(''));
  return root;
}
