/**
 * Issue #9, defect 5: whatever arrives — arbitrary strings in path segments, query values, JSON
 * and form bodies (any JSON value, wrong types, deep nesting, huge strings) and headers — no public
 * endpoint answers 5xx, and nothing changes: every table keeps its row count and the session made
 * before still refreshes. Property-based (fast-check), on SQLite and PostgreSQL. A failure prints
 * fast-check's seed and path; rerun it with `fc.assert(…, { seed, path })`.
 */

import { backendsUnderTest } from '@tessera/testing/backends';
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import {
  authorizeQuery,
  formBody,
  hiddenField,
  insertConfidentialClient,
  pkcePair,
  testBrowser,
} from '@tessera/testing/hosted-login';
import { type CountedStorage, openCountedStorage } from '@tessera/testing/row-counts';
import { cookieFrom, json, ORIGIN, PASSWORD, seedWorld, sessionApi } from '@tessera/testing/world';
import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TEXT_BYTES } from '../text-input.js';

const backends = await backendsUnderTest();
/** Per property; the file stays well under a minute per backend. */
const NUM_RUNS = 40;
const SECRET = 'prop-secret-'.padEnd(43, 'p');

// ---------------------------------------------------------------------------------------------
// Arbitraries

/** Characters that have broken parsers and databases: controls, surrogates, escapes, separators. */
const nasty = fc.constantFrom(
  '\u0000',
  '\u0001',
  '\u0008',
  '\t',
  '\n',
  '\r',
  '\u001b',
  '\u001f',
  '\u007f',
  '\u0085',
  '\u2028',
  '\ud800',
  '\udfff',
  '\ufeff',
  '\uffff',
  '😀',
  'é',
  '%',
  '%00',
  '/',
  '\\',
  '?',
  '#',
  '&',
  '=',
  '+',
  '.',
  '..',
  ' ',
  '"',
  "'",
  '<',
  '>',
  ';',
  ',',
  ':',
);
const text = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: fc.oneof(nasty, fc.string({ unit: 'binary', maxLength: 2 })) }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'a'.repeat(MAX_TEXT_BYTES + 1),
      'é'.repeat(MAX_TEXT_BYTES / 2 + 1),
      'x'.repeat(10_000),
      `${'a'.repeat(3000)}@example.com`,
      'default',
      'app',
      'acme',
      '',
    ),
  },
);

/**
 * Percent-encodes for a URL; a lone surrogate becomes the bytes of its WTF-8 form (invalid UTF-8
 * on the wire), and some raw, malformed escapes are passed through as they are.
 */
function urlEncode(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0xd800 && code <= 0xdfff)
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    else out += encodeURIComponent(char);
  }
  return out;
}
const rawEscape = fc.constantFrom('%', '%0', '%zz', '%00', '%C0%80', '%FF', '%ED%A0%80', '%E2%80');
const urlPiece = fc.oneof({ weight: 5, arbitrary: text.map(urlEncode) }, { weight: 1, arbitrary: rawEscape });

