/** Pieces every screen uses: the frame with its heading and notice, and the passcode-entry choice. */
import { h, type Child } from '../dom.js';
import { saveSettings, type PasscodeEntry } from '../settings.js';

/** A message shown at the top of a screen. Errors are announced at once (`role="alert"`). */
export interface Notice {
  readonly text: string;
  readonly kind: 'info' | 'error';
}

/** The notice element: `role="alert"` for errors, `role="status"` otherwise. */
export function noticeElement(notice: Notice | undefined): HTMLElement {
  return h('p', { class: `notice ${notice?.kind ?? ''}`, role: notice?.kind === 'error' ? 'alert' : 'status', 'data-testid': 'notice' }, notice?.text ?? '');
}

/** A screen: a section labelled by its `<h1>` (focused when the screen appears), its notice, then `children`. */
export function screen(name: string, title: string, notice: Notice | undefined, ...children: Child[]): HTMLElement {
  const id = `${name}-title`;
  return h(
    'section',
    { class: `screen screen-${name}`, 'aria-labelledby': id, 'data-screen': name },
    h('h1', { id, tabindex: -1 }, title),
    noticeElement(notice),
    ...children,
  );
}

/**
 * The radio buttons choosing how the passcode is typed (saved at once; not secret). Each option
 * says what the person will see, with the developer's note (which hook does it) beside it.
 */
export function passcodeEntryChoice(current: PasscodeEntry, onChange: (entry: PasscodeEntry) => void = () => undefined): HTMLFieldSetElement {
  const option = (value: PasscodeEntry, label: string, hint: string, devNote: Child[]): HTMLElement =>
    h(
      'label',
      { class: 'choice' },
      h('input', {
        type: 'radio',
        name: 'passcode-entry',
        value,
        checked: current === value,
        onchange: () => {
          saveSettings({ passcodeEntry: value });
          onChange(value);
        },
      }),
      h('span', {}, label, h('small', {}, hint), h('small', { class: 'dev-note' }, 'For developers: ', ...devNote)),
    );
  return h(
    'fieldset',
    { class: 'passcode-entry' },
    h('legend', {}, 'How you type your passcode'),
    option('dialog', 'Standard passcode box', 'A simple box where you type your passcode, provided by the vault.', [
      h('code', {}, 'onPasscodeRequest'),
      ' returns ',
      h('code', {}, 'undefined'),
      ', so identity-vault/web shows its built-in dialog.',
    ]),
    option('pin-pad', 'Number pad', 'This app’s own keypad with large number keys.', [
      'the app’s PIN pad; ',
      h('code', {}, 'onPasscodeRequest'),
      ' returns the PIN typed there.',
    ]),
  );
}
