/**
 * The built-in passcode prompt of the web platform: an accessible native `<dialog>` shown with
 * `showModal()`, never `window.prompt`.
 *
 * Accessibility: the dialog is labelled by its heading (`aria-labelledby`) and described by its
 * text; the input has a `<label>`; `showModal()` makes the rest of the page inert, so focus stays
 * inside (HTML §4.11.4 "dialog focusing steps"), and Escape fires `cancel` then `close` — which
 * resolves `undefined` (the core turns it into `UserCanceledInteraction`). Focus returns to the
 * element that had it when the dialog closes (HTML's dialog "previously focused element").
 *
 * Theming with CSS custom properties set on any ancestor (or `:root`):
 * `--iv-dialog-bg`, `--iv-dialog-fg`, `--iv-dialog-border`, `--iv-dialog-radius`,
 * `--iv-dialog-font`, `--iv-backdrop`, `--iv-accent`, `--iv-accent-fg`. The element has the class
 * `iv-passcode-dialog` for anything else.
 */
import { unknownError } from '../core/errors.js';
import type { PasscodePromptPort, PasscodePromptTexts } from '../core/ports.js';
import { DEFAULT_PASSCODE_TEXTS, type PasscodeDialogOptions, type PasscodeDialogTexts } from './passcode-texts.js';
import { MIN_PROMPTED_PASSCODE_LENGTH } from '../core/validate.js';
import { adoptStyles } from './styles.js';

export { DEFAULT_PASSCODE_TEXTS, type PasscodeDialogOptions, type PasscodeDialogTexts, type PasscodeDialogWording } from './passcode-texts.js';

const STYLES = `
.iv-passcode-dialog {
  background: var(--iv-dialog-bg, #ffffff); color: var(--iv-dialog-fg, #1b1b1f);
  border: 1px solid var(--iv-dialog-border, #c4c4cc); border-radius: var(--iv-dialog-radius, 12px);
  font: var(--iv-dialog-font, inherit); padding: 1.25rem 1.5rem; width: min(22rem, calc(100vw - 2rem));
  box-sizing: border-box; box-shadow: 0 12px 40px rgb(0 0 0 / 0.3);
}
.iv-passcode-dialog::backdrop { background: var(--iv-backdrop, rgb(0 0 0 / 0.5)); }
.iv-passcode-dialog h2 { margin: 0 0 0.5rem; font-size: 1.25rem; }
.iv-passcode-dialog p { margin: 0 0 1rem; }
.iv-passcode-dialog .iv-error {
  margin: 0.75rem 0 0; padding: 0.4rem 0.6rem; border-radius: 6px;
  color: var(--iv-error-fg, #8a1010); background: var(--iv-error-bg, #fdecec);
}
.iv-passcode-dialog .iv-error:empty { display: none; }
.iv-passcode-dialog input:disabled, .iv-passcode-dialog button:disabled { opacity: 0.6; }
.iv-passcode-dialog label { display: block; margin-bottom: 0.25rem; font-weight: 600; }
.iv-passcode-dialog input {
  width: 100%; box-sizing: border-box; font: inherit; font-size: 1.25rem; padding: 0.5rem;
  color: inherit; background: transparent; border: 1px solid var(--iv-dialog-border, #8a8a94); border-radius: 6px;
}
.iv-passcode-dialog :focus-visible { outline: 2px solid var(--iv-accent, #3b5bdb); outline-offset: 2px; }
.iv-passcode-dialog .iv-actions { display: flex; justify-content: flex-end; gap: 0.5rem; margin-top: 1.25rem; }
.iv-passcode-dialog button {
  font: inherit; padding: 0.5rem 1rem; border-radius: 6px; cursor: pointer;
  border: 1px solid var(--iv-accent, #3b5bdb); background: transparent; color: var(--iv-accent, #3b5bdb);
}
.iv-passcode-dialog button[type='submit'] { background: var(--iv-accent, #3b5bdb); color: var(--iv-accent-fg, #ffffff); }
`;

interface DialogParts {
  readonly dialog: HTMLDialogElement;
  readonly form: HTMLFormElement;
  readonly title: HTMLHeadingElement;
  readonly description: HTMLParagraphElement;
  readonly input: HTMLInputElement;
  readonly error: HTMLParagraphElement;
  readonly ok: HTMLButtonElement;
  readonly cancel: HTMLButtonElement;
}

/** One request to {@link PasscodeDialog.request}. */
type PasscodeRequest = Parameters<PasscodePromptPort['request']>[0];

let instances = 0;

/**
 * The built-in {@link PasscodePromptPort}. Requests made while the dialog is open wait their turn.
 *
 * Unlocking works like a phone's lock screen: after a wrong passcode the dialog stays open with
 * the error and the attempts left, and the person types again (the vault asks again with
 * `retry`, and calls {@link PasscodeDialog.close} when the unlock has ended).
 *
 * @throws VaultError `Unknown` when there is no `document` (supply `onPasscodeRequest` instead).
 * @example
 * ```ts
 * const prompt = new PasscodeDialog({ texts: { ok: 'Continue' } });
 * const passcode = await prompt.request({ purpose: 'unlock', descriptor: { vaultId: 'app', username: 'ada' } });
 * ```
 */
export class PasscodeDialog implements PasscodePromptPort {
  readonly #texts: PasscodeDialogTexts;
  readonly #inputMode: string;
  readonly #id = `iv-passcode-${++instances}`;
  #parts: DialogParts | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  /** An answer was given with `staysOpen`: the dialog shows "Checking…" until the next request or close(). */
  #checking = false;

