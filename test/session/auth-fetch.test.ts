import { afterEach, describe, expect, it } from 'vitest';
import { AuthMode, createAuthFetch, createAuthHeader, VaultErrorCodes } from 'identity-vault';
import { alice, newDevice, rejectionOf, userOn } from './helpers.js';

/** A fetch stand-in that records what would have been sent. */
function recordingFetch() {
  const sent: Array<{ url: string; authorization: string | null; method: string }> = [];
  const fetchStandIn: typeof fetch = async (input, init) => {
    // Read what was handed over without `new Request(input)`, which Node refuses for relative URLs
    // (no page here) and URLs with credentials: the point is what the wrapper passed on.
    const request = input instanceof Request ? input : undefined;
    const base = (globalThis as { location?: { href: string } }).location?.href;
    const url = request?.url ?? new URL(input.toString(), base).href;
    const headers = new Headers(init?.headers ?? request?.headers);
    sent.push({ url, authorization: headers.get('Authorization'), method: init?.method ?? request?.method ?? 'GET' });
    return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { sent, fetch: fetchStandIn };
}

async function signedInUser(options: { unlockOnAccess?: boolean } = {}) {
  const device = newDevice();
  const user = userOn(device, { authMode: AuthMode.BiometricOnly, ...options });
  await user.saveSession(alice);
  return { device, user };
}

const API = 'https://api.example.com';

describe('createAuthFetch', () => {
  it('adds Authorization: Bearer <token> for an allowed origin', async () => {
    const { user } = await signedInUser();
    const { sent, fetch } = recordingFetch();
    const authFetch = createAuthFetch(user, { allowedOrigins: [API], fetch });
    const response = await authFetch(`${API}/me`);
    expect(response.status).toBe(200);
    expect(sent).toEqual([{ url: `${API}/me`, authorization: 'Bearer token-alice', method: 'GET' }]);
  });

  it.each([
    ['another host', 'https://evil.example.com/steal'],
    ['a look-alike host', 'https://api.example.com.evil.test/'],
    ['http instead of https', 'http://api.example.com/me'],
    ['another port', 'https://api.example.com:8443/me'],
    ['userinfo trick', 'https://api.example.com@evil.example.com/'],
    ['a data: URL', 'data:text/plain,hello'],
  ])('never sends the token to %s', async (_name, url) => {
    const { user } = await signedInUser();
    const { sent, fetch } = recordingFetch();
    const authFetch = createAuthFetch(user, { allowedOrigins: [API], fetch });
    await authFetch(url);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.authorization).toBeNull();
  });

  it('the default port is the same origin', async () => {
    const { user } = await signedInUser();
    const { sent, fetch } = recordingFetch();
    await createAuthFetch(user, { allowedOrigins: ['https://api.example.com:443/v1/'], fetch })(`${API}/me`);
    expect(sent[0]?.authorization).toBe('Bearer token-alice');
  });

  it('works with URL objects and Request objects, keeping method, body and other headers', async () => {
    const { user } = await signedInUser();
    const { sent, fetch } = recordingFetch();
    const authFetch = createAuthFetch(user, { allowedOrigins: [API], fetch });
    await authFetch(new URL(`${API}/a`));
    await authFetch(new Request(`${API}/b`, { method: 'POST', body: 'x', headers: { 'X-Trace': '1' } }));
    await authFetch(`${API}/c`, { method: 'PUT', headers: [['X-Trace', '2']] });
    expect(sent.map((s) => [s.url, s.method, s.authorization])).toEqual([
      [`${API}/a`, 'GET', 'Bearer token-alice'],
      [`${API}/b`, 'POST', 'Bearer token-alice'],
      [`${API}/c`, 'PUT', 'Bearer token-alice'],
    ]);
  });

  it('never overrides an explicit Authorization header (init or Request)', async () => {
    const { user } = await signedInUser();
    const { sent, fetch } = recordingFetch();
    const authFetch = createAuthFetch(user, { allowedOrigins: [API], fetch });
    await authFetch(`${API}/a`, { headers: { authorization: 'Basic abc' } });
    await authFetch(new Request(`${API}/b`, { headers: { Authorization: 'Basic def' } }));
    expect(sent.map((s) => s.authorization)).toEqual(['Basic abc', 'Basic def']);
  });

  it('sends no header when there is no session', async () => {
    const user = userOn(newDevice(), { authMode: AuthMode.SecureStorage });
    const { sent, fetch } = recordingFetch();
    await createAuthFetch(user, { allowedOrigins: [API], fetch })(`${API}/me`);
    expect(sent[0]?.authorization).toBeNull();
  });

  it('a locked vault without unlockOnAccess: no header, no prompt', async () => {
    const { device, user } = await signedInUser();
    await user.lockOut();
    const { sent, fetch } = recordingFetch();
    await createAuthFetch(user, { allowedOrigins: [API], fetch })(`${API}/me`);
    expect(sent[0]?.authorization).toBeNull();
    expect(device.biometrics.prompts).toBe(0);
  });

  it('a locked vault with unlockOnAccess: unlocks first, then sends the token', async () => {
    const { device, user } = await signedInUser({ unlockOnAccess: true });
    await user.lockOut();
    const { sent, fetch } = recordingFetch();
    const authFetch = createAuthFetch(user, { allowedOrigins: [API], fetch });
    await Promise.all([authFetch(`${API}/a`), authFetch(`${API}/b`)]);
    expect(sent.map((s) => s.authorization)).toEqual(['Bearer token-alice', 'Bearer token-alice']);
    expect(device.biometrics.prompts).toBe(1);
  });

  it('requests to other origins never read the session, so never prompt', async () => {
    const { device, user } = await signedInUser({ unlockOnAccess: true });
    await user.lockOut();
    const { fetch } = recordingFetch();
    await createAuthFetch(user, { allowedOrigins: [API], fetch })('https://cdn.example.net/lib.js');
    expect(device.biometrics.prompts).toBe(0);
  });

  it('a cancelled unlock rejects the call and nothing is sent', async () => {
    const { device, user } = await signedInUser({ unlockOnAccess: true });
    await user.lockOut();
    device.biometrics.respondWith('cancel');
    const { sent, fetch } = recordingFetch();
    const error = await rejectionOf(createAuthFetch(user, { allowedOrigins: [API], fetch })(`${API}/me`));
    expect(error.code).toBe(VaultErrorCodes.UserCanceledInteraction);
    expect(sent).toEqual([]);
  });

  it('uses the token of the current session after a new saveSession', async () => {
    const { user } = await signedInUser();
    const { sent, fetch } = recordingFetch();
    const authFetch = createAuthFetch(user, { allowedOrigins: [API], fetch });
    await authFetch(`${API}/a`);
    await user.saveSession({ ...alice, token: 'refreshed' });
    await authFetch(`${API}/b`);
    expect(sent.map((s) => s.authorization)).toEqual(['Bearer token-alice', 'Bearer refreshed']);
  });

  it('falls back to globalThis.fetch when no fetch is given', async () => {
    const { user } = await signedInUser();
    const { sent, fetch } = recordingFetch();
    const original = globalThis.fetch;
    globalThis.fetch = fetch;
    try {
      await createAuthFetch(user, { allowedOrigins: [API] })(`${API}/me`);
    } finally {
      globalThis.fetch = original;
    }
    expect(sent[0]?.authorization).toBe('Bearer token-alice');
  });
});

