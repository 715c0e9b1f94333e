import { backendsUnderTest } from '@tessera/testing/backends';
import { createTestServer, parseSetCookie, type TestServer } from '@tessera/testing/harness';
import {
  cookieFrom,
  insertClient,
  json,
  ORIGIN,
  seedWorld,
  sessionApi,
  type World,
} from '@tessera/testing/world';
import { decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionPolicy } from '../../engine/policy.js';
import { hashRefreshToken } from '../../tokens/refresh-token.js';

const backends = await backendsUnderTest();
const OFF: SessionPolicy = {
  idleTimeoutSeconds: null,
  absoluteTimeoutSeconds: null,
  maxConcurrentSessions: null,
  onLimit: 'evict_oldest',
};

describe.each(backends)('POST /auth/v1/refresh (%s)', (backend) => {
  let t: TestServer;
  let world: World;
  let api: ReturnType<typeof sessionApi>;
  let cookie: string;

  beforeEach(async () => {
    t = await createTestServer({ backend });
    world = await seedWorld(t);
    api = sessionApi(t);
    cookie = cookieFrom(await api.login());
  });
  afterEach(async () => t.close());

  const setPolicy = (policy: Partial<SessionPolicy>) =>
    t.deps.storage.updateEnvironment('default', { sessionPolicy: { ...OFF, ...policy } });
  const sessionOf = async () => (await t.deps.storage.listLiveSessions('default', world.users.ada.id))[0];
  const expectError = (response: Awaited<ReturnType<typeof api.refresh>>, status: number, error: string) => {
    expect({ status: response.statusCode, error: json(response).error }).toEqual({ status, error });
  };

  it('RT-01: rotates the refresh token on every use', async () => {
    const first = await api.refresh(cookie);
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    const next = cookieFrom(first);
    expect(next).not.toBe(cookie);
    expect(json(first)).toMatchObject({ tokenType: 'Bearer', expiresIn: 300, tenantId: 'acme' });
    expect((await api.refresh(next)).statusCode).toBe(200);
  });

  it('RT-03a: the predecessor inside the grace window gets the same successor', async () => {
    const successor = cookieFrom(await api.refresh(cookie));
    t.clock.advance(9);
    const replay = await api.refresh(cookie);
    expect(replay.statusCode).toBe(200);
    expect(cookieFrom(replay)).toBe(successor);
    expect((await api.refresh(successor)).statusCode).toBe(200);
  });

  it('RT-02 / RT-03b: the predecessor after the window ends the whole session and clears the cookie', async () => {
    const successor = cookieFrom(await api.refresh(cookie));
    t.clock.advance(10);
    const reuse = await api.refresh(cookie);
    expectError(reuse, 401, 'refresh_token_reused');
    expect(parseSetCookie(reuse)?.attributes['max-age']).toBe('0');
    expectError(await api.refresh(successor), 401, 'refresh_token_reused');
    expect(await sessionOf()).toBeUndefined();
  });

  it('RT-03c: a grandparent ends the session even inside the window', async () => {
    const second = cookieFrom(await api.refresh(cookie));
    const third = cookieFrom(await api.refresh(second));
    expectError(await api.refresh(cookie), 401, 'refresh_token_reused');
    expectError(await api.refresh(third), 401, 'refresh_token_reused');
  });

  it.each([
    ['a flipped character', (v: string) => `${v.slice(0, -1)}${v.endsWith('A') ? 'B' : 'A'}`],
    ['a truncated value', (v: string) => v.slice(0, 20)],
    ['appended data', (v: string) => `${v}AAAA`],
    ['a random well-formed value', () => 'A'.repeat(43)],
    ['RT-08: the stored hash itself', (v: string) => hashRefreshToken(v)],
  ])('RT-04: %s is no_session and the real session keeps working', async (_name, mangle) => {
    const [name, value] = cookie.split('=') as [string, string];
    const response = await api.refresh(`${name}=${mangle(value)}`);
    expectError(response, 401, 'no_session');
    expect((await api.refresh(cookie)).statusCode).toBe(200);
  });

  it('no cookie is no_session', async () => {
    expectError(await api.refresh(undefined), 401, 'no_session');
  });

  it('the same cookie name twice (cookie tossing) is refused and changes nothing', async () => {
    const response = await api.refresh(`${cookie}; ${cookie.split('=')[0]}=${'B'.repeat(43)}`);
    expectError(response, 400, 'invalid_request');
    expect((await api.refresh(cookie)).statusCode).toBe(200);
  });

  it.each([
    ['no X-Tessera-Request header', { origin: ORIGIN }],
    ['a foreign Origin', { 'x-tessera-request': '1', origin: 'https://evil.example' }],
    ['Origin null', { 'x-tessera-request': '1', origin: 'null' }],
    ['the right host on the wrong port', { 'x-tessera-request': '1', origin: 'http://localhost:5174' }],
    ['Sec-Fetch-Site: cross-site', { 'x-tessera-request': '1', 'sec-fetch-site': 'cross-site' }],
  ])('CSRF-01: %s → 403 csrf_rejected, the token is not consumed', async (_name, headers) => {
    expectError(await api.refresh(cookie, {}, headers as Record<string, string>), 403, 'csrf_rejected');
    expect((await api.refresh(cookie)).statusCode).toBe(200);
  });

  it('CSRF-02 / OPS-08: GET and TRACE on /refresh are 405', async () => {
    for (const method of ['GET', 'TRACE'] as const) {
      const response = await t.app.inject({ method, url: '/auth/v1/refresh' });
      expect(response.statusCode).toBe(405);
      expect(json(response).error).toBe('method_not_allowed');
      expect(response.headers.allow).toBe('POST');
    }
  });

  it("TEN-05: a refresh asks for its tab's tenant without moving the session default", async () => {
    const globex = await api.refresh(cookie, { tenantId: 'globex' });
    expect(json(globex)).toMatchObject({ tenantId: 'globex', tenantIds: ['acme', 'globex'] });
    const untouched = await api.refresh(cookieFrom(globex));
    expect(json(untouched).tenantId).toBe('acme');
  });

  it('PUT /tenant moves the session default and counts as activity', async () => {
    t.clock.advance(30);
    const switched = await api.switchTenant(cookie, 'globex');
    expect(json(switched).tenantId).toBe('globex');
    expect((await sessionOf())?.lastActiveAt).toBe(t.clock.now());
    expect(json(await api.refresh(cookieFrom(switched))).tenantId).toBe('globex');
  });

  it('TEN-02: a tenant the user is not in is 403 and the session survives', async () => {
    const bob = cookieFrom(await api.login({ email: 'bob@example.com' }));
    const forbidden = await api.refresh(bob, { tenantId: 'globex' });
    expectError(forbidden, 403, 'tenant_forbidden');
    // The session lives on, so its cookie is left alone.
    expect(forbidden.headers['set-cookie']).toBeUndefined();
    expect((await api.refresh(bob)).statusCode).toBe(200);
  });

  it('TEN-03: a removed membership is refused at the next refresh', async () => {
    await t.deps.storage.deleteMembership('default', 'globex', world.users.ada.id);
    expectError(await api.refresh(cookie, { tenantId: 'globex' }), 403, 'tenant_forbidden');
  });

  it('RT-07: a token presented for a client the session does not serve, without its Origin, is no_session and ends nothing', async () => {
    await insertClient(t, 'other');
    const refused = await api.refresh(cookie, { clientId: 'other' }, { 'x-tessera-request': '1' });
    expectError(refused, 401, 'no_session');
    expect(refused.headers['set-cookie']).toBeUndefined();
    expect((await api.refresh(cookie)).statusCode).toBe(200);
  });

  it('ADR 0004: once the session is authorized for another client, that client may refresh it, and its tokens name it', async () => {
    await insertClient(t, 'other');
    const sid = (await sessionOf())!.id;
    await t.deps.storage.addSessionClient({
      sessionId: sid,
      clientId: 'other',
      now: t.clock.now(),
      scopes: ['openid'],
    });
    const other = await api.refresh(cookie, { clientId: 'other' });
    expect(other.statusCode).toBe(200);
    const claims = decodeJwt(json<{ accessToken: string }>(other).accessToken);
    expect(claims).toMatchObject({ aud: 'other', client_id: 'other', sid });
    expect((await api.refresh(cookieFrom(other))).statusCode).toBe(200);
  });

  it('SES-07: idle 299 s is alive; 300 s after the last activity ends the session', async () => {
    await setPolicy({ idleTimeoutSeconds: 300 });
    t.clock.advance(299);
    const alive = await api.refresh(cookie, { active: true });
    expect(alive.statusCode).toBe(200);
    t.clock.advance(300);
    expectError(await api.refresh(cookieFrom(alive)), 401, 'idle_timeout');
    expect(await sessionOf()).toBeUndefined();
  });

  it('SES-08: background refreshes keep the token fresh but do not extend the idle clock', async () => {
    await setPolicy({ idleTimeoutSeconds: 300 });
    let current = cookie;
    for (let elapsed = 100; elapsed < 300; elapsed += 100) {
      t.clock.advance(100);
      const background = await api.refresh(current, { active: false });
      expect(background.statusCode).toBe(200);
      current = cookieFrom(background);
    }
    t.clock.advance(100);
    expectError(await api.refresh(current, { active: false }), 401, 'idle_timeout');
  });

  it('the idle timeout is the one of the tenant the refresh asks for', async () => {
    await t.deps.storage.updateTenant('default', 'globex', { sessionPolicy: { idleTimeoutSeconds: 60 } });
    t.clock.advance(120);
    const acme = await api.refresh(cookie, { tenantId: 'acme' });
    expect(acme.statusCode).toBe(200);
    expectError(await api.refresh(cookieFrom(acme), { tenantId: 'globex' }), 401, 'idle_timeout');
  });

  it("SES-09: the strictest absolute timeout across the user's tenants forces re-login; rotation never extends it", async () => {
    await setPolicy({ absoluteTimeoutSeconds: 86400 });
    await t.deps.storage.updateTenant('default', 'globex', {
      sessionPolicy: { absoluteTimeoutSeconds: 3600 },
    });
    let current = cookie;
    for (let minute = 1; minute < 60; minute++) {
      t.clock.advance(60);
      const response = await api.refresh(current, { tenantId: 'acme', active: true });
      expect(response.statusCode).toBe(200);
      expect(Number(parseSetCookie(response)?.attributes['max-age'])).toBe(3600 - minute * 60);
      current = cookieFrom(response);
    }
    t.clock.advance(60);
    expectError(await api.refresh(current, { tenantId: 'acme', active: true }), 401, 'relogin_required');
  });

  it('a policy change applies at the next refresh', async () => {
    t.clock.advance(120);
    const before = await api.refresh(cookie);
    expect(before.statusCode).toBe(200);
    await t.deps.storage.updateTenant('default', 'acme', { sessionPolicy: { idleTimeoutSeconds: 60 } });
    expectError(await api.refresh(cookieFrom(before)), 401, 'idle_timeout');
  });

  it('the refresh token lifetime ends the session (session_expired)', async () => {
    await t.deps.storage.updateEnvironment('default', {
      tokenSettings: {
        ...(await t.deps.storage.getEnvironment('default'))!.tokenSettings,
        refreshTokenTtlSeconds: 3600,
      },
    });
    const short = cookieFrom(await api.refresh(cookie));
    t.clock.advance(3600);
    expectError(await api.refresh(short), 401, 'session_expired');
  });

  it('RT-10 / SES-11: disabling the user ends the session', async () => {
    await t.deps.storage.setUserStatus({
      envId: 'default',
      userId: world.users.ada.id,
      status: 'disabled',
      now: t.clock.now(),
    });
    expectError(await api.refresh(cookie), 403, 'user_disabled');
  });

  it('logout ends the session, clears the cookie, and is idempotent (CK-05, SES-10)', async () => {
    const response = await api.logout(cookie);
    expect(response.statusCode).toBe(204);
    const cleared = parseSetCookie(response);
    expect(cleared).toMatchObject({
      name: 'tessera_refresh',
      value: '',
      attributes: { 'max-age': '0', path: '/' },
    });
    expectError(await api.refresh(cookie), 401, 'session_revoked');
    expect((await api.logout(cookie)).statusCode).toBe(204);
    expect((await api.logout(undefined)).statusCode).toBe(204);
  });

  it('logout needs the CSRF header too', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/auth/v1/logout',
      payload: { clientId: 'app' },
      headers: { cookie },
    });
    expectError(response, 403, 'csrf_rejected');
    expect((await api.refresh(cookie)).statusCode).toBe(200);
  });
});
