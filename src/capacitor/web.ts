/**
 * The web implementation of the `IdentityVault` plugin: the native port of
 * `docs/native-contract.md`, implemented in JavaScript on top of a core `Platform` — the web
 * platform (IndexedDB, WebCrypto, WebAuthn PRF, the built-in dialog) unless another is given.
 *
 * Apps rarely call it: `createCapacitorPlatform()` uses the web platform directly in a browser.
 * It exists so the registered plugin works everywhere, and it proves the contract is complete:
 * a `Platform` turned into the port and back through `createNativePlatform` passes the same
 * conformance suite (test/platforms/capacitor).
 *
 * Keys stay non-extractable here: JavaScript implementations return `{ key: CryptoKey }`, which
 * only a bridge-less (JavaScript) call can carry; native implementations return `{ secret }`.
 */
import { WebPlugin } from '@capacitor/core';
import { keyNotFound, VaultError, VaultErrorCodes } from '../core/errors.js';
import type { BiometricCredential, Platform, StoredRecord } from '../core/ports.js';
import { parseStoredRecord, recordText } from '../core/records.js';
import type {
  BiometricAvailabilityResult,
  DeviceKeyResult,
  IdentityVaultPlugin,
  KeyMaterial,
  LifecycleChange,
  PasscodePurpose,
  StoreCommitOptions,
} from './definitions.js';

/** A rejection shaped as the contract says: `code` is the `VaultErrorCodes` name. */
function contractError(error: unknown): Error {
  if (!(error instanceof VaultError)) return error instanceof Error ? error : new Error(String(error));
  return Object.assign(new Error(error.message, { cause: error }), { code: VaultErrorCodes[error.code] ?? 'Unknown' });
}

async function contract<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw contractError(error);
  }
}

const text = (record: StoredRecord | undefined) => (record === undefined ? null : recordText(record));

/**
 * `IdentityVault` in JavaScript.
 *
 * @example
 * ```ts
 * registerPlugin<IdentityVaultPlugin>('IdentityVault', { web: () => import('./web.js').then((m) => new m.IdentityVaultWeb()) });
 * ```
 */
export class IdentityVaultWeb extends WebPlugin implements IdentityVaultPlugin {
  #platform: Promise<Platform> | undefined;

  /** @param platform The platform to serve; the web platform (created on first use) by default. */
  readonly #given: Platform | undefined;

  constructor(given?: Platform) {
    super();
    this.#given = given;
  }

  /** The platform, created once, with its lifecycle forwarded as `lifecycle` events. */
  #served(): Promise<Platform> {
    this.#platform ??= (async () => {
      const platform = this.#given ?? (await import('../web/index.js')).createWebPlatform();
      platform.lifecycle.subscribe((state) => this.notifyListeners('lifecycle', { state } satisfies LifecycleChange));
      return platform;
    })();
    return this.#platform;
  }

  override async addListener(eventName: string, listener: (...args: never[]) => void) {
    await this.#served(); // start forwarding before the first event can happen
    return super.addListener(eventName, listener as never);
  }

  storeGet({ key }: { key: string }) {
    return contract(async () => ({ value: text(await (await this.#served()).store.get(key)) }));
  }

  storeKeys({ prefix }: { prefix: string }) {
    return contract(async () => ({ keys: await (await this.#served()).store.keys(prefix) }));
  }

  storeHasPrefix({ prefix }: { prefix: string }) {
    return contract(async () => ({ value: await (await this.#served()).store.hasPrefix(prefix) }));
  }

  storeCommit(options: StoreCommitOptions) {
    return contract(async () => {
      const { expect } = options;
      const committed = await (
        await this.#served()
      ).store.commit({
        ...(expect ? { guard: { key: expect.key, test: (record) => text(record) === expect.value } } : {}),
        ...(options.deletePrefixes ? { deletePrefixes: options.deletePrefixes } : {}),
        ...(options.delete ? { delete: options.delete } : {}),
        ...(options.put ? { put: options.put.map(({ key, value }) => [key, JSON.parse(value)] as const) } : {}),
      });
      return { committed };
    });
  }

  getDeviceKey({ create }: { create: boolean }) {
    return contract(async (): Promise<DeviceKeyResult> => {
      const key = await (await this.#served()).deviceKey.get({ create });
      return key === undefined ? { secret: null } : { key };
    });
  }

  deleteDeviceKey() {
    return contract(async (): Promise<void> => {
      await (await this.#served()).deviceKey.delete();
    });
  }

  getBiometricAvailability() {
    return contract(async (): Promise<BiometricAvailabilityResult> => ({ ...(await (await this.#served()).biometrics.availability()) }));
  }

  enrollBiometric(options: { vaultId: string; username: string }) {
    return contract(async () => {
      const { credential, key } = await (await this.#served()).biometrics.enroll(options);
      // The platform's credential is opaque JSON; its text is the id the contract hands out.
      return { credentialId: JSON.stringify(credential), key };
    });
  }

  releaseBiometricKey({ credentialId, purpose }: { credentialId: string; purpose: 'wrap' | 'unwrap' }) {
    return contract(async (): Promise<KeyMaterial> => {
      const { biometrics } = await this.#served();
      const credential = parseCredential(credentialId);
      return { key: purpose === 'wrap' ? await biometrics.keyForWrap({ credential }) : await biometrics.keyForUnwrap({ credential }) };
    });
  }

  removeBiometric({ credentialId }: { credentialId: string }) {
    return contract(async () => (await this.#served()).biometrics.remove({ credential: parseCredential(credentialId) }));
  }

  promptPasscode({ purpose, vaultId, username }: { purpose: PasscodePurpose; vaultId: string; username: string }) {
    return contract(async () => ({ passcode: (await (await this.#served()).passcodePrompt.request({ purpose, descriptor: { vaultId, username } })) ?? null }));
  }

  getLifecycleState() {
    return contract(async (): Promise<LifecycleChange> => ({ state: (await this.#served()).lifecycle.isInBackground() ? 'background' : 'foreground' }));
  }

  setPrivacyScreen({ enabled }: { enabled: boolean }) {
    return contract(async () => (await this.#served()).lifecycle.setPrivacyScreen({ enabled }));
  }
}

function parseCredential(credentialId: string): BiometricCredential {
  const credential = parseStoredRecord(credentialId);
  if (credential !== undefined) return credential;
  throw keyNotFound('Unknown biometric credential id');
}
