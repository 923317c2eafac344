/**
 * The tiny assertion helpers of the conformance suites (conformance.ts, vault-api-conformance.ts):
 * no test framework, so the suites run in vitest, in Playwright's page and on a device alike. A
 * failed check throws {@link ConformanceFailure}.
 */
import { VaultError, VaultErrorCodes } from 'identity-vault';

export class ConformanceFailure extends Error {}

export function fail(message: string): never {
  throw new ConformanceFailure(message);
}

/** `actual` and `expected` have the same JSON. */
export function equal<T>(actual: T, expected: T, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) fail(`${what}: expected ${e}, got ${a}`);
}

/** `promise` rejects with a VaultError of one of `codes`; resolves that error. */
export async function rejects(promise: Promise<unknown>, codes: VaultErrorCodes | readonly VaultErrorCodes[], what: string): Promise<VaultError> {
  const allowed = Array.isArray(codes) ? codes : [codes];
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof VaultError)) fail(`${what}: expected a VaultError, got ${String(error)}`);
    if (!allowed.includes(error.code)) {
      fail(`${what}: expected ${allowed.map((c) => VaultErrorCodes[c]).join(' or ')}, got ${VaultErrorCodes[error.code]} (${error.message})`);
    }
    return error;
  }
  return fail(`${what}: expected a rejection with ${allowed.map((c) => VaultErrorCodes[c]).join(' or ')}, but it resolved`);
}
