import { backendsUnderTest } from '@tessera/testing/backends';
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import { json } from '@tessera/testing/world';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const backends = await backendsUnderTest();

describe.each(backends)('discovery and JWKS (%s)', (backend) => {
  // One server for the file: the tests only read the default environment, and each one that
  // creates an environment gives it an id of its own.
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer({ backend });
  });
  afterAll(async () => t?.close());

  it('AS-15: the discovery document names the exact issuer, its JWKS and S256 only', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/.well-known/openid-configuration' });
    expect(response.statusCode).toBe(200);
    expect(json(response)).toMatchObject({
      issuer: 'http://localhost:4000',
      jwks_uri: 'http://localhost:4000/.well-known/jwks.json',
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['ES256'],
    });
  });

  it('names the account page as account_url, a Tessera extension (docs/account.md)', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/.well-known/openid-configuration' });
    expect(json(response).account_url).toBe('http://localhost:4000/account');
  });

  it('the issuer is configured, never taken from the Host or X-Forwarded-Host header', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/.well-known/openid-configuration',
      headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' },
    });
    expect(json(response).issuer).toBe('http://localhost:4000');
  });

  it('JWKS: public keys only, each with kid, alg and use, cacheable', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    const { keys } = json<{ keys: Record<string, unknown>[] }>(response);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({
      kty: 'EC',
      crv: 'P-256',
      alg: 'ES256',
      use: 'sig',
      kid: expect.any(String),
    });
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('another environment has its own issuer, keys and cookie, under /e/{envId}', async () => {
    const admin = { authorization: `Bearer ${t.adminKey}` };
    const created = await t.app.inject({
      method: 'POST',
      url: '/admin/v1/environments',
      headers: admin,
      payload: { id: 'staging', name: 'Staging', tokenSettings: { signingAlgorithm: 'EdDSA' } },
    });
    expect(created.statusCode).toBe(201);
    expect(json(created)).toMatchObject({
      baseUrl: 'http://localhost:4000/e/staging',
      tokenSettings: { signingAlgorithm: 'EdDSA', cookie: { name: 'tessera_refresh_staging' } },
    });
    const discovery = json(
      await t.app.inject({ method: 'GET', url: '/e/staging/.well-known/openid-configuration' }),
    );
    expect(discovery).toMatchObject({
      issuer: 'http://localhost:4000/e/staging',
      jwks_uri: 'http://localhost:4000/e/staging/.well-known/jwks.json',
      account_url: 'http://localhost:4000/e/staging/account',
    });
    const staging = json<{ keys: { kid: string; alg: string }[] }>(
      await t.app.inject({ method: 'GET', url: '/e/staging/.well-known/jwks.json' }),
    );
    const fallback = json<{ keys: { kid: string }[] }>(
      await t.app.inject({ method: 'GET', url: '/.well-known/jwks.json' }),
    );
    expect(staging.keys.map((k) => k.alg)).toEqual(['EdDSA']);
    expect(staging.keys[0]!.kid).not.toBe(fallback.keys[0]!.kid);
  });

  it('an unknown environment is 404 not_found', async () => {
    for (const url of [
      '/e/nope/.well-known/openid-configuration',
      '/e/nope/.well-known/jwks.json',
      '/e/nope/auth/v1/me',
    ]) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(404);
      expect(json(response).error).toBe('not_found');
    }
  });

  it('a session in another environment: EdDSA tokens with that issuer, verified by its JWKS', async () => {
    const admin = { authorization: `Bearer ${t.adminKey}` };
    const post = (url: string, payload: object) =>
      t.app.inject({ method: 'POST', url: `/admin/v1${url}`, headers: admin, payload });
    await post('/environments', { id: 'eu', name: 'EU', tokenSettings: { signingAlgorithm: 'EdDSA' } });
    await post('/environments/eu/clients', {
      clientId: 'web',
      name: 'Web',
      type: 'spa',
      redirectUris: [],
      allowedOrigins: ['http://localhost:5173'],
      postLogoutRedirectUris: [],
    });
    await post('/environments/eu/tenants', { id: 'acme', name: 'Acme' });
    const user = json<{ id: string }>(
      await post('/environments/eu/users', { email: 'eve@example.com', password: 'a long enough password' }),
    );
    await t.app.inject({
      method: 'PUT',
      url: `/admin/v1/environments/eu/tenants/acme/members/${user.id}`,
      headers: admin,
      payload: { roles: [] },
    });
    const login = await t.app.inject({
      method: 'POST',
      url: '/e/eu/auth/v1/login',
      payload: { email: 'eve@example.com', password: 'a long enough password', clientId: 'web' },
    });
    expect(login.statusCode).toBe(200);
    expect(String(login.headers['set-cookie'])).toMatch(/^tessera_refresh_eu=/);
    const jwks = json(await t.app.inject({ method: 'GET', url: '/e/eu/.well-known/jwks.json' }));
    const { payload, protectedHeader } = await jwtVerify(
      json<{ accessToken: string }>(login).accessToken,
      createLocalJWKSet(jwks as never),
      {
        issuer: 'http://localhost:4000/e/eu',
        audience: 'web',
        currentDate: new Date(t.clock.now() * 1000),
      },
    );
    expect(protectedHeader.alg).toBe('EdDSA');
    expect(payload.tenantId).toBe('acme');
    // The default environment's login does not know this user.
    const elsewhere = await t.app.inject({
      method: 'POST',
      url: '/auth/v1/login',
      payload: { email: 'eve@example.com', password: 'a long enough password', clientId: 'web' },
    });
    expect(elsewhere.statusCode).toBe(400);
  });
});