describe('relative URLs', () => {
  const g = globalThis as { location?: unknown };
  afterEach(() => {
    delete g.location;
  });

  it('without a page location, a relative URL rejects with TypeError and nothing is sent', async () => {
    const { user } = await signedInUser();
    const { sent, fetch } = recordingFetch();
    await expect(createAuthFetch(user, { allowedOrigins: [API], fetch })('/me')).rejects.toBeInstanceOf(TypeError);
    expect(sent).toEqual([]);
  });

  it('with a page location, a relative URL resolves against it', async () => {
    const { user } = await signedInUser();
    g.location = { href: `${API}/app/index.html` };
    const { sent, fetch } = recordingFetch();
    const authFetch = createAuthFetch(user, { allowedOrigins: [API], fetch });
    await authFetch('/me');
    expect(sent[0]).toMatchObject({ url: `${API}/me`, authorization: 'Bearer token-alice' });
    g.location = { href: 'https://other.example.org/' };
    await authFetch('/me');
    expect(sent[1]).toMatchObject({ url: 'https://other.example.org/me', authorization: null });
  });
});

describe('createAuthHeader (the helper behind interceptors)', () => {
  it('gives the header value for allowed origins only', async () => {
    const { user } = await signedInUser();
    const header = createAuthHeader(user, { allowedOrigins: [API, 'https://files.example.com'] });
    expect(await header(`${API}/x`)).toBe('Bearer token-alice');
    expect(await header('https://files.example.com/y')).toBe('Bearer token-alice');
    expect(await header('https://example.com/')).toBeUndefined();
    expect(await header('not a url')).toBeUndefined();
  });

  it.each([[[]], [['*']], [['https://*.example.com']], [['api.example.com']], [['ftp://api.example.com']], [[42]]])(
    'refuses allowedOrigins %j with InvalidArguments',
    async (allowedOrigins) => {
      const { user } = await signedInUser();
      expect(() => createAuthFetch(user, { allowedOrigins: allowedOrigins as string[] })).toThrow(
        expect.objectContaining({ code: VaultErrorCodes.InvalidArguments }),
      );
    },
  );
});
