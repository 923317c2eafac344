/**
 * Browser tests in a real Chromium (Debian's by default): the web platform's port and
 * conformance tests (`test/platforms/web`), the demo's end-to-end tests (`test/e2e`) and the
 * browser attacks of the security suite (`test/security/*.spec.ts`) and the packed package in a new
 * Vite app (`test/packaging`).
 * No browser download: the executable is `CHROMIUM_PATH` or `/usr/bin/chromium`, checked by the
 * global setup, which fails the run with install instructions when it is missing.
 */
import { defineConfig } from '@playwright/test';
import { chromiumPath } from './test/browser-harness/global-setup.js';

const executablePath = chromiumPath();

export default defineConfig({
  globalSetup: './test/browser-harness/global-setup.ts',
  outputDir: 'test-results',
  testMatch: '**/*.spec.ts',
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env['CI'],
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    browserName: 'chromium',
    headless: true,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'web', testDir: 'test/platforms/web' },
    { name: 'e2e', testDir: 'test/e2e' },
    { name: 'security', testDir: 'test/security' },
    { name: 'packaging', testDir: 'test/packaging' },
  ],
});
