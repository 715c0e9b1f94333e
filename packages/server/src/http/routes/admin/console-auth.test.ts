/** The admin API called with the console's session cookie instead of the key (DESIGN §3.7). */
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_SESSION_POLICY } from '../../../service/console/console-session.js';
import { consoleCookie } from '../../console-cookie.js';
import { handleAdminError } from '../../errors.js';
import {
  CONSOLE_ENV,
  CONSOLE_HEADERS,
  CONSOLE_ORIGIN,
  consoleRequest,
  setCookiePair,
  signIn,
} from '../console/console.test-helpers.js';
import { decorateAdminActor } from './actor.js';
import { requireAdmin } from './auth.js';

let server: TestServer;
let cookie: string;
beforeAll(async () => {
  server = await createTestServer({ env: CONSOLE_ENV });
});
afterAll(async () => {
  await server?.close();
});

async function freshCookie(): Promise<string> {
  cookie = await signIn(server);
  return cookie;
}

function expectError(
  response: { statusCode: number; body: string; json(): unknown },
  status: number,
  error: string,
) {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.json()).toMatchObject({ error, message: expect.any(String) });
  expect(response.body).not.toContain(server.adminKey);
}

const newEnvironment = (id: string) => ({ id, name: 'From the console' });

describe('the admin API with a console session', () => {
  it('reads and writes with the cookie, the CSRF header and the console origin', async () => {
    await freshCookie();
    const list = await consoleRequest(server, cookie, { method: 'GET', url: '/admin/v1/environments' });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.headers['cache-control']).toBe('no-store');
    const created = await consoleRequest(server, cookie, {
      method: 'POST',
      url: '/admin/v1/environments',
      body: newEnvironment('console-made'),
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.body).not.toContain(server.adminKey);
  });

  it.each([
    ['without X-Tessera-Request', 'GET', { origin: CONSOLE_ORIGIN }],
    ['with X-Tessera-Request other than 1', 'GET', { 'x-tessera-request': 'true' }],
    ['marked cross-site (a read)', 'GET', { ...CONSOLE_HEADERS, 'sec-fetch-site': 'cross-site' }],
    ['marked cross-site (a write)', 'POST', { ...CONSOLE_HEADERS, 'sec-fetch-site': 'cross-site' }],
    ['a write from another origin', 'POST', { 'x-tessera-request': '1', origin: 'https://evil.example' }],
    ['a write from a sibling port', 'POST', { 'x-tessera-request': '1', origin: 'http://localhost:5173' }],
    ['a write with Origin null', 'POST', { 'x-tessera-request': '1', origin: 'null' }],
    ['a write without Origin', 'POST', { 'x-tessera-request': '1' }],
    ['a delete without Origin', 'DELETE', { 'x-tessera-request': '1' }],
  ] as const)(
    'refuses a request %s with 403 csrf_rejected, changing nothing',
    async (_case, method, headers) => {
      await freshCookie();
      const before = await server.app.inject({
        method: 'GET',
        url: '/admin/v1/environments',
        headers: { authorization: `Bearer ${server.adminKey}` },
      });
      const id = `csrf-${method.toLowerCase()}-${Object.keys(headers).length}`;
      const url = method === 'DELETE' ? '/admin/v1/environments/console-made' : '/admin/v1/environments';
      const response = await server.app.inject({
        method,
        url,
        headers: { cookie, ...headers, ...(method === 'POST' && { 'content-type': 'application/json' }) },
        ...(method === 'POST' && { payload: JSON.stringify(newEnvironment(id)) }),
      });
      expectError(response, 403, 'csrf_rejected');
      const after = await server.app.inject({
        method: 'GET',
        url: '/admin/v1/environments',
        headers: { authorization: `Bearer ${server.adminKey}` },
      });
      expect(after.json()).toEqual(before.json());
    },
  );

  it('refuses an expired session with 401', async () => {
    await freshCookie();
    server.clock.advance(CONSOLE_SESSION_POLICY.idleSeconds - 1);
    // Read without renewal first: one second short, it still works…
    const late = await server.app.inject({
      method: 'GET',
      url: '/admin/v1/environments',
      headers: { cookie, ...CONSOLE_HEADERS },
    });
    expect(late.statusCode).toBe(200);
    server.clock.advance(1);
    expectError(
      await consoleRequest(server, cookie, { method: 'GET', url: '/admin/v1/environments' }),
      401,
      'unauthorized',
    );
  });

  it('slides: a request after half the session renews the cookie', async () => {
    await freshCookie();
    server.clock.advance(CONSOLE_SESSION_POLICY.idleSeconds / 2 + 1);
    const response = await consoleRequest(server, cookie, { method: 'GET', url: '/admin/v1/environments' });
    expect(response.statusCode).toBe(200);
    const renewed = setCookiePair(response);
    expect(renewed).not.toBeNull();
    server.clock.advance(CONSOLE_SESSION_POLICY.idleSeconds / 2);
    expect(
      (await consoleRequest(server, cookie, { method: 'GET', url: '/admin/v1/environments' })).statusCode,
    ).toBe(401);
    expect(
      (await consoleRequest(server, renewed!, { method: 'GET', url: '/admin/v1/environments' })).statusCode,
    ).toBe(200);
  });

  it('refuses a tampered cookie with 401', async () => {
    await freshCookie();
    const [name, value] = cookie.split('=') as [string, string];
    const parts = value.split('.');
    parts[4] = `${parts[4]!.slice(0, -2)}${parts[4]!.endsWith('AA') ? 'BB' : 'AA'}`;
    expectError(
      await consoleRequest(server, `${name}=${parts.join('.')}`, {
        method: 'GET',
        url: '/admin/v1/environments',
      }),
      401,
      'unauthorized',
    );
  });

  it('refuses the cookie of a server with another admin key', async () => {
    const other = await createTestServer({ env: CONSOLE_ENV });
    try {
      const foreign = await signIn(other);
      expectError(
        await consoleRequest(server, foreign, { method: 'GET', url: '/admin/v1/environments' }),
        401,
        'unauthorized',
      );
    } finally {
      await other.close();
    }
  });

  it('lets a bearer key decide alone: a wrong key is refused even with a valid cookie', async () => {
    await freshCookie();
    const response = await consoleRequest(server, cookie, {
      method: 'GET',
      url: '/admin/v1/environments',
      headers: { authorization: 'Bearer wrong' },
    });
    expectError(response, 401, 'unauthorized');
    expect(response.headers['www-authenticate']).toBe('Bearer realm="tessera-admin"');
  });

  it('still accepts the bearer key without any CSRF header, cookie or origin', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/admin/v1/environments',
      headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json' },
      payload: JSON.stringify(newEnvironment('bearer-made')),
    });
    expect(response.statusCode, response.body).toBe(201);
  });

  it('works again after a sign-out only with a new sign-in (the browser forgot the cookie)', async () => {
    await freshCookie();
    const signOut = await server.app.inject({
      method: 'DELETE',
      url: '/console/api/session',
      headers: { cookie, ...CONSOLE_HEADERS },
    });
    expect(setCookiePair(signOut)).toBe('tessera_console=');
    expectError(
      await consoleRequest(server, 'tessera_console=', { method: 'GET', url: '/admin/v1/environments' }),
      401,
      'unauthorized',
    );
  });
});

