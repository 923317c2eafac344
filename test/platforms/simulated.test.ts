import { describe, it } from 'vitest';
import { SimulatedDevice } from 'identity-vault/testing';
import { VaultErrorCodes } from 'identity-vault';
import { conformanceCases, type ConformanceDriver } from './conformance.js';
import { vaultApiConformanceCases } from './vault-api-conformance.js';

function simulatedDriver(): ConformanceDriver {
  const device = new SimulatedDevice({ biometricType: 'faceID' });
  return {
    name: 'simulated',
    plugin: () => device.plugin,
    restart: async () => device.restart(),
    dumpStorage: async () => device.storage.dumpText(),
    passcodePrompt: { queue: async (...answers) => device.passcodePrompt.queue(...answers) },
    biometrics: {
      respondWith: async (outcome) => device.biometrics.respondWith(outcome),
      reenroll: async () => device.biometrics.reenroll(),
      failCodes: [VaultErrorCodes.AuthFailed, VaultErrorCodes.UserCanceledInteraction],
      invalidatedCodes: [VaultErrorCodes.InvalidatedCredential],
    },
    lifecycle: {
      background: async () => device.sendToBackground(),
      foreground: async () => device.bringToForeground(),
      advanceTime: async (ms) => device.advanceTime(ms),
    },
  };
}

describe('conformance: simulated device', () => {
  for (const testCase of conformanceCases) {
    it(testCase.name, () => testCase.run(simulatedDriver()));
  }
});

describe('conformance of the Identity Vault 5.x/6.x API: simulated device', () => {
  for (const testCase of vaultApiConformanceCases) {
    it(testCase.name, () => testCase.run(simulatedDriver()));
  }
});
