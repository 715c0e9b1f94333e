/**
 * `GET /oauth/authorize` against hostile input (security.md AS-01, AS-05, AS-07, AS-08, CK-06,
 * CK-08, §2.3): what may not be trusted gets an error page — 400, no `Location` — and what may be
 * trusted gets its error back at the registered redirect URI, with `state` and `iss`.
 */

import { createTestServer, type TestServer } from '@tessera/testing/harness';
import {
  authorizeQuery,
  callbackParams,
  type Pkce,
  pkcePair,
  testBrowser,
} from '@tessera/testing/hosted-login';
import { cookieFrom, ORIGIN, seedWorld, sessionApi } from '@tessera/testing/world';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIRECT_PAYLOADS, REGISTERED } from '../../../oauth/redirect-payloads.test-helpers.js';

let t: TestServer;
const pkce: Pkce = pkcePair();

beforeAll(async () => {
  t = await createTestServer();
  await seedWorld(t);
  await t.deps.storage.insertClient({
    envId: 'default',
    clientId: 'payloads',
    name: 'Payloads',
    type: 'spa',
    secretHash: null,
    redirectUris: [REGISTERED, 'https://app.example.com/other'],
    allowedOrigins: ['https://app.example.com'],
    postLogoutRedirectUris: [REGISTERED],
    createdAt: t.clock.now(),
  });
});
afterAll(async () => t.close());

function authorize(query: string, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'GET', url: `/oauth/authorize?${query}`, headers });
}

function expectErrorPage(response: LightMyRequestResponse) {
  expect(response.statusCode).toBe(400);
  expect(response.headers.location).toBeUndefined();
  expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(response.body).toContain('This sign-in link is not valid');
}

const validFor = (redirectUri: string) =>
  authorizeQuery(pkce, { client_id: 'payloads', redirect_uri: redirectUri });

describe('AS-01 / security.md §2.3: a redirect URI that is not registered exactly', () => {
  it.each(REDIRECT_PAYLOADS)('%s (%j) → error page, 400, no Location', async (_category, payload) => {
    // Encoded as a browser would send it, and once raw where it survives as a query value.
    expectErrorPage(
      await authorize(
        `${validFor('x').replace('redirect_uri=x', `redirect_uri=${encodeURIComponent(payload)}`)}`,
      ),
    );
  });

  it('a missing redirect_uri, when the client registered several → error page', async () => {
    expectErrorPage(await authorize(authorizeQuery(pkce, { client_id: 'payloads', redirect_uri: null })));
  });

  it('an unknown or missing client_id → error page, never a redirect (RFC 6749 §4.1.2.1)', async () => {
    expectErrorPage(await authorize(authorizeQuery(pkce, { client_id: 'nobody' })));
    expectErrorPage(await authorize(authorizeQuery(pkce, { client_id: null })));
  });

  it('a CRLF in the raw query never reaches a header', async () => {
    const response = await authorize(
      authorizeQuery(pkce, {
        client_id: 'payloads',
        redirect_uri: REGISTERED,
        state: 'a\r\nSet-Cookie: x=y',
      }),
    );
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(callbackParams(response).get('error')).toBe('invalid_request');
    expect(response.headers.location).not.toMatch(/[\r\n]/);
  });

  it('a 64 KB state → error page', async () => {
    expectErrorPage(await authorize(`${validFor(REGISTERED)}&state=${'a'.repeat(65536)}`));
  });
});

describe('AS-08: repeated parameters', () => {
  it.each(['client_id', 'redirect_uri', 'code_challenge', 'scope', 'state'])(
    'a second %s → error page, no redirect',
    async (name) => {
      const query = validFor(REGISTERED);
      const value = new URLSearchParams(query).get(name) ?? 'x';
      expectErrorPage(await authorize(`${query}&${name}=${encodeURIComponent(value)}`));
    },
  );
});

