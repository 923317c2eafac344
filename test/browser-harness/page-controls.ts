/**
 * Playwright-side controls of a harness page: hide/show the page, answer the built-in passcode
 * dialog with real keystrokes, and the command handler behind the conformance page's `pwControl`.
 *
 * Visibility: headless Chromium keeps every page "visible" — minimising the window
 * (`Browser.setWindowBounds`) and `Page.setWebLifecycleState` change nothing a page can observe
 * (measured on Chromium 156 and 150) — so a hidden page is emulated the way a browser reports it:
 * `document.visibilityState`/`document.hidden` overridden, then a real `visibilitychange` event.
 */
import type { BrowserContext, Page } from '@playwright/test';
import type { ControlCommand } from './conformance-entry.js';
import type { VirtualAuthenticator } from './virtual-authenticator.js';

/** Make the page report `state` and fire `visibilitychange` (and `pagehide`/`pageshow` when asked). */
export async function setVisibility(page: Page, state: 'hidden' | 'visible', options: { transition?: 'pagehide' | 'pageshow' } = {}): Promise<void> {
  await page.evaluate(
    ({ state, transition }) => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => state === 'hidden' });
      if (transition === 'pagehide') window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
      if (transition === 'pageshow') window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    },
    { state, transition: options.transition },
  );
}

/** Answer the open passcode dialog: type and press Enter, or press Escape for `null`. */
export async function answerPasscodeDialog(page: Page, passcode: string | null): Promise<void> {
  const dialog = page.locator('dialog.iv-passcode-dialog[open]');
  await dialog.waitFor({ state: 'visible' });
  const input = dialog.getByLabel('Passcode');
  if (passcode === null) {
    await input.press('Escape');
  } else {
    await input.fill(passcode);
    await input.press('Enter');
  }
  await page
    .locator('dialog.iv-passcode-dialog[open]')
    .waitFor({ state: 'detached' })
    .catch(() => undefined);
}

/** The handler of the conformance page's `window.pwControl`. */
export function controlHandler(page: Page, context: BrowserContext, authenticator: () => VirtualAuthenticator) {
  return async (command: ControlCommand): Promise<unknown> => {
    try {
      switch (command.command) {
        case 'answerPasscode':
          await answerPasscodeDialog(page, command.passcode);
          return null;
        case 'biometrics': {
          const a = authenticator();
          const presence = (enabled: boolean) => a.cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId: a.authenticatorId, enabled });
          if (command.outcome === 'success') {
            await a.setUserVerified(true);
            await presence(true);
          } else if (command.outcome === 'fail') {
            // A failed verification (after which this virtual PRF authenticator stays broken).
            await presence(true);
            await a.setUserVerified(false);
          } else {
            // Nobody answers the prompt: NotAllowedError at the (short) WebAuthn timeout, as a dismissal gives.
            await presence(false);
          }
          return null;
        }
        case 'clearCredentials':
          await authenticator().clearCredentials();
          return null;
        case 'visibility':
          await setVisibility(page, command.state);
          return null;
        case 'advanceTime':
          // Jump, firing due timers at most once: what a machine asleep or a throttled hidden tab sees.
          await page.clock.fastForward(command.ms);
          return null;
        case 'cookies':
          return await context.cookies();
      }
    } catch (error) {
      console.error(`pwControl ${command.command} failed:`, error);
      throw error;
    }
  };
}
