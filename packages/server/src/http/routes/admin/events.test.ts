/**
 * `GET /admin/v1/environments/{envId}/events` (docs/events.md): newest first, each filter, paging
 * that carries the filters, and a 400 naming the field for each bad input.
 */
import { backendsUnderTest } from '@tessera/testing/backends';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRecord } from '../../../storage/records.js';
import { type AdminClient, expectError, startAdmin } from './admin.test-helpers.js';

const AT = Date.parse('2026-03-01T12:00:00.000Z');

function event(id: string, type: string, at: number, overrides: Partial<EventRecord> = {}): EventRecord {
  return {
    id,
    envId: 'default',
    type,
    at,
    userId: null,
    sid: null,
    tenantId: null,
    clientId: null,
    ip: null,
    userAgent: null,
    details: {},
    ...overrides,
  };
}

const SEED = [
  event('evt_a', 'session.created', AT, {
    userId: 'u-1',
    sid: 's-1',
    tenantId: 't-1',
    clientId: 'app',
    ip: '203.0.113.9',
    userAgent: '<script>alert(1)</script>',
    details: { method: 'password', via: 'session_api' },
  }),
  event('evt_b', 'login.failed', AT + 1000, { userId: 'u-2', details: { reason: 'invalid_credentials' } }),
  event('evt_c', 'admin.tenant.updated', AT + 2000, {
    details: { actor: { kind: 'admin_key' }, target: { tenantId: 't-1' }, before: { a: 1 }, after: { a: 2 } },
  }),
  event('evt_d', 'session.ended', AT + 3000, { userId: 'u-1', sid: 's-1', details: { reason: 'logout' } }),
  event('evt_e', 'admin.user.disabled', AT + 3500, { userId: 'u-1' }),
  event('evt_other', 'session.created', AT + 4000, { envId: 'elsewhere', userId: 'u-1' }),
];

const backends = await backendsUnderTest();

describe.each(backends)('the events API on %s', (backend) => {
  let admin: AdminClient;
  beforeAll(async () => {
    admin = await startAdmin({ backend });
    for (const e of SEED) await admin.server.deps.storage.appendEvent(e);
  });
  afterAll(async () => admin?.close());

  const ids = async (query: string) =>
    ((await admin.read(`/environments/default/events${query}`)) as { id: string }[]).map((e) => e.id);

  it('lists the environment’s events newest first, as the contract shapes them', async () => {
    const events = (await admin.read('/environments/default/events')) as Record<string, unknown>[];
    expect(events.map((e) => e.id)).toEqual(['evt_e', 'evt_d', 'evt_c', 'evt_b', 'evt_a']);
    expect(events.at(-1)).toEqual({
      id: 'evt_a',
      type: 'session.created',
      envId: 'default',
      at: '2026-03-01T12:00:00.000Z',
      userId: 'u-1',
      sid: 's-1',
      tenantId: 't-1',
      clientId: 'app',
      ip: '203.0.113.9',
      userAgent: '<script>alert(1)</script>',
      details: { method: 'password', via: 'session_api' },
    });
    expect(events[2]).toMatchObject({
      userId: null,
      sid: null,
      details: { before: { a: 1 }, after: { a: 2 } },
    });
  });

  it.each([
    ['one type', '?type=session.ended', ['evt_d']],
    ['a comma list', '?type=session.ended,login.failed', ['evt_d', 'evt_b']],
    ['a prefix', '?type=admin.*', ['evt_e', 'evt_c']],
    ['a prefix and a type', '?type=session.*,login.failed', ['evt_d', 'evt_b', 'evt_a']],
    ['a user', '?userId=u-1', ['evt_e', 'evt_d', 'evt_a']],
    ['a session', '?sid=s-1', ['evt_d', 'evt_a']],
    ['since, inclusive', '?since=2026-03-01T12:00:02Z', ['evt_e', 'evt_d', 'evt_c']],
    ['until, exclusive', '?until=2026-03-01T12:00:02.000Z', ['evt_b', 'evt_a']],
    [
      'a range in another time zone',
      '?since=2026-03-01T13:00:01%2B01:00&until=2026-03-01T12:00:03Z',
      ['evt_c', 'evt_b'],
    ],
    ['filters together', '?type=session.*&userId=u-1&since=2026-03-01T12:00:01Z', ['evt_d']],
    ['a user with no events', '?userId=nobody', []],
  ])('filters by %s', async (_name, query, expected) => {
    expect(await ids(query)).toEqual(expected);
  });

  it('pages newest first through Link headers that keep the filters', async () => {
    const first = await admin.get('/environments/default/events?userId=u-1&limit=2');
    expect(first.statusCode).toBe(200);
    expect((first.json() as { id: string }[]).map((e) => e.id)).toEqual(['evt_e', 'evt_d']);
    const link = /^<\/admin\/v1([^>]+)>; rel="next"$/.exec(String(first.headers.link))?.[1];
    expect(link).toMatch(/[?&]userId=u-1(&|$)/);
    expect(link).toMatch(/[?&]limit=2(&|$)/);
    const second = await admin.get(link!);
    expect((second.json() as { id: string }[]).map((e) => e.id)).toEqual(['evt_a']);
    expect(second.headers.link).toBeUndefined();
  });

  it.each([
    ['type', '?type=Session.Ended'],
    ['type', '?type=session..ended'],
    ['type', '?type=*'],
    ['type', '?type=session.ended,'],
    ['type', `?type=${Array.from({ length: 21 }, (_, i) => `t${i}`).join(',')}`],
    ['type', '?type='],
    ['since', '?since=yesterday'],
    ['since', '?since=2026-03-01'],
    ['since', '?since=2026-03-01T12:00:00'],
    ['since', '?since=2026-13-01T12:00:00Z'],
    ['until', '?until=1700000000'],
    ['until', '?since=2026-03-01T12:00:00Z&until=2026-03-01T12:00:00Z'],
    ['userId', `?userId=${'u'.repeat(257)}`],
    ['sid', '?sid='],
    ['cursor', '?cursor=garbage'],
    ['limit', '?limit=0'],
    ['limit', '?limit=201'],
    ['limit', '?limit=ten'],
  ])('refuses a bad %s (%s) with 400 naming it', async (field, query) => {
    const response = await admin.get(`/environments/default/events${query}`);
    expectError(response, 400, 'invalid_request');
    expect(response.json()).toMatchObject({ field });
  });

  it('refuses an unknown query parameter', async () => {
    const response = await admin.get('/environments/default/events?user=u-1');
    expectError(response, 400, 'invalid_request');
  });

  it('answers 404 for an unknown environment, and 401 without the key', async () => {
    expectError(await admin.get('/environments/nowhere/events'), 404, 'not_found');
    const anonymous = await admin.server.app.inject({
      method: 'GET',
      url: '/admin/v1/environments/default/events',
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('allows only GET', async () => {
    const response = await admin.request({ method: 'DELETE', url: '/environments/default/events' });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD');
  });
});
