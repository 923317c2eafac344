/**
 * `IdentityVault`: one app-facing handle on a vault. Several handles for one descriptor share one
 * {@link VaultEngine}; each has its own handlers and `config`, until `unsubscribe()`.
 */
import { invalidArguments, mismatchedPasscode, toVaultError, userCanceled, VaultErrorCodes } from './errors.js';
import type { PasscodePromptPurpose, PasscodePromptTexts, PasscodeRetry, Platform } from './ports.js';
import { SupportedBiometricType, type BiometricType, type IdentityVault, type LockEvent, type PluginConfiguration, type PluginOptions } from './types.js';
import { unlockAskingAgain } from './unlock-asking-again.js';
import {
  MIN_PROMPTED_PASSCODE_LENGTH,
  checkBoolean,
  checkKey,
  checkNewPasscodeLength,
  checkOptionalBoolean,
  checkOptionalString,
  checkPasscode,
  serialiseValue,
} from './validate.js';
import type { EngineListener, MemoryInspection, VaultEngine } from './vault-engine.js';

const engines = new WeakMap<object, VaultEngine>();

/** What the engine of `vault` holds in memory (tests of the lock property; no secrets exposed). */
export function inspectVaultMemory(vault: IdentityVault): MemoryInspection {
  const engine = engines.get(vault);
  if (!engine) throw invalidArguments('Not a vault created by identity-vault.');
  return engine.inspect();
}

/**
 * The engine behind a vault handle, for the Identity Vault 5.x/6.x layer (`src/vault-api`), which
 * needs a few engine operations the 3.x/4.x interface does not have (remove a value, list keys,
 * replace all values). Not exported from the package.
 */
export function engineOfVault(vault: IdentityVault): VaultEngine {
  const engine = engines.get(vault);
  if (!engine) throw invalidArguments('Not a vault created by identity-vault.');
  return engine;
}

/** The `IdentityVault` implementation. Create through `IonicNativeAuthPlugin.getVault`. */
export class Vault implements IdentityVault {
  config?: PluginConfiguration;
  readonly #listener: EngineListener;
  readonly #promptTexts: PasscodePromptTexts | undefined;
  #subscribed = true;

  readonly #engine: VaultEngine;
  readonly #platform: Platform;

  constructor(engine: VaultEngine, platform: Platform, options: PluginOptions) {
    this.#engine = engine;
    this.#platform = platform;
    engines.set(this, engine);
    this.#promptTexts = promptTextsOf(options);
    this.#listener = {
      lock: (event: LockEvent) => {
        this.config = engine.configuration();
        options.onLock?.(event);
      },
      unlock: (config: PluginConfiguration) => {
        this.config = config;
        options.onUnlock?.(config);
      },
      config: (config: PluginConfiguration) => {
        this.config = config;
        options.onConfig?.(config);
      },
    };
    engine.addListener(this.#listener);
    engine.ready().then(
      (config) => {
        if (!this.#subscribed) return;
        this.config = config;
        options.onReady?.(this);
      },
      (error: unknown) => {
        const vaultError = toVaultError(error, VaultErrorCodes.VaultUnavailable, 'The vault could not be opened.');
        options.onError?.(vaultError);
      },
    );
  }

  clear(): Promise<void> {
    return this.#guard(() => this.#engine.clear());
  }

  getBiometricType(): Promise<BiometricType> {
    return this.#guard(async () => (await this.#platform.biometrics.availability()).type);
  }

  getConfig(): Promise<PluginConfiguration> {
    return this.#guard(() => this.#engine.getConfig());
  }

  // `any` because Identity Vault's own IdentityVault says so (values are JSON data).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Identity Vault 4.x's own type
  getToken(): Promise<any> {
    return this.getValue('token');
  }

  async getUsername(): Promise<string> {
    return this.#engine.descriptor.username;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Identity Vault 4.x's own type
  getValue(key: string): Promise<any> {
    return this.#guard(async () => this.#engine.getValue(checkKey(key)));
  }

  getKeys(): Promise<string[]> {
    return this.#guard(() => this.#engine.getKeys());
  }

  removeValue(key: string): Promise<void> {
    return this.#guard(async () => this.#engine.removeValue(checkKey(key)));
  }

  /** The biometric hardware kinds, from the platform's biometric type: Face ID → `face`, Touch ID (any fingerprint sensor) → `fingerprint`. */
  getAvailableHardware(): Promise<SupportedBiometricType[]> {
    return this.#guard(async () => [...HARDWARE[(await this.#platform.biometrics.availability()).type]]);
  }

  isBiometricsSupported(): Promise<boolean> {
    return this.#guard(async () => {
      const availability = await this.#platform.biometrics.availability();
      return availability.available || availability.type !== 'none';
    });
  }

