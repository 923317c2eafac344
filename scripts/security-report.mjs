#!/usr/bin/env node
// `npm run test:security`: runs the attack tests (vitest: test/security and the Node crash test;
// Playwright: specs tagged @security), then prints the figures they recorded and writes them as the table that ends
// docs/security.md. Exits non-zero when any test failed.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const root = new URL('../', import.meta.url).pathname;
const figuresFile = `${root}.reports/security-figures.jsonl`;
const doc = `${root}docs/security.md`;
const BEGIN = '<!-- security-figures:begin -->';
const END = '<!-- security-figures:end -->';

rmSync(figuresFile, { force: true });
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' } }).status ?? 1;
let failed = run('npx', ['vitest', 'run', 'test/security', 'test/platforms/node/crash.test.ts']);
if (!process.argv.includes('--no-browser')) failed ||= run('npx', ['playwright', 'test', '--grep', '@security']);

const rows = existsSync(figuresFile)
  ? readFileSync(figuresFile, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
  : [];
rows.sort((a, b) => a.property.localeCompare(b.property, 'en', { numeric: true }) || a.platform.localeCompare(b.platform));
const escape = (text) => String(text).replaceAll('|', '\\|');
const table = [
  `Produced by \`npm run test:security\` on ${new Date().toISOString().slice(0, 10)} (${rows.length} figures).`,
  '',
  '| property | platform | figure |',
  '| --- | --- | --- |',
  ...rows.map((r) => `| ${escape(r.property)} | ${escape(r.platform)} | ${escape(r.figure)} |`),
].join('\n');
console.log(`\n${table}\n`);

if (existsSync(doc) && !failed) {
  const text = readFileSync(doc, 'utf8');
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (start >= 0 && end > start) {
    writeFileSync(doc, `${text.slice(0, start + BEGIN.length)}\n${table}\n${text.slice(end)}`);
    console.log('docs/security.md: figures table updated');
  }
}
process.exit(failed ? 1 : 0);
