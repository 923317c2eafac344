/**
 * The custom passcode entry: a PIN pad in a modal `<dialog>`, wired to `onPasscodeRequest`.
 *
 * Accessibility: the dialog is labelled by its heading; the PIN is a labelled password field (the
 * keyboard and screen readers use it as any field: digits, Backspace, Enter submits, Escape
 * cancels), and the on-screen digits are real buttons in a labelled group that type into it. The
 * number of digits entered is announced politely; the digits themselves never are.
 */
import { h } from './dom.js';
import { VaultError, VaultErrorCodes } from './vault-lib.js';

const MIN_DIGITS = 4;
const MAX_DIGITS = 8;

interface Step {
  readonly title: string;
  readonly help: string;
  readonly submit: string;
}

const UNLOCK: Step = { title: 'Enter your passcode', help: 'Type your PIN to unlock the vault.', submit: 'Unlock' };
const CHOOSE: Step = {
  title: 'Choose a passcode',
  help: `Pick a PIN of ${MIN_DIGITS} to ${MAX_DIGITS} digits. It protects your session on this device.`,
  submit: 'Next',
};
const CONFIRM: Step = { title: 'Confirm your passcode', help: 'Type the same PIN again.', submit: 'Save passcode' };

/**
 * Asks for a PIN. {@link PinPad.ask} resolves with the digits, or rejects with a
 * `UserCanceledInteraction` VaultError when the person cancels.
 *
 * @example
 * ```ts
 * const pin = await new PinPad().ask('setup'); // asks twice, until both entries match
 * ```
 */
export class PinPad {
  /** The dialog while it is open. */
  #open: HTMLDialogElement | undefined;
  /** A PIN entered with `staysOpen`: the pad shows "Checking…" until the next `ask` or `close()`. */
  #checking: HTMLDialogElement | undefined;

  /** Whether the pad is on screen. */
  get isOpen(): boolean {
    return this.#open !== undefined || this.#checking !== undefined;
  }

  /** Whether the pad is showing "Checking…" for a PIN entered with `staysOpen`. */
  get isChecking(): boolean {
    return this.#checking !== undefined;
  }

  /**
   * Asks for a PIN. `problem` is shown on the pad (a wrong PIN before). With `staysOpen` the
   * unlock pad stays on screen after the PIN is entered, like a phone's lock screen, until the
   * next `ask` replaces it or {@link PinPad.close} closes it.
   */
  async ask(purpose: 'unlock' | 'setup', options: { problem?: string; staysOpen?: boolean } = {}): Promise<string> {
    if (purpose === 'unlock') return this.#enter(UNLOCK, options.problem ?? '', options.staysOpen === true);
    let problem = '';
    for (;;) {
      const first = await this.#enter(CHOOSE, problem, false);
      const second = await this.#enter(CONFIRM, '', false);
      if (first === second) return first;
      problem = 'The two PINs did not match. Choose a passcode again.';
    }
  }

  /** Closes a pad left open with `staysOpen` (the unlock it served has ended). */
  close(): void {
    const checking = this.#checking;
    this.#checking = undefined;
    checking?.close();
    checking?.remove();
  }

  /** Shows one step of the pad; resolves with the PIN, rejects when cancelled. */
  #enter(step: Step, problem: string, staysOpen: boolean): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      let done = false;
      const input = h('input', {
        id: 'pin-input',
        type: 'password',
        inputmode: 'numeric',
        autocomplete: 'off',
        maxlength: MAX_DIGITS,
        'aria-describedby': 'pin-help',
      });
      const count = h('p', { class: 'visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true' });
      const error = h('p', { class: 'pin-error', role: 'alert' }, problem);
      const submit = h('button', { type: 'submit', class: 'primary' }, step.submit);
      const help = h('p', { id: 'pin-help' }, step.help);
      const update = (): void => {
        // Digits only, at most MAX_DIGITS, whether typed, pasted or tapped.
        const digits = input.value.replace(/[^0-9]/g, '').slice(0, MAX_DIGITS);
        if (digits !== input.value) input.value = digits;
        count.textContent = `${digits.length} digit${digits.length === 1 ? '' : 's'} entered`;
        submit.disabled = digits.length < MIN_DIGITS;
      };
      const press = (digit: string): void => {
        input.value += digit;
        error.textContent = '';
        update();
      };
      const erase = (): void => {
        input.value = input.value.slice(0, -1);
        update();
      };
      const digitButton = (digit: string): HTMLButtonElement => h('button', { type: 'button', class: 'pin-key', onclick: () => press(digit) }, digit);
      const form = h(
        'form',
        {
          method: 'dialog',
          onsubmit: (event) => {
            event.preventDefault();
            if (input.value.length < MIN_DIGITS) {
              error.textContent = `Enter at least ${MIN_DIGITS} digits.`;
              return;
            }
            if (staysOpen) return check(input.value);
            finish(input.value);
          },
        },
        h('h2', { id: 'pin-title' }, step.title),
        help,
        h('div', { class: 'field' }, h('label', { for: 'pin-input' }, 'PIN'), input),
        count,
        error,
        h(
          'div',
          { class: 'pin-grid', role: 'group', 'aria-label': 'PIN digits' },
          ...['1', '2', '3', '4', '5', '6', '7', '8', '9'].map(digitButton),
          h('button', { type: 'button', class: 'pin-key', 'aria-label': 'Delete last digit', onclick: erase }, '⌫'),
          digitButton('0'),
          h('span', { class: 'pin-key-spacer' }),
        ),
        h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => finish(undefined) }, 'Cancel'), submit),
      );
      const dialog = h('dialog', { class: 'pin-pad', 'aria-labelledby': 'pin-title' }, form);
      /** Unlock with `staysOpen`: hand the PIN over and stay on screen, disabled, while it is checked. */
      const check = (pin: string): void => {
        done = true;
        input.value = ''; // do not leave the PIN in the DOM
        for (const control of form.querySelectorAll<HTMLButtonElement | HTMLInputElement>('button, input')) control.disabled = true;
        form.setAttribute('aria-busy', 'true');
        help.textContent = 'Checking…';
        this.#open = undefined;
        this.#checking = dialog;
        resolve(pin);
      };
      const finish = (pin: string | undefined): void => {
        if (done) return;
        done = true;
        input.value = ''; // do not leave the PIN in the DOM
        dialog.close();
        dialog.remove();
        this.#open = undefined;
        if (pin === undefined) reject(new VaultError(VaultErrorCodes.UserCanceledInteraction, 'The PIN entry was cancelled.'));
        else resolve(pin);
      };
      input.addEventListener('input', () => {
        error.textContent = '';
        update();
      });
      // Digits typed while a pad button has focus still go into the PIN.
      dialog.addEventListener('keydown', (event) => {
        if (event.target === input) return;
        if (/^[0-9]$/.test(event.key)) {
          event.preventDefault();
          press(event.key);
        } else if (event.key === 'Backspace') {
          event.preventDefault();
          erase();
        }
      });
      // Escape: the dialog's `cancel` event (ignored while the PIN is being checked).
      dialog.addEventListener('cancel', (event) => {
        event.preventDefault();
        if (this.#checking !== dialog) finish(undefined);
      });
      update();
      document.body.append(dialog);
      this.#open = dialog;
      // The pad left open by a wrong PIN goes in the same task as this one appears: no gap between.
      this.close();
      dialog.showModal();
      input.focus();
    });
  }
}
