/**
 * The events of migration 0008, written once with Kysely for both databases: append, and the
 * admin API's list (newest first, keyset paging on `[at, id]`). Pruning is each adapter's, in
 * batches like the rest of the history.
 */
import type { ExpressionBuilder, Insertable, Kysely, Selectable } from 'kysely';
import type { EventFilter, EventStore } from './port/events.js';
import type { PageKey } from './port/paging.js';
import type { EventRecord } from './records.js';
import { parseJson } from './rows.js';
import type { Database, EventsTable } from './schema.js';

export function eventQueries(db: Kysely<Database>): Pick<EventStore, 'appendEvent' | 'listEvents'> {
  return {
    async appendEvent(event) {
      await db.insertInto('events').values(eventRow(event)).execute();
    },

    async listEvents(envId, filter, { after, limit }) {
      let query = db
        .selectFrom('events')
        .selectAll()
        .where('env_id', '=', envId)
        .where((eb) => matching(eb, filter));
      if (after !== null) {
        const [at, id] = after;
        query = query.where((eb) =>
          eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', id)])]),
        );
      }
      const rows = await query
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const items = rows.slice(0, limit).map(toEvent);
      const last = items.at(-1);
      const next: PageKey | null = rows.length > limit && last !== undefined ? [last.at, last.id] : null;
      return { items, next };
    },
  };
}

function matching(eb: ExpressionBuilder<Database, 'events'>, filter: EventFilter) {
  const conditions = [];
  if (filter.types !== undefined && filter.types.length > 0) {
    conditions.push(
      eb.or(
        filter.types.map((type) => {
          if (!type.endsWith('.*')) return eb('type', '=', type);
          // A range rather than LIKE: byte-wise on both databases ('.' + 1 is '/'), and indexed.
          const prefix = type.slice(0, -1);
          return eb.and([eb('type', '>=', prefix), eb('type', '<', `${prefix.slice(0, -1)}/`)]);
        }),
      ),
    );
  }
  if (filter.userId !== undefined) conditions.push(eb('user_id', '=', filter.userId));
  if (filter.sid !== undefined) conditions.push(eb('sid', '=', filter.sid));
  if (filter.since !== undefined) conditions.push(eb('at', '>=', filter.since));
  if (filter.until !== undefined) conditions.push(eb('at', '<', filter.until));
  return eb.and(conditions);
}

export function eventRow(event: EventRecord): Insertable<EventsTable> {
  return {
    id: event.id,
    env_id: event.envId,
    type: event.type,
    at: event.at,
    user_id: event.userId,
    sid: event.sid,
    tenant_id: event.tenantId,
    client_id: event.clientId,
    ip: event.ip,
    user_agent: event.userAgent,
    details: JSON.stringify(event.details),
  };
}

function toEvent(row: Selectable<EventsTable>): EventRecord {
  return {
    id: row.id,
    envId: row.env_id,
    type: row.type,
    at: Number(row.at),
    userId: row.user_id,
    sid: row.sid,
    tenantId: row.tenant_id,
    clientId: row.client_id,
    ip: row.ip,
    userAgent: row.user_agent,
    details: parseJson<Record<string, unknown>>(row.details),
  };
}
