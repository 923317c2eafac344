/**
 * Native rejections → `VaultError`. A native implementation rejects with `code` set to the name
 * of a `VaultErrorCodes` member (`call.reject(message, "UserCanceledInteraction")`); anything
 * else (a bridge failure, `UNIMPLEMENTED`, an exception) becomes the caller's fallback code.
 */
import { vaultError, VaultError, VaultErrorCodes } from '../core/errors.js';

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
 * `fallback`. The message is `context`; the native error is kept as `cause` and its text is not
 * copied (core/errors.ts: messages are ours; a native plugin's text is not under our control).
 */
export function fromNative(error: unknown, fallback: VaultErrorCodes, context: string, allowed?: readonly VaultErrorCodes[]): VaultError {
  if (error instanceof VaultError) return error;
  const named = nativeCode(error);
  const code = named !== undefined && (allowed === undefined || allowed.includes(named)) ? named : fallback;
  return vaultError(code, context, { cause: error });
}

/** Await a native call, translating its rejection. */
export async function callNative<T>(call: () => Promise<T>, fallback: VaultErrorCodes, context: string, allowed?: readonly VaultErrorCodes[]): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw fromNative(error, fallback, context, allowed);
  }
}
