/**
 * The mock vault factory of a spec that mocks the vault, as ionic-enterprise/tutorials-and-demos-vue
 * does in demos/iv-ac/src/composables/__mocks__/vault-factory.ts (reproduced in our own code):
 * every vault method a `vi.fn()`, `config` a plain assignable object, `lock()` firing the
 * registered `onLock` handler. Typed against identity-vault's `VaultInterface`, so the mock has
 * exactly the surface an app's code sees.
 */
import { vi } from 'vitest';
import type { IdentityVaultConfig, VaultInterface, VaultLockEvent } from 'identity-vault';

let onLock: ((event: VaultLockEvent) => void) | undefined;

const mockVault: VaultInterface = {
  config: { key: 'io.ionic.mock', type: 'SecureStorage' } satisfies IdentityVaultConfig,
  initialize: vi.fn().mockResolvedValue(undefined),
  clear: vi.fn().mockResolvedValue(undefined),
  doesVaultExist: vi.fn().mockResolvedValue(true),
  exportVault: vi.fn().mockResolvedValue({}),
  getKeys: vi.fn().mockResolvedValue([]),
  getValue: vi.fn().mockResolvedValue(null),
  importVault: vi.fn().mockResolvedValue(undefined),
  isEmpty: vi.fn().mockResolvedValue(false),
  isLocked: vi.fn().mockResolvedValue(false),
  lock: vi.fn(async () => onLock?.({ timeout: false, saved: true })),
  removeValue: vi.fn().mockResolvedValue(undefined),
  setCustomPasscode: vi.fn().mockResolvedValue(undefined),
  setValue: vi.fn().mockResolvedValue(undefined),
  unlock: vi.fn().mockResolvedValue(undefined),
  updateConfig: vi.fn().mockResolvedValue(undefined),
  onConfigChanged: vi.fn(),
  onError: vi.fn(),
  onLock: vi.fn((callback: (event: VaultLockEvent) => void) => {
    onLock = callback;
  }),
  onPasscodeRequested: vi.fn(),
  onUnlock: vi.fn(),
};

export const useVaultFactory = () => ({ createVault: () => mockVault });
