/** `/admin/v1/environments/{envId}/webhooks` (docs/webhooks.md), against real HTTP receivers. */
import { setTimeout as sleep } from 'node:timers/promises';
import { backendsUnderTest } from '@tessera/testing/backends';
import { startWebhookReceiver, type WebhookReceiver } from '@tessera/testing/webhook-receiver';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AdminClient, createEnvironment, expectError, startAdmin } from './admin.test-helpers.js';

const backends = await backendsUnderTest();

/** Short enough that a hanging receiver costs the test little, long enough for a loaded machine. */
const TIMEOUT_MILLIS = 3000;
const RETRY_SCHEDULE = [1, 1];

describe.each(backends)('on %s', (backend) => {
  let admin: AdminClient;
  let envId: string;
  let receivers: WebhookReceiver[] = [];
  beforeAll(async () => {
    admin = await startAdmin({
      backend,
      webhooks: {
        retrySchedule: RETRY_SCHEDULE,
        timeoutMillis: TIMEOUT_MILLIS,
        concurrency: 6,
        perEndpointConcurrency: 2,
        pollIntervalMillis: 60_000,
      },
    });
    envId = (await createEnvironment(admin, { webhookSettings: { allowPrivateTargets: true } })).id;
  });
  afterEach(async () => {
    await Promise.all(receivers.map((receiver) => receiver.close()));
    receivers = [];
  });
  afterAll(async () => {
    await admin?.close();
  });

  const receiver = async (mode?: Parameters<typeof startWebhookReceiver>[0]) => {
    const started = await startWebhookReceiver(mode);
    receivers.push(started);
    return started;
  };
  const base = () => `/environments/${envId}/webhooks`;
  const create = async (body: Record<string, unknown>, env = envId) => {
    // Not `*`: the admin changes of these tests are events too, and would be delivered.
    const response = await admin.post(`/environments/${env}/webhooks`, {
      eventTypes: ['session.ended'],
      ...body,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string; secret: string; [key: string]: unknown };
  };
  const deliveries = async (webhookId: string) =>
    (await admin.read(`${base()}/${webhookId}/deliveries`)) as Record<string, unknown>[];
  const sendTest = async (webhookId: string) => {
    const response = await admin.post(`${base()}/${webhookId}/test`);
    expect(response.statusCode, response.body).toBe(202);
    return (response.json() as { deliveryId: string }).deliveryId;
  };

  describe('POST …/webhooks', () => {
    it('creates a webhook and shows its secret once; the store holds it encrypted', async () => {
      const response = await admin.post(base(), {
        url: 'https://93.184.215.14/in?x=1',
        eventTypes: ['session.ended', 'admin.*'],
        description: '<script>alert(1)</script>',
      });
      expect(response.statusCode, response.body).toBe(201);
      const created = response.json();
      expect(created).toEqual({
        id: expect.stringMatching(/^wh_[0-9a-f]{24}$/),
        url: 'https://93.184.215.14/in?x=1',
        eventTypes: ['session.ended', 'admin.*'],
        description: '<script>alert(1)</script>',
        enabled: true,
        createdAt: new Date(admin.server.clock.now() * 1000).toISOString(),
        secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      });
      const { secret, ...view } = created;
      expect(await admin.read(`${base()}/${created.id}`)).toEqual(view);
      for (const url of [`${base()}/${created.id}`, base()]) {
        expect((await admin.get(url)).body).not.toContain(secret.slice(6));
      }
      const stored = await admin.server.deps.storage.getWebhookEndpoint(envId, created.id);
      expect(stored?.secretEncrypted).not.toContain(secret.slice(6, 30));
    });

    const longUrl = `https://93.184.215.14/${'a'.repeat(2048)}`;
    it.each([
      ['an ftp URL', { url: 'ftp://93.184.215.14/' }, '/url'],
      ['a javascript: URL', { url: 'javascript:alert(1)' }, '/url'],
      ['a relative URL', { url: '/hooks' }, '/url'],
      ['credentials in the URL', { url: 'https://user:pw@93.184.215.14/' }, '/url'],
      ['a fragment', { url: 'https://93.184.215.14/#x' }, '/url'],
      // Refused by the body guard before the schema: its message names the field.
      ['a URL of 2049+ characters', { url: longUrl }, undefined],
      ['a host that does not resolve', { url: 'https://nothing.invalid/' }, '/url'],
      ['an unknown event type', { eventTypes: ['session.created', 'session.exploded'] }, '/eventTypes/1'],
      ['an unknown prefix', { eventTypes: ['nope.*'] }, '/eventTypes/0'],
      ['a repeated event type', { eventTypes: ['session.ended', 'session.ended'] }, '/eventTypes/1'],
      ['no event types', { eventTypes: [] }, '/eventTypes'],
      ['51 event types', { eventTypes: Array.from({ length: 51 }, () => 'session.ended') }, '/eventTypes'],
      ['a description of 501 characters', { description: 'd'.repeat(501) }, '/description'],
      ['a control character in the description', { description: 'a\u0007b' }, undefined],
      ['a string for enabled', { enabled: 'yes' }, '/enabled'],
      ['an unknown field', { secret: 'whsec_mine' }, undefined],
      ['no URL', { url: undefined }, undefined],
    ])('refuses %s with 400 invalid_request and creates nothing', async (_case, body, field) => {
      const before = await admin.read(base());
      const response = await admin.post(base(), {
        url: 'https://93.184.215.14/in',
        eventTypes: ['session.ended'],
        ...body,
      });
      expectError(response, 400, 'invalid_request');
      if (field !== undefined) expect(response.json().field, response.body).toBe(field);
      expect(response.body).not.toContain('exploded');
      expect(await admin.read(base())).toEqual(before);
    });

    it.each([
      'http://127.0.0.1:8080/',
      'http://10.0.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://100.64.0.1/',
      'http://[::1]/',
      'http://[fd00::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://0.0.0.0/',
      'http://localhost:3000/',
    ])('refuses %s unless the environment allows private targets', async (url) => {
      const strict = (await createEnvironment(admin)).id;
      const response = await admin.post(`/environments/${strict}/webhooks`, {
        url,
        eventTypes: ['session.ended'],
      });
      expectError(response, 400, 'invalid_request');
      expect(response.json()).toMatchObject({ field: '/url' });
      expect(response.json().message).toContain('webhookSettings.allowPrivateTargets');
      expect(await admin.read(`/environments/${strict}/webhooks`)).toEqual([]);
      await admin.patch(`/environments/${strict}`, { webhookSettings: { allowPrivateTargets: true } });
      await create({ url }, strict);
    });

    it('answers an unknown environment with 404 not_found', async () => {
      expectError(
        await admin.post('/environments/nope/webhooks', { url: 'https://93.184.215.14/', eventTypes: ['*'] }),
        404,
        'not_found',
      );
    });
  });

  describe('GET, PATCH, DELETE …/webhooks/{webhookId}', () => {
    it('lists in creation order, paged with a Link header', async () => {
      const env = (await createEnvironment(admin)).id;
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        ids.push((await create({ url: `https://93.184.215.14/${i}` }, env)).id);
        admin.server.clock.advance(1);
      }
      const first = await admin.get(`/environments/${env}/webhooks?limit=2`);
      expect(first.json().map((w: { id: string }) => w.id)).toEqual(ids.slice(0, 2));
      const next = /<\/admin\/v1([^>]+)>; rel="next"/.exec(String(first.headers.link))?.[1];
      expect((await admin.read(next ?? '')) as unknown[]).toMatchObject([{ id: ids[2] }]);
      expectError(await admin.get(`/environments/${env}/webhooks?cursor=bogus`), 400, 'invalid_request');
    });

    it('changes only the given fields; eventTypes replaces the list', async () => {
      const webhook = await create({ url: 'https://93.184.215.14/a', eventTypes: ['session.*'] });
      const { secret: _secret, ...view } = webhook;
      const response = await admin.patch(`${base()}/${webhook.id}`, {
        eventTypes: ['login.failed'],
        enabled: false,
        description: 'CRM',
      });
      expect(response.statusCode, response.body).toBe(200);
      const changed = { ...view, eventTypes: ['login.failed'], enabled: false, description: 'CRM' };
      expect(response.json()).toEqual(changed);
      expect(await admin.read(`${base()}/${webhook.id}`)).toEqual(changed);
      const cleared = await admin.patch(`${base()}/${webhook.id}`, { description: null });
      expect(cleared.json()).toEqual({ ...changed, description: null });
    });

    it.each([
      ['an empty patch', {}],
      ['a private URL in a strict environment', { url: 'http://192.168.0.1/' }],
      ['an unknown type', { eventTypes: ['*', 'session.nope'] }],
      ['a null URL', { url: null }],
    ])('refuses %s with 400 and changes nothing', async (_case, body) => {
      const strict = (await createEnvironment(admin)).id;
      const webhook = await create({ url: 'https://93.184.215.14/a' }, strict);
      const { secret: _secret, ...view } = webhook;
      expectError(
        await admin.patch(`/environments/${strict}/webhooks/${webhook.id}`, body),
        400,
        'invalid_request',
      );
      expect(await admin.read(`/environments/${strict}/webhooks/${webhook.id}`)).toEqual(view);
    });

    it('deletes a webhook and its deliveries', async () => {
      const webhook = await create({ url: 'https://93.184.215.14/a' });
      await admin.server.deps.storage.updateWebhookEndpoint(envId, webhook.id, { enabled: false });
      await admin.server.deps.storage.enqueueWebhookDelivery(webhook.id, 'whd_to-delete', {
        envId,
        eventId: 'evt_x',
        eventType: 'webhook.test',
        sid: null,
        payload: {},
        now: admin.server.clock.now(),
      });
      const response = await admin.delete(`${base()}/${webhook.id}`);
      expect(response.statusCode).toBe(204);
      expect(await admin.server.deps.storage.getWebhookDelivery(envId, 'whd_to-delete')).toBeNull();
      expectError(await admin.get(`${base()}/${webhook.id}`), 404, 'not_found');
      expectError(await admin.delete(`${base()}/${webhook.id}`), 404, 'not_found');
    });

    it.each([
      ['GET', ''],
      ['PATCH', ''],
      ['DELETE', ''],
      ['POST', '/rotate-secret'],
      ['POST', '/test'],
      ['GET', '/deliveries'],
    ] as const)('answers %s …/{unknown}%s with 404 not_found', async (method, suffix) => {
      const response = await admin.request({
        method,
        url: `${base()}/wh_unknown${suffix}`,
        ...(method === 'PATCH' && { body: { enabled: true } }),
      });
      expectError(response, 404, 'not_found');
      const other = await create({ url: 'https://93.184.215.14/x' });
      const elsewhere = await admin.request({
        method,
        url: `/environments/default/webhooks/${other.id}${suffix}`,
        ...(method === 'PATCH' && { body: { enabled: true } }),
      });
      expectError(elsewhere, 404, 'not_found');
    });

    it('answers a method the path does not take with 405', async () => {
      const response = await admin.request({ method: 'PUT', url: base(), body: {} });
      expect(response.statusCode).toBe(405);
    });
  });

  describe('admin events', () => {
    it('records who created, changed, rotated and deleted a webhook, and the private-targets switch, never a secret', async () => {
      const env = (await createEnvironment(admin)).id;
      await admin.patch(`/environments/${env}`, { webhookSettings: { allowPrivateTargets: true } });
      const webhook = await create({ url: 'http://127.0.0.1:9/in', eventTypes: ['*'] }, env);
      await admin.patch(`/environments/${env}/webhooks/${webhook.id}`, { enabled: false });
      const rotated = (await admin.post(`/environments/${env}/webhooks/${webhook.id}/rotate-secret`)).json();
      await admin.delete(`/environments/${env}/webhooks/${webhook.id}`);

      const { items } = await admin.server.deps.storage.listEvents(
        env,
        { types: ['admin.webhook.*', 'admin.environment.updated'] },
        { after: null, limit: 20 },
      );
      const events = items.reverse();
      expect(events.map((e) => e.type)).toEqual([
        'admin.environment.updated',
        'admin.webhook.created',
        'admin.webhook.updated',
        'admin.webhook.secret_rotated',
        'admin.webhook.deleted',
      ]);
      expect(events[0]?.details).toMatchObject({
        before: { webhookSettings: { allowPrivateTargets: false } },
        after: { webhookSettings: { allowPrivateTargets: true } },
      });
      expect(events[1]?.details).toMatchObject({
        actor: { kind: 'admin_key' },
        target: { webhookId: webhook.id },
        after: { url: 'http://127.0.0.1:9/in', eventTypes: ['*'], enabled: true },
      });
      expect(events[2]?.details).toMatchObject({ before: { enabled: true }, after: { enabled: false } });
      const stored = JSON.stringify(events);
      for (const secret of [webhook.secret, rotated.secret]) expect(stored).not.toContain(secret.slice(6));
      expect(stored).not.toContain('whsec_');
    });
  });

  describe('deliveries', () => {
    it('sends a signed test event that standardwebhooks verifies, and logs it', async () => {
      const target = await receiver('ok');
      const webhook = await create({ url: target.url, eventTypes: ['session.ended'] });
      const deliveryId = await sendTest(webhook.id);
      await admin.server.webhooks.drain();

      const [payload] = target.verifiedPayloads(webhook.secret);
      expect(payload).toEqual({
        type: 'webhook.test',
        timestamp: expect.any(String),
        data: expect.objectContaining({ type: 'webhook.test', envId, details: { webhookId: webhook.id } }),
      });
      expect(target.received[0]?.headers['webhook-id']).toBe(payload?.data.id);
      expect(target.received[0]?.headers['content-type']).toBe('application/json');
      expect(await deliveries(webhook.id)).toEqual([
        {
          id: deliveryId,
          eventId: payload?.data.id,
          eventType: 'webhook.test',
          status: 'succeeded',
          attempts: 1,
          createdAt: expect.any(String),
          lastAttemptAt: expect.any(String),
          nextAttemptAt: null,
          lastResponseStatus: 204,
          lastError: null,
        },
      ]);
    });

    it('signs with the new secret after a rotation, and the old one no longer verifies', async () => {
      const target = await receiver('ok');
      const webhook = await create({ url: target.url });
      const rotated = await admin.post(`${base()}/${webhook.id}/rotate-secret`);
      expect(rotated.statusCode, rotated.body).toBe(200);
      const { secret } = rotated.json();
      expect(secret).toMatch(/^whsec_/);
      expect(secret).not.toBe(webhook.secret);
      await sendTest(webhook.id);
      await admin.server.webhooks.drain();
      expect(target.verifiedPayloads(secret)).toHaveLength(1);
      expect(() => target.verifiedPayloads(webhook.secret)).toThrow();
    });

    it('never sends unsigned: a secret that does not decrypt fails the attempt until it is rotated', async () => {
      const target = await receiver('ok');
      const webhook = await create({ url: target.url });
      const other = await create({ url: target.url });
      const foreign = (await admin.server.deps.storage.getWebhookEndpoint(envId, other.id))?.secretEncrypted;
      // Another webhook's sealed secret: bound to that webhook, it does not open for this one.
      await admin.server.deps.storage.updateWebhookEndpoint(envId, webhook.id, {
        secretEncrypted: foreign ?? '',
      });
      await sendTest(webhook.id);
      await admin.server.webhooks.drain();
      expect(target.received).toEqual([]);
      expect((await deliveries(webhook.id))[0]).toMatchObject({
        status: 'pending',
        attempts: 1,
        lastError: 'the signing secret cannot be decrypted: rotate it',
      });
      const { secret } = (await admin.post(`${base()}/${webhook.id}/rotate-secret`)).json();
      admin.server.clock.advance(RETRY_SCHEDULE[0] ?? 1);
      await admin.server.webhooks.drain();
      expect(target.verifiedPayloads(secret)).toHaveLength(1);
    });

    it('refuses a test event to a disabled webhook with 409', async () => {
      const webhook = await create({ url: 'https://93.184.215.14/', enabled: false });
      expectError(await admin.post(`${base()}/${webhook.id}/test`), 409, 'conflict');
      expect(await deliveries(webhook.id)).toEqual([]);
    });

    it('retries a receiver that answers 500, redirects or hangs, then gives up; the others are not held', async () => {
      const failing = await receiver('error');
      const redirecting = await receiver('redirect');
      const hanging = await receiver('hang');
      const healthy = await receiver('ok');
      const hooks = {
        failing: await create({ url: failing.url }),
        redirecting: await create({ url: redirecting.url }),
        hanging: await create({ url: hanging.url }),
        healthy: await create({ url: healthy.url }),
      };
      // More hanging deliveries than the dispatcher has slots: the healthy endpoint still gets through.
      for (let i = 0; i < 4; i++) await sendTest(hooks.hanging.id);
      await sendTest(hooks.failing.id);
      await sendTest(hooks.redirecting.id);
      await sendTest(hooks.healthy.id);
      const started = Date.now();
      admin.server.webhooks.nudge();
      while (healthy.received.length === 0 && Date.now() - started < TIMEOUT_MILLIS) await sleep(20);
      expect(healthy.received).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MILLIS);
      await admin.server.webhooks.drain();

      const last = async (id: string) => (await deliveries(id))[0];
      expect(await last(hooks.failing.id)).toMatchObject({
        status: 'pending',
        attempts: 1,
        lastResponseStatus: 500,
        lastError: 'HTTP 500',
        nextAttemptAt: new Date((admin.server.clock.now() + 1) * 1000).toISOString(),
      });
      expect(await last(hooks.redirecting.id)).toMatchObject({
        status: 'pending',
        lastResponseStatus: 307,
        lastError: 'HTTP 307: redirects are not followed',
      });
      expect(redirecting.received).toHaveLength(1);
      expect(await last(hooks.hanging.id)).toMatchObject({
        status: 'pending',
        lastResponseStatus: null,
        lastError: `timed out after ${TIMEOUT_MILLIS / 1000} s`,
      });
      expect(await last(hooks.healthy.id)).toMatchObject({ status: 'succeeded', attempts: 1 });

      // Due again only when the schedule says; then given up after the last retry.
      await admin.server.webhooks.drain();
      expect(failing.received).toHaveLength(1);
      failing.mode = 'error';
      for (const attempts of [2, 3]) {
        admin.server.clock.advance(1);
        await admin.server.webhooks.drain();
        expect(await last(hooks.failing.id)).toMatchObject({ attempts });
      }
      expect(await last(hooks.failing.id)).toMatchObject({
        status: 'failed',
        nextAttemptAt: null,
        attempts: 3,
      });
      expect(await last(hooks.redirecting.id)).toMatchObject({ status: 'failed', attempts: 3 });
      expect(failing.received).toHaveLength(3);
      admin.server.clock.advance(3600);
      await admin.server.webhooks.drain();
      expect(failing.received).toHaveLength(3);
    }, 30_000);

    it('checks the address again at delivery: a private target is refused once the environment disallows it', async () => {
      const target = await receiver('ok');
      const env = (await createEnvironment(admin, { webhookSettings: { allowPrivateTargets: true } })).id;
      const byAddress = await create({ url: target.url }, env);
      const byName = await create({ url: target.url.replace('127.0.0.1', 'localhost') }, env);
      await admin.patch(`/environments/${env}`, { webhookSettings: { allowPrivateTargets: false } });
      for (const hook of [byAddress, byName]) {
        expect((await admin.post(`/environments/${env}/webhooks/${hook.id}/test`)).statusCode).toBe(202);
      }
      await admin.server.webhooks.drain();
      expect(target.received).toEqual([]);
      const [viaAddress] = (await admin.read(`/environments/${env}/webhooks/${byAddress.id}/deliveries`)) as {
        lastError: string;
      }[];
      const [viaName] = (await admin.read(`/environments/${env}/webhooks/${byName.id}/deliveries`)) as {
        lastError: string;
      }[];
      expect(viaAddress?.lastError).toBe('refused: the URL is a non-public address');
      expect(viaName?.lastError).toBe('refused: localhost resolves to a non-public address');
    });
  });
});
