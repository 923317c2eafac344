/**
 * The figures that apply on Node: passcode unlock against PBKDF2 alone (Node's WebCrypto), and a
 * 1 KB `storeValue` on the file store against a durable atomic file write (what the store
 * promises: temporary file, fsync, rename, fsync of the directory) and a plain `writeFile`.
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

const PASSCODE = 'correct horse battery staple';
const VALUE = { username: 'ada-0', token: 'x'.repeat(1024 - JSON.stringify({ username: 'ada-0', token: '' }).length) };

async function loadNodePlatform(scratch) {
  const result = await build({
    entryPoints: [path.join(repoRoot, 'src/node/index.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    absWorkingDir: repoRoot,
    logLevel: 'silent',
  });
  const file = path.join(scratch, 'node-platform.mjs');
  writeFileSync(file, result.outputFiles[0].text);
  return import(pathToFileURL(file).href);
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
    const { createNodePlugin, createFileStore } = await loadNodePlatform(scratch);
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
    const perOp = async (op) => (await timed(async () => {
      for (let i = 0; i < batch; i++) await op();
    })) / batch;
    const store = await interleave(
      {
        vault: () => perOp(() => storeVault.storeValue('session', VALUE)),
        durableWrite: () => perOp(() => durableWrite(plain, 'session.json', json)),
        writeFile: () => perOp(() => writeFile(path.join(plain, 'plain.json'), json)),
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
