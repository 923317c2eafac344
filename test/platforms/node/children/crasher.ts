/**
 * Child process of the crash test: `crasher.ts <dir>` writes forever until it is SIGKILLed, and
 * acknowledges on stdout every write whose promise resolved (so it must be durable):
 * - `C <n>`  the attempt-style counter reached n (`update`);
 * - `B <g>`  a batch of BATCH records, all of generation g, replaced the previous batch
 *            (`commit` with `deletePrefixes` + puts: all or nothing);
 * - `L <g>`  a large single record of generation g was written.
 * Every record carries a checksum of itself, so a torn record is detected.
 */
import { createFileStore } from 'identity-vault/node';
import { BATCH, BATCH_NAMES, sealed } from './crash-records.js';

const directory = process.argv[2] as string;
const store = createFileStore({ directory, lock: { staleMs: 2_000 } });
const ack = (line: string) => process.stdout.write(`${line}\n`);

ack('R');
for (;;) {
  const counter = await store.update('counter', (r) => sealed({ n: (typeof r?.n === 'number' ? r.n : 0) + 1 }));
  const g = counter?.n as number;
  ack(`C ${g}`);
  const pad = 'p'.repeat(200 + (g % 7) * 500);
  const put: Array<[string, Record<string, string | number>]> = [];
  for (let i = 0; i < BATCH; i++) put.push([`batch/${(g + i) % BATCH_NAMES}`, sealed({ g, i, pad })]);
  await store.commit({ deletePrefixes: ['batch/'], put, delete: ['never-there'] });
  ack(`B ${g}`);
  await store.commit({ put: [['large', sealed({ g, data: 'L'.repeat(64 * 1024 + g) })]] });
  ack(`L ${g}`);
}
