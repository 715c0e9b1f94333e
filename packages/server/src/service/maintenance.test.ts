import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import { capturingLogger } from '@tessera/testing/log-capture';
import { cookieFrom, json, seedWorld, sessionApi, type World } from '@tessera/testing/world';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openStorage } from '../storage/open.js';
import { ACTIVITY_COUNTS } from './activity-counter.js';
import { pruneSessionHistory, SESSION_HISTORY_RETENTION, startSessionHistoryPruning } from './maintenance.js';

describe('pruning session history', () => {
  let t: TestServer;
  let world: World;
  beforeEach(async () => {
    t = await createTestServer();
    world = await seedWorld(t);
  });
  afterEach(async () => t.close());

  it('forgets superseded tokens after the reuse-detection window; the session itself is untouched', async () => {
    const api = sessionApi(t);
    const first = cookieFrom(await api.login());
    let current = cookieFrom(await api.refresh(first));
    t.clock.advance(SESSION_HISTORY_RETENTION.reuseDetectionSeconds - 1);
    current = cookieFrom(await api.refresh(current));
    t.clock.advance(2);
    await pruneSessionHistory(t.deps);
    // Past the window it is forgotten: just an unknown token (not reuse), and the session lives on.
    expect(json(await api.refresh(first)).error).toBe('no_session');
    expect((await api.refresh(current)).statusCode).toBe(200);
  });

  it('deletes sessions ended more than the retention ago', async () => {
    const api = sessionApi(t);
    const cookie = cookieFrom(await api.login());
    await api.logout(cookie);
    t.clock.advance(SESSION_HISTORY_RETENTION.endedSessionSeconds - 1);
    await pruneSessionHistory(t.deps);
    expect(json(await api.refresh(cookie)).error).toBe('session_revoked');
    t.clock.advance(2);
    await pruneSessionHistory(t.deps);
    expect(json(await api.refresh(cookie)).error).toBe('no_session');
  });
  it('keeps expired authorization codes and interactions for a day, so a late second use of a code is still reuse', async () => {
    const api = sessionApi(t);
    cookieFrom(await api.login());
    const [session] = await t.deps.storage.listLiveSessions('default', world.users.ada.id);
    const expiresAt = t.clock.now();
    await t.deps.storage.insertAuthorizationCode({
      codeHash: 'code-hash',
      envId: 'default',
      clientId: 'app',
      sessionId: session!.id,
      userId: world.users.ada.id,
      tenantId: 'acme',
      redirectUri: 'http://localhost:5173/callback',
      codeChallenge: 'challenge',
      scopes: ['openid'],
      nonce: null,
      authTime: expiresAt - 60,
      issuedAt: expiresAt - 60,
      expiresAt,
    });
    await t.deps.storage.insertInteraction({
      idHash: 'interaction-hash',
      envId: 'default',
      clientId: 'app',
      request: {},
      csrfTokenHash: 'csrf-hash',
      userId: null,
      authTime: null,
      createdAt: expiresAt - 600,
      expiresAt,
    });

    const redeem = () =>
      t.deps.storage.redeemAuthorizationCode('code-hash', t.clock.now(), {
        clientId: 'app',
        redirectUri: 'http://localhost:5173/callback',
        codeChallenge: 'challenge',
      });
    expect(await redeem()).toMatchObject({ firstUse: true });

    t.clock.advance(SESSION_HISTORY_RETENTION.expiredGrantSeconds);
    await pruneSessionHistory(t.deps);
    expect(await t.deps.storage.getInteraction('interaction-hash')).not.toBeNull();
    expect(await redeem()).toMatchObject({ firstUse: false });

    t.clock.advance(1);
    await pruneSessionHistory(t.deps);
    expect(await t.deps.storage.getInteraction('interaction-hash')).toBeNull();
    expect(await redeem()).toBeNull();
  });

  it('deletes events older than the retention in days, and keeps the rest', async () => {
    const api = sessionApi(t);
    await api.login();
    const events = async () =>
      (await t.deps.storage.listEvents('default', {}, { after: null, limit: 10 })).items.map((e) => e.type);
    expect(await events()).toEqual(['session.created']);
    t.clock.advance(2 * 86400);
    await api.login({ password: 'not the password' });
    await pruneSessionHistory(t.deps, { eventsRetentionDays: 2 });
    expect(await events()).toEqual(['login.failed', 'session.created']);
    t.clock.advance(1);
    await pruneSessionHistory(t.deps, { eventsRetentionDays: 2 });
    expect(await events()).toEqual(['login.failed']);
    t.clock.advance(30 * 86400);
    await pruneSessionHistory(t.deps);
    expect(await events()).toEqual([]);
  });

  it('deletes webhook deliveries that are done once their events are past retention', async () => {
    await t.deps.storage.updateEnvironment('default', { webhookSettings: { allowPrivateTargets: true } });
    await t.deps.storage.insertWebhookEndpoint({
      id: 'wh-1',
      envId: 'default',
      url: 'http://127.0.0.1:9/',
      eventTypes: ['*'],
      description: null,
      enabled: true,
      secretEncrypted: 'unused',
      createdAt: t.clock.now(),
    });
    const event = { envId: 'default', eventType: 'webhook.test', sid: null, payload: {}, now: t.clock.now() };
    await t.deps.storage.enqueueWebhookDelivery('wh-1', 'whd-done', { ...event, eventId: 'evt-1' });
    await t.deps.storage.enqueueWebhookDelivery('wh-1', 'whd-pending', { ...event, eventId: 'evt-2' });
    await t.deps.storage.finishWebhookAttempt({
      deliveryId: 'whd-done',
      now: t.clock.now(),
      status: 'succeeded',
      nextAttemptAt: null,
      responseStatus: 204,
      error: null,
    });
    t.clock.advance(30 * 86400 - 1);
    await pruneSessionHistory(t.deps);
    expect(await t.deps.storage.getWebhookDelivery('default', 'whd-done')).not.toBeNull();
    t.clock.advance(2);
    await pruneSessionHistory(t.deps);
    expect(await t.deps.storage.getWebhookDelivery('default', 'whd-done')).toBeNull();
    expect(await t.deps.storage.getWebhookDelivery('default', 'whd-pending')).not.toBeNull();
  });

  it(`deletes activity counts older than ${ACTIVITY_COUNTS.retentionSeconds / 3600} hours, and keeps the rest`, async () => {
    const now = t.clock.now();
    const minute = (secondsAgo: number) => now - secondsAgo - ((now - secondsAgo) % 60);
    const old = minute(ACTIVITY_COUNTS.retentionSeconds + 60);
    const kept = minute(ACTIVITY_COUNTS.retentionSeconds - 60);
    await t.deps.storage.addActivityCounts([
      { envId: 'default', minute: old, name: 'login', count: 3 },
      { envId: 'default', minute: kept, name: 'login', count: 4 },
    ]);
    await pruneSessionHistory(t.deps);
    expect(await t.deps.storage.listActivityCounts('default', 0, now)).toEqual([
      { envId: 'default', minute: kept, name: 'login', count: 4 },
    ]);
  });

  it('runs every intervalSeconds, and never starts a run while the previous one is still going', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let started = 0;
    let release = () => {};
    const storage = t.deps.storage;
    const deps = {
      ...t.deps,
      storage: {
        ...storage,
        async pruneSessionHistory(input: Parameters<typeof storage.pruneSessionHistory>[0]) {
          started++;
          await new Promise<void>((done) => {
            release = done;
          });
          return storage.pruneSessionHistory(input);
        },
      },
    };
    const pruning = startSessionHistoryPruning(deps, { eventsRetentionDays: 30, intervalSeconds: 2 });
    try {
      vi.advanceTimersByTime(1999);
      expect(started).toBe(0);
      vi.advanceTimersByTime(1);
      expect(started).toBe(1);
      // The first run is still going: three more intervals start nothing.
      vi.advanceTimersByTime(6000);
      expect(started).toBe(1);
      release();
      // Once it has finished, the next interval starts the next run (which again waits).
      await vi.waitFor(() => {
        vi.advanceTimersByTime(2000);
        expect(started).toBe(2);
      });
    } finally {
      release();
      await pruning.stop();
      vi.useRealTimers();
    }
  });
});

