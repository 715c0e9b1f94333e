/**
 * Which clients the browser session API serves, and which refresh tokens it takes (DESIGN §3.1;
 * ADR 0004): `spa` clients only; the cookie's own refresh-token family only; a refusal caused by
 * the calling client never clears the cookie or ends the session; and another spa of the
 * environment, from its registered origin, joins the browser's session without a password.
 */

import { backendsUnderTest } from '@tessera/testing/backends';
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import {
  authorizeQuery,
  CONFIDENTIAL_REDIRECT_URI,
  callbackParams,
  insertConfidentialClient,
  pkcePair,
  testBrowser,
  tokenRequest,
} from '@tessera/testing/hosted-login';
import { cookieFrom, json, ORIGIN, seedWorld, sessionApi, type World } from '@tessera/testing/world';
import type { LightMyRequestResponse } from 'fastify';
import { decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const backends = await backendsUnderTest();
const SECRET = 's3cret-'.padEnd(43, 'x');
/** App B: another spa of the environment, on its own origin. */
const ORIGIN_B = 'http://localhost:5175';

/** Whether a response touches the refresh cookie at all (a clearing one included). */
const setsCookie = (response: LightMyRequestResponse) => response.headers['set-cookie'] !== undefined;

describe.each(backends)('the session API binds clients and tokens (%s)', (backend) => {
  let t: TestServer;
  let world: World;
  let api: ReturnType<typeof sessionApi>;
  let basic: string;

  beforeEach(async () => {
    t = await createTestServer({ backend });
    world = await seedWorld(t);
    api = sessionApi(t);
    basic = await insertConfidentialClient(t, SECRET);
    await t.deps.storage.insertClient({
      envId: 'default',
      clientId: 'app-b',
      name: 'App B',
      type: 'spa',
      secretHash: null,
      redirectUris: [`${ORIGIN_B}/callback`],
      allowedOrigins: [ORIGIN_B],
      postLogoutRedirectUris: [],
      createdAt: t.clock.now(),
    });
  });
  afterEach(async () => t.close());

  const liveSessions = () => t.deps.storage.listLiveSessions('default', world.users.ada.id);
  const errorOf = (response: LightMyRequestResponse) => ({
    status: response.statusCode,
    error: json(response).error,
  });
  const asClient = (clientId: string, cookie: string | undefined, headers: Record<string, string>) => ({
    refresh: () => api.refresh(cookie, { clientId }, headers),
    switchTenant: () =>
      api.inject('PUT', '/auth/v1/tenant', {
        body: { clientId, tenantId: 'globex' },
        headers: { ...headers, ...(cookie && { cookie }) },
      }),
    logout: () =>
      api.inject('POST', '/auth/v1/logout', {
        body: { clientId },
        headers: { ...headers, ...(cookie && { cookie }) },
      }),
  });

  it('RT-07: login with a confidential client is 403 unauthorized_client and creates no session', async () => {
    // Sent as curl would: no Origin at all.
    const response = await api.login({ clientId: 'server-app' }, {});
    expect(errorOf(response)).toEqual({ status: 403, error: 'unauthorized_client' });
    expect(setsCookie(response)).toBe(false);
    expect(await liveSessions()).toEqual([]);
  });

  it('RT-07: refresh, tenant switch and logout with a confidential client are refused; the cookie and the session stay', async () => {
    const cookie = cookieFrom(await api.login());
    const confidential = asClient('server-app', cookie, { 'x-tessera-request': '1' });
    for (const call of [confidential.refresh, confidential.switchTenant, confidential.logout]) {
      const response = await call();
      expect(errorOf(response)).toEqual({ status: 403, error: 'unauthorized_client' });
      expect(setsCookie(response)).toBe(false);
    }
    expect(await liveSessions()).toHaveLength(1);
    expect((await api.refresh(cookie)).statusCode).toBe(200);
  });

  it("RT-07: a confidential client's refresh token presented as the cookie is no_session and ends nothing", async () => {
    // Bob signs in to the confidential app through the hosted login; `app` shares the session.
    const pkce = pkcePair();
    const browser = testBrowser(t);
    const page = await browser.follow(
      await browser.authorize(
        authorizeQuery(pkce, {
          client_id: 'server-app',
          redirect_uri: CONFIDENTIAL_REDIRECT_URI,
          scope: 'openid offline_access',
        }),
      ),
    );
    const code = callbackParams(await browser.submitLogin(page)).get('code') ?? '';
    const granted = json<{ refresh_token: string }>(
      await tokenRequest(
        t,
        {
          grant_type: 'authorization_code',
          code,
          redirect_uri: CONFIDENTIAL_REDIRECT_URI,
          code_verifier: pkce.verifier,
        },
        { authorization: basic },
      ),
    );
    const browserCookie = browser.cookieHeader().cookie ?? '';
    const sso = await browser.authorize(authorizeQuery(pkcePair()));
    expect(callbackParams(sso).get('code')).toBeTruthy();

    const presented = await api.refresh(`tessera_refresh=${granted.refresh_token}`);
    expect(errorOf(presented)).toEqual({ status: 401, error: 'no_session' });
    const [live] = await t.deps.storage.listLiveSessions('default', world.users.bob.id);
    expect(live).toBeDefined();
    // Nor is it the browser's session to replace at a login (SES-06 replaces the cookie's own).
    const login = await api.login(
      { email: 'bob@example.com' },
      { origin: ORIGIN, cookie: `tessera_refresh=${granted.refresh_token}` },
    );
    expect(login.statusCode).toBe(200);
    expect((await t.deps.storage.getSession(live?.id ?? ''))?.endedAt).toBeNull();
    // Neither family was touched: the confidential client still refreshes, and so does the browser.
    const refreshed = await tokenRequest(
      t,
      { grant_type: 'refresh_token', refresh_token: granted.refresh_token },
      { authorization: basic },
    );
    expect(refreshed.statusCode).toBe(200);
    expect((await api.refresh(browserCookie)).statusCode).toBe(200);
  });

  it('SSO: another spa of the environment, from its registered Origin, joins the browser session on refresh', async () => {
    const cookie = cookieFrom(await api.login());
    const sid = (await liveSessions())[0]?.id;
    const joined = await asClient('app-b', cookie, { 'x-tessera-request': '1', origin: ORIGIN_B }).refresh();
    expect(joined.statusCode).toBe(200);
    expect(decodeJwt(json<{ accessToken: string }>(joined).accessToken)).toMatchObject({
      sid,
      aud: 'app-b',
      client_id: 'app-b',
    });
    // App A is still signed in and refreshes with the rotated cookie; nothing else was opened.
    const next = cookieFrom(joined);
    const a = await api.refresh(next);
    expect(a.statusCode).toBe(200);
    expect(await liveSessions()).toHaveLength(1);
    // Once joined, B belongs to the session: a refresh without Origin works for it too.
    const b = await asClient('app-b', cookieFrom(a), { 'x-tessera-request': '1' }).refresh();
    expect(b.statusCode).toBe(200);
  });

  it('SSO: a tenant switch from B’s registered Origin joins the session as well', async () => {
    const cookie = cookieFrom(await api.login());
    const switched = await asClient('app-b', cookie, {
      'x-tessera-request': '1',
      origin: ORIGIN_B,
    }).switchTenant();
    expect(switched.statusCode).toBe(200);
    expect(json(switched).tenantId).toBe('globex');
  });

  it('a spa not in the session and without an Origin is no_session: the cookie is kept and the session still refreshes', async () => {
    const cookie = cookieFrom(await api.login());
    const refused = await asClient('app-b', cookie, { 'x-tessera-request': '1' }).refresh();
    expect(errorOf(refused)).toEqual({ status: 401, error: 'no_session' });
    expect(setsCookie(refused)).toBe(false);
    expect(await liveSessions()).toHaveLength(1);
    expect((await api.refresh(cookie)).statusCode).toBe(200);
  });

  it.each([
    [
      'an origin B did not register',
      { 'x-tessera-request': '1', origin: 'http://localhost:5176' },
      403,
      'csrf_rejected',
    ],
    ['A’s origin', { 'x-tessera-request': '1', origin: ORIGIN }, 403, 'csrf_rejected'],
    ['no CSRF header', { origin: ORIGIN_B }, 403, 'csrf_rejected'],
  ])(
    'a refresh for B with %s is refused; the cookie is kept and A still refreshes',
    async (_name, headers, status, error) => {
      const cookie = cookieFrom(await api.login());
      const refused = await asClient('app-b', cookie, headers as Record<string, string>).refresh();
      expect(errorOf(refused)).toEqual({ status, error });
      expect(setsCookie(refused)).toBe(false);
      expect((await api.refresh(cookie)).statusCode).toBe(200);
      // And B did not join: without an Origin it is still a stranger to the session.
      expect(errorOf(await asClient('app-b', cookie, { 'x-tessera-request': '1' }).refresh()).error).toBe(
        'no_session',
      );
    },
  );

  it('an unknown client is invalid_request; the cookie is kept and the session still refreshes', async () => {
    const cookie = cookieFrom(await api.login());
    const refused = await asClient('nobody', cookie, { 'x-tessera-request': '1' }).refresh();
    expect(errorOf(refused)).toEqual({ status: 400, error: 'invalid_request' });
    expect(setsCookie(refused)).toBe(false);
    expect((await api.refresh(cookie)).statusCode).toBe(200);
  });
});
