/**
 * App lifecycle on `@capacitor/app` (8.1.1) and the privacy screen on
 * `@capacitor/privacy-screen` (2.0.1).
 *
 * Which events mean "the app went to the background" differs by OS, read from the sources:
 * - **iOS** (AppPlugin.swift): `pause` is `didEnterBackgroundNotification`, `resume` is
 *   `willEnterForegroundNotification`. `appStateChange` follows `willResignActive` /
 *   `didBecomeActive`, which the Face ID sheet, Control Center and incoming calls also fire, so
 *   on iOS only its `isActive: true` is used (as "foreground", usually a repeat).
 * - **Android** (AppPlugin.java, Capacitor's BridgeActivity.java): `pause`/`resume` follow the
 *   activity's `onPause`/`onResume`, and the biometric plugin's prompt is an activity of its own
 *   (AuthActivity, transparent) whose start pauses ours — so `pause` is not used on Android.
 *   `appStateChange` `{ isActive: false }` fires from `onStop` once no activity of the app is
 *   visible, and `{ isActive: true }` from every `onResume` — including the return from the
 *   biometric prompt, a repeat of "foreground" that is dropped.
 *
 * Repeated events (the same state twice in a row) are dropped on both.
 *
 * The privacy screen is enabled *while the app is in the foreground*, as soon as a vault asks for
 * it: iOS covers the window on `willResignActive` only if the plugin was already enabled then
 * (PrivacyScreenPlugin.swift `applicationWillResignActive`); enabling it on `pause` would be too
 * late for the app-switcher snapshot. Android sets `FLAG_SECURE` while enabled.
 */
import type { LifecycleEvent, LifecyclePort } from '../core/ports.js';
import type { AppApi, NativeOS, PrivacyScreenApi } from './plugin-apis.js';

/** Turns the OS's raw App events into the core's `background` / `foreground`, once each. */
export interface LifecycleFilter {
  /** Feed a raw event; returns the core event to deliver, or `undefined` to drop it. */
  accept(raw: RawAppEvent): LifecycleEvent | undefined;
  readonly background: boolean;
  /** Set the state without an event (the state asked for at start-up). */
  assume(background: boolean): void;
}

/** An `@capacitor/app` event as it arrives. */
export type RawAppEvent = { readonly name: 'pause' } | { readonly name: 'resume' } | { readonly name: 'appStateChange'; readonly isActive: unknown };

class OsLifecycleFilter implements LifecycleFilter {
  readonly #os: NativeOS;
  #background: boolean;

  constructor(os: NativeOS, startInBackground: boolean) {
    this.#os = os;
    this.#background = startInBackground;
  }

  accept(raw: RawAppEvent): LifecycleEvent | undefined {
    if (this.#os === 'ios') {
      if (raw.name === 'pause') return this.#to(true);
      if (raw.name === 'resume') return this.#to(false);
      // Becoming active always means the app is in front (and covers a launch that started
      // `.inactive`, which getState reports as not active and which no `resume` follows);
      // resigning active does not mean background: the Face ID sheet, Control Center, calls.
      if (raw.name === 'appStateChange' && raw.isActive === true) return this.#to(false);
      return undefined;
    }
    if (raw.name === 'appStateChange' && typeof raw.isActive === 'boolean') return this.#to(!raw.isActive);
    return undefined; // onPause/onResume: the biometric prompt's activity fires them too
  }

  get background(): boolean {
    return this.#background;
  }

  assume(value: boolean): void {
    this.#background = value;
  }

  #to(next: boolean): LifecycleEvent | undefined {
    if (next === this.#background) return undefined; // a repeat
    this.#background = next;
    return next ? 'background' : 'foreground';
  }
}

/**
 * The per-OS event filter.
 *
 * @example
 * ```ts
 * const filter = lifecycleFilter('android');
 * filter.accept({ name: 'pause' }); // undefined: the biometric prompt, or not yet stopped
 * filter.accept({ name: 'appStateChange', isActive: false }); // 'background'
 * ```
 */
export function lifecycleFilter(os: NativeOS, startInBackground = false): LifecycleFilter {
  return new OsLifecycleFilter(os, startInBackground);
}

/** Options of the privacy screen, passed to `PrivacyScreen.enable`. */
export type PrivacyScreenOptions = Parameters<PrivacyScreenApi['enable']>[0];

/** Options of {@link appLifecycle}. */
interface AppLifecycleOptions {
  app: AppApi;
  privacyScreen: PrivacyScreenApi;
  os: NativeOS;
  privacyScreenOptions?: PrivacyScreenOptions;
}

class AppLifecycle implements LifecyclePort {
  readonly #privacyScreen: PrivacyScreenApi;
  readonly #options: AppLifecycleOptions;
  readonly #filter: LifecycleFilter;
  readonly #listeners = new Set<(event: LifecycleEvent) => void>();
  #heardEvent = false;
  readonly #settled: Array<Promise<{ remove(): Promise<void> } | undefined>>;
  #privacy: boolean | undefined;
  #privacyCall: Promise<unknown> = Promise.resolve();

  constructor(options: AppLifecycleOptions) {
    const { app, privacyScreen, os } = options;
    this.#privacyScreen = privacyScreen;
    this.#options = options;
    this.#filter = lifecycleFilter(os);
    const handles =
      os === 'ios'
        ? [app.addListener('pause', () => this.#deliver({ name: 'pause' })), app.addListener('resume', () => this.#deliver({ name: 'resume' }))]
        : [app.addListener('appStateChange', (state) => this.#deliver({ name: 'appStateChange', isActive: state?.isActive }))];
    this.#settled = handles.map((handle) => handle.catch(() => undefined));
    // The app may start in the background (a background fetch, a silent push): ask once; an event
    // heard meanwhile is newer and wins. (On iOS `isActive` is false in the background.)
    app.getState().then(
      (state) => {
        if (!this.#heardEvent && typeof state?.isActive === 'boolean') this.#filter.assume(!state.isActive);
      },
      () => undefined,
    );
  }

  subscribe(listener: (event: LifecycleEvent) => void): () => void {
    const entry = (event: LifecycleEvent) => listener(event);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  isInBackground(): boolean {
    return this.#filter.background;
  }

  setPrivacyScreen({ enabled }: { enabled: boolean }): void {
    if (this.#privacy === enabled) return;
    this.#privacy = enabled;
    // In call order; best effort, like the web overlay: a failure must not break a vault operation.
    this.#privacyCall = this.#privacyCall
      .then(() => (enabled ? this.#privacyScreen.enable(this.#options.privacyScreenOptions) : this.#privacyScreen.disable()))
      .catch(() => undefined);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.#settled.map(async (handle) => (await handle)?.remove()));
  }

  #deliver(raw: RawAppEvent): void {
    this.#heardEvent = true;
    const event = this.#filter.accept(raw);
    if (event !== undefined) for (const listener of [...this.#listeners]) listener(event);
  }
}

/**
 * The lifecycle port.
 *
 * @example
 * ```ts
 * const lifecycle = appLifecycle({ app: App, privacyScreen: PrivacyScreen, os: 'ios' });
 * lifecycle.subscribe((event) => console.log(event));
 * ```
 */
export function appLifecycle(options: AppLifecycleOptions): LifecyclePort & {
  dispose(): Promise<void>;
} {
  return new AppLifecycle(options);
}
