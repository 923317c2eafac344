/**
 * The "new page" of the `ready()` figure: an app-like bundle (the package root with its default
 * web plugin, plus idb-keyval). What the page measures comes from `location.hash`:
 * - `#setup`: create the existing vault (PasscodeOnly, a session saved) and idb-keyval's value;
 * - `#user`: `new IonicIdentityVaultUser(…)` → `ready()` (the target figure);
 * - `#plugin`: `webPlugin().getVault(…)` → `onReady`;
 * - `#keyval`: one idb-keyval `get`;
 * - `#raw`: idb-keyval's `get` on the vault's own database (its meta record): what IndexedDB
 *   alone costs there;
 * - `#steps`: the calls `IonicIdentityVaultUser` makes during setup, one by one, each timed
 *   (for the breakdown; the result is `{ ms, steps }`).
 * Timing starts when the module runs (the script has loaded) and the result lands in
 * `window.readyResult`.
 */
import { AuthMode, DEFAULT_VAULT_DESCRIPTOR, IonicIdentityVaultUser, type DefaultSession, type IdentityVault } from '../../src/index.js';
import { webPlugin } from '../../src/web/index.js';
import { createStore, get, set } from 'idb-keyval';
import { VALUE_1KB } from './values.js';

const start = performance.now();
const PASSCODE = 'correct horse battery staple';
const SESSION: DefaultSession = { username: 'ada', token: VALUE_1KB.token };

class BenchUser extends IonicIdentityVaultUser<DefaultSession> {
  constructor() {
    super({ ready: () => Promise.resolve() }, { authMode: AuthMode.PasscodeOnly });
  }

  override async onPasscodeRequest(): Promise<string> {
    return PASSCODE;
  }
}

/** The vault calls of the session layer's setup for an existing vault, each timed. */
async function steps(): Promise<Record<string, number>> {
  const timings: Record<string, number> = {};
  let last = start;
  const mark = (name: string): void => {
    const now = performance.now();
    timings[name] = now - last;
    last = now;
  };
  const vault = await new Promise<IdentityVault>((resolve, reject) => webPlugin().getVault({ ...DEFAULT_VAULT_DESCRIPTOR, onReady: resolve, onError: reject }));
  mark('getVault → onReady (opens the database, reads meta)');
  await vault.isInUse();
  mark('isInUse() (a key cursor)');
  await vault.getConfig();
  mark('getConfig()');
  await vault.isInUse();
  mark('isInUse() again');
  await vault.isLocked();
  mark('isLocked()');
  return timings;
}

let stepTimings: Record<string, number> | undefined;

async function measure(what: string): Promise<number> {
  switch (what) {
    case 'setup': {
      const user = new BenchUser();
      await user.ready();
      await user.saveSession(SESSION);
      await user.lockOut();
      await set('session', SESSION);
      return performance.now() - start;
    }
    case 'user': {
      const user = new BenchUser();
      await user.ready();
      const ms = performance.now() - start;
      // Not timed: the page really found the existing, locked vault.
      if (!(await user.hasStoredSession()) || !(await (await user.getVault()).isLocked())) throw new Error('no existing locked vault: run #setup first');
      return ms;
    }
    case 'plugin': {
      const vault = await new Promise<IdentityVault>((resolve, reject) =>
        webPlugin().getVault({ ...DEFAULT_VAULT_DESCRIPTOR, onReady: resolve, onError: reject }),
      );
      const ms = performance.now() - start;
      if (!(await vault.isInUse()) || !(await vault.isLocked())) throw new Error('no existing locked vault: run #setup first');
      return ms;
    }
    case 'keyval': {
      if ((await get('session')) === undefined) throw new Error('idb-keyval has no session: run #setup first');
      return performance.now() - start;
    }
    case 'raw': {
      const meta = `iv1/${encodeURIComponent(DEFAULT_VAULT_DESCRIPTOR.vaultId)}/${encodeURIComponent(DEFAULT_VAULT_DESCRIPTOR.username)}/meta`;
      if ((await get(meta, createStore('identity-vault', 'records'))) === undefined) throw new Error('no vault meta record: run #setup first');
      return performance.now() - start;
    }
    case 'steps': {
      stepTimings = await steps();
      return performance.now() - start;
    }
    default:
      throw new Error(`unknown measurement ${what}`);
  }
}

declare global {
  interface Window {
    readyResult?: { ms: number; steps?: Record<string, number> } | { error: string };
  }
}

measure(location.hash.slice(1)).then(
  (ms) => (window.readyResult = stepTimings ? { ms, steps: stepTimings } : { ms }),
  (error: unknown) => (window.readyResult = { error: String(error) }),
);
