/** Shared helpers of the node platform tests: temporary directories, child processes, and vaults that stand for other processes. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IdentityVault, VaultDescriptor } from 'identity-vault';
import { createNodePlatform } from 'identity-vault/node';
import { createPlugin } from 'identity-vault/platform';

const made: string[] = [];

/** A fresh directory under the OS temp dir; removed by {@link removeTempDirs}. */
export async function tempDir(label = 'iv-node-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), label));
  made.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Path of a file beside this one. */
export function here(name: string): string {
  return fileURLToPath(new URL(name, import.meta.url));
}

/** Run a TypeScript child with tsx (no build needed). */
export function spawnTs(script: string, args: string[], options: { env?: NodeJS.ProcessEnv; stdin?: 'pipe' | 'ignore' } = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
}

/** Collects a child's output and resolves when it exits. */
export function finished(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Every file under `directory`, as text (and hex, for binary files), for canary scans. */
export async function dumpDirectory(directory: string): Promise<string> {
  let out = '';
  for (const entry of await readdir(directory, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const bytes = await readFile(path);
    out += `${path}\n${bytes.toString('utf8')}\n${bytes.toString('hex')}\n`;
  }
  return out;
}

/**
 * A vault on `directory` with its own plugin, file store and engine, as another process would
 * have it; unlocked (device key) when it holds a key.
 */
export async function vaultOfAnotherProcess(directory: string, descriptor: VaultDescriptor): Promise<IdentityVault> {
  const vault = createPlugin(createNodePlatform({ directory })).getVault(descriptor);
  if (await vault.isLocked()) await vault.unlock();
  return vault;
}
