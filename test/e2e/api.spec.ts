/**
 * The demo API server over plain HTTP (no browser): status codes and JSON errors, bearer tokens,
 * what it stores on disk (scrypt password hashes, SHA-256 of tokens), static files and headers.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test as base, expect } from '@playwright/test';
import { startDemoServer, type DemoServer, type DemoServerOptions } from '../../demo/server/demo-server.js';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  json<T = Record<string, unknown>>(): T;
}

interface RawRequest {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

/** One HTTP request with full control of the headers (Host included), on 127.0.0.1. */
function raw(port: number, pathname: string, options: RawRequest = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    // A chunked request has no content-length (Node's parser rejects a request with both).
    const sized = body !== undefined && options.headers?.['transfer-encoding'] === undefined;
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: pathname,
        method: options.method ?? 'GET',
        headers: { host: `localhost:${port}`, ...(sized ? { 'content-length': String(body.length) } : {}), ...options.headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json: <T>() => JSON.parse(text) as T });
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function postJson(port: number, pathname: string, value: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return raw(port, pathname, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) });
}

interface Api {
  readonly server: DemoServer;
  readonly dir: string;
  readonly port: number;
  /** Starts another server on `dir` (same data), for restart and clock tests. */
  start(options?: Partial<DemoServerOptions>): Promise<DemoServer>;
}

const test = base.extend<{ api: Api }>({
  api: async ({}, use) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'identity-vault-demo-api-'));
    const appDir = path.join(dir, 'app');
    await mkdir(path.join(appDir, 'assets'), { recursive: true });
    await writeFile(path.join(appDir, 'index.html'), '<!doctype html><title>demo</title>');
    await writeFile(path.join(appDir, 'assets', 'index-abc123.js'), 'console.log(1);');
    await writeFile(path.join(dir, 'secret.txt'), 'outside the app directory');
    const servers: DemoServer[] = [];
    const start = async (options: Partial<DemoServerOptions> = {}): Promise<DemoServer> => {
      const server = await startDemoServer({ appDir, dataDir: path.join(dir, 'data'), port: 0, ...options });
      servers.push(server);
      return server;
    };
    const server = await start();
    await use({ server, dir, port: server.port, start });
    for (const s of servers) await s.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  },
});

async function loginAs(port: number, username = 'alice', password = 'correct horse'): Promise<string> {
  const answer = await postJson(port, '/api/login', { username, password });
  expect(answer.status).toBe(200);
  return answer.json<{ token: string }>().token;
}

test.describe('POST /api/login', () => {
  test('good credentials: a random 32-byte token, the username and an expiry', async ({ api }) => {
    const before = Date.now();
    const answer = await postJson(api.port, '/api/login', { username: 'alice', password: 'correct horse' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.headers['cache-control']).toBe('no-store');
    const body = answer.json<{ token: string; username: string; expiresAt: string }>();
    expect(Object.keys(body).sort()).toEqual(['expiresAt', 'token', 'username']);
    expect(body.username).toBe('alice');
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 bytes, base64url
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(before);
    const second = await loginAs(api.port);
    expect(second).not.toBe(body.token);
  });

  test('wrong password and unknown user: the same 401', async ({ api }) => {
    const wrong = await postJson(api.port, '/api/login', { username: 'alice', password: 'battery staple' });
    const unknown = await postJson(api.port, '/api/login', { username: 'mallory', password: 'correct horse' });
    for (const answer of [wrong, unknown]) {
      expect(answer.status).toBe(401);
      expect(answer.json()).toEqual({ error: 'invalid_credentials', message: 'Wrong username or password.' });
    }
    const bob = await postJson(api.port, '/api/login', { username: 'bob', password: 'battery staple' });
    expect(bob.status).toBe(200);
  });

  test('bad requests: 400 malformed JSON or fields, 415 not JSON, 413 too large', async ({ api }) => {
    const malformed = await raw(api.port, '/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username": "alice",' });
    expect(malformed.status).toBe(400);
    expect(malformed.json()).toMatchObject({ error: 'malformed_json' });

    const missing = await postJson(api.port, '/api/login', { username: 'alice' });
    expect(missing.status).toBe(400);
    expect(missing.json()).toEqual({ error: 'missing_field', message: '"password" is required and must be a non-empty string.' });

    const wrongType = await postJson(api.port, '/api/login', { username: 'alice', password: 1234 });
    expect(wrongType.status).toBe(400);
    const notObject = await postJson(api.port, '/api/login', ['alice', 'correct horse']);
    expect(notObject.status).toBe(400);
    expect(notObject.json()).toMatchObject({ error: 'invalid_body' });
    const tooLong = await postJson(api.port, '/api/login', { username: 'a'.repeat(65), password: 'x' });
    expect(tooLong.status).toBe(400);

    const form = await raw(api.port, '/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=alice',
    });
    expect(form.status).toBe(415);
    expect(form.json()).toMatchObject({ error: 'unsupported_media_type' });

    const large = await postJson(api.port, '/api/login', { username: 'alice', password: 'x'.repeat(20_000) });
    expect(large.status).toBe(413);
    expect(large.json()).toMatchObject({ error: 'payload_too_large' });

    // Without a content-length (chunked), the limit holds as the body streams in.
    const chunked = await raw(api.port, '/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: JSON.stringify({ username: 'alice', password: 'x'.repeat(20_000) }),
    });
    expect(chunked.status).toBe(413);
  });
});

