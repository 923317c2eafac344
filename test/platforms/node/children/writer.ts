/**
 * Child process for the two-writers test: `writer.ts <dir> <id> <count>` increments the shared
 * counter `count` times and writes its own keys, half in single puts, half in batches.
 */
import { createFileStore } from 'identity-vault/node';
import type { StoredRecord } from 'identity-vault/platform';

const [directory, id, count] = process.argv.slice(2) as [string, string, string];
const store = createFileStore({ directory });
const inc = (r: StoredRecord | undefined) => ({ n: ((r?.n as number | undefined) ?? 0) + 1 });
for (let i = 0; i < Number(count); i++) {
  await store.update('counter', inc);
  if (i % 2) await store.commit({ put: [[`w${id}/${i}`, { i }]] });
  else
    await store.commit({
      put: [
        [`w${id}/${i}`, { i }],
        [`batch/${id}`, { i }],
      ],
      guard: { key: 'counter', test: (r) => r !== undefined },
    });
}
