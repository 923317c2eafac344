/**
 * The options an {@link IonicIdentityVaultUser} is created with, and their Identity Vault 4.x defaults.
 *
 * @module
 */
import { AuthMode, type AuthPromptOptions, type IonicNativeAuthPlugin } from '../core/types.js';
import type { IonicIdentityVaultUser } from './identity-vault-user.js';

/**
 * The options passed to the {@link IonicIdentityVaultUser} constructor to set up the vault.
 *
 * @example
 * ```ts
 * super(platform, {
 *   authMode: AuthMode.BiometricAndPasscode,
 *   unlockOnAccess: true,
 *   lockAfter: 5000,
 *   hideScreenOnBackground: true,
 * });
 * ```
 */
export interface VaultOptions extends AuthPromptOptions {
  /**
   * The {@link AuthMode} to configure a new vault with. Only a vault that holds no data takes it;
   * a vault with data keeps its configuration until it is unlocked and changed with
   * {@link IonicIdentityVaultUser.setAuthMode}.
   *
   * @default AuthMode.BiometricAndPasscode
   */
  authMode?: AuthMode;
  /**
   * Whether to restore the session as soon as the vault is ready. Together with
   * {@link VaultOptions.unlockOnAccess}, the vault is unlocked (the user is asked) and the session
   * restored at ready when the vault is in use.
   *
   * @default false
   */
  restoreSessionOnReady?: boolean;
  /** Whether to ask the user to unlock the vault as soon as it is ready (when it is locked and in use). @default false */
  unlockOnReady?: boolean;
  /** Whether a read of a locked vault asks the user to unlock it first instead of failing. @default false */
  unlockOnAccess?: boolean;
  /** Milliseconds the app can be in the background before the vault locks; 0 means never. @default 0 */
  lockAfter?: number;
  /** Obscure the app while it is in the background. @default false */
  hideScreenOnBackground?: boolean;
  /**
   * Extension: the plugin that hands out the vault, for example `new SimulatedDevice().plugin` in
   * tests. It is what the default {@link IonicIdentityVaultUser.getPlugin} returns; without it,
   * that is what `setDefaultPlugin` set, else a global `IonicNativeAuth`, else the platform picked
   * at run time (the web platform in browsers).
   */
  plugin?: IonicNativeAuthPlugin;
  /**
   * Extension: the shortest passcode `onPasscodeRequest(true)` may return when a passcode is set;
   * a shorter one fails with `InvalidArguments` and nothing changes. The built-in prompt always
   * asks for at least 4 characters; a passcode from your own prompt is checked only when this is set.
   *
   * @default 0 (no minimum beyond non-empty)
   */
  minPasscodeLength?: number;
}

/** {@link VaultOptions} with every default filled in. */
export interface ResolvedVaultOptions {
  readonly authMode: AuthMode;
  readonly restoreSessionOnReady: boolean;
  readonly unlockOnReady: boolean;
  readonly unlockOnAccess: boolean;
  readonly lockAfter: number;
  readonly hideScreenOnBackground: boolean;
  readonly plugin: IonicNativeAuthPlugin | undefined;
  /** The {@link AuthPromptOptions} that were given (and only those), passed on to the plugin. */
  readonly prompt: AuthPromptOptions;
  readonly minPasscodeLength: number;
}

const PROMPT_OPTIONS = [
  'allowSystemPinFallback',
  'androidPromptTitle',
  'androidPromptSubtitle',
  'androidPromptDescription',
  'androidPromptNegativeButtonText',
  'iosPromptText',
  'shouldClearVaultAfterTooManyFailedAttempts',
] as const satisfies ReadonlyArray<keyof AuthPromptOptions>;

/**
 * Fills in Identity Vault 4.x's defaults. Values are checked later, by the vault that receives them, so a bad
 * value becomes a setup error (`onSetupError`, `ready()` rejects) rather than a constructor throw.
 */
export function resolveVaultOptions(options: VaultOptions = {}): ResolvedVaultOptions {
  return {
    authMode: options.authMode ?? AuthMode.BiometricAndPasscode,
    restoreSessionOnReady: options.restoreSessionOnReady ?? false,
    unlockOnReady: options.unlockOnReady ?? false,
    unlockOnAccess: options.unlockOnAccess ?? false,
    lockAfter: options.lockAfter ?? 0,
    hideScreenOnBackground: options.hideScreenOnBackground ?? false,
    plugin: options.plugin,
    prompt: Object.fromEntries(PROMPT_OPTIONS.filter((name) => options[name] !== undefined).map((name) => [name, options[name]])) as AuthPromptOptions,
    minPasscodeLength: options.minPasscodeLength ?? 0,
  };
}
