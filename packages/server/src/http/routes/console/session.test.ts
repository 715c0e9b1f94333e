/** `/console/api/session`: the admin key exchanged for a sealed console session cookie (DESIGN §3.7). */
import { randomBytes } from 'node:crypto';
import { createTestServer, parseSetCookie, type TestServer } from '@tessera/testing/harness';
import { capturingLogger } from '@tessera/testing/log-capture';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_THROTTLE_POLICY } from '../../../throttle/throttle.js';
import { CONSOLE_ENV, CONSOLE_HEADERS, postSession, setCookiePair, signIn } from './console.test-helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ env: CONSOLE_ENV });
});
afterAll(async () => {
  await server?.close();
});

function getSession(cookie: string | undefined, headers: Record<string, string> = CONSOLE_HEADERS) {
  return server.app.inject({
    method: 'GET',
    url: '/console/api/session',
    headers: { ...headers, ...(cookie !== undefined && { cookie }) },
  });
}

function expectRefusal(response: LightMyRequestResponse, status: number, error: string): void {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.json()).toMatchObject({ error, message: expect.any(String) });
  expect(response.headers['set-cookie']).toBeUndefined();
  expect(response.headers['cache-control']).toBe('no-store');
}

function expectNoKey(response: LightMyRequestResponse, key = server.adminKey): void {
  expect(response.body).not.toContain(key);
  expect(JSON.stringify(response.headers)).not.toContain(key);
}

describe('signing in', () => {
  it('exchanges the admin key for an HttpOnly, SameSite=Strict session cookie that holds no key', async () => {
    const response = await postSession(server, { adminKey: server.adminKey });
    expect(response.statusCode, response.body).toBe(204);
    expect(response.headers['cache-control']).toBe('no-store');
    const cookie = parseSetCookie(response)!;
    expect(cookie.name).toBe('tessera_console');
    expect(cookie.attributes).toEqual({ path: '/', 'max-age': '1800', httponly: true, samesite: 'Strict' });
    expectNoKey(response);
    // Sealed: nothing readable in it, not even the key's hash.
    const [, , , ciphertext] = cookie.value.split('.');
    expect(Buffer.from(ciphertext!, 'base64url').toString('latin1')).not.toMatch(/"kh"|"jti"/);
  });

  it('answers GET with when the session expires, and DELETE clears the cookie', async () => {
    const cookie = await signIn(server);
    const now = server.clock.now();
    const response = await getSession(cookie);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ expiresAt: new Date((now + 1800) * 1000).toISOString() });
    expect(response.headers['set-cookie']).toBeUndefined();

    const signOut = await server.app.inject({
      method: 'DELETE',
      url: '/console/api/session',
      headers: { cookie, ...CONSOLE_HEADERS },
    });
    expect(signOut.statusCode).toBe(204);
    expect(parseSetCookie(signOut)).toMatchObject({
      name: 'tessera_console',
      value: '',
      attributes: { 'max-age': '0', path: '/' },
    });
  });

  it('refuses a wrong key with 401 unauthorized, sets no cookie and never echoes the key', async () => {
    const wrong = randomBytes(32).toString('base64url');
    for (const adminKey of [wrong, `${server.adminKey}x`, server.adminKey.slice(1), ` ${server.adminKey}`]) {
      const response = await postSession(server, { adminKey }, { 'x-forwarded-for': '203.0.113.1' });
      expectRefusal(response, 401, 'unauthorized');
      expectNoKey(response, adminKey);
      expectNoKey(response);
    }
  });

  it.each([
    ['no body', undefined],
    ['no adminKey', {}],
    ['an empty adminKey', { adminKey: '' }],
    ['a number', { adminKey: 42 }],
    ['an extra field', { adminKey: 'x', remember: true }],
    ['an overlong key', { adminKey: 'k'.repeat(1025) }],
  ])('refuses %s with 400 invalid_request and no cookie', async (_case, body) => {
    const response =
      body === undefined
        ? await server.app.inject({ method: 'POST', url: '/console/api/session', headers: CONSOLE_HEADERS })
        : await postSession(server, body);
    expect([400, 415]).toContain(response.statusCode);
    expect(response.headers['set-cookie']).toBeUndefined();
    if (body !== undefined) expectRefusal(response, 400, 'invalid_request');
  });

  it('refuses the key as a form or text body (a cross-site form could send those)', async () => {
    for (const [type, payload] of [
      ['application/x-www-form-urlencoded', `adminKey=${server.adminKey}`],
      ['text/plain', JSON.stringify({ adminKey: server.adminKey })],
    ]) {
      const response = await server.app.inject({
        method: 'POST',
        url: '/console/api/session',
        headers: { ...CONSOLE_HEADERS, 'content-type': type! },
        payload,
      });
      expect(response.statusCode).toBe(415);
      expect(response.headers['set-cookie']).toBeUndefined();
      expectNoKey(response);
    }
  });
});

