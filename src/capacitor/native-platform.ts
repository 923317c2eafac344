/**
 * `createNativePlatform(plugin)`: the core's `Platform` on top of the native `IdentityVault`
 * plugin (iOS / Android), so the vault core runs unchanged inside the app's WebView. The native
 * side keeps storage, keys, prompts and the lifecycle; this adapter only translates — results are
 * checked, bytes imported as non-extractable keys, and every rejection mapped to a `VaultError`.
 *
 * Where secrets live on native: values and wrapped data keys in the native store (encrypted by
 * the core, so the store sees ciphertext only); the device key and biometric keys in the Keychain
 * / Keystore. A released key crosses the bridge once as base64 and is imported at once as a
 * non-extractable `CryptoKey`; the adapter overwrites its copy of the bytes (the bridge's own
 * strings cannot be wiped — JavaScript memory cannot be zeroed reliably).
 */
import { fromBase64 } from '../core/bytes.js';
import { keyNotFound, securityNotAvailable, userCanceled, vaultError, VaultErrorCodes } from '../core/errors.js';
import type {
  BiometricAvailability,
  BiometricCredential,
  BiometricsPort,
  ClockPort,
  CryptoPort,
  DeviceKeyPort,
  LifecycleEvent,
  LifecyclePort,
  PasscodePromptPort,
  Platform,
} from '../core/ports.js';
import type { BiometricType } from '../core/types.js';
import type { DeviceKeyResult, IdentityVaultPlugin, KeyMaterial } from './definitions.js';
import { callNative, nativeCode } from './native-errors.js';
import { ListenerSet } from '../shared/listener-set.js';
import { createTimerClock } from '../shared/timer-clock.js';
import { createWebCrypto } from '../shared/web-crypto.js';
import { createNativeStore } from './native-store.js';

/** Options of {@link createNativePlatform}. */
export interface NativePlatformOptions {
  /** Use this prompt instead of the native one (`promptPasscode`), e.g. a web dialog. */
  readonly passcodePrompt?: PasscodePromptPort;
  /** WebCrypto to use. @default globalThis.crypto */
  readonly crypto?: CryptoPort;
  /** @default Date.now and setTimeout */
  readonly clock?: ClockPort;
  /**
   * PBKDF2 iterations for new passcodes; never below 600,000. (The test-only fast KDF of
   * `SimulatedDevice` cannot be chosen here: a real app must refuse records that name it.)
   */
  readonly kdfIterations?: number;
  /**
   * Whether decrypted values may be cached while unlocked. True by default: the app's WebView is
   * the only writer of the native store. Set false if another process (an app extension sharing
   * the store) may write. @default true
   */
  readonly cacheValues?: boolean;
}

/** The platform, plus a way to stop listening to the plugin. */
export interface NativePlatform extends Platform {
  readonly name: 'capacitor';
  /** Remove the lifecycle listener from the plugin (tests, teardown). */
  dispose(): Promise<void>;
}

const KEY_BYTES = 32;
const BIOMETRIC_TYPES: readonly BiometricType[] = ['touchID', 'faceID', 'none'];

function isCryptoKey(value: unknown): value is CryptoKey {
  if (typeof CryptoKey !== 'undefined' && value instanceof CryptoKey) return true;
  return (
    typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'secret' && Array.isArray((value as { usages?: unknown }).usages)
  );
}

/** A released key as a non-extractable AES-GCM `CryptoKey`; throws `code` when there is none. */
async function importKeyMaterial(
  crypto: CryptoPort,
  material: KeyMaterial | DeviceKeyResult | undefined,
  code: VaultErrorCodes,
  what: string,
): Promise<CryptoKey> {
  if (isCryptoKey(material?.key)) return material.key;
  const bytes = typeof material?.secret === 'string' ? fromBase64(material.secret) : undefined;
  if (bytes === undefined || bytes.length !== KEY_BYTES) {
    bytes?.fill(0);
    // docs/security.md, "Biometrics": a "success" without key material must not unlock anything.
    throw vaultError(code, `The native plugin released no ${KEY_BYTES}-byte key for ${what}`);
  }
  try {
    return await crypto.subtle.importKey('raw', bytes, { name: 'AES-GCM' }, false, ['wrapKey', 'unwrapKey']);
  } finally {
    bytes.fill(0);
  }
}

