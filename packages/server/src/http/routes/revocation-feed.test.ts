/**
 * The revocation feed (docs/revocation-feed.md) over real HTTP: authenticated, a backlog and
 * `ready`, live endings within about a second, resumable from a cursor, and lapsed sessions swept in.
 */

import { backendsUnderTest } from '@tessera/testing/backends';
import { type EventStreamReader, readEventStream } from '@tessera/testing/event-stream';
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import { insertConfidentialClient } from '@tessera/testing/hosted-login';
import { cookieFrom, json, seedWorld, sessionApi } from '@tessera/testing/world';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sweepLapsedSessions } from '../../service/revocations/lapse-sweep.js';

const backends = await backendsUnderTest();
const SECRET = 'feed-secret-'.padEnd(43, 'f');

describe.each(backends)('GET /auth/v1/revocations (%s)', (backend) => {
  let t: TestServer;
  let base: string;
  let basic: string;
  const streams: EventStreamReader[] = [];

  beforeEach(async () => {
    t = await createTestServer({ backend });
    await seedWorld(t);
    basic = await insertConfidentialClient(t, SECRET);
    base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
  });
  afterEach(async () => {
    for (const stream of streams.splice(0)) await stream.close();
    await t.close();
  });

  async function subscribe(headers: Record<string, string> = {}) {
    const response = await fetch(`${base}/auth/v1/revocations`, {
      headers: { authorization: basic, accept: 'text/event-stream', ...headers },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const stream = readEventStream(response);
    streams.push(stream);
    return stream;
  }

  const sidOf = (response: { json(): unknown }) =>
    JSON.parse(
      Buffer.from(
        json<{ accessToken: string }>(response as never).accessToken.split('.')[1] ?? '',
        'base64url',
      ).toString(),
    ).sid as string;

  it('refuses a missing or wrong secret and a spa client with 401, and never streams', async () => {
    for (const authorization of [
      undefined,
      `Basic ${Buffer.from('server-app:wrong').toString('base64')}`,
      `Basic ${Buffer.from('app:x').toString('base64')}`,
      'Bearer abc',
    ]) {
      const response = await fetch(`${base}/auth/v1/revocations`, {
        headers: authorization ? { authorization } : {},
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: 'invalid_client' });
    }
  });

  // How soon (about a second, docs/revocation-feed.md) is measured by bench/revocation-feed.mjs: a
  // stopwatch here would fail on a busy machine rather than on a broken feed.
  it('replays the recent endings, says ready, then announces a logout live', async () => {
    const api = sessionApi(t);
    const earlier = await api.login();
    await api.logout(cookieFrom(earlier));
    const stream = await subscribe();
    const backlog = await stream.until('ready');
    expect(backlog.filter((e) => e.event === 'revoked').map((e) => e.data)).toEqual([
      { sid: sidOf(earlier), reason: 'logout', endedAt: t.clock.now() },
    ]);

    const later = await api.login({ email: 'bob@example.com' });
    await api.logout(cookieFrom(later));
    const event = await stream.next(3000);
    expect(event).toMatchObject({ event: 'revoked', data: { sid: sidOf(later), reason: 'logout' } });
  });

  it('announces reuse, eviction, an admin ending and a disabled user, each with its reason', async () => {
    const api = sessionApi(t);
    const stream = await subscribe();
    await stream.until('ready');
    // Reuse: the first cookie presented again after the grace window.
    const reused = await api.login();
    await api.refresh(cookieFrom(reused));
    t.clock.advance(11);
    await api.refresh(cookieFrom(reused));
    // An admin ending one session.
    const ended = await api.login();
    const admin = await t.app.inject({
      method: 'DELETE',
      url: `/admin/v1/environments/default/sessions/${sidOf(ended)}`,
      headers: { authorization: `Bearer ${t.adminKey}` },
    });
    expect(admin.statusCode).toBe(204);
    // Eviction by the session limit.
    await t.deps.storage.updateEnvironment('default', {
      sessionPolicy: {
        idleTimeoutSeconds: null,
        absoluteTimeoutSeconds: null,
        maxConcurrentSessions: 1,
        onLimit: 'evict_oldest',
      },
    });
    const evicted = await api.login();
    await api.login();
    // A disabled user.
    const bob = await api.login({ email: 'bob@example.com' });
    await t.deps.storage.setUserStatus({
      envId: 'default',
      userId: 'user-bob',
      status: 'disabled',
      now: t.clock.now(),
    });
    const reasons = new Map<string, unknown>();
    while (reasons.size < 4) {
      const event = await stream.next(3000);
      if (event.event === 'revoked') reasons.set(String(event.data.sid), event.data.reason);
    }
    expect(reasons.get(sidOf(reused))).toBe('refresh_token_reused');
    expect(reasons.get(sidOf(bob))).toBe('user_disabled');
    expect(reasons.get(sidOf(ended))).toBe('revoked');
    expect(reasons.get(sidOf(evicted))).toBe('evicted');
  });

  it('a stream open for days still announces each new ending (its memory of sent endings is bounded)', async () => {
    const api = sessionApi(t);
    const stream = await subscribe();
    await stream.until('ready');
    for (const day of [0, 1, 2]) {
      t.clock.advance(day * 86_400);
      const session = await api.login();
      await api.logout(cookieFrom(session));
      let event = await stream.next(3000);
      while (event.event === 'tick') event = await stream.next(3000);
      expect(event).toMatchObject({ event: 'revoked', data: { sid: sidOf(session), reason: 'logout' } });
    }
  });

  it('SES-13: announces the sessions an admin password reset ends, with reason password_changed', async () => {
    const api = sessionApi(t);
    const stream = await subscribe();
    await stream.until('ready');
    const browsers = [await api.login(), await api.login()];
    const reset = await t.app.inject({
      method: 'PATCH',
      url: `/admin/v1/environments/default/users/${await adaId()}`,
      headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' },
      payload: { password: 'a brand new passphrase' },
    });
    expect(reset.statusCode, reset.body).toBe(200);
    const reasons = new Map<string, unknown>();
    while (reasons.size < 2) {
      const event = await stream.next(3000);
      if (event.event === 'revoked') reasons.set(String(event.data.sid), event.data.reason);
    }
    for (const browser of browsers) expect(reasons.get(sidOf(browser))).toBe('password_changed');
  });

  async function adaId(): Promise<string> {
    const ada = await t.deps.storage.findUserByEmail('default', 'ada@example.com');
    if (!ada) throw new Error('fixture: ada is missing');
    return ada.id;
  }

  it('resumes from Last-Event-ID without losing what ended meanwhile', async () => {
    const api = sessionApi(t);
    const first = await subscribe();
    const ready = (await first.until('ready')).at(-1);
    await first.close();
    t.clock.advance(30);
    const gone = await api.login();
    await api.logout(cookieFrom(gone));
    const resumed = await subscribe({ 'last-event-id': String(ready?.id) });
    const replay = await resumed.until('ready');
    expect(replay.some((e) => e.event === 'revoked' && e.data.sid === sidOf(gone))).toBe(true);
  });

  it('a malformed Last-Event-ID is no cursor: the whole backlog is replayed', async () => {
    const api = sessionApi(t);
    const gone = await api.login();
    await api.logout(cookieFrom(gone));
    for (const lastEventId of ['abc', '-5', '1e9', '9'.repeat(20)]) {
      const stream = await subscribe({ 'last-event-id': lastEventId });
      const replay = await stream.until('ready');
      expect(replay.some((e) => e.event === 'revoked' && e.data.sid === sidOf(gone))).toBe(true);
      await stream.close();
    }
  });

  it('announces an idle session once the sweep ends it', async () => {
    await t.deps.storage.updateEnvironment('default', {
      sessionPolicy: {
        idleTimeoutSeconds: 60,
        absoluteTimeoutSeconds: null,
        maxConcurrentSessions: null,
        onLimit: 'evict_oldest',
      },
    });
    const idle = await sessionApi(t).login();
    const stream = await subscribe();
    await stream.until('ready');
    t.clock.advance(61);
    expect(await sweepLapsedSessions(t.deps)).toBe(1);
    const event = await stream.next(3000);
    expect(event).toMatchObject({ event: 'revoked', data: { sid: sidOf(idle), reason: 'idle_timeout' } });
  });

  it('ticks when quiet', async () => {
    const stream = await subscribe();
    await stream.until('ready');
    const tick = await stream.next(8000);
    expect(tick).toMatchObject({ event: 'tick', data: { serverTime: t.clock.now() } });
  }, 15_000);
});

describe('the revocation feed at shutdown', () => {
  it('ends its streams when the server closes, so closing does not hang', async () => {
    const t = await createTestServer();
    await seedWorld(t);
    const basic = await insertConfidentialClient(t, SECRET);
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const stream = readEventStream(
      await fetch(`${base}/auth/v1/revocations`, { headers: { authorization: basic } }),
    );
    await stream.until('ready');
    await t.close();
    await expect(stream.next(3000)).rejects.toThrow('the stream ended');
  });
});
