/**
 * Which events a session's life and an admin's changes record (docs/events.md), with what; that a
 * successful refresh records none; that an event the store refuses never fails the operation; and
 * that no event holds a token, cookie, password, hash or secret.
 */
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import {
  authorizeQuery,
  callbackParams,
  pkcePair,
  REDIRECT_URI,
  redeem,
  signInThroughHostedLogin,
} from '@tessera/testing/hosted-login';
import { capturingLogger } from '@tessera/testing/log-capture';
import { cookieFrom, json, ORIGIN, PASSWORD, seedWorld, sessionApi } from '@tessera/testing/world';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashClientSecret } from '../service/admin/client-secret.js';
import { sweepLapsedSessions } from '../service/revocations/lapse-sweep.js';
import type { EventRecord } from '../storage/records.js';
import { hashRefreshToken } from '../tokens/refresh-token.js';

const UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) <b>hostile</b>';

describe('recorded events', () => {
  let t: TestServer;
  let logLines: string[];
  let api: ReturnType<typeof sessionApi>;

  beforeEach(async () => {
    const capture = capturingLogger();
    logLines = capture.lines;
    t = await createTestServer({ logger: capture.logger });
    await seedWorld(t);
    api = sessionApi(t);
  });
  afterEach(async () => t.close());

  /** Every stored event of the default environment, oldest first. */
  async function events(): Promise<EventRecord[]> {
    return (await t.deps.storage.listEvents('default', {}, { after: null, limit: 200 })).items.reverse();
  }
  const types = async () => (await events()).map((e) => e.type);
  const admin = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT', url: string, body?: unknown) =>
    t.app.inject({
      method,
      url: `/admin/v1/environments/default${url}`,
      headers: { authorization: `Bearer ${t.adminKey}`, 'user-agent': 'curl/8.5.0' },
      ...(body !== undefined && { payload: body as object }),
    });
  const login = (body: Record<string, unknown> = {}) => api.login(body, { origin: ORIGIN, 'user-agent': UA });

  it('a login: session.created with the user, session, tenant, client, IP and user agent', async () => {
    const response = await login();
    expect(response.statusCode).toBe(200);
    const [created] = await events();
    expect(created).toEqual({
      id: expect.stringMatching(/^evt_[0-9a-f]{12}[0-9a-f]{6}[0-9a-f]{16}$/),
      envId: 'default',
      type: 'session.created',
      at: t.clock.now() * 1000,
      userId: 'user-ada',
      sid: expect.any(String),
      tenantId: 'acme',
      clientId: 'app',
      ip: '127.0.0.1',
      userAgent: UA,
      details: { method: 'password', via: 'session_api' },
    });
    expect(logLines.some((line) => JSON.parse(line).event === 'login.succeeded')).toBe(true);
  });

  it('failed logins: each reason, with the account only when it exists', async () => {
    await login({ password: 'not the password' });
    await login({ email: 'nobody@example.com', password: 'not the password' });
    await login({ email: 'bob@example.com', tenantId: 'globex' });
    await t.deps.storage.setUserStatus({
      envId: 'default',
      userId: 'user-bob',
      status: 'disabled',
      now: t.clock.now(),
    });
    await login({ email: 'bob@example.com' });
    await t.deps.storage.updateTenant('default', 'acme', {
      sessionPolicy: { maxConcurrentSessions: 1, onLimit: 'reject' },
    });
    expect((await login()).statusCode).toBe(200);
    expect((await login()).statusCode).toBe(403);
    const failed = (await events()).filter((e) => e.type === 'login.failed');
    expect(failed.map((e) => [e.userId, e.details.reason])).toEqual([
      ['user-ada', 'invalid_credentials'],
      [null, 'invalid_credentials'],
      ['user-bob', 'tenant_forbidden'],
      ['user-bob', 'user_disabled'],
      ['user-ada', 'max_sessions_reached'],
    ]);
    expect(failed[0]).toMatchObject({ clientId: 'app', ip: '127.0.0.1', userAgent: UA });
  });

  it('a throttled login: rate_limited, naming the account', async () => {
    let status = 0;
    for (let attempt = 0; attempt < 40 && status !== 429; attempt++) {
      status = (await login({ password: `guess ${attempt}` })).statusCode;
    }
    expect(status).toBe(429);
    expect((await events()).at(-1)).toMatchObject({
      type: 'login.failed',
      userId: 'user-ada',
      details: { reason: 'rate_limited' },
    });
  });

  it('a successful refresh records nothing; a reused token: refused, reused, ended, in that order', async () => {
    const cookie = cookieFrom(await login());
    const before = await events();
    expect((await api.refresh(cookie)).statusCode).toBe(200);
    expect(await events()).toEqual(before);
    t.clock.advance(60);
    expect((await api.refresh(cookie)).statusCode).toBe(401);
    const [reused, ended, refused] = (await events()).slice(before.length);
    const sid = before[0]!.sid;
    expect(reused).toMatchObject({
      type: 'session.refresh_reused',
      sid,
      userId: 'user-ada',
      ip: '127.0.0.1',
    });
    expect(ended).toMatchObject({ type: 'session.ended', sid, details: { reason: 'refresh_token_reused' } });
    expect(refused).toMatchObject({
      type: 'session.refresh_refused',
      sid,
      userId: 'user-ada',
      clientId: 'app',
      details: { code: 'refresh_token_reused' },
    });
    // A request without a cookie is a signed-out page, not an event.
    await api.refresh(undefined);
    expect(await events()).toHaveLength(before.length + 3);
  });

  it('a refresh of an ended session: refused with its code', async () => {
    const cookie = cookieFrom(await login());
    await api.logout(cookie);
    await api.refresh(cookie);
    expect((await events()).at(-1)).toMatchObject({
      type: 'session.refresh_refused',
      details: { code: 'session_revoked' },
    });
  });

  it('a tenant switch: from → to; switching to the tenant in use records nothing', async () => {
    const cookie = cookieFrom(await login());
    const switched = await api.switchTenant(cookie, 'globex');
    expect(switched.statusCode).toBe(200);
    expect((await events()).at(-1)).toMatchObject({
      type: 'session.tenant_switched',
      userId: 'user-ada',
      tenantId: 'globex',
      details: { from: 'acme', to: 'globex' },
    });
    await api.switchTenant(cookieFrom(switched), 'globex');
    expect(await types()).toEqual(['session.created', 'session.tenant_switched']);
  });

  it('endings: logout, eviction by the session limit, an idle session swept', async () => {
    const first = cookieFrom(await login());
    await api.logout(first);
    await t.deps.storage.updateEnvironment('default', {
      sessionPolicy: {
        idleTimeoutSeconds: 60,
        absoluteTimeoutSeconds: null,
        maxConcurrentSessions: 1,
        onLimit: 'evict_oldest',
      },
    });
    await login();
    const third = await login();
    t.clock.advance(61);
    expect(await sweepLapsedSessions(t.deps)).toBe(1);
    const ended = (await events()).filter((e) => e.type === 'session.ended');
    expect(ended.map((e) => [e.userId, e.details.reason])).toEqual([
      ['user-ada', 'logout'],
      ['user-ada', 'evicted'],
      ['user-ada', 'idle_timeout'],
    ]);
    expect(ended[0]).toMatchObject({ ip: '127.0.0.1', clientId: 'app' });
    const created = (await events()).filter((e) => e.type === 'session.created');
    expect(ended[1]!.sid).toBe(created[1]!.sid);
    expect(ended[2]!.sid).toBe(created[2]!.sid);
    expect(third.statusCode).toBe(200);
  });

  it('admin changes: actor, target, and before → after of what changed', async () => {
    const cookie = cookieFrom(await login({ email: 'bob@example.com' }));
    expect(cookie).toBeTruthy();
    expect(
      (await admin('PATCH', '/tenants/acme', { sessionPolicy: { idleTimeoutSeconds: 300 } })).statusCode,
    ).toBe(200);
    expect((await admin('PATCH', '/users/user-bob', { status: 'disabled' })).statusCode).toBe(200);
    expect((await admin('POST', '/keys/rotate')).statusCode).toBe(200);
    const mine = cookieFrom(await login());
    const sid = (await events()).at(-1)!.sid!;
    expect((await admin('DELETE', `/sessions/${sid}`)).statusCode).toBe(204);
    expect(mine).toBeTruthy();

    const all = await events();
    const actor = { kind: 'admin_key' };
    expect(all.find((e) => e.type === 'admin.tenant.updated')).toMatchObject({
      tenantId: 'acme',
      ip: '127.0.0.1',
      userAgent: 'curl/8.5.0',
      details: {
        actor,
        target: { tenantId: 'acme' },
        before: { sessionPolicy: {} },
        after: { sessionPolicy: { idleTimeoutSeconds: 300 } },
      },
    });
    expect(all.find((e) => e.type === 'admin.user.disabled')).toMatchObject({
      userId: 'user-bob',
      details: {
        actor,
        target: { userId: 'user-bob' },
        before: { status: 'active' },
        after: { status: 'disabled' },
      },
    });
    expect(all.find((e) => e.type === 'session.ended' && e.userId === 'user-bob')?.details).toEqual({
      reason: 'user_disabled',
    });
    expect(all.find((e) => e.type === 'admin.key.rotated')?.details).toMatchObject({
      actor,
      target: { kid: expect.any(String) },
    });
    expect(all.slice(-2)).toMatchObject([
      { type: 'admin.session.ended', sid, userId: 'user-ada', details: { actor, target: { sid } } },
      { type: 'session.ended', sid, details: { reason: 'revoked' } },
    ]);
  });

  it('an admin update that changes nothing records nothing', async () => {
    expect((await admin('PATCH', '/tenants/acme', { name: 'ACME' })).statusCode).toBe(200);
    expect(await types()).toEqual([]);
  });

  it('an event the store refuses is logged, and the operation still succeeds', async () => {
    t.deps.storage.appendEvent = async () => {
      throw new Error('relation "events" does not exist');
    };
    const response = await login();
    expect(response.statusCode).toBe(200);
    expect((await api.logout(cookieFrom(response))).statusCode).toBe(204);
    const failures = logLines
      .map((line) => JSON.parse(line))
      .filter((line) => line.msg === 'event not stored');
    expect(failures.map((line) => line.type)).toEqual(['session.created', 'session.ended']);
    expect(failures[0]).toMatchObject({
      envId: 'default',
      error: { message: 'relation "events" does not exist' },
    });
    expect(logLines.join('\n')).not.toContain(PASSWORD);
  });

  it('never hold a token, cookie, password, hash or secret', async () => {
    const secrets: string[] = [PASSWORD, 'a wrong password 123', 'a brand new password 456', t.adminKey];
    const first = await login();
    const cookie = cookieFrom(first);
    const refreshed = await api.refresh(cookie);
    t.clock.advance(60);
    await api.refresh(cookie);
    await login({ password: 'a wrong password 123' });
    const again = await login();
    await api.inject('DELETE', '/auth/v1/sessions', {
      headers: { authorization: `Bearer ${json<{ accessToken: string }>(again).accessToken}` },
    });
    await api.logout(cookieFrom(again));
    expect(
      (await admin('PATCH', '/users/user-ada', { password: 'a brand new password 456' })).statusCode,
    ).toBe(200);
    const created = await admin('POST', '/clients', {
      name: 'Server',
      type: 'confidential',
      redirectUris: ['https://server.example.com/callback'],
      allowedOrigins: [],
      postLogoutRedirectUris: [],
    });
    expect(created.statusCode).toBe(201);
    const clientSecret = json<{ clientSecret: string }>(created).clientSecret;
    secrets.push(clientSecret, hashClientSecret(clientSecret));
    for (const response of [first, refreshed, again]) {
      secrets.push(json<{ accessToken: string }>(response).accessToken);
      const token = cookieFrom(response).split('=')[1]!;
      secrets.push(token, hashRefreshToken(token));
    }
    const users = await t.deps.storage.findUserByEmail('default', 'ada@example.com');
    secrets.push(users!.passwordHash);

    const stored = JSON.stringify(await events());
    expect(await types()).toEqual(
      expect.arrayContaining([
        'session.created',
        'session.refresh_reused',
        'session.ended',
        'login.failed',
        'admin.user.password_reset',
        'admin.client.created',
      ]),
    );
    for (const secret of secrets) expect(stored).not.toContain(secret);
    expect(stored).not.toMatch(/tessera_refresh|passwordHash|secretHash|clientSecret/);
    expect((await events()).find((e) => e.type === 'admin.user.password_reset')?.details).toEqual({
      actor: { kind: 'admin_key' },
      target: { userId: 'user-ada' },
      after: { endSessions: true },
    });
  });
});

