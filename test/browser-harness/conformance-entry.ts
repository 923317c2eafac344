/**
 * The conformance page's script: the runner-agnostic suite (`test/platforms/conformance.ts`) run
 * *inside* Chromium against the real web platform. What only the test runner can do — drive the
 * virtual authenticator, answer the real passcode dialog with keystrokes, hide the page, move the
 * clock — is asked of Playwright through `window.pwControl` (a `page.exposeFunction` binding).
 */
import { conformanceCases, type ConformanceDriver } from '../platforms/conformance.js';
import { vaultApiConformanceCases } from '../platforms/vault-api-conformance.js';
import { VaultErrorCodes, type IonicNativeAuthPlugin } from 'identity-vault';
import { createPlugin, disposePlugin, type PasscodePromptPort } from 'identity-vault/platform';
import { createWebPlatform, type WebPlatform } from 'identity-vault/web';
import { dumpStorage } from './storage-dump.js';

/** Commands the page sends to the Playwright side (see `test/platforms/web/conformance.spec.ts`). */
export type ControlCommand =
  | { command: 'answerPasscode'; passcode: string | null }
  | { command: 'biometrics'; outcome: 'success' | 'fail' | 'cancel' }
  | { command: 'clearCredentials' }
  | { command: 'visibility'; state: 'hidden' | 'visible' }
  | { command: 'advanceTime'; ms: number }
  | { command: 'cookies' };

declare global {
  interface Window {
    pwControl(command: ControlCommand): Promise<unknown>;
    runConformanceCase(name: string): Promise<{ ok: true } | { ok: false; message: string; stack?: string }>;
    ivReady: boolean;
  }
}

/** The WebAuthn timeout of the driver's platform: a "cancel" is a prompt nobody answers. */
export const CONFORMANCE_WEBAUTHN_TIMEOUT_MS = 1500;

function webDriver(): ConformanceDriver {
  const answers: Array<string | undefined> = [];
  let platform: WebPlatform;
  let plugin: IonicNativeAuthPlugin;
  const start = (): void => {
    platform = createWebPlatform({ webAuthn: { timeout: CONFORMANCE_WEBAUTHN_TIMEOUT_MS } });
    const real = platform.passcodePrompt;
    // The real dialog is shown; the runner answers it with real keystrokes (Enter / Escape).
    const prompt: PasscodePromptPort = {
      request(options) {
        const shown = real.request(options);
        const answer = answers.length > 0 ? answers.shift() : undefined;
        void window.pwControl({ command: 'answerPasscode', passcode: answer ?? null });
        return shown;
      },
    };
    plugin = createPlugin({ ...platform, passcodePrompt: prompt });
  };
  start();
  return {
    name: 'web (Chromium)',
    plugin: () => plugin,
    restart: async () => {
      // A relaunch as far as the vault can tell: every in-memory object is dropped, storage stays.
      // (Real page reloads are tested in vault-web.spec.ts.)
      disposePlugin(plugin);
      platform.close();
      start();
    },
    dumpStorage: async () => `${await dumpStorage()}\n${JSON.stringify(await window.pwControl({ command: 'cookies' }))}`,
    passcodePrompt: {
      queue: async (...queued) => {
        answers.push(...queued);
      },
    },
    biometrics: {
      respondWith: async (outcome) => {
        await window.pwControl({ command: 'biometrics', outcome });
      },
      // On the web a removed credential is the closest thing to re-enrolment: WebAuthn cannot tell
      // it from a cancel (NotAllowedError both), see src/web/webauthn-errors.ts.
      reenroll: async () => {
        await window.pwControl({ command: 'clearCredentials' });
      },
      failCodes: [VaultErrorCodes.UserCanceledInteraction, VaultErrorCodes.AuthFailed],
      invalidatedCodes: [VaultErrorCodes.UserCanceledInteraction],
    },
    lifecycle: {
      background: async () => {
        await window.pwControl({ command: 'visibility', state: 'hidden' });
      },
      foreground: async () => {
        await window.pwControl({ command: 'visibility', state: 'visible' });
      },
      advanceTime: async (ms) => {
        await window.pwControl({ command: 'advanceTime', ms });
      },
    },
  };
}

window.runConformanceCase = async (name) => {
  const testCase = [...conformanceCases, ...vaultApiConformanceCases].find((c) => c.name === name);
  if (!testCase) return { ok: false, message: `no conformance case named ${name}` };
  try {
    await testCase.run(webDriver());
    return { ok: true };
  } catch (error) {
    const e = error as Error;
    return { ok: false, message: `${e.name}: ${e.message}`, ...(e.stack ? { stack: e.stack } : {}) };
  }
};
window.ivReady = true;
