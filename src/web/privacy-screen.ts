/**
 * The privacy screen of the web platform: an opaque element covering the whole page while it is
 * hidden, so the app switcher's snapshot and a bfcache-restored first frame show no data.
 *
 * It is a `popover="manual"` element where popovers exist (Chromium 114+, Safari 17+, Firefox
 * 125+): shown with `showPopover()` it enters the top layer *above* anything already there, an
 * open modal `<dialog>` included, which no z-index can beat. Elsewhere it falls back to a fixed
 * element at the highest z-index.
 *
 * Colour: `--iv-privacy-bg` (default `#101014`). The element has the class `iv-privacy-screen`.
 *
 * Limit, said plainly: mobile browsers may take the app-switcher snapshot before the page gets to
 * paint after `visibilitychange`, so the overlay is best effort there.
 */
import { adoptStyles } from '../ui/styles.js';

const STYLES = `
.iv-privacy-screen {
  position: fixed; inset: 0; width: 100%; height: 100%; max-width: none; max-height: none;
  margin: 0; padding: 0; border: 0; z-index: 2147483647; pointer-events: auto;
  background: var(--iv-privacy-bg, #101014);
}
.iv-privacy-screen[hidden], .iv-privacy-screen[popover]:not(:popover-open) { display: none; }
`;

/**
 * Shows and hides the covering element (created lazily).
 *
 * @example
 * ```ts
 * const screen = new PrivacyScreen();
 * screen.show();
 * screen.hide();
 * ```
 */
export class PrivacyScreen {
  #element: HTMLElement | undefined;

  /** Whether the cover is on the page now. */
  get visible(): boolean {
    return this.#element?.isConnected === true && !this.#element.hidden;
  }

  show(): void {
    const doc = (globalThis as { document?: Document }).document;
    if (!doc) return;
    adoptStyles(doc, 'privacy-screen', STYLES);
    let element = this.#element;
    if (!element) {
      element = doc.createElement('div');
      element.className = 'iv-privacy-screen';
      element.setAttribute('aria-hidden', 'true');
      element.dataset['identityVault'] = 'privacy-screen';
      if (typeof element.showPopover === 'function') element.popover = 'manual';
      this.#element = element;
    }
    element.hidden = false;
    // The root element, not <body>: the cover must exist even before <body> is parsed.
    if (!element.isConnected) doc.documentElement.append(element);
    if (element.popover === 'manual') {
      // Re-enter the top layer so the cover sits above dialogs opened since it was last shown.
      if (element.matches(':popover-open')) element.hidePopover();
      element.showPopover();
    }
  }

  hide(): void {
    const element = this.#element;
    if (!element) return;
    if (element.popover === 'manual' && element.matches(':popover-open')) element.hidePopover();
    element.hidden = true;
    element.remove();
  }
}
