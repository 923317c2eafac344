/**
 * Pattern of ionic-enterprise/tutorials-and-demos-react, demos/auth-playground/src/pages/device-info/DeviceInfoPage.tsx
 * (a page listing what the device can do, and a "show biometric prompt" button), without React:
 * every `Device` capability read at once, and the prompt result as the page shows it.
 */
import { BiometricPermissionState, BiometricSecurityStrength, Device, type SupportedBiometricType } from 'identity-vault';

export interface DeviceInfo {
  hasSecureHardware: boolean;
  biometricsSupported: boolean;
  biometricsEnabled: boolean;
  biometricsAllowed: BiometricPermissionState;
  biometricStrength: BiometricSecurityStrength;
  systemPasscode: boolean;
  lockedOut: boolean;
  availableHardware: SupportedBiometricType[];
}

export const loadDeviceInfo = async (): Promise<DeviceInfo> => {
  const [hasSecureHardware, biometricsSupported, biometricsEnabled, biometricsAllowed, biometricStrength, systemPasscode, lockedOut, availableHardware] =
    await Promise.all([
      Device.hasSecureHardware(),
      Device.isBiometricsSupported(),
      Device.isBiometricsEnabled(),
      Device.isBiometricsAllowed(),
      Device.getBiometricStrengthLevel(),
      Device.isSystemPasscodeSet(),
      Device.isLockedOutOfBiometrics(),
      Device.getAvailableHardware(),
    ]);
  return { hasSecureHardware, biometricsSupported, biometricsEnabled, biometricsAllowed, biometricStrength, systemPasscode, lockedOut, availableHardware };
};

/** The page's button: may the prompt be shown, and what the alert then says. */
export const canShowPrompt = (info: DeviceInfo, isNativePlatform: boolean): boolean =>
  isNativePlatform && info.biometricsEnabled && info.biometricsAllowed === BiometricPermissionState.Granted;

export const showBiometricPrompt = async (): Promise<string> => {
  try {
    await Device.showBiometricPrompt({ iosBiometricsLocalizedReason: 'This is only a test' });
    return 'Success!!';
  } catch {
    return 'Failed. User likely cancelled the operation.';
  }
};