function credentialId(credential: BiometricCredential): string {
  const id = (credential as { credentialId?: unknown }).credentialId;
  if (typeof id !== 'string' || id === '') throw keyNotFound('The stored biometric credential is not one of the native plugin');
  return id;
}

/** Native codes a biometric prompt may end with; any other is `SecurityNotAvailable`. */
const PROMPT_CODES = [
  VaultErrorCodes.UserCanceledInteraction,
  VaultErrorCodes.AuthFailed,
  VaultErrorCodes.InvalidatedCredential,
  VaultErrorCodes.KeyNotFound,
  VaultErrorCodes.SecurityNotAvailable,
] as const;

class NativeBiometrics implements BiometricsPort {
  readonly #plugin: IdentityVaultPlugin;
  readonly #crypto: CryptoPort;

  constructor(plugin: IdentityVaultPlugin, crypto: CryptoPort) {
    this.#plugin = plugin;
    this.#crypto = crypto;
  }

  async availability(): Promise<BiometricAvailability> {
    try {
      const result = await this.#plugin.getBiometricAvailability();
      const type = BIOMETRIC_TYPES.includes(result?.type) ? result.type : 'none';
      const available = result?.available === true && type !== 'none';
      return { available, type: available ? type : 'none' };
    } catch {
      return { available: false, type: 'none' }; // "unavailable" is a value, not an exception
    }
  }

