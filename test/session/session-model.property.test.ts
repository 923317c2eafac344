/**
 * Property: whatever the order of saves, reads, locks, background spells, logouts and restarts,
 * the session layer agrees with a small model of what is stored and whether the vault is locked
 * (unlockOnAccess on, every unlock succeeding).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuthMode } from 'identity-vault';
import type { SimulatedDevice } from 'identity-vault/testing';
import { newDevice, settle, userOn, type RecordingUser, type TestSession } from './helpers.js';

const LOCK_AFTER = 1000;

type Op =
  | { kind: 'save'; n: number }
  | { kind: 'get' }
  | { kind: 'restore' }
  | { kind: 'lockOut' }
  | { kind: 'unlock' }
  | { kind: 'logout' }
  | { kind: 'background'; ms: number }
  | { kind: 'restart' }
  | { kind: 'hasStored' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('save' as const), n: fc.nat(5) }),
  fc.constant({ kind: 'get' as const }),
  fc.constant({ kind: 'restore' as const }),
  fc.constant({ kind: 'lockOut' as const }),
  fc.constant({ kind: 'unlock' as const }),
  fc.constant({ kind: 'logout' as const }),
  fc.record({ kind: fc.constant('background' as const), ms: fc.constantFrom(0, 999, 1000, 5000) }),
  fc.constant({ kind: 'restart' as const }),
  fc.constant({ kind: 'hasStored' as const }),
);

const sessionOf = (n: number): TestSession => ({ username: `user${n}`, token: `token${n}`, email: `u${n}@example.com` });

interface Model {
  stored: TestSession | undefined;
  /** The copy in memory: what getSession() answers (Identity Vault 4.x: memory only) and where `token` comes from. */
  memory: TestSession | undefined;
  locked: boolean;
  /**
   * Whether the vault has a data key. Core behaviour: enabling biometrics on a new vault makes one
   * before anything is stored, and a vault with a key locks (even when empty). logout drops it;
   * at a restart the session layer resets an empty vault, dropping it too.
   */
  hasKey: boolean;
}

describe('session layer vs model', () => {
  it.each(
    [AuthMode.PasscodeOnly, AuthMode.BiometricAndPasscode, AuthMode.BiometricOnly, AuthMode.SecureStorage].map((mode) => [AuthMode[mode], mode] as const),
  )(
    'AuthMode.%s',
    async (_name, mode) => {
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 14 }), async (ops) => {
          const device: SimulatedDevice = newDevice();
          const make = (): RecordingUser => {
            const user = userOn(device, { authMode: mode, unlockOnAccess: true, lockAfter: LOCK_AFTER });
            user.passcode = '1234';
            return user;
          };
          let user = make();
          // A restart right away would race the first setup: the simulated "killed" app's pending
          // writes still reach storage (SimulatedDevice.restart cannot stop them).
          await user.ready();
          const model: Model = {
            stored: undefined,
            memory: undefined,
            locked: false,
            hasKey: mode === AuthMode.BiometricOnly || mode === AuthMode.BiometricAndPasscode,
          };
          for (const step of ops) {
            switch (step.kind) {
              case 'save':
                await user.saveSession(sessionOf(step.n));
                model.stored = sessionOf(step.n);
                model.memory = sessionOf(step.n);
                model.locked = false;
                model.hasKey = true;
                break;
              case 'get':
                expect(await user.getSession()).toEqual(model.memory);
                break;
              case 'restore': {
                expect(await user.restoreSession()).toEqual(model.stored);
                model.memory = model.stored;
                if (model.stored !== undefined) model.locked = false;
                break;
              }
              case 'lockOut':
                await user.lockOut();
                model.memory = undefined;
                if (model.hasKey) model.locked = true;
                break;
              case 'unlock':
                await user.unlock();
                model.locked = false;
                break;
              case 'logout':
                await user.logout();
                model.stored = undefined;
                model.memory = undefined;
                model.locked = false;
                model.hasKey = false;
                break;
              case 'background':
                device.sendToBackground();
                device.advanceTime(step.ms);
                device.bringToForeground();
                await settle(user);
                if (step.ms >= LOCK_AFTER && model.hasKey) model.locked = true;
                if (step.ms >= LOCK_AFTER && model.hasKey) model.memory = undefined;
                break;
              case 'restart':
                device.restart();
                user = make();
                await user.ready();
                model.memory = undefined;
                model.hasKey = model.stored !== undefined;
                model.locked = model.hasKey;
                break;
              case 'hasStored':
                expect(await user.hasStoredSession()).toBe(model.stored !== undefined);
                break;
            }
            expect(await (await user.getVault()).isLocked()).toBe(model.locked);
            expect(user.token).toBe(model.memory?.token);
            expect(await user.getAuthMode()).toBe(mode);
          }
          expect(device.storage.dumpText()).not.toMatch(/token\d/);
        }),
        { numRuns: 100 },
      );
    },
    60_000,
  );
});
