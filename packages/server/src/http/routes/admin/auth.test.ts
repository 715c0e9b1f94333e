/** The admin API's authentication, caching and CORS (DESIGN §3.3). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminClient, expectError, startAdmin } from './admin.test-helpers.js';

let admin: AdminClient;
beforeAll(async () => {
  admin = await startAdmin();
});
afterAll(async () => {
  await admin?.close();
});

function expectChallenge(response: Awaited<ReturnType<AdminClient['get']>>) {
  expectError(response, 401, 'unauthorized');
  expect(response.headers['www-authenticate']).toBe('Bearer realm="tessera-admin"');
}

describe('admin authentication', () => {
  it.each([
    ['no Authorization header', undefined],
    ['an empty bearer', 'Bearer '],
    ['a wrong key', 'Bearer wrong-key'],
    ['the Basic scheme', () => `Basic ${Buffer.from(`admin:${admin.server.adminKey}`).toString('base64')}`],
    ['the key without a scheme', () => admin.server.adminKey],
    ['a prefix of the key', () => `Bearer ${admin.server.adminKey.slice(0, -1)}`],
    ['the key with a suffix', () => `Bearer ${admin.server.adminKey}x`],
    ['two credentials', () => `Bearer ${admin.server.adminKey} ${admin.server.adminKey}`],
  ])('refuses %s with 401 unauthorized and a Bearer challenge', async (_case, authorization) => {
    const value = typeof authorization === 'function' ? authorization() : authorization;
    const response = await admin.server.app.inject({
      method: 'GET',
      url: '/admin/v1/environments',
      headers: value === undefined ? {} : { authorization: value },
    });
    expectChallenge(response);
    expect(response.body).not.toContain(admin.server.adminKey);
  });

  it('accepts the key, with the scheme in any case', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const response = await admin.server.app.inject({
        method: 'GET',
        url: '/admin/v1/environments',
        headers: { authorization: `${scheme} ${admin.server.adminKey}` },
      });
      expect(response.statusCode, scheme).toBe(200);
    }
  });

  it('checks the key before the body: an unauthenticated write changes nothing', async () => {
    const before = await admin.read('/environments');
    for (const payload of ['{"id":"sneaky","name":"x"}', '{not json']) {
      const response = await admin.server.app.inject({
        method: 'POST',
        url: '/admin/v1/environments',
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expectChallenge(response);
    }
    expect(await admin.read('/environments')).toEqual(before);
  });

  it('hides which admin paths exist from unauthenticated callers', async () => {
    expectChallenge(await admin.server.app.inject({ method: 'GET', url: '/admin/v1/no-such-thing' }));
    expectChallenge(await admin.server.app.inject({ method: 'PUT', url: '/admin/v1/environments' }));
    expectError(await admin.get('/no-such-thing'), 404, 'not_found');
  });

  it('serves the OpenAPI document without the key', async () => {
    const response = await admin.server.app.inject({ method: 'GET', url: '/admin/v1/openapi.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toMatchObject({ openapi: expect.stringMatching(/^3\./) });
  });
});

describe('admin responses', () => {
  it('are never cached', async () => {
    const response = await admin.get('/environments');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('carry no CORS headers, not even for a preflight (no cross-origin browser access)', async () => {
    const origin = 'https://app.example.com';
    const get = await admin.request({ method: 'GET', url: '/environments', headers: { origin } });
    expect(get.statusCode).toBe(200);
    const preflight = await admin.server.app.inject({
      method: 'OPTIONS',
      url: '/admin/v1/environments',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.statusCode).toBeGreaterThanOrEqual(400);
    for (const response of [get, preflight]) {
      expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });

  it('answer a wrong method with 405 and Allow (OPS-08)', async () => {
    for (const [method, url, allow] of [
      ['PUT', '/environments', 'GET, POST, HEAD'],
      ['TRACE', '/environments/default', 'GET, PATCH, DELETE, HEAD'],
      ['GET', '/environments/default/keys/rotate', 'POST'],
      ['POST', '/environments/default/sessions/abc', 'DELETE'],
    ] as const) {
      const response = await admin.request({ method, url });
      expectError(response, 405, 'method_not_allowed');
      expect(response.headers.allow, `${method} ${url}`).toBe(allow);
    }
  });
});
