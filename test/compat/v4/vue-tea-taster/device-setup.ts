/**
 * Runs before the app's modules are loaded (imported first by vue-device.test.ts): the app creates
 * its `sessionVaultService` when its module loads, so the device must be there by then, as the
 * native plugin is in a real app.
 */
import { SimulatedDevice } from 'identity-vault/testing';
import { runOn } from './ionic-vue.js';

export const device = new SimulatedDevice({ biometricType: 'none' });
(globalThis as { IonicNativeAuth?: unknown }).IonicNativeAuth = device.plugin;
runOn(['hybrid', 'capacitor']);
