/**
 * Access to WebAuthn for the biometrics adapter: the API (read lazily, so the module loads under
 * Node), the platform-authenticator check, the relying party id, and the user-verified flag.
 * Internal: not re-exported from `identity-vault/web`.
 */
import { securityNotAvailable } from '../core/errors.js';

/** authenticatorData: rpIdHash (32 bytes), then the flags byte; UV is bit 2 (WebAuthn §6.1). */
const FLAGS_OFFSET = 32;
const FLAG_UV = 0x04;

/** The parts of WebAuthn the adapter uses. */
export interface WebAuthnApi {
  readonly pkc: typeof PublicKeyCredential;
  readonly credentials: CredentialsContainer;
}

/** `PublicKeyCredential` and `navigator.credentials`, read lazily. */
export function webAuthnApi(): WebAuthnApi | undefined {
  const g = globalThis as { PublicKeyCredential?: typeof PublicKeyCredential; navigator?: Navigator; isSecureContext?: boolean };
  if (!g.PublicKeyCredential || !g.navigator?.credentials || g.isSecureContext === false) return undefined;
  return { pkc: g.PublicKeyCredential, credentials: g.navigator.credentials };
}

/**
 * The WebAuthn API, after checking a user-verifying platform authenticator is there: without one,
 * `create()`/`get()` would not fail but wait for the timeout (a minute) with nothing to answer.
 */
export async function requirePlatformAuthenticator(operation: string): Promise<WebAuthnApi> {
  const api = webAuthnApi();
  if (!api) throw securityNotAvailable(`${operation}: WebAuthn is not available (it needs a secure context)`);
  if (!(await platformAuthenticatorAvailable())) {
    throw securityNotAvailable(`${operation}: no user-verifying platform authenticator (biometrics) is available`);
  }
  return api;
}

/** Whether a user-verifying platform authenticator is there now (false on any failure). */
export async function platformAuthenticatorAvailable(): Promise<boolean> {
  const api = webAuthnApi();
  if (!api) return false;
  try {
    return await api.pkc.isUserVerifyingPlatformAuthenticatorAvailable();
  } catch {
    return false;
  }
}

/** The page's hostname: the WebAuthn relying party id. */
export function hostname(): string {
  return (globalThis as { location?: Location }).location?.hostname ?? '';
}

/** Whether the UV flag of `authenticatorData` is set. */
export function userVerified(authenticatorData: ArrayBuffer): boolean {
  const bytes = new Uint8Array(authenticatorData);
  return bytes.length > FLAGS_OFFSET && ((bytes[FLAGS_OFFSET] ?? 0) & FLAG_UV) !== 0;
}
