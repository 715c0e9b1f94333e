import { backendsUnderTest } from '@tessera/testing/backends';
import { createTestServer, parseSetCookie, type TestServer } from '@tessera/testing/harness';
import { json, ORIGIN, PASSWORD, seedWorld, sessionApi, type World } from '@tessera/testing/world';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const backends = await backendsUnderTest();

describe.each(backends)('POST /auth/v1/login (%s)', (backend) => {
  let t: TestServer;
  let world: World;
  let api: ReturnType<typeof sessionApi>;

  beforeEach(async () => {
    t = await createTestServer({ backend });
    world = await seedWorld(t);
    api = sessionApi(t);
  });
  afterEach(async () => t.close());

  const liveSessions = (userId: string) => t.deps.storage.listLiveSessions('default', userId);

  it('answers the token response with a rotating refresh cookie (CK-01, CK-02, CK-09)', async () => {
    const response = await api.login();
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = json(response);
    expect(Object.keys(body).sort()).toEqual([
      'accessToken',
      'expiresIn',
      'tenantId',
      'tenantIds',
      'tokenType',
      'user',
    ]);
    expect(body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 300,
      user: { id: world.users.ada.id, email: 'ada@example.com', name: 'ada' },
      tenantId: 'acme',
      tenantIds: ['acme', 'globex'],
    });
    const cookie = parseSetCookie(response);
    expect(cookie?.name).toBe('tessera_refresh');
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie?.attributes).toMatchObject({
      path: '/',
      httponly: true,
      samesite: 'Lax',
      'max-age': String(30 * 86400),
    });
    expect(cookie?.attributes).not.toHaveProperty('domain');
    expect(response.body).not.toContain(cookie?.value);
    expect(await liveSessions(world.users.ada.id)).toHaveLength(1);
  });

  it('signs the access token of DESIGN §5, verifiable with the published JWKS', async () => {
    const { accessToken } = json<{ accessToken: string }>(await api.login({ tenantId: 'globex' }));
    expect(decodeProtectedHeader(accessToken)).toMatchObject({
      alg: 'ES256',
      typ: 'at+jwt',
      kid: expect.any(String),
    });
    const jwks = json(await t.app.inject({ method: 'GET', url: '/.well-known/jwks.json' }));
    const { payload } = await jwtVerify(accessToken, createLocalJWKSet(jwks as never), {
      issuer: 'http://localhost:4000',
      audience: 'app',
      typ: 'at+jwt',
      currentDate: new Date(t.clock.now() * 1000),
    });
    expect(payload).toMatchObject({
      sub: world.users.ada.id,
      sid: expect.any(String),
      tenantId: 'globex',
      tenantIds: ['acme', 'globex'],
      roles: ['member'],
      permissions: ['users:read'],
      email: 'ada@example.com',
      name: 'ada',
      client_id: 'app',
      auth_time: t.clock.now(),
      iat: t.clock.now(),
      exp: t.clock.now() + 300,
      jti: expect.any(String),
    });
  });

  it('uses a __Host- Secure cookie when the issuer is https', async () => {
    const secure = await createTestServer({
      backend: 'sqlite',
      env: { TESSERA_PUBLIC_URL: 'https://auth.example.com' },
    });
    try {
      await seedWorld(secure);
      const cookie = parseSetCookie(await sessionApi(secure).login());
      expect(cookie?.name).toBe('__Host-tessera_refresh');
      expect(cookie?.attributes).toMatchObject({ secure: true, path: '/' });
    } finally {
      await secure.close();
    }
  });

  it('AUTH-06: an unknown email and a wrong password answer alike and create nothing', async () => {
    const unknown = await api.login({ email: 'nobody@example.com' });
    const wrong = await api.login({ password: 'not the password' });
    for (const response of [unknown, wrong]) {
      expect(response.statusCode).toBe(401);
      expect(response.headers['set-cookie']).toBeUndefined();
    }
    expect(unknown.body).toBe(wrong.body);
    expect(json(wrong)).toEqual({ error: 'invalid_credentials', message: expect.any(String) });
    expect(await liveSessions(world.users.ada.id)).toHaveLength(0);
  });

  it('normalizes the email (NFKC, case) before looking it up', async () => {
    expect((await api.login({ email: 'ADA＠Example.com' })).statusCode).toBe(200);
  });

  it('TEN-02: a tenant the user is not in is forbidden and creates no session', async () => {
    const response = await api.login({ email: 'bob@example.com', tenantId: 'globex' });
    expect(response.statusCode).toBe(403);
    expect(json(response).error).toBe('tenant_forbidden');
    expect(await liveSessions(world.users.bob.id)).toHaveLength(0);
  });

  it('SES-11: a disabled user cannot log in (only after a correct password is that said)', async () => {
    await t.deps.storage.setUserStatus({
      envId: 'default',
      userId: world.users.ada.id,
      status: 'disabled',
      now: t.clock.now(),
    });
    expect(json(await api.login()).error).toBe('user_disabled');
    expect(json(await api.login({ password: 'wrong password' })).error).toBe('invalid_credentials');
  });

  it('AUTH-02: ten failures lock the account for the window, other accounts are unaffected (AUTH-04: it recovers)', async () => {
    for (let i = 0; i < 10; i++) expect((await api.login({ password: `wrong ${i}` })).statusCode).toBe(401);
    const locked = await api.login();
    expect(locked.statusCode).toBe(429);
    expect(json(locked).error).toBe('rate_limited');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await api.login({ email: 'bob@example.com' })).statusCode).toBe(200);
    t.clock.advance(15 * 60);
    expect((await api.login()).statusCode).toBe(200);
  });

  it('SES-12: at a limit of 2 with evict_oldest, a third login ends the least recently active session', async () => {
    await t.deps.storage.updateEnvironment('default', {
      sessionPolicy: {
        idleTimeoutSeconds: null,
        absoluteTimeoutSeconds: null,
        maxConcurrentSessions: 2,
        onLimit: 'evict_oldest',
      },
    });
    const first = await api.login();
    t.clock.advance(10);
    const second = await api.login();
    t.clock.advance(10);
    // The first browser is active again, so the second is now the least recently active.
    const firstCookie = parseSetCookie(first)!;
    expect((await api.refresh(`${firstCookie.name}=${firstCookie.value}`, { active: true })).statusCode).toBe(
      200,
    );
    t.clock.advance(10);
    expect((await api.login()).statusCode).toBe(200);
    const live = await liveSessions(world.users.ada.id);
    expect(live).toHaveLength(2);
    const secondCookie = parseSetCookie(second)!;
    const evicted = await api.refresh(`${secondCookie.name}=${secondCookie.value}`);
    expect(json(evicted).error).toBe('session_revoked');
  });

  it('SES-12: at a limit of 2 with reject, a third login is refused and nothing is ended', async () => {
    await t.deps.storage.updateEnvironment('default', {
      sessionPolicy: {
        idleTimeoutSeconds: null,
        absoluteTimeoutSeconds: null,
        maxConcurrentSessions: 2,
        onLimit: 'reject',
      },
    });
    await api.login();
    await api.login();
    const third = await api.login();
    expect(third.statusCode).toBe(403);
    expect(json(third).error).toBe('max_sessions_reached');
    expect(await liveSessions(world.users.ada.id)).toHaveLength(2);
  });

  it("the strictest session limit among the user's tenants applies", async () => {
    await t.deps.storage.updateTenant('default', 'globex', {
      sessionPolicy: { maxConcurrentSessions: 1, onLimit: 'reject' },
    });
    await api.login();
    expect(json(await api.login()).error).toBe('max_sessions_reached');
    // Bob is not in globex: his limit is the environment's (none).
    await api.login({ email: 'bob@example.com' });
    expect((await api.login({ email: 'bob@example.com' })).statusCode).toBe(200);
  });

  describe('bad input: a clear 4xx and nothing created', () => {
    const cases: [string, Record<string, unknown>, number, string][] = [
      [
        'malformed JSON',
        { payload: '{"email":', headers: { 'content-type': 'application/json' } },
        400,
        'invalid_request',
      ],
      [
        'text/plain (CSRF simple request)',
        { payload: 'x', headers: { 'content-type': 'text/plain' } },
        415,
        'unsupported_media_type',
      ],
      [
        'a form body',
        { payload: 'email=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        415,
        'unsupported_media_type',
      ],
      [
        'AUTH-10: a megabyte password (refused before hashing)',
        { payload: { email: 'ada@example.com', password: 'x'.repeat(1 << 20), clientId: 'app' } },
        413,
        'payload_too_large',
      ],
      [
        'AUTH-10: a 2,000-character password',
        { payload: { email: 'ada@example.com', password: 'x'.repeat(2000), clientId: 'app' } },
        400,
        'invalid_request',
      ],
      [
        'a missing password',
        { payload: { email: 'ada@example.com', clientId: 'app' } },
        400,
        'invalid_request',
      ],
      [
        'an extra field',
        { payload: { email: 'ada@example.com', password: PASSWORD, clientId: 'app', role: 'admin' } },
        400,
        'invalid_request',
      ],
      [
        'a wrong-typed email',
        { payload: { email: ['ada@example.com'], password: PASSWORD, clientId: 'app' } },
        400,
        'invalid_request',
      ],
      [
        'a null password',
        { payload: { email: 'ada@example.com', password: null, clientId: 'app' } },
        400,
        'invalid_request',
      ],
      [
        'a __proto__ key',
        {
          payload: '{"email":"ada@example.com","password":"x","clientId":"app","__proto__":{"admin":true}}',
          headers: { 'content-type': 'application/json' },
        },
        400,
        'invalid_request',
      ],
      [
        'an unknown client',
        { payload: { email: 'ada@example.com', password: PASSWORD, clientId: 'nope' } },
        400,
        'invalid_request',
      ],
      [
        'CK-07: an origin that is not allowed',
        {
          payload: { email: 'ada@example.com', password: PASSWORD, clientId: 'app' },
          headers: { origin: 'https://evil.example' },
        },
        403,
        'csrf_rejected',
      ],
    ];
    it.each(cases)('%s', async (_name, request, status, error) => {
      const response = await t.app.inject({ method: 'POST', url: '/auth/v1/login', ...request });
      expect(response.statusCode).toBe(status);
      expect(json(response)).toEqual({ error, message: expect.any(String) });
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(await liveSessions(world.users.ada.id)).toHaveLength(0);
    });
  });

  it('CK-07: CORS answers an allowed origin exactly, with credentials, and nobody else', async () => {
    const preflight = (origin: string) =>
      t.app.inject({
        method: 'OPTIONS',
        url: '/auth/v1/refresh',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-tessera-request',
        },
      });
    const allowed = await preflight(ORIGIN);
    expect(allowed.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    expect(String(allowed.headers.vary)).toMatch(/origin/i);
    for (const origin of [
      'https://evil.example',
      'http://localhost:5173.evil.example',
      'null',
      'https://localhost:5173',
    ]) {
      const refused = await preflight(origin);
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      expect(refused.headers['access-control-allow-credentials']).toBeUndefined();
    }
  });

  it("CK-07: an allowed origin may read Retry-After (the SDK's backoff honours it)", async () => {
    for (let i = 0; i < 10; i++) await api.login({ password: `wrong ${i}` });
    const throttled = await api.login();
    expect(throttled.statusCode).toBe(429);
    expect(throttled.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(String(throttled.headers['access-control-expose-headers'])).toMatch(/(^|,\s*)retry-after(,|$)/i);
  });
});