describe('stopping the pruner', () => {
  const directory = mkdtempSync(join(tmpdir(), 'tessera-maintenance-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  const BACKLOG = 5000;

  it('the server closes mid-run: the run stops at its next batch and is awaited before the storage closes', async () => {
    const file = join(directory, 'backlog.db');
    const storage = await openStorage(`sqlite:${file}`);
    await storage.migrate();
    const raw = new Database(file);
    const insert = raw.prepare(
      `INSERT INTO events (id, env_id, type, at, details) VALUES (?, 'default', 'session.created', ?, '{}')`,
    );
    raw.transaction(() => {
      for (let i = 0; i < BACKLOG; i++) insert.run(`evt_${i}`, 1000 + i);
    })();
    const remaining = () => (raw.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    const { logger, lines } = capturingLogger();
    const t = await createTestServer({ storage, logger, env: { TESSERA_PRUNE_INTERVAL_SECONDS: '1' } });
    try {
      await vi.waitFor(() => expect(remaining()).toBeLessThan(BACKLOG), { timeout: 5000, interval: 1 });
    } finally {
      await t.close();
    }
    const left = remaining();
    // Had the run gone on after the close, its next batch would fail on the closed connection.
    await sleep(200);
    raw.close();
    expect(left).toBeGreaterThan(0);
    const entries = lines.map((line) => JSON.parse(line) as { level: number; msg: string; events?: number });
    expect(entries.filter((entry) => entry.level >= 40)).toEqual([]);
    expect(entries.find((entry) => entry.msg === 'session history pruned')).toMatchObject({
      events: BACKLOG - left,
    });
  });
});
