/** Log in: username and password to the API, then the session goes into the vault. */
import type { DemoApp } from '../app.js';
import { h, whileBusy } from '../dom.js';
import { passcodeEntryChoice, screen, type Notice } from './common.js';

export function loginScreen(app: DemoApp, notice?: Notice): HTMLElement {
  const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true, autocapitalize: 'off', spellcheck: 'false' });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  // Filled when a login attempt fails; an alert, so it is announced.
  const problem = h('p', { class: 'notice error', role: 'alert', 'data-testid': 'login-error' });
  const form = h(
    'form',
    {
      class: 'card',
      onsubmit: (event) => {
        event.preventDefault();
        problem.textContent = '';
        void whileBusy(form, () => app.login(username.value.trim(), password.value)).then((error) => {
          if (error === undefined) return;
          problem.textContent = error;
          password.value = '';
          password.focus();
        });
      },
    },
    h('div', { class: 'field' }, h('label', { for: 'username' }, 'Username'), username),
    h('div', { class: 'field' }, h('label', { for: 'password' }, 'Password'), password),
    passcodeEntryChoice(app.settings.passcodeEntry),
    problem,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Log in')),
  );
  return screen(
    'login',
    'Log in',
    notice,
    h('p', {}, 'Log in to the demo API. The token it returns is kept in the vault, protected by a passcode you choose next.'),
    form,
    h(
      'p',
      { class: 'hint' },
      'Demo users: ',
      h('code', {}, 'alice'),
      ' / ',
      h('code', {}, 'correct horse'),
      ' and ',
      h('code', {}, 'bob'),
      ' / ',
      h('code', {}, 'battery staple'),
      '.',
    ),
  );
}
