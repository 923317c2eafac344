/** Byte helpers that work the same in browsers and Node, without `Buffer`. */

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return utf8Encoder.encode(text) as Uint8Array<ArrayBuffer>;
}

/** Decodes UTF-8; throws on invalid bytes (a tampered record must not decode "mostly"). */
export function fromUtf8(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

/**
 * The platform's own base64 (`Uint8Array.prototype.toBase64` / `Uint8Array.fromBase64`, TC39
 * "Uint8Array to/from base64": Chromium 140+, Firefox 133+, Safari 18.2+), where it exists: about
 * 1.4 µs for 1 KB in Chromium against some 30 µs for the loop below, on every value a vault stores
 * (measured in `bench/page/breakdown.ts`). Older engines and Node 20 use the loops.
 */
type NativeBase64 = {
  toBase64?: (this: Uint8Array) => string;
};
type NativeFromBase64 = {
  fromBase64?: (text: string, options: { lastChunkHandling: 'strict' }) => Uint8Array<ArrayBuffer>;
};
const nativeToBase64 = (Uint8Array.prototype as NativeBase64).toBase64;
const nativeFromBase64 = (Uint8Array as NativeFromBase64).fromBase64;

export function toBase64(bytes: Uint8Array): string {
  if (nativeToBase64) return nativeToBase64.call(bytes);
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + '=';
  }
  return out;
}

/** Strict base64 decoding: returns `undefined` for anything that is not canonical padded base64. */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (text.length % 4 !== 0) return undefined;
  if (nativeFromBase64) {
    let out: Uint8Array<ArrayBuffer>;
    try {
      // 'strict': padding required, non-zero padding bits rejected. It still skips ASCII
      // whitespace, which the canonical check below refuses.
      out = nativeFromBase64(text, { lastChunkHandling: 'strict' });
    } catch {
      return undefined;
    }
    return toBase64(out) === text ? out : undefined;
  }
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = text.charCodeAt(i + j);
      const isPad = c === 61 && i + 4 === text.length && j >= 4 - padding;
      const v = isPad ? 0 : c < 128 ? B64_INDEX[c]! : -1;
      if (v < 0) return undefined;
      n = (n << 6) | v;
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  // Canonical form only: re-encoding must give the same text (rejects non-zero padding bits).
  return toBase64(out) === text ? out : undefined;
}
