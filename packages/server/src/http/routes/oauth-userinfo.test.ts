import { backendsUnderTest } from '@tessera/testing/backends';
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import { cookieFrom, json, seedWorld, sessionApi, type World } from '@tessera/testing/world';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRAND_STYLESHEET_PATH, DEFAULT_PRIMARY_COLOR, LOGIN_STYLESHEET_PATH } from '../../login-ui/index.js';

const backends = await backendsUnderTest();

describe.each(backends)('GET /oauth/userinfo (%s)', (backend) => {
  // One server for the file: each test reads only the session it logs in itself.
  let t: TestServer;
  let world: World;
  beforeAll(async () => {
    t = await createTestServer({ backend });
    world = await seedWorld(t);
  });
  afterAll(async () => t?.close());

  it("answers the user's claims for a live session's access token, never cached", async () => {
    const api = sessionApi(t);
    const { accessToken } = json<{ accessToken: string }>(await api.login({ tenantId: 'globex' }));
    const response = await api.bearer('GET', '/oauth/userinfo', accessToken);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(json(response)).toEqual({
      sub: world.users.ada.id,
      email: 'ada@example.com',
      name: 'ada',
      sid: expect.any(String),
      tenantId: 'globex',
      tenantIds: ['acme', 'globex'],
    });
  });

  it('MW-05: no token, a forged one, or one of an ended session is 401 with WWW-Authenticate', async () => {
    const api = sessionApi(t);
    const login = await api.login();
    const { accessToken } = json<{ accessToken: string }>(login);
    await api.logout(cookieFrom(login));
    for (const authorization of [undefined, 'Bearer abc.def.ghi', `Bearer ${accessToken}`]) {
      const response = await t.app.inject({
        method: 'GET',
        url: '/oauth/userinfo',
        headers: authorization ? { authorization } : {},
      });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
      expect(json(response).error).toBe('unauthorized');
    }
  });
});

describe('hosted-login stylesheets', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer();
  });
  afterAll(async () => t?.close());

  it('are CSS, immutable, and the brand colour only ever six hex digits', async () => {
    const login = await t.app.inject({ method: 'GET', url: `${LOGIN_STYLESHEET_PATH}?v=1` });
    expect(login.statusCode).toBe(200);
    expect(login.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(login.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    const brand = await t.app.inject({ method: 'GET', url: `${BRAND_STYLESHEET_PATH}?c=0e7490` });
    expect(brand.body).toContain('#0e7490');
    const injected = await t.app.inject({
      method: 'GET',
      url: `${BRAND_STYLESHEET_PATH}?c=${encodeURIComponent('fff;}body{display:none')}`,
    });
    expect(injected.statusCode).toBe(200);
    expect(injected.body).not.toContain('display:none');
    expect(injected.body).toContain(DEFAULT_PRIMARY_COLOR);
  });
});
