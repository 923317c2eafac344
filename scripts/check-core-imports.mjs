#!/usr/bin/env node
// Fails the build when the platform-free core touches a platform: browser or Node globals, Node
// built-ins, or the platform folders. The core reaches platforms only through src/core/ports.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const coreDir = new URL('../src/core/', import.meta.url).pathname;
const forbidden = [
  [/\bwindow\b/, 'window'],
  [/\bdocument\./, 'document'],
  [/\bindexedDB\b/, 'indexedDB'],
  [/\bnavigator\b/, 'navigator'],
  [/\blocalStorage\b|\bsessionStorage\b/, 'web storage'],
  [/\bglobalThis\b/, 'globalThis'],
  [/(^|[^.\w])crypto\.(subtle|getRandomValues|randomUUID)/, 'the crypto global (use CryptoPort)'],
  [/\bprocess\./, 'process'],
  [/\bsetTimeout\b|\bsetInterval\b|\bDate\.now\b/, 'timers or the clock (use ClockPort)'],
  [/from\s+['"](node:|fs|path|os|child_process)/, 'a Node built-in'],
  [/from\s+['"]\.\.\/(web|node|testing|capacitor|session)\//, 'a platform or outer layer'],
  [/console\./, 'console (nothing secret may reach a log; the core logs nothing)'],
];

const stripComments = (source) => source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
const problems = [];
for (const file of readdirSync(coreDir).filter((f) => f.endsWith('.ts'))) {
  const lines = stripComments(readFileSync(join(coreDir, file), 'utf8')).split('\n');
  lines.forEach((line, i) => {
    for (const [pattern, what] of forbidden) if (pattern.test(line)) problems.push(`src/core/${file}:${i + 1}: uses ${what}: ${line.trim()}`);
  });
}
if (problems.length > 0) {
  console.error(`The core must stay platform-free:\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`core import check: ${readdirSync(coreDir).filter((f) => f.endsWith('.ts')).length} files platform-free`);
