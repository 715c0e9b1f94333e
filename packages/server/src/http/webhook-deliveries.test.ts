/**
 * Webhooks end to end (docs/webhooks.md): a session's life reaches a real HTTP receiver that
 * verifies every delivery with the `standardwebhooks` package, in order, through a receiver outage
 * and a Tessera restart on the same SQLite file, with nothing lost; a tampered delivery does not
 * verify; receivers that hang, redirect or fail do not hold another endpoint's deliveries.
 * Retry timing follows the server's ManualClock, not sleeps.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { backendsUnderTest } from '@tessera/testing/backends';
import { type Backend, createTestServer, type TestServer } from '@tessera/testing/harness';
import {
  type ReceivedWebhook,
  startWebhookReceiver,
  verifyWebhook,
  type WebhookReceiver,
} from '@tessera/testing/webhook-receiver';
import { cookieFrom, json, seedWorld, sessionApi } from '@tessera/testing/world';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStorage } from '../storage/open.js';

const backends = await backendsUnderTest();
const TIMEOUT_MILLIS = 3000;
const FIRST_RETRY_SECONDS = 5;

describe('webhook deliveries of session events', () => {
  let dir: string;
  let file: string;
  const masterSecret = randomBytes(32).toString('base64url');
  const servers: TestServer[] = [];
  const receivers: WebhookReceiver[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-webhooks-'));
    file = join(dir, 'tessera.db');
  });
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
    await Promise.all(servers.splice(0).map((server) => server.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * A Tessera on the test's SQLite file (a second call is the same deployment restarted), or on a
   * fresh PostgreSQL schema.
   */
  async function startTessera(backend: Backend = 'sqlite'): Promise<TestServer> {
    const server = await createTestServer({
      ...(backend === 'sqlite' ? { storage: await openStorage(`sqlite:${file}`) } : { backend }),
      env: { TESSERA_SECRET: masterSecret },
      webhooks: {
        retrySchedule: [FIRST_RETRY_SECONDS, 300, 1800],
        timeoutMillis: TIMEOUT_MILLIS,
        pollIntervalMillis: 60_000,
      },
    });
    servers.push(server);
    return server;
  }

  async function receiver(mode?: Parameters<typeof startWebhookReceiver>[0]) {
    const started = await startWebhookReceiver(mode);
    receivers.push(started);
    return started;
  }

  async function subscribe(t: TestServer, url: string, eventTypes: string[]) {
    const admin = (method: 'POST' | 'PATCH', path: string, body: unknown) =>
      t.app.inject({
        method,
        url: `/admin/v1/environments/default${path}`,
        headers: { authorization: `Bearer ${t.adminKey}` },
        payload: body as object,
      });
    // The receivers listen on 127.0.0.1: this environment allows private targets.
    expect((await admin('PATCH', '', { webhookSettings: { allowPrivateTargets: true } })).statusCode).toBe(
      200,
    );
    const created = await admin('POST', '/webhooks', { url, eventTypes });
    expect(created.statusCode, created.body).toBe(201);
    return json<{ id: string; secret: string }>(created);
  }

  async function deliveryLog(t: TestServer, webhookId: string) {
    const response = await t.app.inject({
      method: 'GET',
      url: `/admin/v1/environments/default/webhooks/${webhookId}/deliveries`,
      headers: { authorization: `Bearer ${t.adminKey}` },
    });
    return json<{ eventType: string; status: string; attempts: number; lastError: string | null }[]>(
      response,
    );
  }

  it.each(backends)(
    'on %s, a session life: created, refresh_reused, ended, in order, each verified; a tampered one is refused',
    async (backend) => {
      const t = await startTessera(backend);
      await seedWorld(t);
      const target = await receiver('ok');
      const hook = await subscribe(t, target.url, [
        'session.created',
        'session.refresh_reused',
        'session.ended',
      ]);
      const api = sessionApi(t);

      const login = await api.login();
      expect(login.statusCode).toBe(200);
      const first = cookieFrom(login);
      expect((await api.refresh(first)).statusCode).toBe(200);
      t.clock.advance(60);
      expect((await api.refresh(first)).statusCode).toBe(401);
      await t.webhooks.drain();

      const payloads = target.verifiedPayloads(hook.secret);
      expect(payloads.map((p) => p.type)).toEqual([
        'session.created',
        'session.refresh_reused',
        'session.ended',
      ]);
      const sid = payloads[0]?.data.sid;
      expect(sid).toEqual(expect.any(String));
      for (const [index, payload] of payloads.entries()) {
        expect(payload.data).toMatchObject({ type: payload.type, envId: 'default', sid, userId: 'user-ada' });
        expect(payload.timestamp).toBe(payload.data.at);
        expect(target.received[index]?.headers['webhook-id']).toBe(payload.data.id);
      }
      expect(payloads[2]?.data.details).toEqual({ reason: 'refresh_token_reused' });
      // No refresh token, cookie or access token in any delivery.
      const token = first.split('=')[1] ?? '';
      for (const received of target.received) expect(received.body).not.toContain(token);

      const original = target.received[0] as ReceivedWebhook;
      const tampered: ReceivedWebhook[] = [
        { ...original, body: original.body.replace('session.created', 'session.ended') },
        { ...original, body: original.body.replace('"userId":"user-ada"', '"userId":"user-bob"') },
        {
          ...original,
          headers: {
            ...original.headers,
            'webhook-signature': `v1,${Buffer.from(randomBytes(32)).toString('base64')}`,
          },
        },
        { ...original, headers: { ...original.headers, 'webhook-id': 'evt_other' } },
      ];
      for (const delivery of tampered) expect(() => verifyWebhook(hook.secret, delivery)).toThrow();
      expect(() => verifyWebhook(`whsec_${randomBytes(32).toString('base64')}`, original)).toThrow();
      expect(verifyWebhook(hook.secret, original)).toEqual(payloads[0]);
    },
  );

  it.each(backends)(
    'on %s, a receiver that is down (connection refused) gets every delivery after the retry, in order',
    async (backend) => {
      const t = await startTessera(backend);
      await seedWorld(t);
      const target = await receiver('ok');
      const hook = await subscribe(t, target.url, ['session.*']);
      await target.down();
      const api = sessionApi(t);

      const cookie = cookieFrom(await api.login());
      expect((await api.logout(cookie)).statusCode).toBe(204);
      await t.webhooks.drain();
      const pending = await deliveryLog(t, hook.id);
      // The logout's delivery waits behind the login's: one attempt so far, refused.
      expect(pending.map((d) => [d.eventType, d.status, d.attempts, d.lastError])).toEqual([
        ['session.ended', 'pending', 0, null],
        ['session.created', 'pending', 1, 'ECONNREFUSED'],
      ]);

      await target.up();
      t.clock.advance(FIRST_RETRY_SECONDS - 1);
      await t.webhooks.drain();
      expect(target.received).toEqual([]);
      t.clock.advance(1);
      await t.webhooks.drain();
      expect(target.verifiedPayloads(hook.secret).map((p) => p.type)).toEqual([
        'session.created',
        'session.ended',
      ]);
      expect((await deliveryLog(t, hook.id)).map((d) => d.status)).toEqual(['succeeded', 'succeeded']);
    },
  );

  it('deliveries pending when Tessera stops are sent by the next one started on the same database', async () => {
    const before = await startTessera();
    await seedWorld(before);
    const target = await receiver('ok');
    const hook = await subscribe(before, target.url, ['*']);
    await target.down();
    const api = sessionApi(before);
    const cookie = cookieFrom(await api.login());
    await sessionApi(before).logout(cookie);
    await before.webhooks.drain();
    await before.close();
    servers.splice(servers.indexOf(before), 1);

    await target.up();
    const after = await startTessera();
    after.clock.set(before.clock.now() + FIRST_RETRY_SECONDS);
    await after.webhooks.drain();
    const types = target.verifiedPayloads(hook.secret).map((p) => p.type);
    expect(types).toEqual(expect.arrayContaining(['session.created', 'session.ended']));
    expect(types.indexOf('session.created')).toBeLessThan(types.indexOf('session.ended'));
    expect((await deliveryLog(after, hook.id)).every((d) => d.status === 'succeeded')).toBe(true);
  });

  it.each(backends)(
    'on %s, receivers that hang, redirect or answer 500 are retried, and do not hold another endpoint',
    async (backend) => {
      const t = await startTessera(backend);
      await seedWorld(t);
      const healthy = await receiver('ok');
      const failing = [await receiver('hang'), await receiver('redirect'), await receiver('error')];
      const hooks = [];
      for (const target of failing) hooks.push(await subscribe(t, target.url, ['session.created']));
      const healthyHook = await subscribe(t, healthy.url, ['session.created']);

      const started = Date.now();
      expect((await sessionApi(t).login()).statusCode).toBe(200);
      while (healthy.received.length === 0 && Date.now() - started < TIMEOUT_MILLIS) await sleep(20);
      expect(healthy.verifiedPayloads(healthyHook.secret).map((p) => p.type)).toEqual(['session.created']);
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MILLIS);
      await t.webhooks.drain();

      const errors = await Promise.all(
        hooks.map(async (hook) => (await deliveryLog(t, hook.id))[0]?.lastError),
      );
      expect(errors).toEqual([
        `timed out after ${TIMEOUT_MILLIS / 1000} s`,
        'HTTP 307: redirects are not followed',
        'HTTP 500',
      ]);
      for (const target of failing) target.mode = 'ok';
      t.clock.advance(FIRST_RETRY_SECONDS);
      await t.webhooks.drain();
      for (const [index, target] of failing.entries()) {
        expect(target.received).toHaveLength(2);
        expect((await deliveryLog(t, hooks[index]?.id ?? ''))[0]).toMatchObject({
          status: 'succeeded',
          attempts: 2,
        });
      }
    },
    20_000,
  );
});
