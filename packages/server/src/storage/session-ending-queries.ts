/**
 * Reads for the revocation feed and the lapse sweep: each one statement, written once with Kysely
 * for both databases, on the indexes of migration 0005.
 */
import type { Kysely } from 'kysely';
import type { EndReason } from '../engine/records.js';
import type { SessionEndingStore } from './port/session-endings.js';
import { toSession } from './rows.js';
import type { Database } from './schema.js';

export function sessionEndingQueries(db: Kysely<Database>): SessionEndingStore {
  return {
    async listSessionEndings(envId, endedSince, limit) {
      const rows = await db
        .selectFrom('sessions')
        .select(['id', 'end_reason', 'ended_at'])
        .where('env_id', '=', envId)
        .where('ended_at', '>=', endedSince)
        .orderBy('ended_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        sessionId: row.id,
        reason: row.end_reason as EndReason,
        endedAt: Number(row.ended_at),
      }));
    },

    async listLapseCandidates(envId, bounds, limit) {
      const rows = await db
        .selectFrom('sessions')
        .selectAll()
        .where('env_id', '=', envId)
        .where('ended_at', 'is', null)
        .where((eb) =>
          eb.or([
            eb('last_refresh_at', '<', bounds.lastRefreshBefore),
            ...(bounds.lastActiveBefore === null ? [] : [eb('last_active_at', '<', bounds.lastActiveBefore)]),
            ...(bounds.createdBefore === null ? [] : [eb('created_at', '<', bounds.createdBefore)]),
          ]),
        )
        .orderBy('last_active_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toSession);
    },
  };
}
