/**
 * The figures that apply on Node: passcode unlock against PBKDF2 alone (Node's WebCrypto), and a
 * 1 KB `storeValue` on the file store against a durable atomic file write (what the store
 * promises: temporary file, fsync, rename, fsync of the directory) and a plain `writeFile`, with
 * the steps of a `storeValue` timed alone in the same rounds ({@link nodeStoreSection}).
 * `src/node` is bundled from the TypeScript sources with esbuild, like the browser pages.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open, rename, writeFile } from 'node:fs/promises';
import { webcrypto } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { repoRoot } from './paths.mjs';
import { fileSystemOf } from './machine.mjs';
import { median, ms, pairedRatio } from './stats.mjs';

const PASSCODE = 'correct horse battery staple';
const VALUE = { username: 'ada-0', token: 'x'.repeat(1024 - JSON.stringify({ username: 'ada-0', token: '' }).length) };

async function loadNodePlatform(scratch) {
  // Three entries: the public module, and the store lock and crypto port (internal) for the breakdown.
  const result = await build({
    entryPoints: {
      'node-platform': path.join(repoRoot, 'src/node/index.ts'),
      'store-lock': path.join(repoRoot, 'src/node/store-lock.ts'),
      'node-crypto': path.join(repoRoot, 'src/node/node-crypto.ts'),
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    outdir: scratch,
    absWorkingDir: repoRoot,
    logLevel: 'silent',
  });
  for (const file of result.outputFiles) writeFileSync(file.path, file.text);
  const platform = await import(pathToFileURL(path.join(scratch, 'node-platform.js')).href);
  const { createStoreLock } = await import(pathToFileURL(path.join(scratch, 'store-lock.js')).href);
  const { createNodeCrypto } = await import(pathToFileURL(path.join(scratch, 'node-crypto.js')).href);
  return { ...platform, createStoreLock, createNodeCrypto };
}

function openVault(createNodePlugin, directory, username) {
  const plugin = createNodePlugin({ directory, prompt: { request: async () => PASSCODE } });
  return new Promise((resolve, reject) => {
    const vault = plugin.getVault({ vaultId: 'bench', username, onReady: () => resolve(vault), onError: reject });
  });
}

async function kdfAlone() {
  const salt = webcrypto.getRandomValues(new Uint8Array(16));
  const material = await webcrypto.subtle.importKey('raw', new TextEncoder().encode(PASSCODE), 'PBKDF2', false, ['deriveKey']);
  return webcrypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 600_000 }, material, { name: 'AES-GCM', length: 256 }, false, [
    'wrapKey',
    'unwrapKey',
  ]);
}

async function durableWrite(directory, name, data) {
  const temporary = path.join(directory, `${name}.tmp`);
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path.join(directory, name));
  const dir = await open(directory, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

async function timed(op) {
  const start = performance.now();
  await op();
  return performance.now() - start;
}

async function interleave(runners, { rounds, warmup }) {
  const names = Object.keys(runners);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < warmup + rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length];
      const ms = await runners[name]();
      if (round >= warmup) samples[name].push(ms);
    }
  }
  return samples;
}

/** Node figures; `plan` gives rounds. */
export async function nodeFigures(plan) {
  const scratch = mkdtempSync(path.join(process.env.BENCH_PROFILE_DIR || tmpdir(), 'identity-vault-bench-node-'));
  try {
    const { createNodePlugin, createFileStore, createStoreLock, createNodeCrypto } = await loadNodePlatform(scratch);
    const passcodeVault = await openVault(createNodePlugin, path.join(scratch, 'passcode'), 'passcode');
    await passcodeVault.setPasscodeEnabled(true);
    await passcodeVault.setPasscode(PASSCODE);
    await passcodeVault.storeValue('session', VALUE);
    const unlock = await interleave(
      {
        vault: async () => {
          await passcodeVault.lock();
          return timed(() => passcodeVault.unlock(true, PASSCODE));
        },
        kdf: () => timed(kdfAlone),
      },
      plan.nodeUnlock,
    );
    const storeVault = await openVault(createNodePlugin, path.join(scratch, 'store'), 'store');
    await storeVault.storeValue('session', VALUE);
    const plain = path.join(scratch, 'plain');
    rmSync(plain, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(plain, { recursive: true }));
    const json = JSON.stringify(VALUE);
    const { batch } = plan.nodeStore;
    const perOp = async (op) =>
      (await timed(async () => {
        for (let i = 0; i < batch; i++) await op();
      })) / batch;
    // The steps of one storeValue, each timed alone on a store of its own, in the same rounds as
    // the whole call and the baseline: AES-GCM of the value (the Node crypto port, and WebCrypto for
    // comparison), the store's lock, and the guarded commit (lock, journal probe, guard read, atomic
    // write); and the meta read that every other operation starts with (Node caches nothing).
    const parts = createFileStore({ directory: path.join(scratch, 'parts') });
    await parts.commit({ put: [['meta', { kid: 'k' }]] });
    const partsLock = createStoreLock(path.join(scratch, 'parts'));
    const dataKey = await webcrypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt']);
    const nodeCrypto = createNodeCrypto();
    const gcm = () => ({ name: 'AES-GCM', iv: webcrypto.getRandomValues(new Uint8Array(12)), additionalData: new Uint8Array(48) });
    const plaintext = new TextEncoder().encode(json);
    const record = { v: 1, iv: 'A'.repeat(16), ct: 'B'.repeat(Math.ceil(((plaintext.length + 16) * 4) / 3)) };
    const store = await interleave(
      {
        vault: () => perOp(() => storeVault.storeValue('session', VALUE)),
        durableWrite: () => perOp(() => durableWrite(plain, 'session.json', json)),
        writeFile: () => perOp(() => writeFile(path.join(plain, 'plain.json'), json)),
        metaRead: () => perOp(() => parts.get('meta')),
        seal: () => perOp(() => nodeCrypto.subtle.encrypt(gcm(), dataKey, plaintext)),
        sealWebCrypto: () => perOp(() => webcrypto.subtle.encrypt(gcm(), dataKey, plaintext)),
        lock: () => perOp(async () => (await partsLock.acquire()).release()),
        guardedCommit: () => perOp(() => parts.commit({ guard: { key: 'meta', test: (meta) => meta?.kid === 'k' }, put: [['value', record]] })),
        plainCommit: () => perOp(() => parts.commit({ put: [['value', record]] })),
      },
      plan.nodeStore,
    );
    // The store steps of a passcode unlock on the file store: meta read, counter update, counter delete.
    const fileStore = createFileStore({ directory: path.join(scratch, 'steps') });
    await fileStore.commit({ put: [['meta', { kid: 'k' }]] });
    const steps = await interleave(
      {
        metaRead: () => timed(() => fileStore.get('meta')),
        counterUpdate: () => timed(() => fileStore.update('attempts', () => ({ v: 1, remaining: 4 }))),
        counterDelete: () => timed(() => fileStore.commit({ delete: ['attempts'] })),
      },
      plan.nodeStore,
    );
    return { unlock, store, steps, fileSystem: fileSystemOf(scratch) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The Node part of "Where the time goes": a 1 KB storeValue against one atomic file write, step by
 * step, from this run's numbers.
 */
export function nodeStoreSection(node) {
  const { store } = node;
  const whole = median(store.vault);
  const floor = median(store.durableWrite);
  const overCommit = median(store.guardedCommit) - floor;
  // Per round: the whole call minus its steps measured in the same round (per operation).
  const rest = median(store.vault.map((value, i) => value - store.seal[i] - store.guardedCommit[i]));
  const row = (step, value) => `| ${step} | ${ms(value)} |`;
  return `### Node: storeValue 1 KB on the file store

Timed alone in the same rounds as the whole call (\`bench/lib/node-figures.mjs\`), on ${node.fileSystem}:

| step | median |
| --- | --- |
${row('one atomic file write: temporary file, fsync, rename, directory fsync (the baseline)', floor)}
${row('  the same without fsync (writeFile)', median(store.writeFile))}
${row('AES-256-GCM of the value (the Node crypto port: node:crypto, synchronous)', median(store.seal))}
${row('  the same through WebCrypto (one thread-pool job)', median(store.sealWebCrypto))}
${row('FileStore.get of the meta (other operations re-read it first; a write does not)', median(store.metaRead))}
${row('store lock, taken and released (abstract Unix socket on Linux)', median(store.lock))}
${row('FileStore.commit with the meta guard: lock, journal probe, guard read, atomic write', median(store.guardedCommit))}
${row('  the same without the guard', median(store.plainCommit))}
${row('storeValue, whole', whole)}

The two fsyncs are the floor: ${ms(floor - median(store.writeFile))} of the baseline's ${ms(floor)}. A single-record commit
does the baseline's work (no journal: one rename is atomic; one fsync of the file, one of its
directory) plus what makes it safe between processes — the lock and the guard read —
${overCommit > 0 ? `${ms(overCommit)} over` : `${ms(-overCommit)} under`} the baseline here: the store opens, writes and closes a small file with synchronous system
calls and sends only the two fsyncs and the rename to libuv's thread pool, where the baseline
(\`fs/promises\`, as an app writes) makes eight pool trips (\`src/node/durable-fs.ts\`). The rest of
storeValue is the vault's: the AES-GCM call and ${rest > 0 ? ms(rest) : 'within noise'} of queueing, validation and JSON (by
subtraction). Whole: ${pairedRatio(store.vault, store.durableWrite).toFixed(2)}× the baseline. A write no longer re-reads the meta first:
its commit is guarded on the stored meta being the one the vault holds, and only when it is not
(another process cleared, re-keyed or reconfigured the vault) does it re-read and decide as before
(\`src/core/vault-engine.ts\` \`storeValue\`). AES-GCM runs synchronously in node:crypto on the same key
(\`src/node/node-crypto.ts\`), not as a WebCrypto job on the thread pool.`;
}
