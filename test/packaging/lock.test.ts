/**
 * package.json and package-lock.json must not drift apart: `npm ci` (the README's `npm test`, CI,
 * every contributor's first command) refuses a lock that does not match package.json, or that
 * lacks other platforms' optional packages (`@rollup/rollup-darwin-arm64`, …) — the lock must be
 * written from an empty node_modules (`rm -rf node_modules package-lock.json && npm install`).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as LockEntry & { name: string };
const lock = JSON.parse(readFileSync(path.join(repo, 'package-lock.json'), 'utf8')) as {
  name: string;
  version: string;
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
};

const FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;

/** Where npm would find `name` for the package at `from` (a lock key): nested first, then up to the root. */
function resolveInLock(from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const key = `${base === '' ? '' : `${base}/`}node_modules/${name}`;
    if (lock.packages[key]) return key;
    if (base === '') return undefined;
    const up = base.lastIndexOf('/node_modules/');
    base = up === -1 ? '' : base.slice(0, up);
  }
}

describe('package-lock.json matches package.json', () => {
  it('has the same name, version and dependency ranges in its root entry', () => {
    const root = lock.packages[''];
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(3);
    expect([lock.name, lock.version]).toEqual([pkg.name, pkg.version]);
    for (const field of FIELDS) expect(root?.[field] ?? {}, field).toEqual(pkg[field] ?? {});
  });

  it('locks every dependency of package.json, and every optional (per-platform) package of every locked package', () => {
    const missing: string[] = [];
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies'] as const) {
      for (const name of Object.keys(pkg[field] ?? {})) if (!resolveInLock('', name)) missing.push(`${name} (${field})`);
    }
    for (const [key, entry] of Object.entries(lock.packages)) {
      if (key === '') continue;
      for (const name of Object.keys(entry.optionalDependencies ?? {})) {
        if (!resolveInLock(key, name)) missing.push(`${name} (optional dependency of ${key}: the lock was not written from an empty node_modules)`);
      }
    }
    expect(missing).toEqual([]);
  });

  describe('npm ci accepts it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'identity-vault-lock-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('`npm ci --dry-run` in a copy without node_modules (offline: the lock names every tarball)', async () => {
      copyFileSync(path.join(repo, 'package.json'), path.join(dir, 'package.json'));
      copyFileSync(path.join(repo, 'package-lock.json'), path.join(dir, 'package-lock.json'));
      const run = promisify(execFile);
      await expect(
        run('npm', ['ci', '--dry-run', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8' }).then(() => 'accepted'),
      ).resolves.toBe('accepted');
    });
  });
});