  isLockedOutOfBiometrics(): Promise<boolean> {
    return this.#guard(async () => (await this.#platform.biometrics.availability()).lockedOut === true);
  }

  isSecureStorageModeEnabled(): Promise<boolean> {
    return this.#guard(async () => isSecureStorage(await this.#engine.getConfig()));
  }

  /**
   * `true`: in-memory off (the values are persisted under the device key), then biometrics and
   * passcode off — in that order, so the data is never left unprotected or lost midway.
   * `false` on a secure-storage vault: no unlock method is left, which is `InMemoryOnly`. `false`
   * on a vault with a passcode or biometrics changes nothing (it is not in secure-storage mode).
   */
  setSecureStorageModeEnabled(isSecureStorageModeEnabled: boolean): Promise<void> {
    return this.#guard(async () => {
      const enabled = checkBoolean(isSecureStorageModeEnabled, 'isSecureStorageModeEnabled');
      const config = await this.#engine.getConfig();
      if (!enabled) {
        if (isSecureStorage(config)) await this.#engine.setInMemoryOnly(true);
        return;
      }
      if (config.isInMemoryOnly === true) await this.#engine.setInMemoryOnly(false);
      if (config.isBiometricsEnabled) await this.#engine.setBiometricsEnabled(false);
      if (config.isPasscodeEnabled) await this.#engine.setPasscodeEnabled(false);
    });
  }

  isBiometricsAvailable(): Promise<boolean> {
    return this.#guard(async () => (await this.#platform.biometrics.availability()).available);
  }

  isBiometricsEnabled(): Promise<boolean> {
    return this.#guard(async () => (await this.#engine.getConfig()).isBiometricsEnabled);
  }

  isInUse(): Promise<boolean> {
    return this.#guard(() => this.#engine.isInUse());
  }

  isLocked(): Promise<boolean> {
    return this.#guard(() => this.#engine.isLocked());
  }

  isPasscodeEnabled(): Promise<boolean> {
    return this.#guard(async () => (await this.#engine.getConfig()).isPasscodeEnabled);
  }

  isPasscodeSetupNeeded(): Promise<boolean> {
    return this.#guard(async () => (await this.#engine.getConfig()).isPasscodeSetupNeeded);
  }

  lock(): Promise<void> {
    return this.#guard(() => this.#engine.lock());
  }

  remainingAttempts(): Promise<number> {
    return this.#guard(() => this.#engine.remainingAttempts());
  }

  setBiometricsEnabled(isBiometricsEnabled: boolean): Promise<void> {
    return this.#guard(() => this.#engine.setBiometricsEnabled(checkBoolean(isBiometricsEnabled, 'isBiometricsEnabled')));
  }

  setPasscode(passcode?: string): Promise<void> {
    return this.#guard(() =>
      this.#engine.setPasscode(passcode === undefined ? undefined : checkPasscode(passcode), async () => {
        const first = checkNewPasscodeLength(await this.#ask('setup'), MIN_PROMPTED_PASSCODE_LENGTH);
        const second = await this.#ask('confirm');
        if (first !== second) throw mismatchedPasscode('The two passcodes entered do not match.');
        return first;
      }),
    );
  }

  setPasscodeEnabled(isPasscodeEnabled: boolean): Promise<void> {
    return this.#guard(() => this.#engine.setPasscodeEnabled(checkBoolean(isPasscodeEnabled, 'isPasscodeEnabled')));
  }

  storeToken(token: unknown): Promise<void> {
    return this.storeValue('token', token);
  }

  storeValue(key: string, value: unknown): Promise<void> {
    return this.#guard(() => this.#engine.storeValue(checkKey(key), serialiseValue(value)));
  }

  unlock(usingPasscode?: boolean, passcode?: string): Promise<void> {
    return this.#guard(() => {
      const using = checkOptionalBoolean(usingPasscode, 'usingPasscode');
      const given = passcode === undefined ? undefined : checkPasscode(passcode);
      if (given === undefined && this.#platform.passcodePrompt.close) {
        return unlockAskingAgain(this.#engine, using, this.#platform.passcodePrompt, (request) => this.#ask('unlock', request));
      }
      return this.#engine.unlock(using, given, () => this.#ask('unlock'));
    });
  }

  async unsubscribe(): Promise<void> {
    this.#subscribed = false;
    this.#engine.removeListener(this.#listener);
  }

  /** Extension (`AuthMode.InMemoryOnly`): whether values are kept only in memory. */
  isInMemoryOnly(): Promise<boolean> {
    return this.#guard(() => this.#engine.isInMemoryOnly());
  }

  /**
   * Extension (`AuthMode.InMemoryOnly`): `true` moves the values into memory and deletes everything
   * stored (passcode and biometrics are turned off); `false` persists them under the device key.
   * @throws VaultError `VaultLocked`
   */
  setInMemoryOnly(enabled: boolean): Promise<void> {
    return this.#guard(() => this.#engine.setInMemoryOnly(checkBoolean(enabled, 'enabled')));
  }

  /**
   * Runs a public operation so that every failure is a `VaultError`: argument errors become
   * rejections (never synchronous throws), and anything a platform let escape untranslated is
   * `Unknown` with the original as `cause` (its message is not copied: it might hold data).
   */
  async #guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw toVaultError(error, VaultErrorCodes.Unknown, 'An unexpected platform error occurred; see `cause`.');
    }
  }

  /** The built-in prompt; a cancel is `UserCanceledInteraction`. */
  async #ask(purpose: PasscodePromptPurpose, request: { retry?: PasscodeRetry; staysOpen?: boolean } = {}): Promise<string> {
    const answer = await this.#platform.passcodePrompt.request({
      purpose,
      descriptor: { ...this.#engine.descriptor },
      ...request,
      ...(this.#promptTexts === undefined ? {} : { texts: this.#promptTexts }),
    });
    if (answer === undefined) throw userCanceled('The passcode prompt was cancelled.');
    return checkPasscode(answer);
  }
}

