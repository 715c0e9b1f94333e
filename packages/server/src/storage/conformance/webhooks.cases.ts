/** The webhook role: endpoints, the enqueue filter, and the delivery queue's claims (docs/webhooks.md). */
import { describe, expect, it } from 'vitest';
import type { ClaimWebhookDeliveriesInput, WebhookEventToDeliver } from '../port/webhooks.js';
import type { Storage } from '../port.js';
import type { EventRecord, WebhookEndpointRecord } from '../records.js';
import { ENV, environment, T0 } from './fixtures.js';
import type { ConformanceContext } from './suite.js';

export function webhookEndpoint(
  id: string,
  overrides: Partial<WebhookEndpointRecord> = {},
): WebhookEndpointRecord {
  return {
    id,
    envId: ENV,
    url: `https://hooks.example/${id}`,
    eventTypes: ['*'],
    description: null,
    enabled: true,
    secretEncrypted: `sealed-${id}`,
    createdAt: T0,
    ...overrides,
  };
}

export function webhookEvent(
  eventId: string,
  overrides: Partial<WebhookEventToDeliver> = {},
): WebhookEventToDeliver {
  return {
    envId: ENV,
    eventId,
    eventType: 'session.created',
    sid: null,
    payload: { type: 'session.created', timestamp: '2023-11-14T22:13:20.000Z', data: { id: eventId } },
    now: T0,
    ...overrides,
  };
}

export function claimInput(
  overrides: Partial<ClaimWebhookDeliveriesInput> = {},
): ClaimWebhookDeliveriesInput {
  return { now: T0, limit: 10, perEndpointLimit: 10, excludeEndpointIds: [], lockSeconds: 60, ...overrides };
}

