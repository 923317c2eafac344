/**
 * The demo app: which screen shows, and what each button does with the identity service.
 *
 * The screens follow the vault. At load the service restores the session (`restoreSessionOnReady`),
 * asking to unlock first when it is locked; a lock (the button, `lockAfter` in the background, or
 * another tab) calls `onVaultLocked` and the lock screen comes up; unlocking reads the session again.
 */
import { fetchMe, fetchWithToken, login, logoutOnServer, ApiError } from './api-client.js';
import { h } from './dom.js';
import { IdentityService, type DemoSession } from './identity-service.js';
import { AUTH_MODE_LABELS, describeError, wrongPasscode } from './messages.js';
import { PinPad } from './pin-pad.js';
import type { Notice } from './screens/common.js';
import { screen } from './screens/common.js';
import { homeScreen } from './screens/home-screen.js';
import { lockScreen, readLockState } from './screens/lock-screen.js';
import { loginScreen } from './screens/login-screen.js';
import { readVaultSettings, settingsScreen } from './screens/settings-screen.js';
import { loadSettings, saveSettings, type DemoSettings } from './settings.js';
import { AuthMode, createAuthFetch, isVaultError, VaultErrorCodes, type LockEvent, type VaultError } from './vault-lib.js';

type ScreenName = 'starting' | 'login' | 'home' | 'locked' | 'settings' | 'failed';

export class DemoApp {
  readonly identity: IdentityService;
  /** `fetch` with the session's bearer token on same-origin requests. */
  readonly authFetch: typeof fetch;
  /** The settings the vault was created with (lockAfter and hideScreenOnBackground apply from load). */
  readonly loadedSettings: DemoSettings;
  readonly #root: HTMLElement;
  readonly #pinPad = new PinPad();
  #screen: ScreenName = 'starting';
  /** Bumped by every navigation, so a slower render that started earlier does not win. */
  #navigation = 0;
  /** True until `ready()` settles. */
  #starting = true;
  /** An error of the unlock/restore at ready, shown once ready resolves. */
  #readyError: VaultError | undefined;
  /** Set while {@link DemoApp.unlock} runs: the PIN pad stays open after a PIN, and shows `problem`. */
  #pinRetry: { problem?: string } | undefined;

  constructor(root: HTMLElement) {
    this.#root = root;
    this.loadedSettings = loadSettings();
    this.identity = new IdentityService(this.loadedSettings, {
      passcode: (isSetRequest) => this.#passcode(isSetRequest),
      locked: (event) => this.#locked(event),
      setupError: (error) => this.#setupError(error),
    });
    this.authFetch = createAuthFetch(this.identity, { allowedOrigins: [location.origin] });
  }

  /** The current settings (the passcode entry choice applies at once). */
  get settings(): DemoSettings {
    return loadSettings();
  }

  /** The screen on show (for tests and debugging). */
  get screenName(): ScreenName {
    return this.#screen;
  }

