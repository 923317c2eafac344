/**
 * Crash test (docs/security.md, "Node files", and "Attempts" for the counter): a child process writing to a store
 * is SIGKILLed at a random moment, at least 100 times. After each kill the store must open; every
 * record must be whole (its checksum holds); the batch must be all of one generation (a commit is
 * all or nothing); and nothing acknowledged may be lost — in particular the counter, written with
 * `update` like the failed-attempt counter, never goes back.
 *
 * The child is bundled once with esbuild so each run starts in ~70 ms instead of ~300 ms with tsx.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, expect, it } from 'vitest';
import { createFileStore } from 'identity-vault/node';
import { BATCH, BATCH_NAMES, isSealed } from './children/crash-records.js';
import { recordFigure } from '../../security/figures.js';
import { here, removeTempDirs, sleep, tempDir } from './helpers.js';

afterAll(removeTempDirs);

const LANES = 2; // one per core
const RUNS_PER_LANE = 55;

interface Acked {
  C: number;
  B: number;
  L: number;
}

interface LaneStats {
  runs: number;
  journalLeft: number;
  tmpLeft: number;
  noAckYet: number;
  maxCounter: number;
}

async function runOnce(bundle: string, directory: string, acked: Acked): Promise<{ killedBeforeWrite: boolean }> {
  const child = spawn(process.execPath, [bundle, directory], { stdio: ['ignore', 'pipe', 'pipe'] });
  let buffered = '';
  let stderr = '';
  let firstWrite!: () => void;
  const writing = new Promise<void>((resolve) => (firstWrite = resolve));
  let writes = 0;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const [kind, value] = line.split(' ') as [keyof Acked | 'R', string];
      if (kind !== 'R') {
        writes++;
        firstWrite();
        acked[kind] = Math.max(acked[kind], Number(value));
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  // Kill at a random moment: mostly while writing (after its first acknowledged write, within
  // the next few writes), sometimes during start-up or the very first write.
  if (Math.random() < 0.1) await sleep(Math.random() * 150);
  else {
    await Promise.race([writing, exited]);
    await sleep(Math.random() * 60);
  }
  child.kill('SIGKILL');
  const signal = await exited; // reaped: its pid is dead now
  expect(stderr).toBe('');
  expect(signal).toBe('SIGKILL');
  return { killedBeforeWrite: writes === 0 };
}

async function verify(directory: string, acked: Acked, previous: { counter: number }): Promise<void> {
  const store = createFileStore({ directory, lock: { staleMs: 2_000, timeoutMs: 5_000 } });
  const counter = await store.get('counter');
  if (acked.C > 0) expect(counter).toBeDefined();
  const n = (counter?.n as number | undefined) ?? 0;
  if (counter !== undefined) expect(isSealed(counter)).toBe(true);
  expect(n).toBeGreaterThanOrEqual(acked.C);
  expect(n).toBeGreaterThanOrEqual(previous.counter); // never goes back
  previous.counter = n;

  const keys = await store.keys('batch/');
  if (acked.B > 0) expect(keys.length).toBe(BATCH);
  if (keys.length > 0) {
    expect(keys.length).toBe(BATCH);
    const records = await Promise.all(keys.map((key) => store.get(key)));
    for (const record of records) expect(isSealed(record)).toBe(true);
    const g = records[0]?.g as number;
    expect(records.every((record) => record?.g === g)).toBe(true);
    expect(new Set(keys)).toEqual(new Set(Array.from({ length: BATCH }, (_, i) => `batch/${(g + i) % BATCH_NAMES}`)));
    expect(g).toBeGreaterThanOrEqual(acked.B);
    expect(g).toBeLessThanOrEqual(n);
  }

  const large = await store.get('large');
  if (acked.L > 0) expect(large).toBeDefined();
  if (large !== undefined) {
    expect(isSealed(large)).toBe(true);
    expect(large.g as number).toBeGreaterThanOrEqual(acked.L);
  }
  // The store is writable again (the dead child's lock, if any, was broken).
  await store.commit({ put: [['probe', { n }]] });
}

async function lane(bundle: string): Promise<LaneStats> {
  const directory = await tempDir('iv-crash-');
  const acked: Acked = { C: 0, B: 0, L: 0 };
  const previous = { counter: 0 };
  const stats: LaneStats = { runs: 0, journalLeft: 0, tmpLeft: 0, noAckYet: 0, maxCounter: 0 };
  for (let run = 0; run < RUNS_PER_LANE; run++) {
    const { killedBeforeWrite } = await runOnce(bundle, directory, acked);
    stats.runs++;
    if (killedBeforeWrite) stats.noAckYet++;
    if (existsSync(join(directory, 'journal.json'))) stats.journalLeft++;
    try {
      const { readdirSync } = await import('node:fs');
      if (readdirSync(join(directory, 'tmp')).length > 0) stats.tmpLeft++;
    } catch {
      // tmp/ not created yet
    }
    await verify(directory, acked, previous);
  }
  stats.maxCounter = previous.counter;
  return stats;
}

// The timeout allows for a machine shared with other work: each run starts a process.
it(`survives ${LANES * RUNS_PER_LANE} SIGKILLs at random moments during writes`, { timeout: 240_000 }, async () => {
  const outdir = await tempDir('iv-crash-bundle-');
  const bundle = join(outdir, 'crasher.mjs');
  await build({
    entryPoints: [here('children/crasher.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: bundle,
    logLevel: 'error',
  });
  const started = Date.now();
  const stats = await Promise.all(Array.from({ length: LANES }, () => lane(bundle)));
  const total = stats.reduce(
    (sum, s) => ({
      runs: sum.runs + s.runs,
      journalLeft: sum.journalLeft + s.journalLeft,
      tmpLeft: sum.tmpLeft + s.tmpLeft,
      noAckYet: sum.noAckYet + s.noAckYet,
      maxCounter: sum.maxCounter + s.maxCounter,
    }),
    { runs: 0, journalLeft: 0, tmpLeft: 0, noAckYet: 0, maxCounter: 0 },
  );
  console.info(`[crash] ${JSON.stringify(total)} in ${Date.now() - started} ms`);
  expect(total.runs).toBeGreaterThanOrEqual(100);
  // The kills really landed inside writes: some left a journal (mid-batch) or a temporary file
  // (mid-write). The lock needs no count: the OS frees it with the killed holder.
  expect(total.journalLeft + total.tmpLeft).toBeGreaterThan(0);
  recordFigure(
    '22. process killed mid-write',
    'node (real files)',
    `${total.runs} SIGKILLs at random moments during writes (${total.journalLeft} left a journal mid-batch, ${total.tmpLeft} a half-written temporary file): the store always reopened, every batch whole, the attempt counter never went back`,
  );
});
