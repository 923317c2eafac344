/**
 * Unlocking through a built-in prompt that stays open, as a phone's lock screen does: a wrong
 * passcode does not end the unlock; the same prompt asks again at once, with the error and the
 * attempts left, until the passcode is right, the user cancels, or the attempts run out (the vault
 * is cleared: `TooManyFailedAttempts`). Every attempt is counted by the engine as before.
 */
import { isVaultError, VaultErrorCodes } from './errors.js';
import type { PasscodePromptPort, PasscodeRetry } from './ports.js';
import type { VaultEngine } from './vault-engine.js';

/** Asks the prompt for the passcode (`UserCanceledInteraction` when cancelled). */
export type AskPasscode = (request: { retry?: PasscodeRetry; staysOpen: true }) => Promise<string>;

/**
 * Unlocks `engine`, asking `prompt` again after each wrong passcode; closes the prompt once the
 * unlock has ended, whichever way.
 * @throws VaultError as `IdentityVault.unlock` does, except `AuthFailed` for a wrong passcode
 *   while attempts are left (biometric failures are thrown as they are).
 */
export async function unlockAskingAgain(engine: VaultEngine, usingPasscode: boolean | undefined, prompt: PasscodePromptPort, ask: AskPasscode): Promise<void> {
  let retry: PasscodeRetry | undefined;
  let askedEver = false;
  try {
    for (;;) {
      let asked = false;
      try {
        return await engine.unlock(usingPasscode, undefined, () => {
          asked = askedEver = true;
          return ask(retry === undefined ? { staysOpen: true } : { retry, staysOpen: true });
        });
      } catch (error) {
        // Only a wrong passcode typed into this prompt is asked again; a biometric AuthFailed,
        // a cancel, storage trouble or the last attempt end the unlock.
        const wrongPasscode = asked && isVaultError(error, VaultErrorCodes.AuthFailed) && (error.remainingAttempts ?? 0) > 0;
        if (!wrongPasscode) throw error;
        retry = { remainingAttempts: error.remainingAttempts! };
      }
    }
  } finally {
    if (askedEver) prompt.close?.();
  }
}
