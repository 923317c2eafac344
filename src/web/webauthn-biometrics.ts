/**
 * `BiometricsPort` on WebAuthn with the PRF extension (WebAuthn L3 §10.1.4).
 *
 * A vault's biometric wrapping key is HKDF-SHA256 of the 32-byte PRF output of a platform
 * credential, evaluated with a random per-enrolment salt, after user verification. The PRF output
 * exists only inside an assertion that required user verification; it is never persisted, and
 * the derived AES-GCM key is non-extractable with usages `wrapKey`/`unwrapKey`.
 *
 * What is persisted (by the core, as JSON) is the credential record
 * `{ version, id (base64url), salt (base64), rpId, vaultId, username, transports }` — vaultId and
 * username are in it because the HKDF `info` binds the key to the vault, so a record copied to
 * another vault derives a different key.
 *
 * User gestures: Safari (and Firefox for `create`) require transient user activation for
 * `navigator.credentials.create()`/`get()`; call `setBiometricsEnabled(true)` and biometric
 * `unlock()` from a click handler. Chromium does not require it but needs the page focused.
 */
import { authFailed, invalidatedCredential, keyNotFound, securityNotAvailable } from '../core/errors.js';
import type { BiometricAvailability, BiometricCredential, BiometricsPort } from '../core/ports.js';
import type { BiometricType } from '../core/types.js';
import { fromBase64OrBase64Url, toBase64, toBase64Url, utf8 } from './bytes.js';
import { deriveWrappingKey } from './prf-wrapping-key.js';
import { webAuthnError } from './webauthn-errors.js';
import { webAuthnAvailability } from './webauthn-availability.js';
import { hostname, platformAuthenticatorAvailable, requirePlatformAuthenticator, userVerified, webAuthnApi } from './webauthn-support.js';
import { webCrypto } from '../shared/web-crypto.js';

/** Options of {@link WebAuthnBiometrics}. */
export interface WebAuthnBiometricsOptions {
  /** Relying party name shown by some browsers when creating the credential. @default document.title or the hostname */
  readonly rpName?: string;
  /** Override the best-effort biometric type (see `biometric-type.ts`). */
  readonly biometricType?: Exclude<BiometricType, 'none'>;
  /** Prompt timeout hint in milliseconds passed to WebAuthn. @default 60000 */
  readonly timeout?: number;
}

/** The parsed credential record. */
interface CredentialRecord {
  /** 1: HKDF info joined with NUL (enrolled before 0.2); 2: JSON-encoded, unambiguous. Both open. */
  readonly version: 1 | 2;
  readonly id: string;
  readonly salt: string;
  readonly rpId: string;
  readonly vaultId: string;
  readonly username: string;
  readonly transports: readonly string[];
}

/** Version written by new enrolments; version 1 records (older vaults) are still read. */
const RECORD_VERSION = 2;
const SALT_BYTES = 32;

function parseRecord(credential: BiometricCredential): CredentialRecord {
  const { version, id, salt, rpId, vaultId, username, transports } = credential;
  if (
    (version !== 1 && version !== 2) ||
    typeof id !== 'string' ||
    typeof salt !== 'string' ||
    typeof rpId !== 'string' ||
    typeof vaultId !== 'string' ||
    typeof username !== 'string' ||
    !Array.isArray(transports)
  ) {
    throw keyNotFound('the biometric credential record is not one this platform wrote');
  }
  return { version, id, salt, rpId, vaultId, username, transports: transports.filter((t): t is string => typeof t === 'string') };
}

/**
 * Biometrics through a user-verifying platform authenticator with PRF.
 *
 * @throws VaultError from `enroll`/`keyForWrap`/`keyForUnwrap`: `SecurityNotAvailable` (no
 * WebAuthn, no platform authenticator, or no PRF support at enrolment), `UserCanceledInteraction`
 * (cancelled, failed, timed out, or credential gone — indistinguishable on the web, see
 * `webauthn-errors.ts`), `AuthFailed` (the authenticator answered without user verification),
 * `InvalidatedCredential` (the credential released no PRF output), `KeyNotFound` (record
 * malformed or made for another host).
 * @example
 * ```ts
 * const biometrics = new WebAuthnBiometrics();
 * if ((await biometrics.availability()).available) {
 *   const { credential, key } = await biometrics.enroll({ vaultId: 'app', username: 'ada' });
 * }
 * ```
 */
export class WebAuthnBiometrics implements BiometricsPort {
  readonly #options: WebAuthnBiometricsOptions;

  constructor(options: WebAuthnBiometricsOptions = {}) {
    this.#options = options;
  }

