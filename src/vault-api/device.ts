/**
 * `Device`: Identity Vault 5.x/6.x's static device API, answered by the platform of the default
 * plugin (`setDefaultPlugin`): WebAuthn availability on the web, the scripted biometrics of a
 * `SimulatedDevice` in tests.
 *
 * Every method is a plain static function, writable like Identity Vault's: app specs reassign them
 * (`Device.isBiometricsEnabled = vi.fn()`) or spy on them (`spyOn(Device, 'showBiometricPrompt')`).
 *
 * How the platform's one biometric port answers Identity Vault's questions (see docs/migration.md):
 * the port reports whether a user-verifying authenticator that can release keys is present, and
 * its type. That authenticator *is* the secure hardware; on the web a platform authenticator also
 * requires a device screen lock, so "system passcode set" is the same fact.
 */
import { DeviceError, DeviceErrorCodes, VaultError, VaultErrorCodes } from '../core/errors.js';
import type { IdentityVault, IonicNativeAuthPlugin } from '../core/types.js';
import { describeType } from '../core/validate.js';
import { defaultPlugin } from '../default-plugin.js';
import { BiometricPermissionState, BiometricSecurityStrength, SupportedBiometricType, type ShowBiometricPromptOptions } from './device-types.js';

/** The engine vaults the Device API uses (never holding app data). */
const DEVICE_VAULT_ID = 'iv5-device';

interface DeviceState {
  /** Keeps the privacy screen setting alive while subscribed. */
  privacy: IdentityVault | undefined;
  hideScreen: boolean;
  /** A vault with biometrics enabled whose unlock is the biometric prompt. */
  prompt: IdentityVault | undefined;
}

const states = new WeakMap<IonicNativeAuthPlugin, DeviceState>();

async function platformState(): Promise<{ plugin: IonicNativeAuthPlugin; state: DeviceState }> {
  let plugin: IonicNativeAuthPlugin;
  try {
    plugin = await defaultPlugin();
  } catch (error) {
    throw new DeviceError(
      DeviceErrorCodes.SecurityNotAvailable,
      'No platform for the Device API: call setDefaultPlugin() (see identity-vault/testing) outside a browser.',
      { cause: error },
    );
  }
  let state = states.get(plugin);
  if (!state) {
    state = { privacy: undefined, hideScreen: false, prompt: undefined };
    states.set(plugin, state);
  }
  return { plugin, state };
}

async function availability(): Promise<{ available: boolean; type: 'touchID' | 'faceID' | 'none' }> {
  const { plugin } = await platformState();
  const probe = plugin.getVault({ vaultId: DEVICE_VAULT_ID, username: 'probe' });
  try {
    const [available, type] = await Promise.all([probe.isBiometricsAvailable(), probe.getBiometricType()]);
    return { available, type };
  } finally {
    await probe.unsubscribe();
  }
}

const DEVICE_CODES: Partial<Record<VaultErrorCodes, DeviceErrorCodes>> = {
  [VaultErrorCodes.UserCanceledInteraction]: DeviceErrorCodes.UserCanceledInteraction,
  [VaultErrorCodes.AuthFailed]: DeviceErrorCodes.AuthFailed,
  [VaultErrorCodes.SecurityNotAvailable]: DeviceErrorCodes.SecurityNotAvailable,
  [VaultErrorCodes.BiometricsNotEnabled]: DeviceErrorCodes.BiometricsNotEnabled,
  [VaultErrorCodes.InvalidArguments]: DeviceErrorCodes.InvalidArguments,
};

function toDeviceError(error: unknown): DeviceError {
  if (error instanceof DeviceError) return error;
  const code = error instanceof VaultError ? (DEVICE_CODES[error.code] ?? DeviceErrorCodes.Unknown) : DeviceErrorCodes.Unknown;
  return new DeviceError(code, error instanceof VaultError ? error.message : 'The biometric prompt failed; see `cause`.', { cause: error });
}

/** One biometric prompt: unlocking a small vault whose key only the platform's biometrics release. */
async function promptOnce(plugin: IonicNativeAuthPlugin, state: DeviceState): Promise<void> {
  state.prompt ??= plugin.getVault({ vaultId: DEVICE_VAULT_ID, username: 'prompt' });
  const vault = state.prompt;
  if (!(await vault.isBiometricsEnabled())) {
    if (await vault.isLocked()) await vault.clear();
    await vault.setBiometricsEnabled(true); // the web's first prompt: the authenticator creates the key
    await vault.storeValue('prompt', true);
  }
  await vault.lock();
  await vault.unlock(false);
}

