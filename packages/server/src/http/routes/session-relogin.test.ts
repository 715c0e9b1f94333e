/**
 * SES-06: every authentication renews the session. A login in a browser that already holds a live
 * session of the environment ends that session (`replaced`) in the same atomic step that creates
 * the new one, so it never counts against the session limit; the new sid and refresh token are
 * always fresh, even for the same user.
 */

import { backendsUnderTest } from '@tessera/testing/backends';
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import {
  authorizeQuery,
  callbackParams,
  pkcePair,
  signInThroughHostedLogin,
} from '@tessera/testing/hosted-login';
import {
  cookieFrom,
  json,
  ORIGIN,
  PASSWORD,
  seedWorld,
  sessionApi,
  type World,
} from '@tessera/testing/world';
import type { LightMyRequestResponse } from 'fastify';
import { decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionPolicy } from '../../engine/policy.js';

const backends = await backendsUnderTest();

describe.each(backends)('SES-06: login over an existing session (%s)', (backend) => {
  let t: TestServer;
  let world: World;
  let api: ReturnType<typeof sessionApi>;

  beforeEach(async () => {
    t = await createTestServer({ backend });
    world = await seedWorld(t);
    api = sessionApi(t);
  });
  afterEach(async () => t.close());

  const setPolicy = (policy: Partial<SessionPolicy>) =>
    t.deps.storage.updateEnvironment('default', {
      sessionPolicy: {
        idleTimeoutSeconds: null,
        absoluteTimeoutSeconds: null,
        maxConcurrentSessions: null,
        onLimit: 'evict_oldest',
        ...policy,
      },
    });
  const liveSessions = (userId = world.users.ada.id) => t.deps.storage.listLiveSessions('default', userId);
  const loginWith = (cookie: string, body: Record<string, unknown> = {}) =>
    api.login(body, { origin: ORIGIN, cookie });
  const sidOf = (response: LightMyRequestResponse) =>
    decodeJwt(json<{ accessToken: string }>(response).accessToken).sid as string;

  it('SES-06: the same user logging in again gets a new sid and refresh token; the old session ends as replaced', async () => {
    const first = await api.login();
    const oldCookie = cookieFrom(first);
    const oldSid = sidOf(first);
    t.clock.advance(5);
    const second = await loginWith(oldCookie);
    expect(second.statusCode).toBe(200);
    expect(cookieFrom(second)).not.toBe(oldCookie);
    expect(sidOf(second)).not.toBe(oldSid);
    expect((await liveSessions()).map((s) => s.id)).toEqual([sidOf(second)]);
    expect(await t.deps.storage.getSession(oldSid)).toMatchObject({
      endReason: 'replaced',
      endedAt: t.clock.now(),
    });
    const stale = await api.refresh(oldCookie);
    expect([stale.statusCode, json(stale).error]).toEqual([401, 'session_revoked']);
    // The revocation feed announces it with its own reason.
    const endings = await t.deps.storage.listSessionEndings('default', 0, 10);
    expect(endings).toEqual([{ sessionId: oldSid, reason: 'replaced', endedAt: t.clock.now() }]);
  });

  it('SES-06: another account signing in in the same browser replaces the first account’s session', async () => {
    const ada = cookieFrom(await api.login());
    const bob = await loginWith(ada, { email: 'bob@example.com' });
    expect(bob.statusCode).toBe(200);
    expect(await liveSessions()).toEqual([]);
    expect(await liveSessions(world.users.bob.id)).toHaveLength(1);
  });

  it('SES-12: with maxConcurrentSessions 1 and onLimit reject, logging in again in the same browser works', async () => {
    await setPolicy({ maxConcurrentSessions: 1, onLimit: 'reject' });
    const cookie = cookieFrom(await api.login());
    const again = await loginWith(cookie);
    expect(again.statusCode).toBe(200);
    expect(await liveSessions()).toHaveLength(1);
    // Another browser is still refused: the limit holds.
    expect(json(await api.login()).error).toBe('max_sessions_reached');
    expect((await api.refresh(cookieFrom(again))).statusCode).toBe(200);
  });

  it('a refused login (wrong password, the limit) leaves the browser’s session alone', async () => {
    await setPolicy({ maxConcurrentSessions: 1, onLimit: 'reject' });
    const bobCookie = cookieFrom(await api.login({ email: 'bob@example.com' }));
    const wrong = await loginWith(bobCookie, { password: 'wrong password' });
    expect(json(wrong).error).toBe('invalid_credentials');
    // Ada already has her one session elsewhere: her login in Bob's browser is refused.
    await api.login();
    const limited = await loginWith(bobCookie);
    expect(json(limited).error).toBe('max_sessions_reached');
    expect(await liveSessions(world.users.bob.id)).toHaveLength(1);
    expect((await api.refresh(bobCookie)).statusCode).toBe(200);
  });

  it.each([
    ['a garbled cookie', () => 'tessera_refresh=not-a-token'],
    ['an unknown token', () => `tessera_refresh=${'A'.repeat(43)}`],
    ['another environment’s cookie name', () => `tessera_refresh_other=${'A'.repeat(43)}`],
  ])('%s is ignored at login, and ends nobody', async (_name, cookie) => {
    const elsewhere = cookieFrom(await api.login());
    const response = await loginWith(cookie());
    expect(response.statusCode).toBe(200);
    expect(await liveSessions()).toHaveLength(2);
    expect((await api.refresh(elsewhere)).statusCode).toBe(200);
  });

  it('a token of another environment is ignored at login there, and its session lives on', async () => {
    const admin = { authorization: `Bearer ${t.adminKey}` };
    const post = (url: string, payload: object) =>
      t.app.inject({ method: 'POST', url: `/admin/v1${url}`, headers: admin, payload });
    await post('/environments', { id: 'eu', name: 'EU' });
    await post('/environments/eu/clients', {
      clientId: 'web',
      name: 'Web',
      type: 'spa',
      redirectUris: [],
      allowedOrigins: [ORIGIN],
      postLogoutRedirectUris: [],
    });
    await post('/environments/eu/tenants', { id: 'acme', name: 'Acme' });
    const eve = json<{ id: string }>(
      await post('/environments/eu/users', { email: 'eve@example.com', password: PASSWORD }),
    );
    await t.app.inject({
      method: 'PUT',
      url: `/admin/v1/environments/eu/tenants/acme/members/${eve.id}`,
      headers: admin,
      payload: { roles: [] },
    });
    // Ada's default-environment token, planted under the EU environment's cookie name.
    const adas = cookieFrom(await api.login()).split('=')[1];
    const eu = await api.inject('POST', '/e/eu/auth/v1/login', {
      body: { email: 'eve@example.com', password: PASSWORD, clientId: 'web' },
      headers: { origin: ORIGIN, cookie: `tessera_refresh_eu=${adas}` },
    });
    expect(eu.statusCode).toBe(200);
    expect(await liveSessions()).toHaveLength(1);
    expect((await api.refresh(`tessera_refresh=${adas}`)).statusCode).toBe(200);
  });

  it('the refresh cookie sent twice names no session: the login works and ends nobody', async () => {
    const first = cookieFrom(await api.login());
    const second = cookieFrom(await api.login());
    const response = await loginWith(`${first}; ${second}`);
    expect(response.statusCode).toBe(200);
    expect(await liveSessions()).toHaveLength(3);
  });

  it('an ended session’s cookie is ignored at login', async () => {
    const cookie = cookieFrom(await api.login());
    await api.logout(cookie);
    const response = await loginWith(cookie);
    expect(response.statusCode).toBe(200);
    expect(await liveSessions()).toHaveLength(1);
  });

  it('SES-06: the hosted login replaces the browser’s session the same way, also at a limit of 1 with reject', async () => {
    await setPolicy({ maxConcurrentSessions: 1, onLimit: 'reject' });
    const pkce = pkcePair();
    const { browser, code } = await signInThroughHostedLogin(t, pkce);
    expect(code).not.toBe('');
    const [first] = await liveSessions(world.users.bob.id);
    const page = await browser.follow(await browser.authorize(authorizeQuery(pkce, { prompt: 'login' })));
    const done = await browser.submitLogin(page, 'bob@example.com', PASSWORD);
    expect(callbackParams(done).get('code')).toBeTruthy();
    const live = await liveSessions(world.users.bob.id);
    expect(live).toHaveLength(1);
    expect(live[0]?.id).not.toBe(first?.id);
    expect(await t.deps.storage.getSession(first?.id ?? '')).toMatchObject({ endReason: 'replaced' });
  });
});