test.describe('GET /api/me and POST /api/logout', () => {
  test('the bearer token is required and checked', async ({ api }) => {
    const none = await raw(api.port, '/api/me');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="identity-vault-demo"');
    expect(none.json()).toMatchObject({ error: 'missing_token' });

    const basic = await raw(api.port, '/api/me', { headers: { authorization: 'Basic YWxpY2U6Y29ycmVjdCBob3JzZQ==' } });
    expect(basic.status).toBe(401);

    const forged = await raw(api.port, '/api/me', { headers: { authorization: `Bearer ${'A'.repeat(43)}` } });
    expect(forged.status).toBe(401);
    expect(forged.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(forged.json()).toMatchObject({ error: 'invalid_token' });

    const token = await loginAs(api.port);
    const me = await raw(api.port, '/api/me', { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    const profile = me.json<{ lastLogin: string }>();
    expect(profile).toMatchObject({ username: 'alice', displayName: 'Alice Liddell', email: 'alice@example.com' });
    expect(Date.parse(profile.lastLogin)).not.toBeNaN();
  });

  test('logout revokes the token', async ({ api }) => {
    const token = await loginAs(api.port);
    const other = await loginAs(api.port);
    const auth = { authorization: `Bearer ${token}` };
    const out = await raw(api.port, '/api/logout', { method: 'POST', headers: auth });
    expect(out.status).toBe(204);
    expect(out.text).toBe('');
    expect((await raw(api.port, '/api/me', { headers: auth })).status).toBe(401);
    expect((await raw(api.port, '/api/logout', { method: 'POST', headers: auth })).status).toBe(401);
    // Other sessions of the same user are untouched.
    expect((await raw(api.port, '/api/me', { headers: { authorization: `Bearer ${other}` } })).status).toBe(200);
  });

  test('tokens expire', async ({ api }) => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const server = await api.start({ tokenTtlMs: 60_000, now: () => now });
    const token = await loginAs(server.port);
    const auth = { authorization: `Bearer ${token}` };
    now += 59_999;
    expect((await raw(server.port, '/api/me', { headers: auth })).status).toBe(200);
    now += 1;
    const expired = await raw(server.port, '/api/me', { headers: auth });
    expect(expired.status).toBe(401);
    expect(expired.json()).toMatchObject({ error: 'invalid_token' });
  });
});

test('unknown routes are 404 and wrong methods 405 with Allow, as JSON', async ({ api }) => {
  const unknown = await raw(api.port, '/api/users');
  expect(unknown.status).toBe(404);
  expect(unknown.json()).toMatchObject({ error: 'not_found' });
  const getLogin = await raw(api.port, '/api/login');
  expect(getLogin.status).toBe(405);
  expect(getLogin.headers['allow']).toBe('POST');
  expect(getLogin.json()).toMatchObject({ error: 'method_not_allowed' });
  const deleteMe = await raw(api.port, '/api/me', { method: 'DELETE' });
  expect(deleteMe.status).toBe(405);
  expect(deleteMe.headers['allow']).toBe('GET');
});

test('on disk: scrypt hashes with per-user salts, only SHA-256 of tokens, private file; kept across restarts', async ({ api }) => {
  const token = await loginAs(api.port);
  const file = api.server.store.file;
  const text = await readFile(file, 'utf8');
  expect(text).not.toContain('correct horse');
  expect(text).not.toContain('battery staple');
  expect(text).not.toContain(token);
  const data = JSON.parse(text) as {
    users: Record<string, { password: { alg: string; N: number; salt: string; hash: string } }>;
    tokens: Record<string, { username: string }>;
  };
  const alice = data.users['alice']!.password;
  const bob = data.users['bob']!.password;
  expect(alice.alg).toBe('scrypt');
  expect(alice.N).toBeGreaterThanOrEqual(2 ** 14);
  expect(Buffer.from(alice.salt, 'base64')).toHaveLength(16);
  expect(Buffer.from(alice.hash, 'base64')).toHaveLength(32);
  expect(alice.salt).not.toBe(bob.salt);
  expect(data.tokens[createHash('sha256').update(token).digest('hex')]).toMatchObject({ username: 'alice' });
  expect((await stat(file)).mode & 0o777).toBe(0o600);
  expect(await readFile(path.join(path.dirname(file), '.gitignore'), 'utf8')).toBe('*\n');

  // A second server on the same data: same hashes (not seeded again), and the token still works.
  const again = await api.start();
  expect((await raw(again.port, '/api/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  const reread = JSON.parse(await readFile(file, 'utf8')) as typeof data;
  expect(reread.users['alice']!.password).toEqual(alice);
});

test('static app, security headers, and requests addressed to another host', async ({ api }) => {
  const index = await raw(api.port, '/');
  expect(index.status).toBe(200);
  expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(index.headers['cache-control']).toBe('no-cache');
  expect(index.headers['content-security-policy']).toContain("script-src 'self'");
  expect(index.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(index.headers['x-content-type-options']).toBe('nosniff');

  const asset = await raw(api.port, '/assets/index-abc123.js');
  expect(asset.status).toBe(200);
  expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
  expect(asset.headers['cache-control']).toContain('immutable');

  for (const escape of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/%2e%2e/%2e%2e/secret.txt']) {
    const answer = await raw(api.port, escape);
    expect(answer.status, escape).toBe(404);
    expect(answer.text).not.toContain('outside the app directory');
  }
  expect((await raw(api.port, '/nothing-here.html')).status).toBe(404);
  expect((await raw(api.port, '/', { method: 'POST' })).status).toBe(405);

  // DNS rebinding: a page on another name that resolves to 127.0.0.1 gets nothing.
  const rebound = await raw(api.port, '/api/me', { headers: { host: 'attacker.example:80' } });
  expect(rebound.status).toBe(421);
  expect((await raw(api.port, '/', { headers: { host: `127.0.0.1:${api.port}` } })).status).toBe(200);
});
