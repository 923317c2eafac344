/**
 * One segment of a source map's `mappings` (Source Map v3: base64 VLQ fields, each relative to the
 * previous segment's), decoded to its signed numbers, for source-positions.mjs, which reads Vite's
 * source maps without a dependency.
 */
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The fields of one mappings segment, e.g. `'AAgBC'` → `[0, 0, 16, 1]`. */
export function decodeSegment(segment) {
  const fields = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return fields;
}
