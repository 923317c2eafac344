/**
 * WebAuthn PRF biometrics in real Chromium with the DevTools virtual authenticator: key release,
 * key stability per salt, and the exact error of every failure path.
 */
import { VirtualAuthenticator } from '../../browser-harness/virtual-authenticator.js';
import { expect, test } from './fixtures.js';

const DESCRIPTOR = { vaultId: 'bio-vault', username: 'ada' };

test.describe('with a PRF platform authenticator', () => {
  test('availability: available, best-effort type', async ({ harnessPage: page, authenticator }) => {
    void authenticator;
    const availability = await page.evaluate(() => new window.iv.WebAuthnBiometrics().availability());
    expect(availability).toEqual({ available: true, type: 'touchID' }); // Linux Chromium: the generic guess
    const overridden = await page.evaluate(() => new window.iv.WebAuthnBiometrics({ biometricType: 'faceID' }).availability());
    expect(overridden).toEqual({ available: true, type: 'faceID' });
  });

  test('enroll releases a non-extractable AES-GCM wrapping key; same salt gives the same key', async ({ harnessPage: page, authenticator }) => {
    const result = await page.evaluate(async (descriptor) => {
      const subtle = crypto.subtle;
      const biometrics = new window.iv.WebAuthnBiometrics();
      const { credential, key } = await biometrics.enroll(descriptor);
      const dataKey = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt']);
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const wrapped = await subtle.wrapKey('raw', dataKey, key, { name: 'AES-GCM', iv });
      const opens = async (k: CryptoKey) =>
        subtle.unwrapKey('raw', wrapped, k, { name: 'AES-GCM', iv }, 'AES-GCM', false, ['encrypt']).then(
          () => true,
          () => false,
        );
      const forUnwrap = await biometrics.keyForUnwrap({ credential });
      const forWrap = await biometrics.keyForWrap({ credential });
      // Another vault's record pointing at the same credential and salt derives another key (HKDF info binding).
      const otherVault = await biometrics.keyForUnwrap({ credential: { ...credential, vaultId: 'other' } });
      // Another salt: another PRF output.
      const otherSalt = await biometrics.keyForUnwrap({ credential: { ...credential, salt: btoa('x'.repeat(32)) } });
      return {
        credential,
        key: { type: key.type, extractable: key.extractable, algorithm: key.algorithm, usages: [...key.usages].sort() },
        exportRejects: await subtle.exportKey('raw', key).then(
          () => false,
          (e: Error) => e.name,
        ),
        unwrapExtractable: forUnwrap.extractable,
        opensWithUnwrapKey: await opens(forUnwrap),
        opensWithWrapKey: await opens(forWrap),
        opensWithOtherVault: await opens(otherVault),
        opensWithOtherSalt: await opens(otherSalt),
      };
    }, DESCRIPTOR);
    expect(result.credential).toMatchObject({ version: 2, rpId: 'localhost', vaultId: 'bio-vault', username: 'ada' });
    expect(result.credential['id']).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(atobLength(result.credential['salt'] as string)).toBe(32);
    expect(JSON.parse(JSON.stringify(result.credential))).toEqual(result.credential); // plain JSON
    expect(result.key).toEqual({ type: 'secret', extractable: false, algorithm: { name: 'AES-GCM', length: 256 }, usages: ['unwrapKey', 'wrapKey'] });
    expect(result.exportRejects).toBe('InvalidAccessError');
    expect(result.unwrapExtractable).toBe(false);
    expect(result.opensWithUnwrapKey).toBe(true);
    expect(result.opensWithWrapKey).toBe(true);
    expect(result.opensWithOtherVault).toBe(false);
    expect(result.opensWithOtherSalt).toBe(false);
    // Re-enrolling the same vault replaces its resident credential instead of adding one.
    await page.evaluate((descriptor) => new window.iv.WebAuthnBiometrics().enroll(descriptor), DESCRIPTOR);
    expect((await authenticator.credentials()).length).toBe(1);
  });

  test('issue 11: vaultId and username are encoded unambiguously (v2); a v1 record keeps its NUL-joined key so older vaults open', async ({
    harnessPage: page,
    authenticator,
  }) => {
    void authenticator;
    const result = await page.evaluate(async (descriptor) => {
      const subtle = crypto.subtle;
      const biometrics = new window.iv.WebAuthnBiometrics();
      const { credential } = await biometrics.enroll(descriptor);
      const fromB64 = (text: string, url = false) =>
        Uint8Array.from(
          atob(
            url
              ? text
                  .replace(/-/g, '+')
                  .replace(/_/g, '/')
                  .padEnd(Math.ceil(text.length / 4) * 4, '=')
              : text,
          ),
          (c) => c.charCodeAt(0),
        );
      // The PRF output straight from the authenticator, to derive the key the way version 1 did.
      const assertion = (await navigator.credentials.get({
        publicKey: {
          challenge: crypto.getRandomValues(new Uint8Array(32)),
          rpId: 'localhost',
          allowCredentials: [{ type: 'public-key', id: fromB64(credential['id'] as string, true) }],
          userVerification: 'required',
          extensions: { prf: { eval: { first: fromB64(credential['salt'] as string) } } },
        },
      })) as PublicKeyCredential;
      const prf = (assertion.getClientExtensionResults() as { prf?: { results?: { first?: ArrayBuffer } } }).prf!.results!.first!;
      const ikm = await subtle.importKey('raw', prf, 'HKDF', false, ['deriveKey']);
      const v1Info = new TextEncoder().encode(`identity-vault/webauthn-prf-wrap/v1\0${descriptor.vaultId}\0${descriptor.username}\0${credential['id']}`);
      const v1Key = await subtle.deriveKey(
        { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: v1Info },
        ikm,
        { name: 'AES-GCM', length: 256 },
        false,
        ['wrapKey', 'unwrapKey'],
      );
      const dataKey = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt']);
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const wrapped = await subtle.wrapKey('raw', dataKey, v1Key, { name: 'AES-GCM', iv });
      const opens = async (k: CryptoKey) =>
        subtle.unwrapKey('raw', wrapped, k, { name: 'AES-GCM', iv }, 'AES-GCM', false, ['encrypt']).then(
          () => true,
          () => false,
        );
      const v1 = await biometrics.keyForUnwrap({ credential: { ...credential, version: 1 } });
      const v2 = await biometrics.keyForUnwrap({ credential });
      // Two descriptors that NUL-joining would confuse: ('a\0b', 'c') and ('a', 'b\0c').
      const x = { ...credential, vaultId: 'a\u0000b', username: 'c' };
      const y = { ...credential, vaultId: 'a', username: 'b\u0000c' };
      const sameKeys = async (a: Record<string, unknown>, b: Record<string, unknown>) => {
        const blob = await subtle.wrapKey('raw', dataKey, await biometrics.keyForWrap({ credential: a as typeof credential }), { name: 'AES-GCM', iv });
        const other = await biometrics.keyForWrap({ credential: b as typeof credential });
        return subtle.unwrapKey('raw', blob, other, { name: 'AES-GCM', iv }, 'AES-GCM', false, ['encrypt']).then(
          () => true,
          () => false,
        );
      };
      return {
        version: credential['version'],
        v1OpensOldWrap: await opens(v1),
        v2OpensOldWrap: await opens(v2),
        v2SameKeyForBoth: await sameKeys(x, y),
        v1SameKeyForBoth: await sameKeys({ ...x, version: 1 }, { ...y, version: 1 }), // the ambiguity version 2 removes
      };
    }, DESCRIPTOR);
    expect(result).toEqual({ version: 2, v1OpensOldWrap: true, v2OpensOldWrap: false, v2SameKeyForBoth: false, v1SameKeyForBoth: true });
  });

  test('user verification failing → UserCanceledInteraction (indistinguishable from cancel)', async ({ harnessPage: page, authenticator }) => {
    await page.evaluate(async (descriptor) => {
      window.iv.scratch['credential'] = (await new window.iv.WebAuthnBiometrics().enroll(descriptor)).credential;
    }, DESCRIPTOR);
    await authenticator.setUserVerified(false);
    const outcome = await page.evaluate(() =>
      window.iv.outcome(new window.iv.WebAuthnBiometrics().keyForUnwrap({ credential: window.iv.scratch['credential'] as never })),
    );
    expect(outcome).toMatchObject({ name: 'VaultError', codeName: 'UserCanceledInteraction', causeName: 'NotAllowedError' });
  });

  test('credential removed from the authenticator → UserCanceledInteraction', async ({ harnessPage: page, authenticator }) => {
    await page.evaluate(async (descriptor) => {
      window.iv.scratch['credential'] = (await new window.iv.WebAuthnBiometrics().enroll(descriptor)).credential;
    }, DESCRIPTOR);
    await authenticator.clearCredentials();
    const outcome = await page.evaluate(() =>
      window.iv.outcome(new window.iv.WebAuthnBiometrics().keyForUnwrap({ credential: window.iv.scratch['credential'] as never })),
    );
    expect(outcome).toMatchObject({ name: 'VaultError', codeName: 'UserCanceledInteraction', causeName: 'NotAllowedError' });
  });

  test('authenticator gone → SecurityNotAvailable, and availability says so', async ({ harnessPage: page, authenticator }) => {
    await page.evaluate(async (descriptor) => {
      window.iv.scratch['credential'] = (await new window.iv.WebAuthnBiometrics().enroll(descriptor)).credential;
    }, DESCRIPTOR);
    await authenticator.remove();
    const result = await page.evaluate(async () => ({
      outcome: await window.iv.outcome(new window.iv.WebAuthnBiometrics().keyForUnwrap({ credential: window.iv.scratch['credential'] as never })),
      availability: await new window.iv.WebAuthnBiometrics().availability(),
    }));
    expect(result.outcome).toMatchObject({ name: 'VaultError', codeName: 'SecurityNotAvailable' });
    expect(result.availability).toEqual({ available: false, type: 'none' });
  });

  test('an assertion without the UV flag → AuthFailed, even though WebAuthn resolved', async ({ harnessPage: page, authenticator }) => {
    await page.evaluate(async (descriptor) => {
      window.iv.scratch['credential'] = (await new window.iv.WebAuthnBiometrics().enroll(descriptor)).credential;
    }, DESCRIPTOR);
    await authenticator.setBadUv(true);
    const outcome = await page.evaluate(() =>
      window.iv.outcome(new window.iv.WebAuthnBiometrics().keyForUnwrap({ credential: window.iv.scratch['credential'] as never })),
    );
    expect(outcome).toMatchObject({ name: 'VaultError', codeName: 'AuthFailed' });
  });

  test('a malformed record or one made for another host → KeyNotFound', async ({ harnessPage: page, authenticator }) => {
    void authenticator;
    const result = await page.evaluate(async (descriptor) => {
      const biometrics = new window.iv.WebAuthnBiometrics();
      const { credential } = await biometrics.enroll(descriptor);
      return {
        malformed: await window.iv.outcome(biometrics.keyForUnwrap({ credential: { id: 42 } })),
        otherHost: await window.iv.outcome(biometrics.keyForUnwrap({ credential: { ...credential, rpId: 'example.com' } })),
        removeMalformed: await window.iv.outcome(biometrics.remove({ credential: {} })),
      };
    }, DESCRIPTOR);
    expect(result.malformed).toMatchObject({ codeName: 'KeyNotFound' });
    expect(result.otherHost).toMatchObject({ codeName: 'KeyNotFound' });
    expect(result.removeMalformed).toBe('resolved');
  });

  test('a credential that releases no PRF output → InvalidatedCredential, never a weaker fallback', async ({ context, harnessPage: page, authenticator }) => {
    await page.evaluate(async (descriptor) => {
      window.iv.scratch['credential'] = (await new window.iv.WebAuthnBiometrics().enroll(descriptor)).credential;
    }, DESCRIPTOR);
    // The same credential copied to another authenticator answers without PRF (a passkey synced
    // to a provider that lacks PRF behaves the same way).
    const [copied] = await authenticator.credentials();
    expect(copied).toBeDefined();
    await authenticator.remove();
    const second = await VirtualAuthenticator.attach(context, page);
    await second.addCredential(copied!);
    const outcome = await page.evaluate(() =>
      window.iv.outcome(new window.iv.WebAuthnBiometrics().keyForUnwrap({ credential: window.iv.scratch['credential'] as never })),
    );
    expect(outcome).toMatchObject({ name: 'VaultError', codeName: 'InvalidatedCredential' });
  });
});