export function webhookCases(context: ConformanceContext): void {
  const seed = async (storage: Storage, ...endpoints: WebhookEndpointRecord[]) => {
    await storage.insertEnvironment(environment(ENV));
    for (const endpoint of endpoints) expect(await storage.insertWebhookEndpoint(endpoint)).toBe(true);
  };
  const claimedIds = async (storage: Storage, input: Partial<ClaimWebhookDeliveriesInput> = {}) =>
    (await storage.claimWebhookDeliveries(claimInput(input))).map((d) => `${d.eventId}>${d.endpointId}`);

  describe('webhook endpoints', () => {
    it('stores, reads, pages, updates and deletes an endpoint with its event types in order', async () => {
      const { storage } = context;
      const types = ['session.ended', 'admin.*', 'session.created'];
      const first = webhookEndpoint('wh-1', { eventTypes: types, description: 'CRM <sync>' });
      const second = webhookEndpoint('wh-2', { createdAt: T0 + 1, enabled: false });
      await seed(storage, first, second);
      expect(await storage.getWebhookEndpoint(ENV, 'wh-1')).toEqual(first);
      expect(await storage.getWebhookEndpoint('other-env', 'wh-1')).toBeNull();

      const page1 = await storage.listWebhookEndpointsPage(ENV, { after: null, limit: 1 });
      expect(page1.items).toEqual([first]);
      const page2 = await storage.listWebhookEndpointsPage(ENV, { after: page1.next, limit: 1 });
      expect(page2).toEqual({ items: [second], next: null });

      expect(
        await storage.updateWebhookEndpoint(ENV, 'wh-1', {
          eventTypes: ['oauth.code_reused'],
          enabled: false,
        }),
      ).toBe(true);
      expect(await storage.getWebhookEndpoint(ENV, 'wh-1')).toEqual({
        ...first,
        eventTypes: ['oauth.code_reused'],
        enabled: false,
      });
      expect(
        await storage.updateWebhookEndpoint(ENV, 'wh-1', {
          url: 'https://other.example/',
          description: null,
          secretEncrypted: 'sealed-new',
        }),
      ).toBe(true);
      expect(await storage.getWebhookEndpoint(ENV, 'wh-1')).toMatchObject({
        url: 'https://other.example/',
        description: null,
        secretEncrypted: 'sealed-new',
        eventTypes: ['oauth.code_reused'],
      });
      expect(await storage.updateWebhookEndpoint(ENV, 'nope', { enabled: true })).toBe(false);
      expect(await storage.updateWebhookEndpoint('other-env', 'wh-1', { enabled: true })).toBe(false);

      expect(await storage.deleteWebhookEndpoint(ENV, 'wh-1')).toBe(true);
      expect(await storage.deleteWebhookEndpoint(ENV, 'wh-1')).toBe(false);
      expect(await storage.getWebhookEndpoint(ENV, 'wh-1')).toBeNull();
    });

    it('refuses a taken id or an unknown environment, and writes nothing', async () => {
      const { storage } = context;
      await seed(storage, webhookEndpoint('wh-1', { eventTypes: ['session.ended'] }));
      expect(
        await storage.insertWebhookEndpoint(webhookEndpoint('wh-1', { url: 'https://x.example/' })),
      ).toBe(false);
      expect(await storage.getWebhookEndpoint(ENV, 'wh-1')).toMatchObject({
        url: 'https://hooks.example/wh-1',
        eventTypes: ['session.ended'],
      });
      expect(await storage.insertWebhookEndpoint(webhookEndpoint('wh-2', { envId: 'missing' }))).toBe(false);
      expect(await storage.getWebhookEndpoint('missing', 'wh-2')).toBeNull();
    });

    it("deleting an endpoint or its environment deletes the endpoint's deliveries", async () => {
      const { storage } = context;
      await seed(storage, webhookEndpoint('wh-1'));
      await storage.enqueueWebhookDeliveries(webhookEvent('evt-1'));
      expect(
        (await storage.listWebhookDeliveriesPage(ENV, 'wh-1', { after: null, limit: 5 })).items,
      ).toHaveLength(1);
      await storage.deleteWebhookEndpoint(ENV, 'wh-1');
      expect((await storage.listWebhookDeliveriesPage(ENV, 'wh-1', { after: null, limit: 5 })).items).toEqual(
        [],
      );
      expect(await storage.claimWebhookDeliveries(claimInput())).toEqual([]);

      await storage.insertWebhookEndpoint(webhookEndpoint('wh-2'));
      await storage.enqueueWebhookDeliveries(webhookEvent('evt-2'));
      await storage.deleteEnvironment(ENV);
      expect(await storage.claimWebhookDeliveries(claimInput())).toEqual([]);
    });
  });

  describe('enqueueing', () => {
    it('enqueues one pending delivery per enabled endpoint of the environment whose types match', async () => {
      const { storage } = context;
      await seed(
        storage,
        webhookEndpoint('all', { eventTypes: ['*'] }),
        webhookEndpoint('exact', { eventTypes: ['login.failed', 'session.created'] }),
        webhookEndpoint('prefix', { eventTypes: ['session.*'] }),
        webhookEndpoint('other-type', { eventTypes: ['session.ended'] }),
        webhookEndpoint('other-prefix', { eventTypes: ['sessions.*', 'session.created.*'] }),
        webhookEndpoint('disabled', { eventTypes: ['*'], enabled: false }),
      );
      await storage.insertEnvironment(environment('env-b'));
      await storage.insertWebhookEndpoint(webhookEndpoint('elsewhere', { envId: 'env-b' }));

      const event = webhookEvent('evt-1', { sid: 'sid-1' });
      expect(await storage.enqueueWebhookDeliveries(event)).toBe(3);
      const claimed = await storage.claimWebhookDeliveries(claimInput());
      expect(claimed.map((d) => d.endpointId).sort()).toEqual(['all', 'exact', 'prefix']);
      expect(claimed[0]).toMatchObject({
        envId: ENV,
        eventId: 'evt-1',
        eventType: 'session.created',
        sid: 'sid-1',
        payload: event.payload,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: T0,
        lastAttemptAt: null,
        lastResponseStatus: null,
        lastError: null,
        createdAt: T0,
      });
      const all = claimed.find((d) => d.endpointId === 'all');
      expect(all).toMatchObject({ url: 'https://hooks.example/all', secretEncrypted: 'sealed-all' });
      expect(new Set(claimed.map((d) => d.id)).size).toBe(3);
      expect(await storage.getWebhookDelivery(ENV, all?.id ?? '')).toMatchObject({ eventId: 'evt-1' });
      expect(await storage.getWebhookDelivery('env-b', all?.id ?? '')).toBeNull();

      expect(
        await storage.enqueueWebhookDeliveries(webhookEvent('evt-2', { eventType: 'admin.user.disabled' })),
      ).toBe(1);
      expect(await storage.enqueueWebhookDeliveries(webhookEvent('evt-3', { envId: 'env-b' }))).toBe(1);
    });

    it('appendEvent stores the event and queues its deliveries, with the event as the payload', async () => {
      const { storage } = context;
      await seed(
        storage,
        webhookEndpoint('wh-1', { eventTypes: ['session.*'] }),
        webhookEndpoint('wh-2', { eventTypes: ['login.failed'] }),
      );
      const event: EventRecord = {
        id: 'evt_1',
        envId: ENV,
        type: 'session.ended',
        at: T0 * 1000 + 123,
        userId: 'user-a',
        sid: 's-1',
        tenantId: null,
        clientId: 'web',
        ip: '203.0.113.7',
        userAgent: 'Mozilla/5.0 <b>',
        details: { reason: 'logout' },
      };
      await storage.appendEvent(event);
      expect((await storage.listEvents(ENV, {}, { after: null, limit: 5 })).items).toEqual([event]);
      const at = new Date(event.at).toISOString();
      const claimed = await storage.claimWebhookDeliveries(claimInput());
      expect(claimed).toHaveLength(1);
      expect(claimed[0]).toMatchObject({
        endpointId: 'wh-1',
        eventId: 'evt_1',
        eventType: 'session.ended',
        sid: 's-1',
        nextAttemptAt: T0,
        payload: { type: 'session.ended', timestamp: at, data: { ...event, at } },
      });
    });

    it('enqueues a delivery to one endpoint whatever its types, and none to an unknown one', async () => {
      const { storage } = context;
      await seed(storage, webhookEndpoint('wh-1', { eventTypes: ['session.ended'] }));
      const event = webhookEvent('evt-test', { eventType: 'webhook.test' });
      expect(await storage.enqueueWebhookDelivery('wh-1', 'whd-test', event)).toBe(true);
      expect(await storage.enqueueWebhookDelivery('nope', 'whd-x', event)).toBe(false);
      expect(await storage.enqueueWebhookDelivery('wh-1', 'whd-y', { ...event, envId: 'other' })).toBe(false);
      expect(await storage.getWebhookDelivery(ENV, 'whd-test')).toMatchObject({
        endpointId: 'wh-1',
        eventType: 'webhook.test',
        status: 'pending',
      });
    });
  });

  describe('claiming', () => {
    it('claims due deliveries only, and not again while the claim holds', async () => {
      const { storage } = context;
      await seed(storage, webhookEndpoint('wh-1'));
      await storage.enqueueWebhookDeliveries(webhookEvent('evt-1'));
      await storage.enqueueWebhookDeliveries(webhookEvent('evt-2', { now: T0 + 5 }));
      expect(await claimedIds(storage, { now: T0 - 1 })).toEqual([]);
      expect(await claimedIds(storage, { now: T0, lockSeconds: 30 })).toEqual(['evt-1>wh-1']);
      expect(await claimedIds(storage, { now: T0 + 5 })).toEqual(['evt-2>wh-1']);
      expect(await claimedIds(storage, { now: T0 + 29 })).toEqual([]);
      // A claim that lapsed (its node died) is claimed again: at least once.
      expect(await claimedIds(storage, { now: T0 + 30 })).toEqual(['evt-1>wh-1']);
    });

    it("holds a session's later deliveries to an endpoint until the earlier one is done", async () => {
      const { storage } = context;
      await seed(storage, webhookEndpoint('wh-1'), webhookEndpoint('wh-2', { createdAt: T0 + 1 }));
      await storage.enqueueWebhookDeliveries(webhookEvent('evt-1', { sid: 's-1' }));
      await storage.enqueueWebhookDeliveries(webhookEvent('evt-2', { sid: 's-1' }));
      await storage.enqueueWebhookDeliveries(webhookEvent('evt-3', { sid: 's-2' }));
      await storage.enqueueWebhookDeliveries(webhookEvent('evt-4', { sid: null }));
      await storage.enqueueWebhookDeliveries(webhookEvent('evt-5', { sid: null }));

      const first = await storage.claimWebhookDeliveries(claimInput());
      expect(first.map((d) => `${d.eventId}>${d.endpointId}`).sort()).toEqual([
        'evt-1>wh-1',
        'evt-1>wh-2',
        'evt-3>wh-1',
        'evt-3>wh-2',
        'evt-4>wh-1',
        'evt-4>wh-2',
        'evt-5>wh-1',
        'evt-5>wh-2',
      ]);
      // evt-1 to wh-1 fails and waits for a retry: evt-2 to wh-1 waits with it; to wh-2 it goes on.
      const byKey = new Map(first.map((d) => [`${d.eventId}>${d.endpointId}`, d.id]));
      const finish = (
        key: string,
        status: 'pending' | 'succeeded' | 'failed',
        nextAttemptAt: number | null,
      ) =>
        storage.finishWebhookAttempt({
          deliveryId: byKey.get(key) ?? '',
          now: T0 + 1,
          status,
          nextAttemptAt,
          responseStatus: status === 'succeeded' ? 204 : 500,
          error: status === 'succeeded' ? null : 'HTTP 500',
        });
      expect(await finish('evt-1>wh-1', 'pending', T0 + 10)).toBe(true);
      expect(await finish('evt-1>wh-2', 'succeeded', null)).toBe(true);
      expect(await claimedIds(storage, { now: T0 + 2 })).toEqual(['evt-2>wh-2']);
      expect(await claimedIds(storage, { now: T0 + 10 })).toEqual(['evt-1>wh-1']);
      expect(await finish('evt-1>wh-1', 'failed', null)).toBe(true);
      expect(await claimedIds(storage, { now: T0 + 10 })).toEqual(['evt-2>wh-1']);
    });

    it('takes at most limit in all and perEndpointLimit per endpoint, earliest due first, and skips excluded endpoints', async () => {
      const { storage } = context;
      await seed(storage, webhookEndpoint('wh-1'), webhookEndpoint('wh-2', { createdAt: T0 + 1 }));
      for (let i = 1; i <= 4; i++)
        await storage.enqueueWebhookDeliveries(webhookEvent(`evt-${i}`, { now: T0 + i }));
      const now = T0 + 10;
      expect(await claimedIds(storage, { now, limit: 3, perEndpointLimit: 2, lockSeconds: 1 })).toEqual([
        'evt-1>wh-1',
        'evt-1>wh-2',
        expect.stringMatching(/^evt-2>wh-[12]$/),
      ]);
      expect(
        await claimedIds(storage, { now: now + 1, limit: 10, perEndpointLimit: 1, lockSeconds: 1 }),
      ).toEqual(['evt-1>wh-1', 'evt-1>wh-2']);
      expect(
        (await claimedIds(storage, { now: now + 2, excludeEndpointIds: ['wh-1'], lockSeconds: 1 })).sort(),
      ).toEqual(['evt-1>wh-2', 'evt-2>wh-2', 'evt-3>wh-2', 'evt-4>wh-2']);
    });

    it("does not claim a disabled endpoint's deliveries, and keeps them until it is enabled again", async () => {
      const { storage } = context;
      await seed(storage, webhookEndpoint('wh-1'));
      await storage.enqueueWebhookDeliveries(webhookEvent('evt-1'));
      await storage.updateWebhookEndpoint(ENV, 'wh-1', { enabled: false });
      expect(await claimedIds(storage)).toEqual([]);
      await storage.updateWebhookEndpoint(ENV, 'wh-1', { enabled: true });
      expect(await claimedIds(storage)).toEqual(['evt-1>wh-1']);
    });
  });

  describe('attempts and the delivery log', () => {
    it('prunes deliveries that are done and older than the bound; pending ones stay', async () => {
      const { storage } = context;
      await seed(storage, webhookEndpoint('wh-1'));
      for (const [i, now] of [T0, T0 + 10, T0 + 20].entries()) {
        await storage.enqueueWebhookDeliveries(webhookEvent(`evt-${i}`, { now, sid: `s-${i}` }));
      }
      const claimed = await storage.claimWebhookDeliveries(claimInput({ now: T0 + 30 }));
      const finish = (eventId: string, status: 'succeeded' | 'failed') =>
        storage.finishWebhookAttempt({
          deliveryId: claimed.find((d) => d.eventId === eventId)?.id ?? '',
          now: T0 + 30,
          status,
          nextAttemptAt: null,
          responseStatus: null,
          error: null,
        });
      await finish('evt-0', 'succeeded');
      await finish('evt-1', 'failed');
      expect(await storage.pruneWebhookDeliveries(T0 + 10)).toBe(1);
      expect(await storage.pruneWebhookDeliveries(T0 + 100)).toBe(1);
      const left = await storage.listWebhookDeliveriesPage(ENV, 'wh-1', { after: null, limit: 10 });
      expect(left.items.map((d) => [d.eventId, d.status])).toEqual([['evt-2', 'pending']]);
    });

    it('counts attempts, backs off, gives up, and lists deliveries newest first', async () => {
      const { storage } = context;
      await seed(storage, webhookEndpoint('wh-1'));
      await storage.enqueueWebhookDeliveries(webhookEvent('evt-1'));
      await storage.enqueueWebhookDeliveries(webhookEvent('evt-2', { now: T0 + 1 }));
      await storage.enqueueWebhookDeliveries(webhookEvent('evt-3', { now: T0 + 2 }));
      const [delivery] = await storage.claimWebhookDeliveries(claimInput({ limit: 1 }));
      const id = delivery?.id ?? '';

      expect(
        await storage.finishWebhookAttempt({
          deliveryId: id,
          now: T0 + 1,
          status: 'pending',
          nextAttemptAt: T0 + 6,
          responseStatus: null,
          error: 'connection refused',
        }),
      ).toBe(true);
      expect(await storage.getWebhookDelivery(ENV, id)).toMatchObject({
        status: 'pending',
        attempts: 1,
        nextAttemptAt: T0 + 6,
        lastAttemptAt: T0 + 1,
        lastResponseStatus: null,
        lastError: 'connection refused',
      });
      expect(await claimedIds(storage, { now: T0 + 5, limit: 10 })).not.toContain('evt-1>wh-1');
      expect(await claimedIds(storage, { now: T0 + 6, limit: 10 })).toContain('evt-1>wh-1');
      expect(
        await storage.finishWebhookAttempt({
          deliveryId: id,
          now: T0 + 7,
          status: 'failed',
          nextAttemptAt: null,
          responseStatus: 500,
          error: 'HTTP 500',
        }),
      ).toBe(true);
      expect(await storage.getWebhookDelivery(ENV, id)).toMatchObject({
        status: 'failed',
        attempts: 2,
        nextAttemptAt: null,
        lastResponseStatus: 500,
      });
      // Given up: never claimed again, and a late result changes nothing.
      expect(await claimedIds(storage, { now: T0 + 1000 })).not.toContain('evt-1>wh-1');
      expect(
        await storage.finishWebhookAttempt({
          deliveryId: id,
          now: T0 + 8,
          status: 'succeeded',
          nextAttemptAt: null,
          responseStatus: 200,
          error: null,
        }),
      ).toBe(false);

      const page1 = await storage.listWebhookDeliveriesPage(ENV, 'wh-1', { after: null, limit: 2 });
      expect(page1.items.map((d) => d.eventId)).toEqual(['evt-3', 'evt-2']);
      const page2 = await storage.listWebhookDeliveriesPage(ENV, 'wh-1', { after: page1.next, limit: 2 });
      expect(page2.items.map((d) => d.eventId)).toEqual(['evt-1']);
      expect(page2.next).toBeNull();
      expect(
        (await storage.listWebhookDeliveriesPage('other', 'wh-1', { after: null, limit: 2 })).items,
      ).toEqual([]);
    });
  });
}