describe('cross-site use', () => {
  it.each([
    ['without X-Tessera-Request', { origin: 'http://localhost:8080' }],
    ['from another origin', { 'x-tessera-request': '1', origin: 'https://evil.example' }],
    ['with Origin null', { 'x-tessera-request': '1', origin: 'null' }],
    ['without an Origin', { 'x-tessera-request': '1' }],
    ['marked cross-site', { ...CONSOLE_HEADERS, 'sec-fetch-site': 'cross-site' }],
  ])('refuses a sign-in %s with 403 csrf_rejected, the key unchecked', async (_case, headers) => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/console/api/session',
      headers: { 'content-type': 'application/json', ...headers },
      payload: JSON.stringify({ adminKey: server.adminKey }),
    });
    expectRefusal(response, 403, 'csrf_rejected');
  });

  it('refuses reading the session without the header or cross-site', async () => {
    const cookie = await signIn(server);
    expectRefusal(await getSession(cookie, {}), 403, 'csrf_rejected');
    expectRefusal(
      await getSession(cookie, { ...CONSOLE_HEADERS, 'sec-fetch-site': 'cross-site' }),
      403,
      'csrf_rejected',
    );
  });
});

describe('the session', () => {
  it('is re-issued once more than half of it is used, and ends 30 minutes after the last issue', async () => {
    const cookie = await signIn(server);
    server.clock.advance(900);
    const early = await getSession(cookie);
    expect(early.statusCode).toBe(200);
    expect(early.headers['set-cookie']).toBeUndefined();

    server.clock.advance(1);
    const renewed = await getSession(cookie);
    expect(renewed.statusCode).toBe(200);
    const next = setCookiePair(renewed)!;
    expect(parseSetCookie(renewed)!.attributes['max-age']).toBe('1800');
    expect(renewed.json()).toEqual({ expiresAt: new Date((server.clock.now() + 1800) * 1000).toISOString() });

    server.clock.advance(1799);
    expect((await getSession(cookie)).statusCode).toBe(401);
    expect((await getSession(next)).statusCode).toBe(200);
    server.clock.advance(1);
    expectRefusal(await getSession(next), 401, 'unauthorized');
  });

  it('ends 12 hours after sign-in however active it stays', async () => {
    let cookie = await signIn(server);
    const end = server.clock.now() + 12 * 3600;
    while (server.clock.now() + 1000 < end) {
      server.clock.advance(1000);
      const response = await getSession(cookie);
      expect(response.statusCode, `${end - server.clock.now()} s before the end`).toBe(200);
      cookie = setCookiePair(response) ?? cookie;
    }
    const last = await getSession(cookie);
    expect(last.json().expiresAt).toBe(new Date(end * 1000).toISOString());
    server.clock.set(end - 1);
    expect((await getSession(cookie)).statusCode).toBe(200);
    server.clock.set(end);
    expectRefusal(await getSession(cookie), 401, 'unauthorized');
  });

  it.each([
    ['no cookie', undefined],
    ['an empty cookie', 'tessera_console='],
    ['garbage', 'tessera_console=not-a-session'],
    ['an overlong value', `tessera_console=${'a'.repeat(5000)}`],
  ])('is refused with %s', async (_case, cookie) => {
    expectRefusal(await getSession(cookie), 401, 'unauthorized');
  });

  it('is refused when tampered with, in any part', async () => {
    const cookie = await signIn(server);
    const [name, value] = cookie.split('=') as [string, string];
    const parts = value.split('.');
    for (let index = 0; index < parts.length; index++) {
      const part = parts[index]!;
      if (part === '') continue;
      const flipped = [...parts];
      flipped[index] = (part[0] === 'A' ? 'B' : 'A') + part.slice(1);
      expectRefusal(await getSession(`${name}=${flipped.join('.')}`), 401, 'unauthorized');
    }
    expect((await getSession(cookie)).statusCode).toBe(200);
  });

  it('is refused when sent twice (it names no one session)', async () => {
    const cookie = await signIn(server);
    expectRefusal(await getSession(`${cookie}; ${cookie}`), 401, 'unauthorized');
  });
});

