/**
 * How an {@link IonicIdentityVaultUser} sets up its vault: open it once `platform.ready()`
 * resolves, give a new vault the configured AuthMode, announce it (`onVaultReady`), then run the
 * ready-time restore or unlock (`restoreSessionOnReady`, `unlockOnReady`). Kept apart from the
 * session logic in identity-vault-user.ts; the hooks are the user's own, called through it.
 *
 * @module
 */
import { toVaultError, VaultErrorCodes } from '../core/errors.js';
import { AuthMode, type IdentityVault, type IonicNativeAuthPlugin, type VaultDescriptor } from '../core/types.js';
import { authModeOf, checkAuthMode, toVaultConfig } from './auth-mode-switches.js';
import { authModeChanges } from './lazy-auth-mode.js';
import { callHook } from './call-hook.js';
import type { IonicIdentityVaultUser } from './identity-vault-user.js';
import { openVault } from './open-vault.js';
import type { SessionKeeper } from './session-keeper.js';
import type { ResolvedVaultOptions } from './vault-options.js';
import type { VaultUserHooks } from './vault-user-hooks.js';

/** Anything with a `ready()` promise: Ionic's / Capacitor's `Platform`, or `{ ready: async () => {} }`. */
export interface PlatformReady {
  ready(): Promise<unknown>;
}

/** What the setup needs from its {@link IonicIdentityVaultUser}. */
export interface VaultUserSetupContext<T> {
  /** The user: its hooks are called on it, so a subclass's overrides and assigned hooks are the ones heard. */
  readonly hooks: VaultUserHooks<T>;
  /** `getPlugin()`, called after `platform.ready()` so a subclass's own fields are set by then. */
  readonly plugin: () => IonicNativeAuthPlugin;
  readonly options: ResolvedVaultOptions;
  readonly descriptor: VaultDescriptor;
  readonly keeper: SessionKeeper<T>;
}

/** The two promises a user waits on. */
export interface VaultUserSetup {
  /** Resolves with the vault once it is open and configured; rejects with the setup error. */
  readonly vault: Promise<IdentityVault>;
  /** {@link VaultUserSetup.vault}, then the ready-time unlock/restore (whose failures do not reject it). */
  readonly ready: Promise<void>;
}

const ignore = (): void => undefined;

/** Starts the setup; a failure is reported to `onSetupError` and rejects both promises with it. */
export function setUpVaultUser<T>(platform: PlatformReady, context: VaultUserSetupContext<T>): VaultUserSetup {
  let readyActions: Promise<void> = Promise.resolve();
  const vault = open(platform, context, (actions) => (readyActions = actions));
  return { vault, ready: vault.then(() => readyActions) };
}

async function open<T>(
  platform: PlatformReady,
  context: VaultUserSetupContext<T>,
  startedReadyActions: (actions: Promise<void>) => void,
): Promise<IdentityVault> {
  const { hooks, options, keeper } = context;
  const { lockAfter, hideScreenOnBackground, prompt } = options;
  /** Whether onVaultReady was called; config changes made during setup are not reported. */
  let announced = false;
  let vault: IdentityVault | undefined;
  try {
    await platform.ready();
    vault = await openVault(
      context.plugin(),
      { descriptor: context.descriptor, lockAfter, hideScreenOnBackground, prompt },
      {
        onLock: (event) => {
          keeper.drop();
          callHook(() => hooks.onVaultLocked(event));
        },
        onUnlock: (config) => callHook(() => hooks.onVaultUnlocked(toVaultConfig(config, prompt))),
        // Configuring a new vault is part of setup: the app gets the result in onVaultReady.
        onConfig: (config) => {
          if (announced) callHook(() => hooks.onConfigChange(toVaultConfig(config, prompt)));
        },
        onLateError: (error) => callHook(() => hooks.onSetupError(error)),
      },
    );
    checkAuthMode(options.authMode);
    // Configuring a new vault stores no value, so `inUse` holds after it too.
    const inUse = await vault.isInUse();
    if (!inUse) await configureNewVault(vault, options.authMode);
    const config = await vault.getConfig();
    const locked = await vault.isLocked();
    announced = true;
    callHook(() => hooks.onVaultReady(toVaultConfig(config, prompt)));
    startedReadyActions(startReadyActions(context, vault, inUse, locked, authModeOf(config)));
    return vault;
  } catch (error) {
    // A user whose setup failed hears nothing more from the vault.
    await vault?.unsubscribe().catch(ignore);
    const vaultError = toVaultError(error, VaultErrorCodes.Unknown, 'The vault could not be set up.');
    callHook(() => hooks.onSetupError(vaultError));
    throw vaultError;
  }
}

/** A vault without data takes the configured AuthMode (Identity Vault: "only affects newly created vaults"). */
async function configureNewVault(vault: IdentityVault, authMode: AuthMode): Promise<void> {
  // Nothing stored means nothing to protect: an empty vault that came back locked (its key was
  // made when biometrics were enabled) is reset rather than asking the user to unlock nothing.
  const { applyAuthMode } = await authModeChanges();
  if (await vault.isLocked()) await vault.clear();
  await applyAuthMode(vault, authMode, { degradeWithoutBiometrics: true });
}

/**
 * `restoreSessionOnReady` / `unlockOnReady`. Starts synchronously (the shared restore or unlock is
 * in flight before any caller waiting for the vault resumes), so early calls join it. A failed
 * restore goes to `onSessionRestoreError`, a failed unlock to `onUnlockOnReadyError` (4.x).
 */
function startReadyActions<T>(context: VaultUserSetupContext<T>, vault: IdentityVault, inUse: boolean, locked: boolean, mode: AuthMode): Promise<void> {
  const { hooks, keeper } = context;
  const { restoreSessionOnReady, unlockOnAccess, unlockOnReady } = context.options;
  if (inUse && restoreSessionOnReady && (!locked || unlockOnAccess || unlockOnReady || mode === AuthMode.SecureStorage)) {
    return keeper.restore(vault, unlockOnAccess || unlockOnReady).then(ignore, (error: unknown) => {
      const vaultError = toVaultError(error, VaultErrorCodes.Unknown, 'The session could not be restored at ready.');
      callHook(() => hooks.onSessionRestoreError(vaultError));
    });
  }
  if (inUse && locked && unlockOnReady) {
    return keeper.unlock(vault, undefined).then(ignore, (error: unknown) => {
      const vaultError = toVaultError(error, VaultErrorCodes.Unknown, 'The vault could not be unlocked at ready.');
      callHook(() => hooks.onUnlockOnReadyError(vaultError));
    });
  }
  return Promise.resolve();
}
