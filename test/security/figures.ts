/**
 * Security tests record the figures they prove (counts, not timings) here; `npm run
 * test:security` prints them (kept out of test-results/, which Playwright empties) and writes the table at the end of docs/security.md.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIGURES_FILE = join(dirname(fileURLToPath(import.meta.url)), '../../.reports/security-figures.jsonl');

export function recordFigure(property: string, platform: string, figure: string): void {
  mkdirSync(dirname(FIGURES_FILE), { recursive: true });
  appendFileSync(FIGURES_FILE, `${JSON.stringify({ property, platform, figure })}\n`);
}
