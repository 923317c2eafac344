/**
 * The size figure's 5.x/6.x app: a vault made the way Ionic's own demos make one
 * (ionic-enterprise/tutorials-and-demos-vue, `demos/security-trifecta/src/composables/vault-factory.ts`:
 * `new Vault()` on a native platform, `new BrowserVault()` on the web), initialised with a config,
 * with lock/unlock handlers, an app-made passcode prompt, and `Device` for the biometric checks.
 * Capacitor's own platform check is replaced by a global lookup: its weight is not ours.
 */
import { BrowserVault, Device, DeviceSecurityType, Vault, VaultType, type IdentityVaultConfig } from 'identity-vault';

const config: IdentityVaultConfig = {
  key: 'com.example.size',
  type: VaultType.CustomPasscode,
  deviceSecurityType: DeviceSecurityType.None,
  lockAfterBackgrounded: 5000,
  shouldClearVaultAfterTooManyFailedAttempts: true,
  customPasscodeInvalidUnlockAttempts: 5,
  unlockVaultOnLoad: false,
};

const isNative = (globalThis as { Capacitor?: { isNativePlatform?(): boolean } }).Capacitor?.isNativePlatform?.() === true;
const vault = isNative ? new Vault() : new BrowserVault();

async function start(): Promise<void> {
  await vault.initialize(config);
  vault.onLock(() => (document.body.dataset['state'] = 'locked'));
  vault.onUnlock(() => (document.body.dataset['state'] = 'unlocked'));
  vault.onPasscodeRequested(async (isPasscodeSetRequest, onComplete) => {
    onComplete(window.prompt(isPasscodeSetRequest ? 'Choose a passcode' : 'Passcode') ?? '');
  });
  document.body.dataset['biometrics'] = String(await Device.isBiometricsEnabled());
  const session = await vault.getValue<{ token: string }>('session');
  document.body.dataset['session'] = session ? 'restored' : 'none';
}

void start();
