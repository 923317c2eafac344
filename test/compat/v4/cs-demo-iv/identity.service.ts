/**
 * Pattern source: ionic-team/cs-demo-iv (Angular) src/app/services/identity/identity.service.ts,
 * at Identity Vault ~3.4.3 (commit f279347: `login(session)`, `token`, `getPlugin()` on
 * `plt.is('cordova')`) and ~4.2.6 (commit 1b5e361: `login(session, mode)`, the 4.1 prompt options,
 * `getAvailableHardware()`). The shape reproduced: a service that extends
 * `IonicIdentityVaultUser<DefaultSession>`, logs in with `login`, answers the interceptor's
 * `getToken()` from the public `token` (restoring the session when it is empty), overrides
 * `restoreSession` to clear a vault it finds locked, routes on `onVaultLocked`, supplies its own
 * passcode dialog (a cancel throws a plain `{ code, message }` object), and returns its browser
 * plugin from `getPlugin()` when not on a device. Angular's DI, HttpClient, router and modal are
 * replaced by constructor arguments. Written anew here; compiled with that app's settings (not strict).
 */
import {
  AuthMode,
  IonicIdentityVaultUser,
  type IonicNativeAuthPlugin,
  type DefaultSession,
  type VaultConfig,
  type VaultError,
  VaultErrorCodes,
} from 'identity-vault';
import type { FakeIonicPlatform } from '../harness.js';
import type { BrowserAuthPlugin } from './browser-auth.js';

export interface User {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
}

/** The app's settings page choices. */
export interface SettingsService {
  useBiometrics(): Promise<boolean>;
  usePasscode(): Promise<boolean>;
  useSecureStorageMode(): Promise<boolean>;
}

/** The app's PIN dialog (an Ionic modal there): what it was dismissed with. */
export interface PinDialog {
  open(setPasscodeMode: boolean): Promise<{ data?: string; role?: string }>;
}

export class IdentityService extends IonicIdentityVaultUser<DefaultSession> {
  private user: User;
  readonly changed: Array<DefaultSession | undefined> = [];
  readonly navigations: string[] = [];
  readonly events: string[] = [];

  constructor(
    private browserAuthPlugin: BrowserAuthPlugin,
    private plt: FakeIonicPlatform,
    private settings: SettingsService,
    private pinDialog: PinDialog,
  ) {
    super(plt, {
      androidPromptTitle: 'Identity Vault Demo',
      androidPromptSubtitle: 'Demo all the things',
      androidPromptDescription: 'Unlock to see your teas',
      restoreSessionOnReady: false,
      unlockOnReady: false,
      unlockOnAccess: true,
      lockAfter: 5000,
      hideScreenOnBackground: true,
      allowSystemPinFallback: true,
      shouldClearVaultAfterTooManyFailedAttempts: false,
    });
  }

  async set(user: User, token: string): Promise<void> {
    this.user = user;
    const mode = (await this.useBiometrics())
      ? AuthMode.BiometricOnly
      : (await this.settings.usePasscode())
        ? AuthMode.PasscodeOnly
        : (await this.settings.useSecureStorageMode())
          ? AuthMode.SecureStorage
          : AuthMode.InMemoryOnly;
    const session: DefaultSession = { username: user.email, token: token };
    await this.login(session, mode);
    this.changed.push(session);
  }

  private async useBiometrics(): Promise<boolean> {
    const [wanted, available] = await Promise.all([this.settings.useBiometrics(), this.isBiometricsAvailable()]);
    return wanted && available;
  }

  async remove(): Promise<void> {
    await this.logout();
    this.user = undefined;
    this.changed.push(undefined);
  }

  currentUser(): User {
    return this.user;
  }

  async getToken(): Promise<string> {
    if (!this.token) {
      await this.restoreSession();
    }
    return this.token;
  }

  async restoreSession(): Promise<DefaultSession> {
    try {
      return await super.restoreSession();
    } catch (error) {
      if (error.code === VaultErrorCodes.VaultLocked) {
        const vault = await this.getVault();
        await vault.clear();
      } else {
        throw error;
      }
    }
  }

  onSessionRestored(session: DefaultSession) {
    this.changed.push(session);
  }

  onSetupError(error: VaultError): void {
    this.events.push(`setup-error:${error.code}`);
  }

  onConfigChange(config: VaultConfig): void {
    this.events.push(`config:${config.authMode}`);
  }

  onVaultReady(config: VaultConfig): void {
    this.events.push(`ready:${config.authMode}`);
  }

  onVaultUnlocked(config: VaultConfig): void {
    this.events.push(`unlocked:${config.authMode}`);
  }

  async onPasscodeRequest(isPasscodeSetRequest: boolean): Promise<string> {
    const { data, role } = await this.pinDialog.open(isPasscodeSetRequest);
    if (role === 'cancel') {
      throw {
        code: VaultErrorCodes.UserCanceledInteraction,
        message: 'User has canceled supplying the application passcode',
      };
    }
    return Promise.resolve(data || '');
  }

  onVaultLocked() {
    this.events.push('locked');
    this.changed.push(undefined);
    this.navigations.push('login');
  }

  getPlugin(): IonicNativeAuthPlugin {
    if (this.plt.is('capacitor')) {
      return super.getPlugin();
    }
    return this.browserAuthPlugin;
  }

  async supportedBiometricTypes(): Promise<string> {
    let result = '';
    const types = await this.getAvailableHardware();
    types.forEach((t) => (result += `${result ? ', ' : ''}${this.translateBiometricType(t)}`));
    return result;
  }

  private translateBiometricType(type: string): string {
    switch (type) {
      case 'fingerprint':
        return 'Finger Print';
      case 'face':
        return 'Face Match';
      case 'iris':
        return 'Iris Scan';
    }
  }
}
