/**
 * The harness page's script: the real web platform and core, exposed on `window.iv` so tests
 * drive them with `page.evaluate`. Bundled by esbuild in `server.ts`.
 */
import * as web from 'identity-vault/web';
import * as platform from 'identity-vault/platform';
import { AuthMode, VaultError, VaultErrorCodes, isVaultError, IonicIdentityVaultUser } from 'identity-vault';
import { IdbConnection, KEYS_STORE } from '../../src/web/idb-connection.js';
import { prefixRange } from '../../src/web/prefix-range.js';
import { IndexedDbStore } from '../../src/web/indexeddb-store.js';
import { IndexedDbDeviceKey } from '../../src/web/device-key.js';
import { WebAuthnBiometrics } from '../../src/web/webauthn-biometrics.js';
import { PasscodeDialog } from '../../src/ui/passcode-dialog.js';
import { PageLifecycle } from '../../src/web/page-lifecycle.js';
import { BroadcastPeers } from '../../src/web/broadcast-peers.js';
import { createWebClock } from '../../src/web/clock.js';
import { createWebCrypto } from '../../src/shared/web-crypto.js';
import { guessBiometricType } from '../../src/web/biometric-type.js';
import { dumpStorage } from './storage-dump.js';
import { inspectVaultMemory } from 'identity-vault/testing';
import { fromBase64 as coreFromBase64, toBase64 as coreToBase64 } from '../../src/core/bytes.js';
import { get as idbKeyvalGet, set as idbKeyvalSet } from 'idb-keyval';

const api = {
  ...web,
  // What identity-vault/web re-exported before identity-vault/platform existed: tests use them on window.iv.
  ...platform,
  AuthMode,
  VaultError,
  VaultErrorCodes,
  isVaultError,
  IdbConnection,
  KEYS_STORE_NAME: KEYS_STORE,
  prefixRange,
  IndexedDbStore,
  IndexedDbDeviceKey,
  WebAuthnBiometrics,
  PasscodeDialog,
  PageLifecycle,
  BroadcastPeers,
  createWebClock,
  createWebCrypto,
  guessBiometricType,
  dumpStorage,
  inspectVaultMemory,
  IonicIdentityVaultUser,
  coreBytes: { toBase64: coreToBase64, fromBase64: coreFromBase64 },
  idbKeyval: { get: idbKeyvalGet, set: idbKeyvalSet },
  /** `{ code, codeName, name, message }` of a rejection, or `'resolved'`. */
  async outcome(promise: Promise<unknown>): Promise<{ code?: number; codeName?: string; name?: string; message?: string; causeName?: string } | 'resolved'> {
    try {
      await promise;
      return 'resolved';
    } catch (error) {
      const e = error as { code?: number; codeName?: string; name?: string; message?: string; cause?: { name?: string } };
      const result: { code?: number; codeName?: string; name?: string; message?: string; causeName?: string } = {};
      if (e.code !== undefined) result.code = e.code;
      if (e.codeName !== undefined) result.codeName = e.codeName;
      if (e.name !== undefined) result.name = e.name;
      if (e.message !== undefined) result.message = e.message;
      if (e.cause?.name !== undefined) result.causeName = e.cause.name;
      return result;
    }
  },
  /** Records `mode:durability` of every IndexedDB transaction opened until `stop()` restores the original. */
  watchTransactions(): { seen: string[]; stop(): void } {
    const seen: string[] = [];
    const original = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<typeof original>) {
      const tx = original.apply(this, args);
      seen.push(`${tx.mode}:${tx.durability}`);
      return tx;
    } as typeof original;
    return { seen, stop: () => void (IDBDatabase.prototype.transaction = original) };
  },
  /** Records every `BroadcastChannel` message this page posts, as it is posted, until `stop()` restores the original. */
  watchChannelSends(): { sent: unknown[]; stop(): void } {
    const sent: unknown[] = [];
    const original = BroadcastChannel.prototype.postMessage;
    BroadcastChannel.prototype.postMessage = function (this: BroadcastChannel, message: unknown) {
      sent.push(message);
      return original.call(this, message);
    };
    return { sent, stop: () => void (BroadcastChannel.prototype.postMessage = original) };
  },
  /** Scratch space for tests: objects that must survive between `page.evaluate` calls. */
  scratch: {} as Record<string, unknown>,
};

/** What tests see as `window.iv`. */
export type HarnessApi = typeof api;

declare global {
  interface Window {
    iv: HarnessApi;
    ivReady: boolean;
  }
}

window.iv = api;
window.ivReady = true;
