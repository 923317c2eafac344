/**
 * Native rejections → `VaultError`. A native implementation rejects with `code` set to the name
 * of a `VaultErrorCodes` member (`call.reject(message, "UserCanceledInteraction")`); anything
 * else (a bridge failure, `UNIMPLEMENTED`, an exception) becomes the caller's fallback code.
 */
import { VaultError, VaultErrorCodes } from '../core/errors.js';

/** The `VaultErrorCodes` named by a native rejection's `code`, if it names one. */
export function nativeCode(error: unknown): VaultErrorCodes | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && Object.prototype.hasOwnProperty.call(VaultErrorCodes, code)) {
    const value = (VaultErrorCodes as unknown as Record<string, unknown>)[code];
    if (typeof value === 'number') return value as VaultErrorCodes;
  }
  return undefined;
}

/**
 * `error` as a `VaultError`: its own code when it names one (and `allowed` includes it), else
 * `fallback`; the native error is kept as `cause`.
 */
export function fromNative(error: unknown, fallback: VaultErrorCodes, context: string, allowed?: readonly VaultErrorCodes[]): VaultError {
  if (error instanceof VaultError) return error;
  const named = nativeCode(error);
  const code = named !== undefined && (allowed === undefined || allowed.includes(named)) ? named : fallback;
  const detail = error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error) ? String((error as { message: unknown }).message) : String(error);
  return new VaultError(code, `${context}: ${detail}`, { cause: error });
}

/** Await a native call, translating its rejection. */
export async function callNative<T>(call: () => Promise<T>, fallback: VaultErrorCodes, context: string, allowed?: readonly VaultErrorCodes[]): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw fromNative(error, fallback, context, allowed);
  }
}
