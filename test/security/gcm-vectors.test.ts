/**
 * docs/security.md, "Integrity and tampering": the AES-GCM the envelope uses agrees with published test vectors. No npm package
 * ships Wycheproof's aes_gcm_test.json, so these are the AES-256 cases 13–16 of the GCM
 * specification (McGrew & Viega, also in NIST's gcmEncryptExtIV256 set), run through the envelope's
 * own `seal`/`open` with the IV injected through the CryptoPort, in both directions, plus a
 * flipped tag bit that must fail. Twice: through the host's WebCrypto, and through the Node crypto
 * port, whose AES-GCM runs synchronously in node:crypto (src/node/node-crypto.ts).
 */
import { describe, expect, it } from 'vitest';
import { open, OpenFailed, seal } from '../../src/core/envelope.js';
import { fromBase64, toBase64 } from '../../src/core/bytes.js';
import type { CryptoPort } from 'identity-vault/platform';
import { createNodeCrypto } from '../../src/node/node-crypto.js';
import { recordFigure } from './figures.js';

const hex = (text: string) => new Uint8Array(text.match(/../g)?.map((byte) => parseInt(byte, 16)) ?? []) as Uint8Array<ArrayBuffer>;
const K15 = 'feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308';
const P15 = 'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255';
const C15 = '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad';

const vectors = [
  { name: 'case 13: empty', key: '0'.repeat(64), iv: '0'.repeat(24), pt: '', aad: '', ct: '', tag: '530f8afbc74536b9a963b4f1c4cb738b' },
  {
    name: 'case 14: one zero block',
    key: '0'.repeat(64),
    iv: '0'.repeat(24),
    pt: '0'.repeat(32),
    aad: '',
    ct: 'cea7403d4d606b6e074ec5d3baf39d18',
    tag: 'd0d1c8a799996bf0265b98b5d48ab919',
  },
  { name: 'case 15: 64 bytes', key: K15, iv: 'cafebabefacedbaddecaf888', pt: P15, aad: '', ct: C15, tag: 'b094dac5d93471bdec1a502270e3cc6c' },
  {
    name: 'case 16: 60 bytes with additional data',
    key: K15,
    iv: 'cafebabefacedbaddecaf888',
    pt: P15.slice(0, 120),
    aad: 'feedfacedeadbeeffeedfacedeadbeefabaddad2',
    ct: C15.slice(0, 120),
    tag: '76fc6ece0f4e1768cddf8853bb2d551b',
  },
];

const ports = [
  { port: 'WebCrypto (Node)', subtle: globalThis.crypto.subtle },
  { port: 'Node crypto port (node:crypto, synchronous)', subtle: createNodeCrypto().subtle },
];
const cases = ports.flatMap(({ port, subtle }) => vectors.map((v) => ({ ...v, port, subtle })));

describe('AES-256-GCM known answers (GCM specification cases 13–16)', () => {
  it.each(cases)('$port, $name: seal gives the published ciphertext and tag; open gives the plaintext back; a flipped tag bit fails', async (v) => {
    const subtle = v.subtle;
    const key = await subtle.importKey('raw', hex(v.key), 'AES-GCM', false, ['encrypt', 'decrypt']);
    const fixedIv: CryptoPort = { subtle, randomBytes: () => hex(v.iv) };
    const sealed = await seal(fixedIv, key, hex(v.pt), hex(v.aad));
    expect(sealed.iv).toBe(toBase64(hex(v.iv)));
    expect(Buffer.from(fromBase64(sealed.ct)!).toString('hex')).toBe(v.ct + v.tag);
    expect(Buffer.from(await open(fixedIv, key, sealed, hex(v.aad))).toString('hex')).toBe(v.pt);
    const tampered = fromBase64(sealed.ct)!;
    tampered[tampered.length - 1]! ^= 0x80;
    await expect(open(fixedIv, key, { iv: sealed.iv, ct: toBase64(tampered) }, hex(v.aad))).rejects.toBeInstanceOf(OpenFailed);
  });

  it('records the figure', () => {
    for (const { port } of ports) {
      recordFigure(
        '25. AES-GCM agrees with published vectors',
        port,
        '4 AES-256 cases of the GCM specification (13–16), seal and open through the envelope: all match; flipped tag bits fail',
      );
    }
  });
});