describe('errors sent back to a trusted redirect URI carry state and iss (AS-14)', () => {
  const cases: [string, Record<string, string | null>, string][] = [
    ['AS-05: no code_challenge', { code_challenge: null }, 'invalid_request'],
    ['AS-05: code_challenge_method=plain', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['AS-05: no code_challenge_method', { code_challenge_method: null }, 'invalid_request'],
    [
      'AS-05: a challenge with illegal characters',
      { code_challenge: `${'a'.repeat(42)}+` },
      'invalid_request',
    ],
    ['AS-07: response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
    ['AS-07: response_type=code token', { response_type: 'code token' }, 'unsupported_response_type'],
    ['response_mode=fragment', { response_mode: 'fragment' }, 'invalid_request'],
    ['an unknown scope', { scope: 'openid admin' }, 'invalid_scope'],
    ['AS-12: offline_access for a spa', { scope: 'openid offline_access' }, 'invalid_scope'],
    ['1000 scopes', { scope: Array(1000).fill('openid').join(' ') }, 'invalid_scope'],
    ['prompt=none with login', { prompt: 'none login' }, 'invalid_request'],
    ['a request object', { request: 'eyJ.x.y' }, 'request_not_supported'],
  ];
  it.each(cases)('%s → %s', async (_name, overrides, error) => {
    const response = await authorize(
      authorizeQuery(pkce, { client_id: 'payloads', redirect_uri: REGISTERED, ...overrides }),
    );
    expect(response.statusCode).toBe(303);
    const params = callbackParams(response);
    expect(response.headers.location?.startsWith(`${REGISTERED}?`)).toBe(true);
    expect(params.get('error')).toBe(error);
    expect(params.get('state')).toBe('state-123');
    expect(params.get('iss')).toBe('http://localhost:4000');
    expect(params.get('code')).toBeNull();
  });

  it('ignores unknown parameters (OIDF oidcc-ensure-request-with-unknown-parameter-succeeds)', async () => {
    const response = await authorize(`${validFor(REGISTERED)}&extra=1&ui_locales=de`);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toMatch(/^\/oauth\/login\?interaction=/);
  });
});

describe('the authorization endpoint in a browser', () => {
  it('CK-08: no CORS, for a preflight or a GET with an Origin', async () => {
    const get = await authorize(authorizeQuery(pkce), { origin: ORIGIN });
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: `/oauth/authorize?${authorizeQuery(pkce)}`,
      headers: { origin: ORIGIN, 'access-control-request-method': 'GET' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('CK-06: the login page and error pages forbid framing and scripts, and are never cached', async () => {
    const browser = testBrowser(t);
    const page = await browser.follow(await browser.authorize(authorizeQuery(pkce)));
    for (const response of [page, await authorize('client_id=nobody')]) {
      const csp = response.headers['content-security-policy'] ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('script-src');
      expect(response.headers['x-frame-options']).toBe('DENY');
      // Same-origin, so the page's own form posts carry a real Origin (no-referrer sends `null`).
      expect(response.headers['referrer-policy']).toBe('same-origin');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).not.toContain('<script');
    }
  });

  it('tenant enumeration: an anonymous visitor gets the same login page for an existing and an unknown tenant_id', async () => {
    // The per-request values (login-CSRF token, the sealed sign-in ticket, which carries the
    // request's own tenant_id back) are the only difference allowed.
    const anonymousPage = async (tenantId: string) => {
      const browser = testBrowser(t);
      const page = await browser.follow(
        await browser.authorize(authorizeQuery(pkce, { tenant_id: tenantId })),
      );
      expect(page.statusCode).toBe(200);
      return page.body
        .replace(/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}/g, '(ticket)')
        .replace(/value="[A-Za-z0-9_-]{20,}"/g, 'value="…"');
    };
    const existing = await anonymousPage('globex');
    expect(existing).not.toContain('GLOBEX');
    expect(existing).toBe(await anonymousPage('no-such-tenant'));
    expect(existing).toBe(await anonymousPage('acme'));
  });

  it('a tenant_id the user is not a member of is access_denied after sign-in', async () => {
    const browser = testBrowser(t);
    const page = await browser.follow(await browser.authorize(authorizeQuery(pkce, { tenant_id: 'globex' })));
    // bob is only in acme.
    const done = await browser.submitLogin(page, 'bob@example.com');
    expect(callbackParams(done).get('error')).toBe('access_denied');
    expect(callbackParams(done).get('state')).toBe('state-123');
  });

  it('single sign-on into a tenant the user is not in: access_denied to the client, the session kept', async () => {
    const login = await sessionApi(t).login({ email: 'bob@example.com' });
    const response = await authorize(authorizeQuery(pkce, { tenant_id: 'globex', prompt: 'none' }), {
      cookie: cookieFrom(login),
    });
    expect(Object.fromEntries(callbackParams(response))).toMatchObject({
      error: 'access_denied',
      state: 'state-123',
    });
    expect((await sessionApi(t).refresh(cookieFrom(login))).statusCode).toBe(200);
  });

  it('a login page with a malformed or unknown interaction id says it expired (400), nothing else', async () => {
    for (const id of ['garbage', 'x'.repeat(43), '']) {
      const response = await t.app.inject({ method: 'GET', url: `/oauth/login?interaction=${id}` });
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('This sign-in page has expired');
    }
  });

  it('max_age: a session older than max_age must sign in again; prompt=none then says login_required', async () => {
    const login = await sessionApi(t).login();
    const cookie = { cookie: cookieFrom(login) };
    t.clock.advance(120);
    const fresh = await authorize(authorizeQuery(pkce, { max_age: '600', prompt: 'none' }), cookie);
    expect(callbackParams(fresh).get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stale = await authorize(authorizeQuery(pkce, { max_age: '60', prompt: 'none' }), cookie);
    expect(callbackParams(stale).get('error')).toBe('login_required');
    const interactive = await authorize(authorizeQuery(pkce, { max_age: '60' }), cookie);
    expect(interactive.headers.location).toMatch(/^\/oauth\/login\?interaction=/);
  });

  it('AS-13: every client is first-party (registered by the environment admin), so prompt=consent asks nothing', async () => {
    const login = await sessionApi(t).login();
    const response = await authorize(authorizeQuery(pkce, { prompt: 'consent' }), {
      cookie: cookieFrom(login),
    });
    expect(callbackParams(response).get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('a cookie of an ended session is no session: the login page, or login_required', async () => {
    const login = await sessionApi(t).login();
    const cookie = cookieFrom(login);
    await sessionApi(t).logout(cookie);
    const response = await authorize(authorizeQuery(pkce, { prompt: 'none' }), { cookie });
    expect(callbackParams(response).get('error')).toBe('login_required');
  });

  it('an unknown environment is a 404 page', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/e/nowhere/oauth/authorize?${authorizeQuery(pkce)}`,
    });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers.location).toBeUndefined();
  });

  it('only GET: POST /oauth/authorize is 405', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/oauth/authorize' });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD');
  });
});