test('no PRF support → enrolment fails with SecurityNotAvailable', async ({ context, harnessPage: page }) => {
  await VirtualAuthenticator.attach(context, page, { hasPrf: false });
  const outcome = await page.evaluate((descriptor) => window.iv.outcome(new window.iv.WebAuthnBiometrics().enroll(descriptor)), DESCRIPTOR);
  expect(outcome).toMatchObject({ name: 'VaultError', codeName: 'SecurityNotAvailable' });
});

test('no authenticator → unavailable, and enrolment fails with a typed error', async ({ harnessPage: page }) => {
  const result = await page.evaluate(
    async (descriptor) => ({
      availability: await new window.iv.WebAuthnBiometrics().availability(),
      enroll: await window.iv.outcome(new window.iv.WebAuthnBiometrics({ timeout: 1000 }).enroll(descriptor)),
    }),
    DESCRIPTOR,
  );
  expect(result.availability).toEqual({ available: false, type: 'none' });
  expect(result.enroll).toMatchObject({ name: 'VaultError', codeName: 'SecurityNotAvailable' });
});

test('biometric type guesses are documented best effort', async ({ harnessPage: page }) => {
  const guesses = await page.evaluate(() => {
    const g = window.iv.guessBiometricType;
    return {
      iphone: g({ userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15' }),
      ipadDesktop: g({ userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15', maxTouchPoints: 5 }),
      mac: g({ userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15', maxTouchPoints: 0 }),
      android: g({ userAgent: 'Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36' }),
      windows: g({ userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36' }),
    };
  });
  expect(guesses).toEqual({ iphone: 'faceID', ipadDesktop: 'faceID', mac: 'touchID', android: 'touchID', windows: 'touchID' });
});

function atobLength(base64: string): number {
  return Buffer.from(base64, 'base64').length;
}
