/**
 * Every part of the web platform that is loaded on first use, in one module so a bundler that
 * splits chunks makes it one chunk: the passcode dialog (first passcode prompt), the WebAuthn
 * ceremonies (first biometric enrolment, unlock or removal), the privacy screen (enabled in the
 * background) and the device key (first wrap under it). Each `import()` of lazy-ports.ts and
 * page-lifecycle.ts names this module, and the Capacitor platform's dialog does too.
 *
 * Why one chunk and not four: each chunk is gzipped on its own, so the text the four share
 * (`VaultError` factories' names, DOM and WebCrypto calls, class boilerplate) was paid four times,
 * and chunks under 1 KB cost more in gzip's header and cold start than they hold. Measured with
 * the size app (bench/lib/size.mjs): 0.9 KB min+gzip less in all for each API's app, and nothing
 * more before the first prompt. The price: the first of these uses loads the other three too
 * (4.7 KB min+gzip at once instead of 0.5–2 KB), after the first prompt or in the background.
 */
export { PasscodeDialog } from '../ui/passcode-dialog.js';
export { PrivacyScreen } from './privacy-screen.js';
export { WebAuthnBiometrics } from './webauthn-biometrics.js';
export { IndexedDbDeviceKey } from './device-key.js';