describe('admin events', () => {
  it('name the console session as the actor of a change made through it, never the key or cookie', async () => {
    await freshCookie();
    const tenant = await consoleRequest(server, cookie, {
      method: 'POST',
      url: '/admin/v1/environments/default/tenants',
      body: { id: 'console-tenant', name: 'Made in the console' },
    });
    expect(tenant.statusCode, tenant.body).toBe(201);
    await server.app.inject({
      method: 'PATCH',
      url: '/admin/v1/environments/default/tenants/console-tenant',
      headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'Renamed with the key' }),
    });
    const events = await server.app.inject({
      method: 'GET',
      url: '/admin/v1/environments/default/events?type=admin.tenant.*',
      headers: { authorization: `Bearer ${server.adminKey}` },
    });
    expect(events.statusCode, events.body).toBe(200);
    const byType = Object.fromEntries(
      (events.json() as { type: string; details: { actor: unknown } }[]).map((event) => [
        event.type,
        event.details.actor,
      ]),
    );
    expect(byType['admin.tenant.created']).toEqual({
      kind: 'console',
      consoleSessionId: expect.stringMatching(/^cs_[\w-]{22}$/),
    });
    expect(byType['admin.tenant.updated']).toEqual({ kind: 'admin_key' });
    expect(events.body).not.toContain(server.adminKey);
    expect(events.body).not.toContain(cookie.split('=')[1]);
  });
});

describe('request.adminActor', () => {
  it('names the admin key, or the console session, never the key itself', async () => {
    const app = Fastify();
    app.setErrorHandler(handleAdminError);
    decorateAdminActor(app);
    app.addHook(
      'onRequest',
      requireAdmin({
        deps: server.deps,
        adminKey: server.adminKey,
        consoleCookie: consoleCookie(CONSOLE_ORIGIN),
        ownOrigin: CONSOLE_ORIGIN,
      }),
    );
    app.get('/actor', async (request) => request.adminActor);
    try {
      const byKey = await app.inject({
        url: '/actor',
        headers: { authorization: `Bearer ${server.adminKey}` },
      });
      expect(byKey.json()).toEqual({ kind: 'admin_key' });
      const byConsole = await app.inject({
        url: '/actor',
        headers: { cookie: await freshCookie(), ...CONSOLE_HEADERS },
      });
      expect(byConsole.json()).toEqual({
        kind: 'console',
        consoleSessionId: expect.stringMatching(/^cs_[\w-]{22}$/),
      });
      const again = await app.inject({ url: '/actor', headers: { cookie, ...CONSOLE_HEADERS } });
      expect(again.json()).toEqual(byConsole.json());
      expect(byConsole.body).not.toContain(server.adminKey);
    } finally {
      await app.close();
    }
  });
});
