/**
 * The shared behavioural suite (`test/platforms/conformance.ts`), every case run inside Chromium
 * against the real web platform: IndexedDB, WebCrypto, WebAuthn PRF through the virtual
 * authenticator, the real `<dialog>` prompt answered with keystrokes, `page.clock` for time.
 */
import { conformanceCases } from '../conformance.js';
import { vaultApiConformanceCases } from '../vault-api-conformance.js';
import { controlHandler } from '../../browser-harness/page-controls.js';
import { VirtualAuthenticator } from '../../browser-harness/virtual-authenticator.js';
import type {} from '../../browser-harness/conformance-entry.js';
import { expect, openHarness, test } from './fixtures.js';

for (const testCase of [...conformanceCases, ...vaultApiConformanceCases]) {
  test(`conformance: ${testCase.name}`, async ({ page, context, server }) => {
    let authenticator: VirtualAuthenticator | undefined;
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    await page.clock.install();
    await page.exposeFunction(
      'pwControl',
      controlHandler(page, context, () => {
        if (!authenticator) throw new Error('no authenticator');
        return authenticator;
      }),
    );
    await openHarness(page, server, 'conformance');
    authenticator = await VirtualAuthenticator.attach(context, page);
    const result = await page.evaluate((name) => window.runConformanceCase(name), testCase.name);
    expect(result, result.ok ? undefined : result.stack).toEqual({ ok: true });
  });
}