describe('recorded events through the hosted login', () => {
  it('session.created via hosted_login; another client signed in by SSO: session.client_joined, once', async () => {
    const t = await createTestServer();
    try {
      await seedWorld(t);
      const { response, browser } = await signInThroughHostedLogin(t, pkcePair());
      expect(response.statusCode).toBe(303);
      await t.deps.storage.insertClient({
        envId: 'default',
        clientId: 'second',
        name: 'Second',
        type: 'spa',
        secretHash: null,
        redirectUris: [REDIRECT_URI],
        allowedOrigins: [ORIGIN],
        postLogoutRedirectUris: [],
        createdAt: t.clock.now(),
      });
      for (const clientId of ['second', 'second', 'app']) {
        const sso = await browser.authorize(authorizeQuery(pkcePair(), { client_id: clientId }));
        expect(callbackParams(sso).get('code')).toBeTruthy();
      }
      const items = (
        await t.deps.storage.listEvents('default', {}, { after: null, limit: 10 })
      ).items.reverse();
      expect(items).toMatchObject([
        {
          type: 'session.created',
          userId: 'user-bob',
          clientId: 'app',
          details: { method: 'password', via: 'hosted_login' },
        },
        {
          type: 'session.client_joined',
          userId: 'user-bob',
          clientId: 'second',
          sid: items[0]!.sid,
          ip: '127.0.0.1',
        },
      ]);
      expect(items).toHaveLength(2);
    } finally {
      await t.close();
    }
  });

  it('an authorization code redeemed twice: oauth.code_reused, then its session ended', async () => {
    const t = await createTestServer();
    try {
      await seedWorld(t);
      const pkce = pkcePair();
      const { code } = await signInThroughHostedLogin(t, pkce);
      expect((await redeem(t, code, pkce)).statusCode).toBe(200);
      expect((await redeem(t, code, pkce)).statusCode).toBe(400);
      const items = (
        await t.deps.storage.listEvents('default', {}, { after: null, limit: 10 })
      ).items.reverse();
      const sid = items[0]!.sid;
      expect(items.slice(1)).toMatchObject([
        { type: 'oauth.code_reused', sid, userId: 'user-bob', clientId: 'app', ip: '127.0.0.1' },
        { type: 'session.ended', sid, details: { reason: 'revoked' } },
      ]);
    } finally {
      await t.close();
    }
  });
});
