/**
 * Key ranges for string-key prefixes in IndexedDB.
 */

/**
 * The key range holding exactly the string keys that start with `prefix`; `undefined` for the
 * empty prefix (every key). IndexedDB compares strings by UTF-16 code units, so the keys with
 * the prefix are `[prefix, successor)`, where `successor` increments the last code unit that is
 * not U+FFFF (the simpler `bound(prefix, prefix + '\uffff')` misses keys such as
 * `prefix + '\uffff\uffff'`).
 */
export function prefixRange(prefix: string): IDBKeyRange | undefined {
  if (prefix === '') return undefined;
  let stem = prefix;
  while (stem.length > 0 && stem.charCodeAt(stem.length - 1) === 0xffff) stem = stem.slice(0, -1);
  if (stem === '') return IDBKeyRange.lowerBound(prefix);
  const successor = stem.slice(0, -1) + String.fromCharCode(stem.charCodeAt(stem.length - 1) + 1);
  return IDBKeyRange.bound(prefix, successor, false, true);
}
