/**
 * The texts and options of the built-in passcode dialog, apart from the dialog itself: the web
 * platform loads `passcode-dialog.ts` with `import()` on the first prompt, while these small
 * definitions are exported from `identity-vault/web` statically.
 */

/** The words of one purpose. */
export interface PasscodeDialogWording {
  readonly title: string;
  readonly description: string;
}

/** Every text of the dialog, for localisation. */
export interface PasscodeDialogTexts {
  readonly unlock: PasscodeDialogWording;
  readonly setup: PasscodeDialogWording;
  readonly confirm: PasscodeDialogWording;
  readonly label: string;
  readonly ok: string;
  readonly cancel: string;
  /** Shown in the dialog, which stays open, after a wrong passcode. */
  readonly wrongPasscode: (remainingAttempts: number) => string;
  /** Shown while the vault checks the passcode entered. */
  readonly checking: string;
}

/** Options of the built-in passcode dialog (`passcodeDialog` in the web platform options). */
export interface PasscodeDialogOptions {
  /** Replace some or all texts (English by default). */
  readonly texts?: Partial<PasscodeDialogTexts>;
  /** The `inputmode` of the field: `'numeric'` shows a digit keyboard on phones. @default 'numeric' */
  readonly inputMode?: 'numeric' | 'text';
}

/** The default English texts. */
export const DEFAULT_PASSCODE_TEXTS: PasscodeDialogTexts = {
  unlock: { title: 'Unlock', description: 'Enter your passcode to unlock.' },
  setup: { title: 'Create a passcode', description: 'Choose a passcode to protect your data on this device.' },
  confirm: { title: 'Confirm your passcode', description: 'Enter the new passcode again.' },
  label: 'Passcode',
  ok: 'OK',
  cancel: 'Cancel',
  wrongPasscode: (left) => `Wrong passcode. ${left} attempt${left === 1 ? '' : 's'} left before the vault is erased.`,
  checking: 'Checking…',
};