  async start(): Promise<void> {
    this.#show('starting', screen('starting', 'Opening the vault…', undefined, h('p', {}, 'Checking for a saved session.')));
    try {
      await this.identity.ready();
      this.#starting = false;
    } catch (error) {
      this.#starting = false;
      const retry = h('button', { type: 'button', class: 'primary', onclick: () => location.reload() }, 'Try again');
      this.#show(
        'failed',
        screen(
          'failed',
          'The vault could not be opened',
          { text: describeError(error, 'Opening the vault'), kind: 'error' },
          h('div', { class: 'actions' }, retry),
        ),
      );
      return;
    }
    const error = this.#readyError;
    this.#readyError = undefined;
    if (isVaultError(error, VaultErrorCodes.TooManyFailedAttempts)) return this.#wiped();
    await this.#attempt('Restoring the session', () => this.route(error ? { text: describeError(error, 'Unlocking'), kind: 'error' } : undefined));
  }

  /** Shows the screen the vault's state calls for: lock screen, home, or login. */
  async route(notice?: Notice): Promise<void> {
    const navigation = ++this.#navigation;
    const vault = await this.identity.getVault();
    if (await vault.isLocked()) return this.#showLocked(notice, navigation);
    const session = await this.identity.restoreSession();
    if (session === undefined) return this.#showLogin(notice, navigation);
    const authMode = await this.identity.getAuthMode();
    if (navigation === this.#navigation) this.#show('home', homeScreen(this, session, authMode, notice));
  }

  async showSettings(notice?: Notice): Promise<void> {
    const navigation = ++this.#navigation;
    const state = await readVaultSettings(this);
    if (navigation === this.#navigation) this.#show('settings', settingsScreen(this, state, notice));
  }

  // ---- actions (buttons) --------------------------------------------------------------------

  /** Logs in; resolves with the problem in words, or `undefined` once home shows. */
  async login(username: string, password: string): Promise<string | undefined> {
    let token: string;
    let expiresAt: string;
    try {
      ({ token, expiresAt } = await login(username, password));
    } catch (error) {
      return error instanceof ApiError ? error.message : describeError(error, 'Logging in');
    }
    const withToken = fetchWithToken(token);
    try {
      const me = await fetchMe(withToken);
      const session: DemoSession = { username: me.username, token, displayName: me.displayName, email: me.email, expiresAt };
      // A new vault asks for a passcode here (onPasscodeRequest(true)).
      await this.identity.saveSession(session);
    } catch (error) {
      await logoutOnServer(withToken).catch(() => undefined);
      return `${describeError(error, 'Setting up the vault')} You are not logged in.`;
    }
    await this.route({ text: 'Logged in. Your session is saved in the vault.', kind: 'info' });
    return undefined;
  }

  /**
   * Unlocks with `mode` (or the vault's own), then shows home. With the PIN pad, a wrong PIN keeps
   * the pad open with the attempts left and asks again, as the built-in dialog does (there the
   * library does it; the PIN pad is the app's own, so the app does).
   */
  async unlock(mode: AuthMode | undefined): Promise<void> {
    this.#pinRetry = {};
    try {
      for (let using = mode; ; using = AuthMode.PasscodeOnly) {
        try {
          await this.identity.unlock(using);
          break;
        } catch (error) {
          const wrongPin = this.#pinPad.isChecking && isVaultError(error, VaultErrorCodes.AuthFailed) && (error.remainingAttempts ?? 0) > 0;
          if (wrongPin) {
            this.#pinRetry = { problem: wrongPasscode(error.remainingAttempts!) };
            continue; // the pad is still open; the retry asks in it again, without biometrics first
          }
          if (isVaultError(error, VaultErrorCodes.TooManyFailedAttempts)) return this.#wiped();
          return this.#showLocked({ text: describeError(error, 'Unlocking'), kind: 'error' });
        }
      }
    } finally {
      this.#pinRetry = undefined;
      this.#pinPad.close();
    }
    await this.#attempt('Reading the session', () => this.route({ text: 'Unlocked.', kind: 'info' }));
  }

  async lock(): Promise<void> {
    await this.#attempt('Locking', () => this.identity.lockOut()); // onVaultLocked shows the lock screen
  }

  /** Revokes the token on the server, empties the vault, back to login. */
  async logout(): Promise<void> {
    await this.#attempt('Logging out', async () => {
      await logoutOnServer(this.authFetch).catch(() => undefined); // already invalid: nothing to revoke
      await this.identity.logout();
      await this.route({ text: 'You are logged out. The vault on this device is empty.', kind: 'info' });
    });
  }

  /** From the lock screen: the token cannot be read without unlocking, so only the vault is emptied (the token expires on the server). */
  async forgetLockedSession(): Promise<void> {
    await this.#attempt('Erasing the vault', async () => {
      await this.identity.logout();
      await this.route({ text: 'The vault on this device was erased. Log in again.', kind: 'info' });
    });
  }

  async setAuthMode(mode: AuthMode): Promise<void> {
    await this.#settingsAction('Changing the auth mode', async () => {
      await this.identity.setAuthMode(mode);
      return `Auth mode is now “${AUTH_MODE_LABELS[mode]}”.`;
    });
  }

  async setBiometrics(enabled: boolean): Promise<void> {
    await this.#settingsAction(enabled ? 'Turning on biometric unlock' : 'Turning off biometric unlock', async () => {
      await this.identity.setBiometricsEnabled(enabled);
      return enabled ? 'Biometric unlock is on.' : 'Biometric unlock is off.';
    });
  }

  async changePasscode(): Promise<void> {
    await this.#settingsAction('Changing the passcode', async () => {
      await this.identity.setPasscode();
      return 'Passcode changed.';
    });
  }

  /** Saves lockAfter / hideScreenOnBackground and reloads, since the vault reads them at load. */
  saveLoadTimeSettings(changes: Pick<DemoSettings, 'lockAfter' | 'hideScreenOnBackground'>): void {
    saveSettings(changes);
    location.reload();
  }

  // ---- hooks of the identity service --------------------------------------------------------

  async #passcode(isSetRequest: boolean): Promise<string | undefined> {
    // At load, restoreSessionOnReady unlocks the vault: show the lock screen behind the prompt.
    if (!isSetRequest && this.#screen === 'starting') void this.#showLocked({ text: 'Unlocking…', kind: 'info' });
    if (this.settings.passcodeEntry === 'dialog') return undefined; // the library's built-in dialog
    if (isSetRequest || this.#pinRetry === undefined) return this.#pinPad.ask(isSetRequest ? 'setup' : 'unlock');
    return this.#pinPad.ask('unlock', { staysOpen: true, ...this.#pinRetry });
  }

  #locked(event: LockEvent): void {
    if (this.#screen === 'login' || this.#screen === 'starting' || this.#screen === 'failed') return;
    if (!event.saved) {
      void this.route({ text: 'The vault was locked. It kept the session in memory only, so the session is gone: log in again.', kind: 'info' });
      return;
    }
    const after = this.loadedSettings.lockAfter / 1000;
    const text = event.timeout ? `The vault locked after ${after} second${after === 1 ? '' : 's'} in the background.` : 'The vault is locked.';
    void this.#showLocked({ text, kind: 'info' }, ++this.#navigation);
  }

  #setupError(error: VaultError): void {
    if (this.#starting) this.#readyError = error;
    else console.warn(`identity-vault demo: ${error.codeName}: ${error.message}`);
  }

  // ---- screens ------------------------------------------------------------------------------

  async #showLocked(notice: Notice | undefined, navigation = ++this.#navigation): Promise<void> {
    const state = await readLockState(this);
    if (navigation === this.#navigation) this.#show('locked', lockScreen(this, state, notice));
  }

  async #showLogin(notice: Notice | undefined, navigation: number): Promise<void> {
    if (navigation === this.#navigation) this.#show('login', loginScreen(this, notice));
  }

  /** Too many wrong passcodes: the vault erased itself; reset it to the configured mode and log in again. */
  async #wiped(): Promise<void> {
    await this.#attempt('Resetting the vault', async () => {
      await this.identity.logout();
      await this.route({ text: 'Too many wrong passcodes: the vault was erased. Log in again.', kind: 'error' });
    });
  }

  /** Runs a button's work; a failure nobody expected still ends on a screen that says what failed. */
  async #attempt(doing: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      console.error(error);
      const notice: Notice = { text: describeError(error, doing), kind: 'error' };
      await this.route(notice).catch(() => this.#show('failed', screen('failed', 'Something went wrong', notice)));
    }
  }

  async #settingsAction(doing: string, work: () => Promise<string>): Promise<void> {
    let notice: Notice;
    try {
      notice = { text: await work(), kind: 'info' };
    } catch (error) {
      if (isVaultError(error, VaultErrorCodes.TooManyFailedAttempts)) return this.#wiped();
      notice = { text: describeError(error, doing), kind: 'error' };
    }
    if (this.#screen === 'settings') await this.showSettings(notice);
  }

  #show(name: ScreenName, element: HTMLElement): void {
    this.#screen = name;
    this.#root.replaceChildren(element);
    document.title = `${element.querySelector('h1')?.textContent ?? 'identity-vault'} · identity-vault demo`;
    // Move focus to the new screen's heading, unless a modal prompt holds it.
    if (document.querySelector('dialog[open]') === null) element.querySelector<HTMLElement>('h1')?.focus();
  }
}
