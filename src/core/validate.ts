/** Argument checks for the public API: every bad input is `VaultError(InvalidArguments)`. */
import { invalidArguments, type VaultError } from './errors.js';

/** Longest key accepted, in UTF-16 code units; keys name records, they are not payloads. */
export const MAX_KEY_LENGTH = 1024;
/** Longest passcode accepted; longer input is refused rather than truncated. */
export const MAX_PASSCODE_LENGTH = 1024;
/**
 * Shortest passcode the built-in prompts accept when a passcode is *set* (NIST SP 800-63B 5.1.1
 * asks for at least 6 for memorized secrets chosen by users, and 4-digit PINs are the floor of
 * device passcodes; 4 keeps the PIN pads of existing apps working). A passcode the app passes
 * itself is the app's choice; the session layer has `minPasscodeLength` for `onPasscodeRequest`.
 */
export const MIN_PROMPTED_PASSCODE_LENGTH = 4;
/**
 * Largest value accepted, in UTF-16 code units of its JSON text (16 MiB of text). A value is
 * encrypted, base64-encoded and written in one piece, which needs several copies in memory; a
 * session, tokens and settings are far below this.
 */
export const MAX_VALUE_LENGTH = 16 * 1024 * 1024;
/** Deepest nesting of arrays and objects accepted in a value. */
export const MAX_VALUE_DEPTH = 1000;

export function checkKey(key: unknown): string {
  if (typeof key !== 'string') throw invalidArguments(`key must be a string, got ${describeType(key)}`);
  if (key.length === 0) throw invalidArguments('key must not be empty');
  if (key.length > MAX_KEY_LENGTH) throw invalidArguments(`key is longer than ${MAX_KEY_LENGTH} characters`);
  if (!key.isWellFormed()) throw invalidArguments('key contains a lone surrogate and cannot be stored');
  return key;
}

export function checkBoolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw invalidArguments(`${name} must be a boolean, got ${describeType(value)}`);
  return value;
}

export function checkOptionalBoolean(value: unknown, name: string): boolean | undefined {
  return value === undefined ? undefined : checkBoolean(value, name);
}

export function checkOptionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidArguments(`${name} must be a string, got ${describeType(value)}`);
  return value;
}

/** A passcode: a non-empty string. Its content never appears in a message. */
export function checkPasscode(value: unknown): string {
  if (typeof value !== 'string') throw invalidArguments(`passcode must be a string, got ${describeType(value)}`);
  if (value.length === 0) throw invalidArguments('passcode must not be empty');
  if (value.length > MAX_PASSCODE_LENGTH) throw invalidArguments(`passcode is longer than ${MAX_PASSCODE_LENGTH} characters`);
  if (!value.isWellFormed()) throw invalidArguments('passcode contains a lone surrogate');
  // NIST SP 800-63B 5.1.1.2: normalise so the same passcode typed on two keyboards matches.
  return value.normalize('NFKC');
}

export function checkNonEmptyString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw invalidArguments(`${name} must be a non-empty string, got ${typeof value === 'string' ? 'an empty string' : describeType(value)}`);
  }
  // Names become storage keys (percent-encoded): a lone surrogate cannot be encoded.
  if (!value.isWellFormed()) throw invalidArguments(`${name} contains a lone surrogate`);
  return value;
}

/** A passcode being set through a built-in prompt: at least {@link MIN_PROMPTED_PASSCODE_LENGTH} characters. */
export function checkNewPasscodeLength(passcode: string, minimum: number): string {
  if ([...passcode].length < minimum) throw invalidArguments(`the new passcode must have at least ${minimum} characters`);
  return passcode;
}

export function checkMilliseconds(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidArguments(`${name} must be a finite number of milliseconds ≥ 0, got ${describeType(value)}`);
  }
  return value;
}

export function checkAttemptLimit(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 1000) {
    throw invalidArguments(`maxAttempts must be a whole number from 1 to 1000, got ${describeType(value)}`);
  }
  return value;
}

/**
 * Serialises a value to JSON, accepting only JSON data: null, booleans, finite numbers, strings,
 * arrays and plain objects. Anything that would not come back as it went in (functions, symbols,
 * `undefined`, bigint, NaN, class instances such as Date or Map, cycles) is refused instead of
 * being silently changed by `JSON.stringify`.
 */
export function serialiseValue(value: unknown): string {
  // The walk counts string lengths as it goes, so a huge value is refused before it is copied.
  checkJsonData(value, '$', new Set(), { length: 0 });
  const json = JSON.stringify(value);
  if (json.length > MAX_VALUE_LENGTH) throw tooLarge();
  return json;
}

function tooLarge(): VaultError {
  return invalidArguments(`value is larger than ${MAX_VALUE_LENGTH / (1024 * 1024)} MiB of JSON text`);
}

function checkJsonData(value: unknown, path: string, seen: Set<object>, budget: { length: number }): void {
  switch (typeof value) {
    case 'string':
      if (!value.isWellFormed()) throw invalidArguments(`value at ${path} contains a lone surrogate`);
      budget.length += value.length;
      if (budget.length > MAX_VALUE_LENGTH) throw tooLarge();
      return;
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw invalidArguments(`value at ${path} is ${value}, which JSON cannot represent`);
      return;
    case 'object':
      break;
    default:
      throw invalidArguments(`value at ${path} is ${describeType(value)}, which cannot be stored (only JSON data can)`);
  }
  if (value === null) return;
  if (seen.has(value)) throw invalidArguments(`value at ${path} is cyclic`);
  // Checked before recursing: 20,000 levels would overflow the stack (a RangeError, not a VaultError).
  if (seen.size >= MAX_VALUE_DEPTH) throw invalidArguments(`value is nested deeper than ${MAX_VALUE_DEPTH} levels`);
  const proto = Object.getPrototypeOf(value) as unknown;
  if (Array.isArray(value)) {
    if (proto !== Array.prototype) throw invalidArguments(`value at ${path} is ${describeType(value)}; only plain arrays can be stored`);
    seen.add(value);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw invalidArguments(`value at ${path}[${i}] is a hole in a sparse array`);
      checkJsonData(value[i], `${path}[${i}]`, seen, budget);
    }
    seen.delete(value);
    return;
  }
  if (proto !== Object.prototype && proto !== null) {
    throw invalidArguments(`value at ${path} is ${describeType(value)}; only plain objects and arrays can be stored`);
  }
  if (Object.getOwnPropertySymbols(value).length > 0) throw invalidArguments(`value at ${path} has symbol keys`);
  seen.add(value);
  for (const [field, child] of Object.entries(value)) {
    if (!field.isWellFormed()) throw invalidArguments(`a key at ${path} contains a lone surrogate`);
    budget.length += field.length;
    checkJsonData(child, `${path}.${field}`, seen, budget);
  }
  seen.delete(value);
}

/** A short, secret-free description of a value's type for error messages. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    return typeof name === 'string' && name !== 'Object' ? `a ${name}` : 'an object';
  }
  if (typeof value === 'string') return `a string of length ${value.length}`;
  return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
}
