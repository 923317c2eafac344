/** The enums and option types of the Identity Vault 5.x/6.x `Device` API. */

// The biometric hardware kinds `Device.getAvailableHardware` reports: one enum for 4.x and 5.x/6.x, kept in the core.
export { SupportedBiometricType } from '../core/types.js';

/** Biometric strength classes (Android's tiers; platform authenticators that release keys are `strong`). */
export enum BiometricSecurityStrength {
  Weak = 'weak',
  Strong = 'strong',
}

/** Whether the app may use biometrics (iOS Face ID asks the user once). */
export enum BiometricPermissionState {
  Granted = 'granted',
  Denied = 'denied',
  Prompt = 'prompt',
}

/** Options of `Device.showBiometricPrompt`. The texts are recorded; the web shows the browser's own prompt. */
export interface ShowBiometricPromptOptions {
  iosBiometricsLocalizedReason?: string;
  iosBiometricsLocalizedCancelTitle?: string;
  iosBiometricsLocalizedFallbackTitle?: string;
  androidBiometricsPromptTitle?: string;
  androidBiometricsPromptSubtitle?: string;
  androidBiometricsPromptDescription?: string;
  androidBiometricsNegativeButtonText?: string;
}