describe('a changed admin key or server secret', () => {
  it('ends every console session', async () => {
    const secret = randomBytes(32).toString('base64url');
    const env = { ...CONSOLE_ENV, TESSERA_SECRET: secret };
    const before = await createTestServer({ env });
    const cookie = await signIn(before);
    await before.close();

    const sameKey = await createTestServer({ env, adminKey: before.adminKey });
    const otherKey = await createTestServer({ env });
    const otherSecret = await createTestServer({ env: CONSOLE_ENV, adminKey: before.adminKey });
    try {
      for (const after of [sameKey, otherKey, otherSecret]) after.clock.set(before.clock.now());
      const read = (on: TestServer) =>
        on.app.inject({
          method: 'GET',
          url: '/console/api/session',
          headers: { cookie, ...CONSOLE_HEADERS },
        });
      expect((await read(sameKey)).statusCode).toBe(200);
      expect((await read(otherKey)).statusCode).toBe(401);
      expect((await read(otherSecret)).statusCode).toBe(401);
    } finally {
      await Promise.all([sameKey.close(), otherKey.close(), otherSecret.close()]);
    }
  });
});

describe('a secure public URL', () => {
  it('names the cookie __Host- and marks it Secure', async () => {
    const secure = await createTestServer({ env: { TESSERA_PUBLIC_URL: 'https://auth.example.com' } });
    try {
      const response = await postSession(
        secure,
        { adminKey: secure.adminKey },
        { origin: 'https://auth.example.com' },
      );
      expect(response.statusCode, response.body).toBe(204);
      const cookie = parseSetCookie(response)!;
      expect(cookie.name).toBe('__Host-tessera_console');
      expect(cookie.attributes).toMatchObject({
        secure: true,
        path: '/',
        httponly: true,
        samesite: 'Strict',
      });
      expect(cookie.attributes.domain).toBeUndefined();
      // The console's own origin is the public URL's, not the one the request reached.
      expectRefusal(await postSession(secure, { adminKey: secure.adminKey }), 403, 'csrf_rejected');
    } finally {
      await secure.close();
    }
  });
});

describe('throttling', () => {
  it('answers 429 with Retry-After after repeated wrong keys, the right one included', async () => {
    const throttled = await createTestServer({ env: CONSOLE_ENV });
    try {
      const from = { 'x-forwarded-for': '198.51.100.7' };
      for (let attempt = 1; attempt <= LOGIN_THROTTLE_POLICY.maxFailuresPerAccount; attempt++) {
        const response = await postSession(throttled, { adminKey: `wrong-${attempt}` }, from);
        expect(response.statusCode, `attempt ${attempt}`).toBe(401);
      }
      const locked = await postSession(throttled, { adminKey: throttled.adminKey }, from);
      expectRefusal(locked, 429, 'rate_limited');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      expectNoKey(locked, throttled.adminKey);

      throttled.clock.advance(LOGIN_THROTTLE_POLICY.windowSeconds);
      expect((await postSession(throttled, { adminKey: throttled.adminKey }, from)).statusCode).toBe(204);
    } finally {
      await throttled.close();
    }
  });
});

describe('methods', () => {
  it('answers 405 with Allow for the others', async () => {
    const response = await server.app.inject({
      method: 'PUT',
      url: '/console/api/session',
      headers: CONSOLE_HEADERS,
    });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET, POST, DELETE, HEAD');
  });
});

describe('logging', () => {
  it('logs sign-ins and refusals with the console session id, never the key, a wrong key or the cookie', async () => {
    const { logger, lines } = capturingLogger();
    const logged = await createTestServer({ env: CONSOLE_ENV, logger });
    try {
      const wrong = `wrong-${randomBytes(24).toString('base64url')}`;
      await postSession(logged, { adminKey: wrong });
      await postSession(logged, { adminKey: `${logged.adminKey}${'x'.repeat(1100)}` });
      await postSession(logged, { adminKey: logged.adminKey, extra: true });
      const cookie = await signIn(logged);
      await logged.app.inject({
        method: 'GET',
        url: '/admin/v1/environments',
        headers: { cookie, ...CONSOLE_HEADERS },
      });
      await logged.app.inject({ method: 'GET', url: '/admin/v1/environments', headers: { cookie } });
      const log = lines.join('');
      expect(log).toContain('"event":"console.signed_in"');
      expect(log).toContain('"event":"console.sign_in_failed"');
      expect(log).toMatch(/"consoleSessionId":"cs_[\w-]{22}"/);
      for (const secret of [logged.adminKey, wrong, cookie.split('=')[1]!]) expect(log).not.toContain(secret);
    } finally {
      await logged.close();
    }
  });
});

describe('clock skew between nodes', () => {
  it('accepts a session issued up to a minute ahead of this node, not more', async () => {
    const cookie = await signIn(server);
    server.clock.advance(-60);
    expect((await getSession(cookie)).statusCode).toBe(200);
    server.clock.advance(-1);
    expectRefusal(await getSession(cookie), 401, 'unauthorized');
    server.clock.advance(61);
  });
});
