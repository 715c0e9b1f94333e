/**
 * The example API against a real Tessera server on a port (packages/server's harness): its routes,
 * guards, CORS and headers with real tokens. Strict mode across processes, and a key rotation
 * under load, are proved in e2e/example-api-*.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import { insertConfidentialClient } from '@tessera/testing/hosted-login';
import { cookieFrom, json, ORIGIN, seedWorld, sessionApi } from '@tessera/testing/world';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExampleApi, type ExampleApiOptions, MAX_PROJECTS_PER_TENANT } from './index.js';

const FEED_SECRET = randomBytes(32).toString('base64url');
const quiet = { info() {}, warn() {}, error() {} };

let t: TestServer;
let base: string;
const apps: FastifyInstance[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function api(options: Partial<ExampleApiOptions> = {}): FastifyInstance {
  const app = createExampleApi({
    issuer: base,
    audience: 'app',
    allowedOrigins: [ORIGIN],
    verifier: { clock: t.clock, logger: quiet },
    ...options,
  });
  apps.push(app);
  return app;
}

async function login(email = 'ada@example.com') {
  const response = await sessionApi(t).login({ email });
  expect(response.statusCode).toBe(200);
  return { accessToken: json<{ accessToken: string }>(response).accessToken, cookie: cookieFrom(response) };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  t = await createTestServer({ env: { TESSERA_PUBLIC_URL: base } });
  await t.app.listen({ port, host: '127.0.0.1' });
  await seedWorld(t);
  await insertConfidentialClient(t, FEED_SECRET);
});

afterAll(async () => {
  for (const app of apps) await app.close();
  await t.close();
});

describe('the example API', () => {
  it('answers /healthz without a token, never cached', async () => {
    const response = await api().inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', revocationFeed: 'off' });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it("serves the token's tenant its projects, and refuses another tenant's route with 403", async () => {
    const app = api();
    const { accessToken } = await login();
    const own = await app.inject({
      method: 'GET',
      url: '/tenants/acme/projects',
      headers: bearer(accessToken),
    });
    expect(own.statusCode).toBe(200);
    expect(own.headers['cache-control']).toBe('no-store');
    expect(own.json()).toMatchObject({
      tenantId: 'acme',
      projects: [{ name: 'Website relaunch' }, { name: 'Billing migration' }, { name: 'Mobile app beta' }],
    });
    // Ada is a member of globex too, but this token is for acme.
    const other = await app.inject({
      method: 'GET',
      url: '/tenants/globex/projects',
      headers: bearer(accessToken),
    });
    expect(other.statusCode).toBe(403);
    expect(other.headers['www-authenticate']).toBe('Bearer error="insufficient_scope"');
    expect(other.json()).toEqual({ error: 'insufficient_scope' });
  });

  it('answers 401 without a token or with a bad one, and /me with the verified claims', async () => {
    const app = api();
    const none = await app.inject({ method: 'GET', url: '/me' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    const forged = await app.inject({ method: 'GET', url: '/me', headers: bearer('a.b.c') });
    expect(forged.statusCode).toBe(401);
    expect(forged.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    const { accessToken } = await login();
    const me = await app.inject({ method: 'GET', url: '/me', headers: bearer(accessToken) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ iss: base, aud: 'app', sub: 'user-ada', tenantId: 'acme' });
  });

  it('lets only a token with users:write create a project, in its own tenant', async () => {
    const app = api();
    const ada = await login();
    const created = await app.inject({
      method: 'POST',
      url: '/tenants/acme/projects',
      headers: bearer(ada.accessToken),
      payload: { name: '  Launch plan ' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'Launch plan', createdBy: 'user-ada' });
    const list = await app.inject({
      method: 'GET',
      url: '/tenants/acme/projects',
      headers: bearer(ada.accessToken),
    });
    expect(list.json<{ projects: { name: string }[] }>().projects.at(-1)?.name).toBe('Launch plan');

    const bob = await login('bob@example.com');
    const member = await app.inject({
      method: 'POST',
      url: '/tenants/acme/projects',
      headers: bearer(bob.accessToken),
      payload: { name: 'Not allowed' },
    });
    expect(member.statusCode).toBe(403);
    expect(member.headers['www-authenticate']).toBe('Bearer error="insufficient_scope"');

    for (const payload of [
      {},
      { name: '' },
      { name: '   ' },
      { name: 'x'.repeat(101) },
      { name: 'a', extra: 1 },
    ]) {
      const invalid = await app.inject({
        method: 'POST',
        url: '/tenants/acme/projects',
        headers: bearer(ada.accessToken),
        payload,
      });
      expect(invalid.statusCode, JSON.stringify(payload)).toBe(400);
      expect(invalid.json()).toMatchObject({ error: 'invalid_request' });
    }
  });

  it(`holds at most ${MAX_PROJECTS_PER_TENANT} projects per tenant`, async () => {
    const app = api({ projects: {} });
    const { accessToken } = await login();
    const add = () =>
      app.inject({
        method: 'POST',
        url: '/tenants/acme/projects',
        headers: bearer(accessToken),
        payload: { name: 'p' },
      });
    for (let i = 0; i < MAX_PROJECTS_PER_TENANT; i++) expect((await add()).statusCode).toBe(201);
    const full = await add();
    expect(full.statusCode).toBe(409);
    expect(full.json()).toMatchObject({ error: 'limit_reached' });
  });

  it('answers CORS preflights for the allowed origin only, and lets it read refusals', async () => {
    const app = api();
    const preflight = (origin: string) =>
      app.inject({
        method: 'OPTIONS',
        url: '/tenants/acme/projects',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
    const allowed = await preflight(ORIGIN);
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers).toMatchObject({
      'access-control-allow-origin': ORIGIN,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'authorization, content-type',
      vary: 'Origin',
    });
    expect(allowed.headers['access-control-allow-credentials']).toBeUndefined();

    const refused = await preflight('https://evil.example');
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    // Exact match only: no prefix, no other port, no `null`.
    for (const origin of [`${ORIGIN}.evil.example`, 'http://localhost:5174', 'null']) {
      expect((await preflight(origin)).statusCode).toBe(403);
    }

    const { accessToken } = await login();
    const forbidden = await app.inject({
      method: 'GET',
      url: '/tenants/globex/projects',
      headers: { ...bearer(accessToken), origin: ORIGIN },
    });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(forbidden.headers['access-control-expose-headers']).toBe('WWW-Authenticate');
    const unauthenticated = await app.inject({ method: 'GET', url: '/me', headers: { origin: ORIGIN } });
    expect(unauthenticated.statusCode).toBe(401);
    expect(unauthenticated.headers['access-control-allow-origin']).toBe(ORIGIN);
    const elsewhere = await app.inject({
      method: 'GET',
      url: '/me',
      headers: { ...bearer(accessToken), origin: 'https://evil.example' },
    });
    expect(elsewhere.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('logs request paths without their query, so a token put in a URL stays out of the log', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = api({ logger: { level: 'debug', stream } });
    const { accessToken } = await login();
    const refused = await app.inject({ url: `/tenants/acme/projects?access_token=${accessToken}` });
    expect(refused.statusCode).toBe(401);
    const served = await app.inject({
      url: '/tenants/acme/projects?note=query-value-1',
      headers: bearer(accessToken),
    });
    expect(served.statusCode).toBe(200);
    const log = lines.join('');
    expect(log).not.toContain(accessToken);
    expect(log).not.toContain('query-value-1');
    const requests = lines.map((line) => JSON.parse(line)).filter((line) => line.msg === 'request');
    expect(requests).toEqual([
      expect.objectContaining({ method: 'GET', path: '/tenants/acme/projects', status: 401 }),
      expect.objectContaining({ method: 'GET', path: '/tenants/acme/projects', status: 200 }),
    ]);
  });

  it('in strict mode, refuses the token of a session that signed out', async () => {
    const app = api({ strict: { clientId: 'server-app', clientSecret: FEED_SECRET } });
    const ada = await login();
    const get = () => app.inject({ method: 'GET', url: '/me', headers: bearer(ada.accessToken) });
    expect((await get()).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toMatchObject({
      revocationFeed: 'live',
    });
    expect((await sessionApi(t).logout(ada.cookie)).statusCode).toBe(204);
    const deadline = Date.now() + 2000;
    while ((await get()).statusCode !== 401) {
      if (Date.now() > deadline) throw new Error('still accepted 2 s after the logout');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
});
