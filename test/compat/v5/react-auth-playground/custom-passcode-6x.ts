/**
 * The Identity Vault 6.0 custom passcode hand-over with its completion callback, as Ionic's 6.0
 * cookbook describes it ("How to implement a custom passcode workflow",
 * https://ionic.io/docs/identity-vault/cookbook-custom-passcode) and React apps wire it: the
 * callback opens a PIN modal and returns a promise that resolves when the modal is dismissed;
 * the dismiss handler calls `onComplete('')` on cancel, `onComplete(pin)` otherwise.
 * Reproduced in our own code, without React.
 */
import type { BrowserVault, OnCompleteFunction, Vault } from 'identity-vault';

/** What the modal's dismiss reports, like Ionic's `{ data, role }`. */
export interface Dismissal {
  data?: string;
  role?: 'cancel' | 'confirm';
}

/** The PIN modal: `open` shows it; the test (the user) dismisses it. */
export class PinModal {
  isOpen = false;
  setPasscodeMode = false;
  private onDismiss: ((dismissal: Dismissal) => void) | undefined;

  open(setPasscodeMode: boolean, onDismiss: (dismissal: Dismissal) => void): void {
    this.isOpen = true;
    this.setPasscodeMode = setPasscodeMode;
    this.onDismiss = onDismiss;
  }

  dismiss(dismissal: Dismissal): void {
    this.isOpen = false;
    const handler = this.onDismiss;
    this.onDismiss = undefined;
    handler?.(dismissal);
  }
}

export const wirePasscodeModal = (vault: Vault | BrowserVault, modal: PinModal): void => {
  vault.onPasscodeRequested(async (isPasscodeSetRequest: boolean, onComplete: OnCompleteFunction) => {
    return new Promise<void>((resolve) => {
      modal.open(isPasscodeSetRequest, (opts) => {
        if (opts.role === 'cancel') onComplete('');
        else onComplete(opts.data ?? '');
        resolve();
      });
    });
  });
};
