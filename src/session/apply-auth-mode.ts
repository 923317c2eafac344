/**
 * Puts an unlocked vault into an {@link AuthMode} by flipping its switches in a safe order.
 *
 * Order, so the data is never left without protection and a failed passcode setup changes nothing:
 * 1. the in-memory switch on (when going to InMemoryOnly) — nothing new gets persisted;
 * 2. passcode on, then the passcode set up (`setUpPasscode`) — rolled back when setup fails;
 * 3. biometrics on or off;
 * 4. passcode off;
 * 5. the in-memory switch off (when leaving InMemoryOnly) — persists under the final protection.
 *
 * A vault without identity-vault's in-memory switch (an app's own 4.x-style vault) gets the same
 * modes through Identity Vault's secure-storage switch: `SecureStorage` is that switch on,
 * `InMemoryOnly` is it off with no passcode or biometrics (steps 1 and 5 become that call, made last).
 *
 * Setting a mode is not needed before an app's first prompt, so the session layer loads this module
 * with `import()` when it first sets one (`authModeChanges` in lazy-auth-mode.ts; lazy-load.ts in
 * the core says why).
 *
 * @module
 */
import { invalidArguments, securityNotAvailable } from '../core/errors.js';
import { AuthMode, type IdentityVault } from '../core/types.js';
import { checkAuthMode, isInMemory } from './auth-mode-switches.js';

/** The vault switches one {@link AuthMode} stands for. */
interface AuthModeSwitches {
  readonly passcode: boolean;
  readonly biometrics: boolean;
  readonly inMemory: boolean;
}

/** The modes that name fixed switches; `BiometricOrPasscode` becomes one of them on the device at hand. */
type SwitchedAuthMode = Exclude<AuthMode, AuthMode.BiometricOrPasscode>;

const SWITCHES: Readonly<Record<SwitchedAuthMode, AuthModeSwitches>> = {
  [AuthMode.BiometricOnly]: { passcode: false, biometrics: true, inMemory: false },
  [AuthMode.PasscodeOnly]: { passcode: true, biometrics: false, inMemory: false },
  [AuthMode.BiometricAndPasscode]: { passcode: true, biometrics: true, inMemory: false },
  [AuthMode.InMemoryOnly]: { passcode: false, biometrics: false, inMemory: true },
  [AuthMode.SecureStorage]: { passcode: false, biometrics: false, inMemory: false },
};

/** The switches for a mode with fixed switches. */
function switchesFor(mode: SwitchedAuthMode): AuthModeSwitches {
  return SWITCHES[mode];
}

/**
 * The mode with fixed switches that `mode` means on `vault`'s device now: `BiometricOrPasscode` is
 * `BiometricOnly` when biometrics are available, else `PasscodeOnly` (Identity Vault 3.3: "use
 * biometrics if it is available, otherwise use passcode").
 * @throws VaultError `InvalidAuthMode`.
 */
async function resolveAuthMode(vault: IdentityVault, mode: unknown): Promise<SwitchedAuthMode> {
  const checked = checkAuthMode(mode);
  if (checked !== AuthMode.BiometricOrPasscode) return checked;
  return (await vault.isBiometricsAvailable()) ? AuthMode.BiometricOnly : AuthMode.PasscodeOnly;
}

/** How {@link applyAuthMode} treats the parts of a mode the device or vault cannot do. */
export interface ApplyAuthModeOptions {
  /**
   * Called after the passcode was switched on when the vault needs a passcode set. Omit it to leave
   * the setup for later (a new vault asks when the first session is saved).
   */
  readonly setUpPasscode?: () => Promise<void>;
  /**
   * `BiometricAndPasscode` on a device without biometrics becomes passcode-only instead of failing.
   * Used for the configured mode of a new vault, whose default is `BiometricAndPasscode`.
   */
  readonly degradeWithoutBiometrics?: boolean;
}

/** A vault's in-memory switch, when it has identity-vault's (optional) extension. */
function inMemorySwitch(vault: IdentityVault): ((enabled: boolean) => Promise<void>) | undefined {
  const set = vault.setInMemoryOnly;
  return typeof set === 'function' ? (enabled) => set.call(vault, enabled) : undefined;
}

/**
 * Applies `mode` to `vault`, which must be unlocked. Switches already in the right position are
 * left alone, so applying the current mode changes nothing and emits no config event.
 *
 * `BiometricOrPasscode` is applied as `BiometricOnly` or `PasscodeOnly`, whichever the device can do.
 *
 * @throws VaultError `InvalidAuthMode` for an unknown mode; `SecurityNotAvailable` when the mode needs biometrics and the device has none
 *   (checked before anything changes); whatever `setUpPasscode` throws (the passcode switch is put
 *   back first).
 */
export async function applyAuthMode(vault: IdentityVault, mode: AuthMode, options: ApplyAuthModeOptions = {}): Promise<void> {
  const target = { ...switchesFor(await resolveAuthMode(vault, mode)) };
  if (target.biometrics && !(await vault.isBiometricsAvailable())) {
    if (options.degradeWithoutBiometrics === true && mode === AuthMode.BiometricAndPasscode) {
      target.biometrics = false;
    } else {
      throw securityNotAvailable('biometrics are not available on this device');
    }
  }

  let current = await vault.getConfig();
  const currentInMemory = isInMemory(current);
  const setInMemory = inMemorySwitch(vault);

  if (target.inMemory && !currentInMemory && setInMemory !== undefined) {
    await setInMemory(true);
    current = await vault.getConfig();
  }

  if (target.passcode) {
    const switchedOn = !current.isPasscodeEnabled;
    if (switchedOn) await vault.setPasscodeEnabled(true);
    if (options.setUpPasscode !== undefined && (await vault.isPasscodeSetupNeeded())) {
      try {
        await options.setUpPasscode();
      } catch (error) {
        if (switchedOn) await vault.setPasscodeEnabled(false).catch(() => undefined);
        throw error;
      }
    }
  }

  if (target.biometrics !== current.isBiometricsEnabled) await vault.setBiometricsEnabled(target.biometrics);
  if (!target.passcode && current.isPasscodeEnabled) await vault.setPasscodeEnabled(false);
  if (setInMemory !== undefined) {
    if (!target.inMemory && currentInMemory && isInMemory(await vault.getConfig())) await setInMemory(false);
    return;
  }
  // An app's own vault: Identity Vault 4.x's secure-storage switch carries the in-memory choice.
  const secure = !target.passcode && !target.biometrics && !target.inMemory;
  if (secure || target.inMemory) {
    if ((await vault.isSecureStorageModeEnabled()) !== secure) await vault.setSecureStorageModeEnabled(secure);
  }
}

/**
 * Sets the passcode `onPasscodeRequest(true)` answered: not a string uses the built-in prompt
 * (which asks twice); a string shorter than `minLength` characters is refused.
 */
export async function setNewPasscode(vault: IdentityVault, answer: string | void, minLength: number): Promise<void> {
  if (typeof answer !== 'string') return vault.setPasscode();
  if ([...answer].length < minLength) throw invalidArguments(`The new passcode must have at least ${minLength} characters.`);
  return vault.setPasscode(answer);
}
