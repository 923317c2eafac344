/**
 * Playwright global setup: the browser tests need a real Chromium. With none found the run fails
 * loudly, with the fix — it never skips.
 */
import { existsSync } from 'node:fs';

/** The Chromium executable the tests launch. */
export function chromiumPath(): string {
  return process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
}

export default function globalSetup(): void {
  const executable = chromiumPath();
  if (!existsSync(executable)) {
    throw new Error(
      `Chromium not found at ${executable}. The browser tests run in a real Chromium: ` +
        'install it with `apt-get install -y chromium` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium/Chrome executable.',
    );
  }
}