  constructor(options: PasscodeDialogOptions = {}) {
    this.#texts = { ...DEFAULT_PASSCODE_TEXTS, ...options.texts };
    this.#inputMode = options.inputMode ?? 'numeric';
  }

  request(options: PasscodeRequest): Promise<string | undefined> {
    const shown = this.#queue.then(() => this.#show(options));
    this.#queue = shown.catch(() => undefined);
    return shown;
  }

  /** Closes the dialog left open ("Checking…") by an unlock request with `staysOpen`; otherwise does nothing. */
  close(): void {
    if (!this.#checking || !this.#parts) return;
    this.#setChecking(this.#parts, false);
    this.#parts.dialog.close();
  }

  #show({ purpose, retry, staysOpen, texts }: PasscodeRequest): Promise<string | undefined> {
    const parts = this.#build();
    const wording = this.#texts[purpose];
    this.#setChecking(parts, false);
    // The app's prompt texts (androidPromptTitle/Subtitle/Description) word the unlock prompt only:
    // setting up a passcode keeps its own instructions.
    const own: PasscodePromptTexts | undefined = purpose === 'unlock' ? texts : undefined;
    const explanation = [own?.subtitle, own?.description].filter((text) => text !== undefined && text !== '').join(' ');
    parts.title.textContent = own?.title || wording.title;
    parts.description.textContent = explanation || wording.description;
    parts.error.textContent = retry ? this.#texts.wrongPasscode(retry.remainingAttempts) : '';
    parts.input.value = '';
    // A new passcode must be long enough; the browser's own validation says so before submitting.
    if (purpose === 'setup') parts.input.setAttribute('minlength', String(MIN_PROMPTED_PASSCODE_LENGTH));
    else parts.input.removeAttribute('minlength');
    return new Promise<string | undefined>((resolve) => {
      let answer: string | undefined;
      const stop = (): void => {
        parts.form.removeEventListener('submit', onSubmit);
        parts.cancel.removeEventListener('click', onCancel);
        parts.dialog.removeEventListener('close', onClose);
        parts.input.value = ''; // do not leave the passcode in the DOM
      };
      const onSubmit = (event: SubmitEvent): void => {
        event.preventDefault();
        answer = parts.input.value;
        if (!staysOpen) return parts.dialog.close();
        // Unlock: stay open while the vault checks; a wrong passcode comes back as a `retry` request.
        stop();
        this.#setChecking(parts, true);
        resolve(answer);
      };
      const onCancel = (): void => parts.dialog.close();
      // `close` ends every path: OK, Cancel, Escape (`cancel` event, then close) and `close()` by the app.
      const onClose = (): void => {
        stop();
        resolve(answer);
      };
      parts.form.addEventListener('submit', onSubmit);
      parts.cancel.addEventListener('click', onCancel);
      parts.dialog.addEventListener('close', onClose);
      if (!parts.dialog.open) parts.dialog.showModal();
      parts.input.focus();
    });
  }

  /** "Checking…": the field and buttons are disabled and the dialog is marked busy. */
  #setChecking(parts: DialogParts, checking: boolean): void {
    this.#checking = checking;
    parts.input.disabled = checking;
    parts.ok.disabled = checking;
    parts.cancel.disabled = checking;
    if (checking) {
      parts.dialog.setAttribute('aria-busy', 'true');
      parts.error.textContent = '';
      parts.description.textContent = this.#texts.checking;
    } else {
      parts.dialog.removeAttribute('aria-busy');
    }
  }

  /** Creates the dialog on first use, and puts it back if the app's rendering removed it. */
  #build(): DialogParts {
    const doc = (globalThis as { document?: Document }).document;
    if (!doc) {
      throw unknownError('the built-in passcode dialog needs a document; supply onPasscodeRequest');
    }
    adoptStyles(doc, 'passcode-dialog', STYLES);
    if (!this.#parts) {
      const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, string> = {}): HTMLElementTagNameMap[K] => {
        const element = doc.createElement(tag);
        for (const [name, value] of Object.entries(props)) element.setAttribute(name, value);
        return element;
      };
      const id = this.#id;
      const dialog = el('dialog', { class: 'iv-passcode-dialog', 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-description ${id}-error` });
      const form = el('form', { method: 'dialog' });
      const title = el('h2', { id: `${id}-title` });
      const description = el('p', { id: `${id}-description` });
      const label = el('label', { for: `${id}-input` });
      label.textContent = this.#texts.label;
      const input = el('input', {
        id: `${id}-input`,
        type: 'password',
        autocomplete: 'off',
        inputmode: this.#inputMode,
        autocapitalize: 'off',
        spellcheck: 'false',
        required: '',
        autofocus: '',
      });
      // Announced when it is filled (a wrong passcode), without moving focus from the field.
      const error = el('p', { id: `${id}-error`, class: 'iv-error', role: 'alert' });
      const actions = el('div', { class: 'iv-actions' });
      const cancel = el('button', { type: 'button' });
      cancel.textContent = this.#texts.cancel;
      const ok = el('button', { type: 'submit' });
      ok.textContent = this.#texts.ok;
      actions.append(cancel, ok);
      form.append(title, description, label, input, error, actions);
      dialog.append(form);
      // While the vault checks an answer, Escape does not close the dialog (Cancel is disabled too).
      dialog.addEventListener('cancel', (event) => {
        if (this.#checking) event.preventDefault();
      });
      this.#parts = { dialog, form, title, description, input, error, ok, cancel };
    }
    if (!this.#parts.dialog.isConnected) (doc.body ?? doc.documentElement).append(this.#parts.dialog);
    return this.#parts;
  }
}
