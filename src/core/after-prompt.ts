/**
 * The core's work after a vault's first prompt, gathered in one module that the engine loads with
 * `import()` on first use (`afterPrompt` in lazy-load.ts; lazy-load.ts says why): opening the
 * passcode, biometric or device wrap, writing key state and rotating the data key, sealing and
 * opening values. Setting a vault up and showing its first prompt needs none of it, so with a
 * bundler that splits chunks an app loads it while the user answers the prompt.
 */
export { attemptsExhausted } from './attempts.js';
export { generateDataKey } from './envelope.js';
export { StaleKeyState } from './key-rotation.js';
export { releaseDeviceKey, settleDeviceKey, writeKeyState } from './key-state.js';
export { openBiometricWrap, openDeviceWrap } from './key-wraps.js';
export { derivePasscodeKey, newKdfParams } from './kdf.js';
export { openWithPasscode } from './passcode-unlock.js';
export { openValue, sealValue, sealValues } from './value-records.js';
