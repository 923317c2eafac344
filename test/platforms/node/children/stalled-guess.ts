/**
 * Child of the stalled-holder test: `stalled-guess.ts <dir> <socket|file>` plays a process in the
 * middle of counting a wrong passcode guess. It takes the store's lock, reads the attempt counter,
 * says `held <n>`, then waits for a line on stdin (the test stops it with SIGSTOP meanwhile) and
 * writes `n - 1` the way the store does (temporary file, fsync, rename), and releases the lock.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createStoreLock } from '../../../../src/node/store-lock.js';
import { recordFileName } from '../../../../src/node/record-names.js';
import { replaceFile, syncDirectory } from '../../../../src/node/durable-fs.js';

const [directory, mechanism] = process.argv.slice(2) as [string, 'socket' | 'file'];
const file = join(directory, 'records', recordFileName('attempts'));
const held = await createStoreLock(directory, { mechanism }).acquire();
const { record } = JSON.parse(await readFile(file, 'utf8')) as { record: { n: number } };
process.stdout.write(`held ${record.n}\n`);
await new Promise((resolve) => process.stdin.once('data', resolve));
await replaceFile(file, JSON.stringify({ key: 'attempts', record: { n: record.n - 1 } }), join(directory, 'tmp'));
await syncDirectory(join(directory, 'records'));
await held.release();
process.stdout.write('done\n');
process.exit(0);