/** The Identity Vault 5.x/6.x Device API. Static methods only. */
export class Device {
  /** The kinds of biometric hardware the device has (`[]` without). */
  static async getAvailableHardware(): Promise<SupportedBiometricType[]> {
    const { type } = await availability();
    if (type === 'faceID') return [SupportedBiometricType.Face];
    if (type === 'touchID') return [SupportedBiometricType.Fingerprint];
    return [];
  }

  /** `strong` when a key-releasing authenticator is present (it holds the key in hardware), otherwise `weak`. */
  static async getBiometricStrengthLevel(): Promise<BiometricSecurityStrength> {
    return (await availability()).available ? BiometricSecurityStrength.Strong : BiometricSecurityStrength.Weak;
  }

  /** Whether keys can be held by secure hardware the user unlocks (a platform authenticator). */
  static async hasSecureHardware(): Promise<boolean> {
    return (await availability()).available;
  }

  /** Whether the device has biometric hardware (enrolled or not, as far as the platform tells). */
  static async isBiometricsSupported(): Promise<boolean> {
    return (await availability()).type !== 'none';
  }

  /** Whether biometrics are supported and set up by the device's user. */
  static async isBiometricsEnabled(): Promise<boolean> {
    return (await availability()).available;
  }

  /**
   * Whether the app may use biometrics. Only iOS Face ID has such a permission; elsewhere (and on
   * the web, where each WebAuthn prompt is the consent) it is `granted`, as Identity Vault answers on Android.
   */
  static async isBiometricsAllowed(): Promise<BiometricPermissionState> {
    await platformState();
    return BiometricPermissionState.Granted;
  }

  /** Whether the device has a screen lock (a platform authenticator requires one). */
  static async isSystemPasscodeSet(): Promise<boolean> {
    return (await availability()).available;
  }

  /**
   * Whether biometrics are locked out. No platform here reports a lockout (WebAuthn deliberately
   * hides it; a lockout surfaces as a cancelled prompt), so this resolves `false`.
   */
  static async isLockedOutOfBiometrics(): Promise<boolean> {
    await platformState();
    return false;
  }

  /**
   * Shows the platform's biometric prompt. Resolves when the user verified; rejects with a
   * {@link DeviceError} (`UserCanceledInteraction`, `AuthFailed`, `BiometricsNotEnabled`, …).
   * On the web the first call creates a passkey for the page (the browser's prompt), later calls
   * ask the authenticator to verify the user.
   */
  static async showBiometricPrompt(options: ShowBiometricPromptOptions = {}): Promise<void> {
    if (typeof options !== 'object' || options === null) {
      throw new DeviceError(DeviceErrorCodes.InvalidArguments, `showBiometricPrompt needs an options object, got ${describeType(options)}`);
    }
    const { plugin, state } = await platformState();
    if (!(await availability()).available) throw new DeviceError(DeviceErrorCodes.BiometricsNotEnabled, 'Biometrics are not available on this device.');
    try {
      await promptOnce(plugin, state);
    } catch (error) {
      const stale = error instanceof VaultError && (error.code === VaultErrorCodes.InvalidatedCredential || error.code === VaultErrorCodes.KeyNotFound);
      if (!stale) throw toDeviceError(error);
      // Biometrics were re-enrolled (or the passkey deleted): start over with a new key, once.
      try {
        await state.prompt?.clear();
        await state.prompt?.setBiometricsEnabled(false);
        await promptOnce(plugin, state);
      } catch (retryError) {
        throw toDeviceError(retryError);
      }
    }
  }

  /**
   * Hides the app's screen while it is in the background (the app switcher sees a plain cover).
   * `useImmersive` (Android) is accepted and has no effect here.
   */
  static async setHideScreenOnBackground(enabled: boolean, useImmersive?: boolean): Promise<void> {
    if (typeof enabled !== 'boolean' || (useImmersive !== undefined && typeof useImmersive !== 'boolean')) {
      throw new DeviceError(DeviceErrorCodes.InvalidArguments, `setHideScreenOnBackground needs a boolean, got ${describeType(enabled)}`);
    }
    const { plugin, state } = await platformState();
    const previous = state.privacy;
    // The plugin covers the screen while any subscribed vault asks for it; this handle is the Device API's ask.
    state.privacy = plugin.getVault({ vaultId: DEVICE_VAULT_ID, username: 'privacy', hideScreenOnBackground: enabled });
    state.hideScreen = enabled;
    await previous?.unsubscribe();
  }

  /** Whether `setHideScreenOnBackground(true)` is in effect. */
  static async isHideScreenOnBackgroundEnabled(): Promise<boolean> {
    return (await platformState()).state.hideScreen;
  }
}
