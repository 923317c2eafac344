/**
 * `identity-vault/testing`: a simulated device for app developers' tests (and the project's own).
 * @packageDocumentation
 */
export { SimulatedDevice, SimulatedDeviceKey, SimulatedPasscodePrompt, type SimulatedDeviceOptions } from './simulated-device.js';
export { SimulatedBiometrics, type BiometricOutcome } from './simulated-biometrics.js';
export { SimulatedClock } from './simulated-clock.js';
export { MemoryStore } from './memory-store.js';
export { inspectVaultMemory } from '../core/identity-vault.js';
export type { MemoryInspection } from '../core/vault-engine.js';