  async enroll({ vaultId, username }: { vaultId: string; username: string }): Promise<{ credential: BiometricCredential; key: CryptoKey }> {
    const result = await callNative(
      () => this.#plugin.enrollBiometric({ vaultId, username }),
      VaultErrorCodes.SecurityNotAvailable,
      'Biometric enrolment failed',
      PROMPT_CODES,
    );
    if (typeof result?.credentialId !== 'string' || result.credentialId === '') throw securityNotAvailable('The native plugin returned no credential id');
    const key = await importKeyMaterial(this.#crypto, result, VaultErrorCodes.SecurityNotAvailable, 'a new biometric credential');
    return { credential: { kind: 'capacitor-native', credentialId: result.credentialId }, key };
  }

  keyForWrap({ credential }: { credential: BiometricCredential }): Promise<CryptoKey> {
    return this.#release(credential, 'wrap', 'Biometric key release failed');
  }

  keyForUnwrap({ credential }: { credential: BiometricCredential }): Promise<CryptoKey> {
    return this.#release(credential, 'unwrap', 'Biometric unlock failed');
  }

  async remove({ credential }: { credential: BiometricCredential }): Promise<void> {
    const id = credentialId(credential);
    await callNative(() => this.#plugin.removeBiometric({ credentialId: id }), VaultErrorCodes.VaultUnavailable, 'Removing the biometric key failed');
  }

  /** One prompt releasing the credential's key; `purpose` tells the native side why (see native-contract.md). */
  async #release(credential: BiometricCredential, purpose: 'wrap' | 'unwrap', failure: string): Promise<CryptoKey> {
    const id = credentialId(credential);
    const result = await callNative(
      () => this.#plugin.releaseBiometricKey({ credentialId: id, purpose }),
      VaultErrorCodes.SecurityNotAvailable,
      failure,
      PROMPT_CODES,
    );
    return importKeyMaterial(this.#crypto, result, VaultErrorCodes.AuthFailed, 'a biometric credential');
  }
}

class NativeDeviceKey implements DeviceKeyPort {
  /** The imported key (non-extractable), kept until `delete()`. */
  #cached: CryptoKey | undefined;
  readonly #plugin: IdentityVaultPlugin;
  readonly #crypto: CryptoPort;

  constructor(plugin: IdentityVaultPlugin, crypto: CryptoPort) {
    this.#plugin = plugin;
    this.#crypto = crypto;
  }

  async get(options: { create: boolean }): Promise<CryptoKey | undefined> {
    if (this.#cached !== undefined) return this.#cached;
    const create = options.create;
    const result = await callNative(() => this.#plugin.getDeviceKey({ create }), VaultErrorCodes.VaultUnavailable, 'The device key is unavailable', [
      VaultErrorCodes.VaultUnavailable,
      VaultErrorCodes.SecurityNotAvailable,
    ]);
    if (!create && !isCryptoKey(result?.key) && (result?.secret === null || result?.secret === undefined)) return undefined;
    this.#cached = await importKeyMaterial(this.#crypto, result, VaultErrorCodes.VaultUnavailable, 'the device key');
    return this.#cached;
  }

  async delete(): Promise<void> {
    this.#cached = undefined;
    await callNative(() => this.#plugin.deleteDeviceKey(), VaultErrorCodes.VaultUnavailable, 'Deleting the device key failed');
  }
}

class NativePasscodePrompt implements PasscodePromptPort {
  readonly #plugin: IdentityVaultPlugin;

  constructor(plugin: IdentityVaultPlugin) {
    this.#plugin = plugin;
  }

  async request({ purpose, descriptor }: Parameters<PasscodePromptPort['request']>[0]): Promise<string | undefined> {
    try {
      const result = await this.#plugin.promptPasscode({ purpose, vaultId: descriptor.vaultId, username: descriptor.username });
      return typeof result?.passcode === 'string' ? result.passcode : undefined;
    } catch (error) {
      if (nativeCode(error) === VaultErrorCodes.UserCanceledInteraction) return undefined;
      throw userCanceled('The native plugin could not show a passcode prompt: supply onPasscodeRequest, or pass the passcode to unlock() / setPasscode()', {
        cause: error,
      });
    }
  }
}

class NativeLifecycle implements LifecyclePort {
  readonly #plugin: IdentityVaultPlugin;
  readonly #listeners = new ListenerSet<LifecycleEvent>();
  #background = false;
  #heardEvent = false;
  readonly #handle: Promise<{ remove(): Promise<void> } | undefined>;

  constructor(plugin: IdentityVaultPlugin) {
    this.#plugin = plugin;
    this.#handle = Promise.resolve()
      .then(() => plugin.addListener('lifecycle', (event) => this.#change(event?.state)))
      .catch(() => undefined);
    // The app may start in the background (a silent push, a background fetch): ask once; an event
    // heard meanwhile is newer and wins.
    plugin.getLifecycleState().then(
      (state) => {
        if (!this.#heardEvent && (state?.state === 'background' || state?.state === 'foreground')) this.#background = state.state === 'background';
      },
      () => undefined,
    );
  }

  subscribe(listener: (event: LifecycleEvent) => void): () => void {
    return this.#listeners.add(listener);
  }

  isInBackground(): boolean {
    return this.#background;
  }

  setPrivacyScreen({ enabled }: { enabled: boolean }): void {
    // Best effort, like the web overlay: a failure must not break a vault operation.
    this.#plugin.setPrivacyScreen({ enabled }).catch(() => undefined);
  }

  async dispose(): Promise<void> {
    await (await this.#handle)?.remove();
  }

  #change(state: unknown): void {
    if (state !== 'background' && state !== 'foreground') return;
    this.#heardEvent = true;
    const next = state === 'background';
    if (next === this.#background) return;
    this.#background = next;
    this.#listeners.emit(state);
  }
}

/**
 * The core `Platform` on the native `IdentityVault` plugin.
 *
 * @example
 * ```ts
 * import { IdentityVault, createNativePlatform } from 'identity-vault/capacitor';
 * import { createPlugin } from 'identity-vault/platform';
 * const plugin = createPlugin(createNativePlatform(IdentityVault));
 * ```
 */
export function createNativePlatform(plugin: IdentityVaultPlugin, options: NativePlatformOptions = {}): NativePlatform {
  const crypto = options.crypto ?? createWebCrypto();
  const lifecycle = new NativeLifecycle(plugin);
  return {
    name: 'capacitor',
    store: createNativeStore(plugin),
    crypto,
    deviceKey: new NativeDeviceKey(plugin, crypto),
    biometrics: new NativeBiometrics(plugin, crypto),
    passcodePrompt: options.passcodePrompt ?? new NativePasscodePrompt(plugin),
    lifecycle,
    clock: options.clock ?? createTimerClock(),
    cacheValues: options.cacheValues ?? true,
    ...(options.kdfIterations !== undefined ? { kdf: { iterations: options.kdfIterations } } : {}),
    dispose: () => lifecycle.dispose(),
  };
}
