/**
 * Model-based property test: random sequences of store, get, lock, unlock (right, wrong and
 * biometric), restart, background/foreground, biometrics on/off, passcode change and clear, run
 * against the real core on a SimulatedDevice and against a small model. Any difference fails.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SimulatedDevice } from 'identity-vault/testing';
import { VaultError, VaultErrorCodes, type IdentityVault } from 'identity-vault';

const MAX_ATTEMPTS = 3;
const LOCK_AFTER = 1000;
const KEYS = ['token', 'session', '__proto__', 'k'] as const;

interface Model {
  values: Map<string, number>;
  locked: boolean;
  hasKey: boolean; // a data key exists (something to lock)
  setupNeeded: boolean;
  passcode: string;
  attempts: number;
  biometrics: boolean;
}

interface Real {
  device: SimulatedDevice;
  vault: IdentityVault;
}

async function outcome<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; code: VaultErrorCodes }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    if (!(error instanceof VaultError)) throw error;
    return { ok: false, code: error.code };
  }
}

function expectError(result: Awaited<ReturnType<typeof outcome>>, code: VaultErrorCodes) {
  expect(result.ok ? 'resolved' : VaultErrorCodes[result.code]).toBe(VaultErrorCodes[code]);
}

function wipe(m: Model) {
  m.values.clear();
  m.locked = false;
  m.hasKey = false;
  m.setupNeeded = true;
  m.attempts = MAX_ATTEMPTS;
}

const reopen = (device: SimulatedDevice) => device.plugin.getVault({ vaultId: 'model', username: 'u', lockAfter: LOCK_AFTER, maxAttempts: MAX_ATTEMPTS });

class Store implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly key: string,
    readonly value: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const result = await outcome(r.vault.storeValue(this.key, this.value));
    if (m.locked) return expectError(result, VaultErrorCodes.VaultLocked);
    if (m.setupNeeded) return expectError(result, VaultErrorCodes.MissingPasscode);
    expect(result.ok).toBe(true);
    m.values.set(this.key, this.value);
    m.hasKey = true;
  }
  toString = () => `store(${this.key}, ${this.value})`;
}

class Get implements fc.AsyncCommand<Model, Real> {
  constructor(readonly key: string) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const result = await outcome(r.vault.getValue(this.key));
    if (m.locked) return expectError(result, VaultErrorCodes.VaultLocked);
    expect(result).toEqual({ ok: true, value: m.values.get(this.key) });
  }
  toString = () => `get(${this.key})`;
}

class Lock implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    await r.vault.lock();
    if (m.hasKey) m.locked = true;
    expect(await r.vault.isLocked()).toBe(m.locked);
  }
  toString = () => 'lock';
}

class Unlock implements fc.AsyncCommand<Model, Real> {
  constructor(readonly right: boolean) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const result = await outcome(r.vault.unlock(true, this.right ? m.passcode : 'wrong-passcode'));
    if (!m.locked) return expect(result.ok).toBe(true);
    // Locked with no passcode set (cleared, then biometrics made a key): there is nothing to check against.
    if (m.setupNeeded) return expectError(result, VaultErrorCodes.MissingPasscode);
    if (this.right) {
      expect(result.ok).toBe(true);
      m.locked = false;
      m.attempts = MAX_ATTEMPTS;
      return;
    }
    m.attempts--;
    if (m.attempts === 0) {
      expectError(result, VaultErrorCodes.TooManyFailedAttempts);
      wipe(m);
    } else {
      expectError(result, VaultErrorCodes.AuthFailed);
    }
    expect(await r.vault.remainingAttempts()).toBe(m.attempts);
  }
  toString = () => `unlock(${this.right ? 'right' : 'wrong'})`;
}

class UnlockWithBiometrics implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    const result = await outcome(r.vault.unlock(false));
    if (!m.locked) return expect(result.ok).toBe(true);
    if (!m.biometrics) return expectError(result, VaultErrorCodes.BiometricsNotEnabled);
    expect(result.ok).toBe(true);
    m.locked = false;
  }
  toString = () => 'unlock(biometrics)';
}

class SetBiometrics implements fc.AsyncCommand<Model, Real> {
  constructor(readonly enabled: boolean) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const result = await outcome(r.vault.setBiometricsEnabled(this.enabled));
    if (m.locked) return expectError(result, VaultErrorCodes.VaultLocked);
    expect(result.ok).toBe(true);
    if (this.enabled && !m.biometrics) m.hasKey = true; // enabling makes (and wraps) the data key
    m.biometrics = this.enabled;
  }
  toString = () => `setBiometricsEnabled(${this.enabled})`;
}

class ChangePasscode implements fc.AsyncCommand<Model, Real> {
  constructor(readonly passcode: string) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const result = await outcome(r.vault.setPasscode(this.passcode));
    if (m.locked) return expectError(result, VaultErrorCodes.VaultLocked);
    expect(result.ok).toBe(true);
    m.passcode = this.passcode;
    m.setupNeeded = false;
    m.hasKey = true;
    m.attempts = MAX_ATTEMPTS;
  }
  toString = () => `setPasscode(${this.passcode})`;
}

class Restart implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    r.device.restart();
    r.vault = reopen(r.device);
    m.locked = m.hasKey;
    expect(await r.vault.isLocked()).toBe(m.locked);
  }
  toString = () => 'restart';
}

class Background implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    r.device.sendToBackground();
    r.device.advanceTime(this.ms);
    r.device.bringToForeground();
    if (this.ms >= LOCK_AFTER && m.hasKey) m.locked = true;
    expect(await r.vault.isLocked()).toBe(m.locked);
  }
  toString = () => `background(${this.ms}ms)`;
}

class Clear implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    await r.vault.clear();
    wipe(m);
    expect(await r.vault.isInUse()).toBe(false);
    expect(await r.vault.isPasscodeSetupNeeded()).toBe(true);
  }
  toString = () => 'clear';
}

const commands = [
  fc.tuple(fc.constantFrom(...KEYS), fc.integer()).map(([k, v]) => new Store(k, v)),
  fc.constantFrom(...KEYS).map((k) => new Get(k)),
  fc.constant(new Lock()),
  fc.boolean().map((right) => new Unlock(right)),
  fc.constant(new UnlockWithBiometrics()),
  fc.boolean().map((on) => new SetBiometrics(on)),
  fc.constantFrom('1111', '2222', 'pass word').map((p) => new ChangePasscode(p)),
  fc.constant(new Restart()),
  fc.constantFrom(0, LOCK_AFTER - 1, LOCK_AFTER, 5 * LOCK_AFTER).map((ms) => new Background(ms)),
  fc.constant(new Clear()),
];

describe('model-based: the vault behaves like its model under random operation sequences', () => {
  it('finds no difference', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 40 }), async (cmds) => {
        const device = new SimulatedDevice();
        const vault = reopen(device);
        await vault.setPasscodeEnabled(true);
        await vault.setPasscode('0000');
        const model: Model = {
          values: new Map(),
          locked: false,
          hasKey: true,
          setupNeeded: false,
          passcode: '0000',
          attempts: MAX_ATTEMPTS,
          biometrics: false,
        };
        await fc.asyncModelRun(() => ({ model, real: { device, vault } }), cmds);
        // Whatever happened, nothing stored is readable in the clear.
        expect(device.storage.dumpText()).not.toMatch(/"(token|session)":/);
      }),
      { numRuns: 300 },
    );
  });
});
