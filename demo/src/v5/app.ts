/**
 * The 5.x/6.x page: log in → the token goes into the vault → lock → unlock → log out, the same
 * journey as the main demo, through `Vault` / `BrowserVault` and `Device`. Plain DOM; every
 * screen carries `data-screen` (v5-login, v5-pin, v5-home, v5-locked) for people and tests.
 */
import { fetchMe, fetchWithToken, login, logoutOnServer, ApiError } from '../api-client.js';
import { details, h, whileBusy } from '../dom.js';
import { VaultError, VaultErrorCodes, type OnCompleteFunction } from './library.js';
import * as sessionVault from './session-vault.js';

function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof VaultError) {
    if (error.code === VaultErrorCodes.UserCanceledInteraction) return 'Cancelled.';
    if (error.code === VaultErrorCodes.AuthFailed) return 'That PIN is not right.';
    if (error.code === VaultErrorCodes.TooManyFailedAttempts) return 'Too many wrong PINs: the vault was erased. Log in again.';
    return error.message;
  }
  return 'Something went wrong.';
}

export class DemoV5App {
  private notice = '';

  constructor(private readonly root: HTMLElement) {}

  async start(): Promise<void> {
    await sessionVault.initializeVault({
      askPasscode: (isPasscodeSetRequest, onComplete) => this.showPinForm(isPasscodeSetRequest, onComplete),
      onLock: () => void this.route(),
    });
    await this.route();
  }

  private async route(): Promise<void> {
    if (!(await sessionVault.hasSession())) return this.show(await this.loginScreen());
    if (await sessionVault.isLocked()) return this.show(this.lockedScreen());
    const session = await sessionVault.getSession();
    if (!session) return this.show(await this.loginScreen());
    return this.show(await this.homeScreen(session));
  }

  private show(screen: HTMLElement): void {
    this.root.replaceChildren(screen);
    screen.querySelector<HTMLElement>('input, button')?.focus();
  }

  private screen(name: string, title: string, ...children: Array<Node | string | false | null>): HTMLElement {
    const notice = h('p', { class: 'notice', role: 'status', 'data-testid': 'v5-notice' }, this.notice);
    this.notice = '';
    return h('section', { 'data-screen': name, 'aria-labelledby': `${name}-title` }, h('h1', { id: `${name}-title` }, title), notice, ...children);
  }

  private async loginScreen(): Promise<HTMLElement> {
    const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
    const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    const biometrics = await sessionVault.canUseBiometrics();
    const mode = h(
      'select',
      { id: 'unlock-mode', name: 'unlock-mode' },
      h('option', { value: 'CustomPasscode' }, 'Custom passcode (VaultType.CustomPasscode)'),
      h(
        'option',
        { value: 'Biometrics', disabled: !biometrics },
        `Device security, biometrics (VaultType.DeviceSecurity)${biometrics ? '' : ': not on this device'}`,
      ),
      h('option', { value: 'SecureStorage' }, 'Secure storage, never locks (VaultType.SecureStorage)'),
    );
    const problem = h('p', { class: 'notice error', role: 'alert', 'data-testid': 'v5-error' });
    const form = h(
      'form',
      {
        class: 'card',
        onsubmit: (event) => {
          event.preventDefault();
          problem.textContent = '';
          void whileBusy(form, async () => {
            try {
              const result = await login(username.value.trim(), password.value);
              await sessionVault.setUnlockMode(mode.value as sessionVault.UnlockMode);
              await sessionVault.storeSession({ token: result.token, username: result.username });
              await this.route();
            } catch (error) {
              problem.textContent = describeError(error);
            }
          });
        },
      },
      h('div', { class: 'field' }, h('label', { for: 'username' }, 'Username'), username),
      h('div', { class: 'field' }, h('label', { for: 'password' }, 'Password'), password),
      h('div', { class: 'field' }, h('label', { for: 'unlock-mode' }, 'Protect the session with'), mode),
      problem,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Log in')),
    );
    return this.screen('v5-login', 'Log in (5.x/6.x API)', form, h('p', { class: 'hint' }, 'Demo users: alice / correct horse, bob / battery staple.'));
  }

  /** The app's own PIN form, answering `onPasscodeRequested` through `onComplete` (`''` cancels). */
  private showPinForm(isPasscodeSetRequest: boolean, onComplete: OnCompleteFunction): void {
    const pin = h('input', { id: 'pin', name: 'pin', type: 'password', inputmode: 'numeric', autocomplete: 'off', required: true, minlength: 4 });
    const back = this.root.firstElementChild;
    let answered = false;
    const answer = (code: string): void => {
      if (answered) return;
      answered = true;
      if (back) this.root.replaceChildren(back);
      onComplete(code);
    };
    const form = h(
      'form',
      {
        class: 'card',
        onsubmit: (event) => {
          event.preventDefault();
          answer(pin.value);
        },
      },
      h('div', { class: 'field' }, h('label', { for: 'pin' }, isPasscodeSetRequest ? 'Choose a PIN' : 'Your PIN'), pin),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', class: 'primary' }, 'OK'),
        h('button', { type: 'button', onclick: () => answer('') }, 'Cancel'),
      ),
    );
    this.show(this.screen('v5-pin', isPasscodeSetRequest ? 'Set a PIN for this vault' : 'Unlock with your PIN', form));
  }

  private async homeScreen(session: sessionVault.Session): Promise<HTMLElement> {
    let profile: Node | string;
    try {
      const me = await fetchMe(fetchWithToken(session.token));
      profile = `${me.displayName} (${me.email})`;
    } catch (error) {
      profile = describeError(error);
    }
    const actions = h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', onclick: () => void whileBusy(actions, () => sessionVault.lock()) }, 'Lock'),
      h('button', { type: 'button', onclick: () => void whileBusy(actions, () => this.logout()) }, 'Log out'),
    );
    return this.screen(
      'v5-home',
      'Signed in',
      h(
        'div',
        { class: 'card' },
        details([
          ['User', h('span', { 'data-testid': 'v5-user' }, profile)],
          ['Protected by', sessionVault.unlockMode()],
        ]),
      ),
      actions,
    );
  }

  private lockedScreen(): HTMLElement {
    const actions = h(
      'div',
      { class: 'actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          onclick: () =>
            void whileBusy(actions, async () => {
              try {
                await sessionVault.unlock();
              } catch (error) {
                this.notice = describeError(error);
              }
              await this.route();
            }),
        },
        'Unlock',
      ),
      h('button', { type: 'button', onclick: () => void whileBusy(actions, () => this.logout()) }, 'Log out'),
    );
    return this.screen('v5-locked', 'Locked', h('p', {}, 'The session is in the vault, encrypted. Unlock to use it.'), actions);
  }

  private async logout(): Promise<void> {
    const session = (await sessionVault.isLocked()) ? null : await sessionVault.getSession();
    if (session) await logoutOnServer(fetchWithToken(session.token)).catch(() => undefined);
    await sessionVault.clearSession();
    this.notice = 'Logged out: the vault was removed.';
    await this.route();
  }
}
