/**
 * The one set-up of the DevTools protocol's virtual WebAuthn authenticator, shared by the browser
 * tests (`virtual-authenticator.ts`) and the benchmark (`bench/lib/browser.mjs`). Plain JavaScript
 * so the benchmark runs it under Node without a TypeScript step; types in the `.d.mts` beside it.
 */

/**
 * Enable the WebAuthn domain on a CDP session and add a platform authenticator
 * (`transport: 'internal'`): CTAP2, resident keys, user verification and PRF unless `options`
 * turn them off.
 * @returns {Promise<string>} the authenticator id
 */
export async function addPlatformAuthenticator(cdp, options = {}) {
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: options.hasUserVerification ?? true,
      isUserVerified: options.isUserVerified ?? true,
      automaticPresenceSimulation: options.automaticPresenceSimulation ?? true,
      hasPrf: options.hasPrf ?? true,
    },
  });
  return authenticatorId;
}
