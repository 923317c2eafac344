/**
 * The app infrastructure the reproduced apps lean on, as small in-memory stand-ins: Capacitor
 * Preferences, the router, Ionic's modal PIN dialog (here: a scripted user) and the platform
 * check. None of them touches a vault: every vault call in test/compat/v5 goes to identity-vault.
 */

/** `@capacitor/preferences`: a string key-value store. */
export class Preferences {
  private readonly values = new Map<string, string>();
  async get({ key }: { key: string }): Promise<{ value: string | null }> {
    return { value: this.values.get(key) ?? null };
  }
  async set({ key, value }: { key: string; value: string }): Promise<void> {
    this.values.set(key, value);
  }
}

/** The router: remembers where the app navigated. */
export class Router {
  readonly visited: string[] = [];
  replace(path: string): void {
    this.visited.push(path);
  }
}

/**
 * The app's PIN dialog (an Ionic modal in the apps): each time it is presented, the scripted user
 * types the next answer; `undefined` dismisses it (the apps then pass `data || ''`, a cancel).
 */
export class PinDialog {
  private readonly answers: Array<string | undefined> = [];
  /** `true` for each dialog shown in "set a new PIN" mode, `false` for "enter your PIN". */
  readonly shown: boolean[] = [];
  answer(...answers: Array<string | undefined>): void {
    this.answers.push(...answers);
  }
  async present(setPasscodeMode: boolean): Promise<{ data: string | undefined }> {
    this.shown.push(setPasscodeMode);
    await Promise.resolve(); // the user types after the dialog opened
    return { data: this.answers.shift() };
  }
}

/** `isPlatform('hybrid')` / `Capacitor.isNativePlatform()`: tests choose. */
export const platform = { hybrid: false };
