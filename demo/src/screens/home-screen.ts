/** Home: the session from the vault, the profile from the API (through createAuthFetch), and the vault's state. */
import type { DemoApp } from '../app.js';
import { ApiError, fetchMe, type Me } from '../api-client.js';
import { details, h, whileBusy } from '../dom.js';
import type { DemoSession } from '../identity-service.js';
import { AUTH_MODE_LABELS, describeError } from '../messages.js';
import type { AuthMode } from '../vault-lib.js';
import { screen, type Notice } from './common.js';

function when(iso: string | null): string {
  if (iso === null) return 'never';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

function seconds(ms: number): string {
  if (ms === 0) return 'never';
  const s = ms / 1000;
  return `after ${s} second${s === 1 ? '' : 's'} in the background`;
}

/** The token, shortened: enough to recognise it, not to use it. */
function masked(token: string): string {
  return `${token.slice(0, 6)}… (${token.length} characters)`;
}

function profile(me: Me): HTMLElement {
  return details([
    ['Username', me.username],
    ['Display name', me.displayName],
    ['Email', me.email],
    ['Last login', when(me.lastLogin)],
  ]);
}

/** Fills `target` with `/api/me`, fetched with the vault's token. */
async function loadProfile(app: DemoApp, target: HTMLElement): Promise<void> {
  try {
    const me = await fetchMe(app.authFetch);
    target.replaceChildren(profile(me));
  } catch (error) {
    const text =
      error instanceof ApiError && error.status === 401
        ? 'The server no longer accepts this session (the token expired or was revoked).'
        : describeError(error, 'Loading your profile');
    target.replaceChildren(
      h('p', { class: 'notice error', role: 'alert' }, text),
      h('button', { type: 'button', onclick: () => void app.logout() }, 'Log in again'),
    );
  }
}

export function homeScreen(app: DemoApp, session: DemoSession, authMode: AuthMode, notice?: Notice): HTMLElement {
  const api = h('div', { class: 'api-data', 'aria-live': 'polite', 'data-testid': 'api-me' }, h('p', {}, 'Loading /api/me…'));
  void loadProfile(app, api);
  const settings = app.loadedSettings;
  const actions = h(
    'div',
    { class: 'actions' },
    h('button', { type: 'button', class: 'primary', onclick: () => void whileBusy(actions, () => app.lock()) }, 'Lock now'),
    h('button', { type: 'button', onclick: () => void app.showSettings() }, 'Settings'),
    h('button', { type: 'button', onclick: () => void whileBusy(actions, () => app.logout()) }, 'Log out'),
  );
  return screen(
    'home',
    `Welcome, ${session.displayName}`,
    notice,
    actions,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'session-title' },
      h('h2', { id: 'session-title' }, 'Session in the vault'),
      details([
        ['Username', session.username],
        ['Display name', session.displayName],
        ['Email', session.email],
        ['Token', h('code', {}, masked(session.token))],
        ['Token expires', when(session.expiresAt)],
      ]),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'api-title' },
      h('h2', { id: 'api-title' }, 'From the API'),
      h('p', { class: 'hint' }, h('code', {}, 'GET /api/me'), ' through ', h('code', {}, 'createAuthFetch'), ', which adds the bearer token from the vault.'),
      api,
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'vault-title' },
      h('h2', { id: 'vault-title' }, 'Vault'),
      details([
        ['Auth mode', AUTH_MODE_LABELS[authMode]],
        ['Locks', seconds(settings.lockAfter)],
        ['Privacy screen in the background', settings.hideScreenOnBackground ? 'on' : 'off'],
      ]),
    ),
  );
}
