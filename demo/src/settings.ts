/**
 * The demo's preferences in localStorage. None of them is secret: how the passcode is typed, and
 * the two vault options read when the page loads (`lockAfter`, `hideScreenOnBackground`).
 */

/** Where the passcode is typed: the library's built-in `<dialog>` or the app's own PIN pad. */
export type PasscodeEntry = 'dialog' | 'pin-pad';

export interface DemoSettings {
  readonly passcodeEntry: PasscodeEntry;
  /** Milliseconds in the background before the vault locks; 0 never locks. */
  readonly lockAfter: number;
  readonly hideScreenOnBackground: boolean;
}

export const DEFAULT_SETTINGS: DemoSettings = { passcodeEntry: 'dialog', lockAfter: 10_000, hideScreenOnBackground: true };

const KEY = 'identity-vault-demo:settings';

/** The saved settings, with defaults for anything missing or malformed. */
export function loadSettings(): DemoSettings {
  let saved: Partial<Record<keyof DemoSettings, unknown>> = {};
  try {
    saved = (JSON.parse(localStorage.getItem(KEY) ?? '{}') as typeof saved | null) ?? {};
  } catch {
    // Unreadable: start from the defaults.
  }
  const lockAfter = saved.lockAfter;
  return {
    passcodeEntry: saved.passcodeEntry === 'pin-pad' || saved.passcodeEntry === 'dialog' ? saved.passcodeEntry : DEFAULT_SETTINGS.passcodeEntry,
    lockAfter: typeof lockAfter === 'number' && Number.isInteger(lockAfter) && lockAfter >= 0 ? lockAfter : DEFAULT_SETTINGS.lockAfter,
    hideScreenOnBackground: typeof saved.hideScreenOnBackground === 'boolean' ? saved.hideScreenOnBackground : DEFAULT_SETTINGS.hideScreenOnBackground,
  };
}

/** Saves `changes` over the current settings and returns the result. */
export function saveSettings(changes: Partial<DemoSettings>): DemoSettings {
  const next = { ...loadSettings(), ...changes };
  localStorage.setItem(KEY, JSON.stringify(next));
  return next;
}
