/**
 * The core's work after a vault's first prompt, gathered in one module that the engine loads with
 * `import()` on first use (`afterPrompt` in lazy-load.ts; lazy-load.ts says why): opening the
 * passcode, biometric or device wrap, writing key state and rotating the data key, sealing and
 * opening values, and the writes that change a vault's protection or many values. Showing a
 * vault's first prompt needs none of it, so with a bundler that splits chunks an app loads it while
 * the user answers the prompt (or at the first change of protection: a new vault's setup).
 */
export { attemptsExhausted } from './attempts.js';
export { openBiometricWrap, openDeviceWrap } from './key-wraps.js';
export { openWithPasscode } from './passcode-unlock.js';
export { openValue, recordFingerprint, sealValue } from './value-records.js';
// Node's guarded write (storeValue with ifCurrent) compares the stored meta with the one held.
export { sameJson } from './same-json.js';
// Clearing, removing and replacing values, changing protection, creating the data key (vault-state.ts's writes).
export { VaultWrites } from './vault-writes.js';