// Identity Vault's `SupportedBiometricType` (4.2 typed it as these strings; 5.x/6.x as this enum of the same strings).
const HARDWARE: Readonly<Record<BiometricType, readonly SupportedBiometricType[]>> = {
  faceID: [SupportedBiometricType.Face],
  touchID: [SupportedBiometricType.Fingerprint],
  none: [],
};

function isSecureStorage(config: PluginConfiguration): boolean {
  return !config.isPasscodeEnabled && !config.isBiometricsEnabled && config.isInMemoryOnly !== true;
}

/** The app's unlock-prompt texts (`androidPromptTitle`, `…Subtitle`, `…Description`), checked; `undefined` when none is given. */
function promptTextsOf(options: PluginOptions): PasscodePromptTexts | undefined {
  const title = checkOptionalString(options.androidPromptTitle, 'androidPromptTitle');
  const subtitle = checkOptionalString(options.androidPromptSubtitle, 'androidPromptSubtitle');
  const description = checkOptionalString(options.androidPromptDescription, 'androidPromptDescription');
  if (title === undefined && subtitle === undefined && description === undefined) return undefined;
  return { ...(title === undefined ? {} : { title }), ...(subtitle === undefined ? {} : { subtitle }), ...(description === undefined ? {} : { description }) };
}
