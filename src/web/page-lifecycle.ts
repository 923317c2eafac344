/**
 * `LifecyclePort` of the web platform, from the Page Lifecycle events:
 *
 * - `visibilitychange` to `hidden` → `background`, to `visible` → `foreground` (the only event
 *   every browser fires reliably when a tab is switched away, minimised or the phone locked);
 * - `pagehide` → `background` (navigation away, possibly into the back/forward cache; a page
 *   being unloaded may get no `visibilitychange` in Safari);
 * - `pageshow` with `persisted` → `foreground` (back from the bfcache: no `load` runs again).
 *
 * Events are reported on transitions only (hidden then pagehide is one `background`), because the
 * core measures the time spent hidden from the first one. Background timers are throttled, so the
 * core reads the clock on `foreground` rather than trusting a timer.
 */
import type { LifecycleEvent, LifecyclePort } from '../core/ports.js';
import { ListenerSet } from '../shared/listener-set.js';
import { lazily } from '../core/lazy-load.js';
import type { PrivacyScreen } from './privacy-screen.js';

/**
 * The page's lifecycle and privacy screen. DOM listeners are added on first use.
 *
 * @example
 * ```ts
 * const lifecycle = new PageLifecycle();
 * const stop = lifecycle.subscribe((event) => console.log(event));
 * lifecycle.setPrivacyScreen({ enabled: true });
 * ```
 */
export class PageLifecycle implements LifecyclePort {
  readonly #listeners = new ListenerSet<LifecycleEvent>();
  /**
   * The cover's code (`privacy-screen.ts`) is loaded with `import()` when the privacy screen is
   * first enabled, in the background: no call waits for it, and a page hidden before it arrived
   * (a few milliseconds after setup) is covered as soon as it does.
   */
  #screen: PrivacyScreen | undefined;
  readonly #loadScreen = lazily('privacy screen', async () => new (await import('./on-first-use.js')).PrivacyScreen());
  #background = false;
  #privacy = false;
  #installed = false;

  subscribe(listener: (event: LifecycleEvent) => void): () => void {
    this.#install();
    return this.#listeners.add(listener);
  }

  isInBackground(): boolean {
    this.#install();
    return this.#background;
  }

  setPrivacyScreen(options: { enabled: boolean }): void {
    this.#install();
    this.#privacy = options.enabled;
    if (this.#privacy && !this.#screen) {
      this.#loadScreen().then(
        (screen) => {
          this.#screen = screen;
          this.#cover();
        },
        (error: unknown) => globalThis.reportError?.(error),
      );
    }
    // Enabled while already hidden: cover now, not at the next background event.
    this.#cover();
  }

  /** Shows the cover when enabled and in the background, hides it otherwise. */
  #cover(): void {
    if (this.#privacy && this.#background) this.#screen?.show();
    else this.#screen?.hide();
  }

  /** Whether the privacy cover is on the page now (diagnostics and tests). */
  get privacyScreenVisible(): boolean {
    return this.#screen?.visible ?? false;
  }

  #install(): void {
    if (this.#installed) return;
    const g = globalThis as { document?: Document; addEventListener?: Window['addEventListener'] };
    const doc = g.document;
    if (!doc || typeof g.addEventListener !== 'function') return; // not a page: always foreground
    this.#installed = true;
    this.#background = doc.visibilityState === 'hidden';
    doc.addEventListener('visibilitychange', () => this.#change(doc.visibilityState === 'hidden'));
    g.addEventListener('pagehide', () => this.#change(true));
    g.addEventListener('pageshow', (event: PageTransitionEvent) => {
      if (event.persisted && doc.visibilityState !== 'hidden') this.#change(false);
    });
  }

  #change(background: boolean): void {
    if (background === this.#background) return;
    this.#background = background;
    // Cover (or uncover) before anyone else runs, in the same task as the event.
    this.#cover();
    const event: LifecycleEvent = background ? 'background' : 'foreground';
    // One listener's failure stops neither the others nor the privacy screen (ListenerSet's rule).
    this.#listeners.emit(event);
  }
}
