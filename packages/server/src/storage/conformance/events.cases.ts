/** Events: appended verbatim, listed newest first with every filter, paged stably, pruned by age. */
import { describe, expect, it } from 'vitest';
import type { EventFilter } from '../port/events.js';
import type { Storage } from '../port.js';
import type { EventRecord } from '../records.js';
import { ENV } from './fixtures.js';
import type { ConformanceContext } from './suite.js';

const AT = 1_700_000_000_000;

function event(id: string, overrides: Partial<EventRecord> = {}): EventRecord {
  return {
    id,
    envId: ENV,
    type: 'session.created',
    at: AT,
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

const SEED: EventRecord[] = [
  event('evt_1', { at: AT, type: 'session.created', userId: 'u-1', sid: 's-1' }),
  event('evt_2', { at: AT + 1, type: 'login.failed', userId: 'u-2' }),
  event('evt_3', { at: AT + 1, type: 'admin.user.disabled', userId: 'u-1' }),
  event('evt_4', { at: AT + 2, type: 'session.ended', userId: 'u-1', sid: 's-1' }),
  event('evt_5', { at: AT + 3, type: 'admin.tenant.updated' }),
  event('evt_6', { at: AT + 4, type: 'administrator.odd' }),
  event('evt_7', { at: AT + 2, envId: 'env-b', type: 'session.created', userId: 'u-1', sid: 's-1' }),
];

async function seed(storage: Storage): Promise<void> {
  for (const e of SEED) await storage.appendEvent(e);
}

async function ids(storage: Storage, filter: EventFilter, envId = ENV): Promise<string[]> {
  return (await storage.listEvents(envId, filter, { after: null, limit: 100 })).items.map((e) => e.id);
}

export function eventCases(context: ConformanceContext): void {
  describe('events', () => {
    it('lists an environment’s events newest first, ties by id, and only its own', async () => {
      const { storage } = context;
      await seed(storage);
      expect(await ids(storage, {})).toEqual(['evt_6', 'evt_5', 'evt_4', 'evt_3', 'evt_2', 'evt_1']);
      expect(await ids(storage, {}, 'env-b')).toEqual(['evt_7']);
      expect(await ids(storage, {}, 'env-none')).toEqual([]);
    });

    it.each<[string, EventFilter, string[]]>([
      ['one type', { types: ['session.created'] }, ['evt_1']],
      ['several types', { types: ['session.created', 'session.ended'] }, ['evt_4', 'evt_1']],
      ['a prefix, which stops at the dot', { types: ['admin.*'] }, ['evt_5', 'evt_3']],
      ['a prefix and a type', { types: ['admin.*', 'login.failed'] }, ['evt_5', 'evt_3', 'evt_2']],
      ['a type that matches nothing', { types: ['admin'] }, []],
      ['a user', { userId: 'u-1' }, ['evt_4', 'evt_3', 'evt_1']],
      ['a session', { sid: 's-1' }, ['evt_4', 'evt_1']],
      ['since, inclusive', { since: AT + 2 }, ['evt_6', 'evt_5', 'evt_4']],
      ['until, exclusive', { until: AT + 2 }, ['evt_3', 'evt_2', 'evt_1']],
      ['a time range', { since: AT + 1, until: AT + 3 }, ['evt_4', 'evt_3', 'evt_2']],
      ['every filter at once', { types: ['session.*'], userId: 'u-1', sid: 's-1', since: AT + 1 }, ['evt_4']],
    ])('filters by %s', async (_name, filter, expected) => {
      const { storage } = context;
      await seed(storage);
      expect(await ids(storage, filter)).toEqual(expected);
    });

    it('pages newest first, and neither repeats nor skips when events are appended between pages', async () => {
      const { storage } = context;
      await seed(storage);
      const first = await storage.listEvents(ENV, {}, { after: null, limit: 2 });
      expect(first.items.map((e) => e.id)).toEqual(['evt_6', 'evt_5']);
      expect(first.next).toEqual([AT + 3, 'evt_5']);
      await storage.appendEvent(event('evt_9', { at: AT + 10 }));
      await storage.appendEvent(event('evt_35', { at: AT + 1 }));
      const second = await storage.listEvents(ENV, {}, { after: first.next, limit: 2 });
      expect(second.items.map((e) => e.id)).toEqual(['evt_4', 'evt_35']);
      const third = await storage.listEvents(ENV, {}, { after: second.next, limit: 2 });
      expect(third.items.map((e) => e.id)).toEqual(['evt_3', 'evt_2']);
      const last = await storage.listEvents(ENV, {}, { after: third.next, limit: 2 });
      expect(last).toMatchObject({ items: [{ id: 'evt_1' }], next: null });
    });

    it('pages a filtered list within the filter', async () => {
      const { storage } = context;
      await seed(storage);
      const first = await storage.listEvents(ENV, { userId: 'u-1' }, { after: null, limit: 2 });
      expect(first.items.map((e) => e.id)).toEqual(['evt_4', 'evt_3']);
      const rest = await storage.listEvents(ENV, { userId: 'u-1' }, { after: first.next, limit: 2 });
      expect(rest).toMatchObject({ items: [{ id: 'evt_1' }], next: null });
    });

    it('stores every field and hostile strings verbatim, and details round-trip', async () => {
      const { storage } = context;
      const hostile = `<script>alert("x")</script>' OR 1=1; -- \\ % _ 🔑 ﬁ`;
      const stored = event('evt_h', {
        userId: hostile,
        sid: 's-h',
        tenantId: 't-<b>',
        clientId: 'c-"1"',
        ip: '2001:db8::1',
        userAgent: hostile,
        details: {
          reason: hostile,
          actor: { kind: 'console', consoleSessionId: 'cs_1' },
          before: { idleTimeoutSeconds: null, absoluteTimeoutSeconds: 3600 },
          after: { list: [1, 'two', true, null], nested: { deep: { n: 1.5 } } },
        },
      });
      await storage.appendEvent(stored);
      const [read] = (await storage.listEvents(ENV, {}, { after: null, limit: 1 })).items;
      expect(read).toEqual(stored);
      expect(await ids(storage, { userId: hostile })).toEqual(['evt_h']);
    });

    it('refuses a second event with the same id', async () => {
      const { storage } = context;
      await storage.appendEvent(event('evt_1'));
      await expect(storage.appendEvent(event('evt_1', { type: 'other' }))).rejects.toThrow();
      expect((await storage.listEvents(ENV, {}, { after: null, limit: 10 })).items).toEqual([event('evt_1')]);
    });

    it('prunes the events of every environment before the cut-off, and keeps the others', async () => {
      const { storage } = context;
      await seed(storage);
      expect(await storage.pruneEvents(AT + 2)).toBe(3);
      expect(await ids(storage, {})).toEqual(['evt_6', 'evt_5', 'evt_4']);
      expect(await ids(storage, {}, 'env-b')).toEqual(['evt_7']);
      expect(await storage.pruneEvents(AT + 2)).toBe(0);
    });

    it('prunes more than one batch', async () => {
      const { storage } = context;
      for (let i = 0; i < 1205; i++) {
        await storage.appendEvent(event(`evt_${String(i).padStart(5, '0')}`, { at: AT + i }));
      }
      expect(await storage.pruneEvents(AT + 1200)).toBe(1200);
      expect(await ids(storage, {})).toEqual([
        'evt_01204',
        'evt_01203',
        'evt_01202',
        'evt_01201',
        'evt_01200',
      ]);
    });
  });
}