  /** Whether a user-verifying platform authenticator with PRF may be used, and its best-effort type (`webauthn-availability.ts`). */
  availability(): Promise<BiometricAvailability> {
    return webAuthnAvailability(this.#options.biometricType);
  }

  async enroll(options: { vaultId: string; username: string }): Promise<{ credential: BiometricCredential; key: CryptoKey }> {
    const operation = 'enable biometrics';
    const api = await requirePlatformAuthenticator(operation);
    const crypto = webCrypto();
    const rpId = hostname();
    const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
    // A stable user handle per vault: enrolling the same vault again replaces its discoverable
    // credential on the authenticator instead of piling up new ones.
    const userId = new Uint8Array(
      // JSON, not a separator: no two (vaultId, username) pairs encode alike, whatever characters they hold.
      await crypto.subtle.digest('SHA-256', utf8(JSON.stringify(['identity-vault/user-handle/v2', options.vaultId, options.username]))),
    );
    const title = (globalThis as { document?: Document }).document?.title;
    let created: Credential | null;
    try {
      created = await api.credentials.create({
        publicKey: {
          rp: { id: rpId, name: this.#options.rpName ?? (title || rpId) },
          user: { id: userId, name: options.username, displayName: options.username },
          challenge: crypto.getRandomValues(new Uint8Array(32)), // no server: the PRF output, not the signature, is what unlocks
          pubKeyCredParams: [
            { type: 'public-key', alg: -7 },
            { type: 'public-key', alg: -257 },
          ],
          authenticatorSelection: { authenticatorAttachment: 'platform', userVerification: 'required', residentKey: 'preferred' },
          attestation: 'none',
          timeout: this.#options.timeout ?? 60_000,
          extensions: { prf: { eval: { first: salt } } },
        },
      });
    } catch (error) {
      throw await webAuthnError(error, operation, platformAuthenticatorAvailable);
    }
    if (!(created instanceof api.pkc)) {
      throw securityNotAvailable(`${operation}: no credential was created`);
    }
    const response = created.response as AuthenticatorAttestationResponse;
    const record: CredentialRecord = {
      version: RECORD_VERSION,
      id: toBase64Url(new Uint8Array(created.rawId)),
      salt: toBase64(salt),
      rpId,
      vaultId: options.vaultId,
      username: options.username,
      transports: typeof response.getTransports === 'function' ? response.getTransports() : [],
    };
    const prf = created.getClientExtensionResults().prf;
    if (!prf?.enabled) {
      await this.#forget(record);
      throw securityNotAvailable(`${operation}: the authenticator does not support the PRF extension`);
    }
    if (typeof response.getAuthenticatorData === 'function' && !userVerified(response.getAuthenticatorData())) {
      await this.#forget(record);
      throw authFailed(`${operation}: the authenticator did not verify the user`);
    }
    const credential: BiometricCredential = { ...record, transports: [...record.transports] };
    // A PRF result at registration is optional (WebAuthn §10.1.4): without one, ask once more.
    const first = prf.results?.first;
    try {
      const key = first ? await deriveWrappingKey(first, record) : await this.#assert(record, operation);
      return { credential, key };
    } catch (error) {
      await this.#forget(record);
      throw error;
    }
  }

  async keyForWrap(options: { credential: BiometricCredential }): Promise<CryptoKey> {
    return this.#assert(parseRecord(options.credential), 'protect the vault with biometrics');
  }

  async keyForUnwrap(options: { credential: BiometricCredential }): Promise<CryptoKey> {
    return this.#assert(parseRecord(options.credential), 'unlock with biometrics');
  }

  async remove(options: { credential: BiometricCredential }): Promise<void> {
    let record: CredentialRecord;
    try {
      record = parseRecord(options.credential);
    } catch {
      return;
    }
    await this.#forget(record);
  }

  /** One assertion of the record's credential with user verification and PRF; the derived key. */
  async #assert(record: CredentialRecord, operation: string): Promise<CryptoKey> {
    const api = await requirePlatformAuthenticator(operation);
    if (record.rpId !== hostname()) {
      throw keyNotFound(`${operation}: the biometric credential belongs to another host`);
    }
    let assertion: Credential | null;
    try {
      assertion = await api.credentials.get({
        publicKey: {
          challenge: webCrypto().getRandomValues(new Uint8Array(32)),
          rpId: record.rpId,
          // Always name the credential: with an empty list the authenticator picks any (and the
          // virtual authenticator picks a different one from run to run).
          allowCredentials: [{ type: 'public-key', id: fromBase64OrBase64Url(record.id), transports: record.transports as AuthenticatorTransport[] }],
          userVerification: 'required',
          timeout: this.#options.timeout ?? 60_000,
          extensions: { prf: { eval: { first: fromBase64OrBase64Url(record.salt) } } },
        },
      });
    } catch (error) {
      throw await webAuthnError(error, operation, platformAuthenticatorAvailable);
    }
    if (!(assertion instanceof api.pkc) || toBase64Url(new Uint8Array(assertion.rawId)) !== record.id) {
      throw authFailed(`${operation}: the authenticator answered with another credential`);
    }
    // `userVerification: 'required'` is not enough: an authenticator can answer with the UV flag
    // clear (the virtual authenticator's `isBadUV` override does, and the client lets it through).
    if (!userVerified((assertion.response as AuthenticatorAssertionResponse).authenticatorData)) {
      throw authFailed(`${operation}: the authenticator did not verify the user`);
    }
    const first = assertion.getClientExtensionResults().prf?.results?.first;
    if (!first) {
      // Some authenticators (Windows Hello notably) claim PRF at registration and return none at
      // authentication; a credential synced or copied elsewhere can lose it too. Never fall back.
      throw invalidatedCredential(`${operation}: the credential released no PRF output; enable biometrics again`);
    }
    return deriveWrappingKey(first, record);
  }

  /**
   * Best effort: tell the passkey provider the credential is no longer used (WebAuthn Signal API,
   * Chromium 132+), so it may delete it. A page cannot delete a passkey itself.
   */
  async #forget(record: CredentialRecord): Promise<void> {
    const pkc = webAuthnApi()?.pkc as { signalUnknownCredential?: (options: { rpId: string; credentialId: string }) => Promise<void> } | undefined;
    if (typeof pkc?.signalUnknownCredential !== 'function') return;
    try {
      await pkc.signalUnknownCredential({ rpId: record.rpId, credentialId: record.id });
    } catch {
      // Best effort only.
    }
  }
}
