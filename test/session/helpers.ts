/**
 * Shared set-up for the session-layer tests: a recording subclass of IonicIdentityVaultUser on a
 * SimulatedDevice. No mocks: every vault call goes through the real core on the simulated platform.
 */
import {
  IonicIdentityVaultUser,
  VaultError,
  type DefaultSession,
  type LockEvent,
  type VaultConfig,
  type VaultDescriptor,
  type VaultOptions,
} from 'identity-vault';
import { SimulatedDevice, type SimulatedDeviceOptions } from 'identity-vault/testing';

export interface TestSession extends DefaultSession {
  email: string;
}

export const alice: TestSession = { username: 'alice', token: 'token-alice', email: 'alice@example.com' };
export const bob: TestSession = { username: 'bob', token: 'token-bob', email: 'bob@example.com' };

/** A platform whose ready() resolves at once. */
export const readyPlatform = { ready: async () => 'dom' };

/** What a passcode request answers: a passcode, or `undefined` for the built-in prompt. */
export type PasscodeAnswer = string | undefined;

/** Records every hook call, in order. */
export class RecordingUser extends IonicIdentityVaultUser<TestSession> {
  readonly calls: Array<{ hook: string; arg: unknown }> = [];
  /** Answers for onPasscodeRequest, one per call; then {@link passcode}. */
  readonly passcodes: PasscodeAnswer[] = [];
  /** The answer once {@link passcodes} is used up. */
  passcode: PasscodeAnswer = undefined;

  override onConfigChange(state: VaultConfig): void {
    this.calls.push({ hook: 'onConfigChange', arg: state });
  }
  override async onPasscodeRequest(isPasscodeSetRequest: boolean): Promise<string | void> {
    this.calls.push({ hook: 'onPasscodeRequest', arg: isPasscodeSetRequest });
    return this.passcodes.length > 0 ? this.passcodes.shift() : this.passcode;
  }
  override onSessionRestored(session: TestSession): void {
    this.calls.push({ hook: 'onSessionRestored', arg: session });
  }
  override onSetupError(error: VaultError): void {
    this.calls.push({ hook: 'onSetupError', arg: error });
  }
  override onSessionRestoreError(error: VaultError): void {
    this.calls.push({ hook: 'onSessionRestoreError', arg: error });
  }
  override onUnlockOnReadyError(error: VaultError): void {
    this.calls.push({ hook: 'onUnlockOnReadyError', arg: error });
  }
  override onVaultLocked(event: LockEvent): void {
    this.calls.push({ hook: 'onVaultLocked', arg: event });
  }
  override onVaultReady(state: VaultConfig): void {
    this.calls.push({ hook: 'onVaultReady', arg: state });
  }
  override onVaultUnlocked(state: VaultConfig): void {
    this.calls.push({ hook: 'onVaultUnlocked', arg: state });
  }

  /** Arguments of every call of `hook`. */
  argsOf(hook: string): unknown[] {
    return this.calls.filter((call) => call.hook === hook).map((call) => call.arg);
  }

  /** Names of the hooks called, in order. */
  hooks(): string[] {
    return this.calls.map((call) => call.hook);
  }
}

/** A user on `device`'s current plugin (so a new one after `device.restart()`). */
export function userOn(device: SimulatedDevice, options: Omit<VaultOptions, 'plugin'> = {}, descriptor?: VaultDescriptor): RecordingUser {
  return new RecordingUser(readyPlatform, { ...options, plugin: device.plugin }, descriptor);
}

export function newDevice(options: SimulatedDeviceOptions = {}): SimulatedDevice {
  return new SimulatedDevice(options);
}

/** Lets queued vault work and hook calls run (lock timers queue their lock on the vault). */
export async function settle(user: IonicIdentityVaultUser<TestSession>): Promise<void> {
  const vault = await user.getVault();
  await vault.getConfig();
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
}

/** The error `promise` rejects with; fails when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<VaultError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

/** Whether any persisted record contains `text` (a canary scan). */
export function storageContains(device: SimulatedDevice, text: string): boolean {
  return device.storage.dumpText().includes(text);
}