const deepNesting = fc
  .integer({ min: 30, max: 5000 })
  .chain((depth) =>
    fc.constantFrom(
      `${'['.repeat(depth)}${']'.repeat(depth)}`,
      `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
    ),
  );
const jsonBody = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) },
  { weight: 3, arbitrary: fc.dictionary(text, fc.oneof(text, fc.jsonValue())).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: deepNesting },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', '{', '[1,]', 'null', '"x"', '{"__proto__":{"x":1}}', 'x'.repeat(20_000)),
  },
);

// ---------------------------------------------------------------------------------------------

describe.each(backends)('bad input: no 5xx and no change, anywhere (%s)', (backend) => {
  let t: TestServer;
  let counted: CountedStorage;
  let basic: string;
  let cookie: string;
  let accessToken: string;
  let admin: Record<string, string>;
  /** A live login page: its interaction, CSRF token and the browser's cookies. */
  let loginForm: { fields: Record<string, string>; cookie: string };
  let before: Record<string, number>;

  beforeAll(async () => {
    counted = await openCountedStorage(backend);
    t = await createTestServer({ backend, storage: counted.storage });
    await seedWorld(t);
    basic = await insertConfidentialClient(t, SECRET);
    const login = await sessionApi(t).login();
    expect(login.statusCode).toBe(200);
    cookie = cookieFrom(login);
    accessToken = json<{ accessToken: string }>(login).accessToken;
    admin = { authorization: `Bearer ${t.adminKey}` };
    const browser = testBrowser(t);
    const start = await browser.request('GET', `/oauth/authorize?${authorizeQuery(pkcePair())}`);
    const page = await browser.request('GET', String(start.headers.location));
    expect(page.statusCode).toBe(200);
    loginForm = {
      fields: {
        csrf_token: hiddenField(page.body, 'csrf_token'),
        interaction_id: hiddenField(page.body, 'interaction_id'),
      },
      cookie: browser.cookieHeader().cookie ?? '',
    };
    before = await counted.rowCounts();
  });

  afterAll(async () => {
    // The session made before every bad request still refreshes.
    if (t) {
      const refreshed = await sessionApi(t).refresh(cookie);
      expect(refreshed.statusCode).toBe(200);
      await t.close();
    }
    await counted?.cleanup();
  });

  async function send(options: InjectOptions): Promise<LightMyRequestResponse | null> {
    let response: LightMyRequestResponse;
    try {
      response = await t.app.inject(options);
    } catch (error) {
      // What Node's HTTP client itself refuses to send (a control character in a header) never
      // arrives; nothing to test.
      if (error instanceof TypeError && /header|character/i.test(error.message)) return null;
      throw error;
    }
    expect.soft(response.statusCode, `${options.method} ${String(options.url)}`).toBeLessThan(500);
    if (response.statusCode >= 500) throw new Error(`${response.statusCode}: ${response.body.slice(0, 200)}`);
    return response;
  }

  /**
   * The record of what happened, not state: a refused login is written down as a `login.failed`
   * event (docs/events.md), queued for the environment's webhooks. Every other table must not move.
   */
  const AUDIT_TRAIL = new Set(['events', 'webhook_deliveries']);

  async function unchanged(): Promise<void> {
    const now = await counted.rowCounts();
    const changed = Object.keys({ ...before, ...now }).filter(
      (table) => !AUDIT_TRAIL.has(table) && now[table] !== before[table],
    );
    expect(changed, 'tables whose row count changed').toEqual([]);
  }

  it('the reported cases: NUL in an environment id, in the JWKS path and in the login email → 400 invalid_request, nothing changed', async () => {
    for (const url of [
      '/e/%00/auth/v1/sessions',
      '/e/%00/.well-known/jwks.json',
      '/e/a%00b/oauth/authorize',
    ]) {
      const response = await send({ method: 'GET', url });
      expect(response?.statusCode).toBe(400);
    }
    const login = await send({
      method: 'POST',
      url: '/auth/v1/login',
      headers: { origin: ORIGIN },
      payload: { email: 'ada@example.com\u0000', password: PASSWORD, clientId: 'app' },
    });
    expect(login?.statusCode).toBe(400);
    expect(login?.json()).toEqual({
      error: 'invalid_request',
      message: 'Invalid request: the field body.email contains a control character.',
    });
    const long = await send({
      method: 'POST',
      url: '/auth/v1/login',
      headers: { origin: ORIGIN },
      payload: { email: `${'a'.repeat(10_000)}@example.com`, password: PASSWORD, clientId: 'app' },
    });
    expect(long?.statusCode).toBe(400);
    await unchanged();
  });

  const PATH_TEMPLATES: { method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH'; path: string }[] = [
    { method: 'GET', path: '/e/{x}/.well-known/jwks.json' },
    { method: 'GET', path: '/e/{x}/.well-known/openid-configuration' },
    { method: 'POST', path: '/e/{x}/auth/v1/login' },
    { method: 'POST', path: '/e/{x}/auth/v1/refresh' },
    { method: 'PUT', path: '/e/{x}/auth/v1/tenant' },
    { method: 'POST', path: '/e/{x}/auth/v1/logout' },
    { method: 'GET', path: '/e/{x}/auth/v1/me' },
    { method: 'GET', path: '/e/{x}/auth/v1/sessions' },
    { method: 'DELETE', path: '/auth/v1/sessions/{x}' },
    { method: 'GET', path: '/e/{x}/auth/v1/revocations' },
    { method: 'GET', path: '/e/{x}/oauth/authorize' },
    { method: 'GET', path: '/e/{x}/oauth/login' },
    { method: 'POST', path: '/e/{x}/oauth/token' },
    { method: 'POST', path: '/e/{x}/oauth/revoke' },
    { method: 'POST', path: '/e/{x}/oauth/introspect' },
    { method: 'GET', path: '/e/{x}/oauth/userinfo' },
    { method: 'GET', path: '/e/{x}/oauth/logout' },
    { method: 'GET', path: '/admin/v1/environments/{x}' },
    { method: 'PATCH', path: '/admin/v1/environments/{x}' },
    { method: 'GET', path: '/admin/v1/environments/{x}/clients' },
    { method: 'GET', path: '/admin/v1/environments/default/clients/{x}' },
    { method: 'DELETE', path: '/admin/v1/environments/default/clients/{x}' },
    { method: 'GET', path: '/admin/v1/environments/{x}/keys' },
    { method: 'POST', path: '/admin/v1/environments/{x}/keys/rotate' },
    { method: 'GET', path: '/admin/v1/environments/default/roles/{x}' },
    { method: 'DELETE', path: '/admin/v1/environments/default/sessions/{x}' },
    { method: 'GET', path: '/admin/v1/environments/{x}/sessions' },
    { method: 'GET', path: '/admin/v1/environments/{x}/stats' },
    { method: 'GET', path: '/admin/v1/environments/default/tenants/{x}' },
    { method: 'GET', path: '/admin/v1/environments/default/tenants/{x}/members' },
    { method: 'DELETE', path: '/admin/v1/environments/default/tenants/acme/members/{x}' },
    { method: 'GET', path: '/admin/v1/environments/default/users/{x}' },
    { method: 'DELETE', path: '/admin/v1/environments/default/users/{x}' },
    { method: 'GET', path: '/admin/v1/environments/default/users/{x}/sessions' },
  ];

  it('arbitrary path segments', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PATH_TEMPLATES), urlPiece, async (route, piece) => {
        // A segment that names something that exists would act on it; the property is for bad input.
        fc.pre(!['default', 'app', 'acme', 'server-app', 'user-ada', 'user-bob'].includes(piece));
        const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? { payload: {} } : {};
        await send({
          method: route.method,
          url: route.path.replace('{x}', piece),
          headers: { ...admin, origin: ORIGIN, 'x-tessera-request': '1', cookie },
          ...body,
        });
        await unchanged();
      }),
      { numRuns: NUM_RUNS * 2 },
    );
  });

  const QUERY_ROUTES = [
    '/oauth/authorize',
    '/oauth/login',
    '/oauth/logout',
    '/oauth/userinfo',
    '/.well-known/jwks.json',
    '/auth/v1/me',
    '/admin/v1/environments',
    '/admin/v1/environments/default/sessions',
    '/admin/v1/environments/default/stats',
  ];

  it('arbitrary query parameters, alone or spoiling a valid authorization request', async () => {
    const valid = new URLSearchParams(authorizeQuery(pkcePair()));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...QUERY_ROUTES),
        fc.constantFrom(...[...valid.keys(), 'interaction', 'id_token_hint', 'client_id', 'login_hint']),
        urlPiece,
        fc.array(fc.tuple(urlPiece, urlPiece), { maxLength: 3 }),
        async (route, name, value, extra) => {
          const query = new URLSearchParams(route === '/oauth/authorize' ? valid : undefined);
          query.delete(name);
          const tail = [`${encodeURIComponent(name)}=${value}`, ...extra.map(([k, v]) => `${k}=${v}`)];
          const prefix = query.toString();
          await send({
            method: 'GET',
            url: `${route}?${prefix}${prefix ? '&' : ''}${tail.join('&')}`,
            headers: { ...admin, cookie: loginForm.cookie },
          });
          await unchanged();
        },
      ),
      { numRuns: NUM_RUNS * 2 },
    );
  });

  const JSON_ROUTES: { method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string }[] = [
    { method: 'POST', url: '/auth/v1/login' },
    { method: 'POST', url: '/auth/v1/refresh' },
    { method: 'PUT', url: '/auth/v1/tenant' },
    { method: 'POST', url: '/auth/v1/logout' },
    { method: 'POST', url: '/oauth/token' },
    { method: 'POST', url: '/oauth/revoke' },
    { method: 'POST', url: '/oauth/introspect' },
    { method: 'POST', url: '/admin/v1/environments' },
    { method: 'PATCH', url: '/admin/v1/environments/default' },
    { method: 'POST', url: '/admin/v1/environments/default/users' },
    { method: 'POST', url: '/admin/v1/environments/default/clients' },
    { method: 'POST', url: '/admin/v1/environments/default/tenants' },
    { method: 'POST', url: '/admin/v1/environments/default/roles' },
    { method: 'PUT', url: '/admin/v1/environments/default/tenants/acme/members/user-ada' },
    { method: 'PATCH', url: '/admin/v1/environments/default/users/user-ada' },
  ];

  it('arbitrary JSON bodies: any value, wrong types, deep nesting, huge strings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...JSON_ROUTES), jsonBody, async (route, payload) => {
        // An empty object is a valid (no-op or defaulted) body for some admin routes.
        fc.pre(!/^\s*(\{\s*\}|null)?\s*$/.test(payload));
        await send({
          method: route.method,
          url: route.url,
          headers: { ...admin, 'content-type': 'application/json', origin: ORIGIN, 'x-tessera-request': '1' },
          payload,
        });
        await unchanged();
      }),
      { numRuns: NUM_RUNS * 2 },
    );
  });

  /** Valid bodies with one field replaced by an arbitrary value: these reach storage. */
  const SPOILABLE: { method: 'POST' | 'PUT' | 'PATCH'; url: string; body: Record<string, unknown> }[] = [
    {
      method: 'POST',
      url: '/auth/v1/login',
      body: { email: 'ada@example.com', password: PASSWORD, clientId: 'app' },
    },
    { method: 'POST', url: '/auth/v1/refresh', body: { clientId: 'app', tenantId: 'acme' } },
    { method: 'PUT', url: '/auth/v1/tenant', body: { clientId: 'app', tenantId: 'globex' } },
    { method: 'POST', url: '/auth/v1/logout', body: { clientId: 'app' } },
    {
      method: 'POST',
      url: '/admin/v1/environments/default/users',
      body: { email: 'new@example.com', password: PASSWORD, name: 'New' },
    },
    {
      method: 'POST',
      url: '/admin/v1/environments/default/tenants',
      body: { id: 'new-tenant', name: 'New' },
    },
    { method: 'POST', url: '/admin/v1/environments', body: { id: 'new-env', name: 'New' } },
    {
      method: 'PATCH',
      url: '/admin/v1/environments/default/users/user-ada',
      body: { name: 'Ada', email: 'ada@example.com' },
    },
  ];

  it('valid bodies with one field made arbitrary (a string that breaks the rule) are refused with 400', async () => {
    const breaking = fc.oneof(
      text.map((s) => `${s}\u0000`),
      text.map((s) => `x${s}\ud800`),
      fc.constant('y'.repeat(MAX_TEXT_BYTES + 1)),
      fc.constant(`${'z'.repeat(10_000)}@example.com`),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SPOILABLE), fc.nat(), breaking, async (route, which, value) => {
        const names = Object.keys(route.body);
        const name = names[which % names.length]!;
        const response = await send({
          method: route.method,
          url: route.url,
          headers: { ...admin, origin: ORIGIN, 'x-tessera-request': '1', cookie },
          payload: { ...route.body, [name]: value },
        });
        expect(response?.statusCode).toBe(400);
        expect(response?.json()).toMatchObject({ error: 'invalid_request' });
        await unchanged();
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('arbitrary form posts to the hosted login, the token endpoints and logout', async () => {
    const FORM_ROUTES = [
      '/oauth/login',
      '/oauth/token',
      '/oauth/revoke',
      '/oauth/introspect',
      '/oauth/logout',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FORM_ROUTES),
        fc.constantFrom('email', 'password', 'tenant_id', 'grant_type', 'code', 'token', 'client_id', 'x'),
        urlPiece,
        fc.boolean(),
        async (route, name, value, withBasic) => {
          const fields =
            route === '/oauth/login' ? { ...loginForm.fields, email: 'ada@example.com', password: 'x' } : {};
          const rest = formBody(
            Object.fromEntries(Object.entries(fields).filter(([key]) => key !== name)) as Record<
              string,
              string
            >,
          );
          await send({
            method: 'POST',
            url: route,
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              cookie: loginForm.cookie,
              ...(withBasic && { authorization: basic }),
            },
            payload: `${rest}${rest ? '&' : ''}${name}=${value}`,
          });
          await unchanged();
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('arbitrary headers: user agent, authorization, cookies, origin, last event id', async () => {
    const headerValue = fc.oneof(text, text.map(urlEncode));
    const header = fc.oneof(
      headerValue.map((v) => ({ 'user-agent': v })),
      headerValue.map((v) => ({ authorization: `Bearer ${v}` })),
      fc.tuple(text, text).map(([id, secret]) => ({
        authorization: `Basic ${Buffer.from(`${urlEncode(id)}:${urlEncode(secret)}`).toString('base64')}`,
      })),
      headerValue.map((v) => ({ cookie: `tessera_refresh=${v}; tessera_login=${v}` })),
      headerValue.map((v) => ({ origin: v })),
      headerValue.map((v) => ({ 'last-event-id': v })),
      headerValue.map((v) => ({ 'x-forwarded-for': v })),
    );
    const routes: { method: 'GET' | 'POST'; url: string; payload?: object }[] = [
      {
        method: 'POST',
        url: '/auth/v1/login',
        payload: { email: 'nobody@example.com', password: 'x', clientId: 'app' },
      },
      { method: 'POST', url: '/auth/v1/refresh', payload: { clientId: 'app' } },
      { method: 'GET', url: '/auth/v1/me' },
      { method: 'GET', url: '/auth/v1/sessions' },
      { method: 'GET', url: '/auth/v1/revocations' },
      { method: 'GET', url: '/oauth/userinfo' },
      { method: 'POST', url: '/oauth/token', payload: { grant_type: 'refresh_token', refresh_token: 'x' } },
      { method: 'POST', url: '/oauth/introspect', payload: { token: 'x' } },
      { method: 'GET', url: '/admin/v1/environments' },
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), header, async (route, headers) => {
        await send({
          method: route.method,
          url: route.url,
          headers: { 'x-tessera-request': '1', ...headers },
          ...(route.payload && { payload: route.payload }),
        });
        await unchanged();
      }),
      { numRuns: NUM_RUNS * 2 },
    );
  });

  it('a bearer token still works for reads after all of it', async () => {
    const me = await t.app.inject({
      method: 'GET',
      url: '/auth/v1/me',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(me.statusCode).toBe(200);
  });
});
