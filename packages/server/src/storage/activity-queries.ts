/**
 * The activity counters (migration 0009) on both databases: each one statement, written once with
 * Kysely. The upsert adds to the stored count in the database (`count + excluded.count`), so
 * concurrent additions from several nodes serialize on the row and sum up.
 */
import type { Kysely } from 'kysely';
import type { ActivityStore } from './port/activity.js';
import type { Database } from './schema.js';

export function activityQueries(db: Kysely<Database>): ActivityStore {
  return {
    async addActivityCounts(counts) {
      if (counts.length === 0) return;
      await db
        .insertInto('activity_counts')
        .values(counts.map((c) => ({ env_id: c.envId, minute: c.minute, name: c.name, count: c.count })))
        .onConflict((conflict) =>
          conflict
            .columns(['env_id', 'minute', 'name'])
            .doUpdateSet((eb) => ({ count: eb('activity_counts.count', '+', eb.ref('excluded.count')) })),
        )
        .execute();
    },

    async listActivityCounts(envId, fromMinute, untilMinute) {
      const rows = await db
        .selectFrom('activity_counts')
        .selectAll()
        .where('env_id', '=', envId)
        .where('minute', '>=', fromMinute)
        .where('minute', '<=', untilMinute)
        .orderBy('minute')
        .orderBy('name')
        .execute();
      return rows.map((row) => ({
        envId: row.env_id,
        minute: Number(row.minute),
        name: row.name,
        count: Number(row.count),
      }));
    },

    async pruneActivityCounts(before) {
      const result = await db.deleteFrom('activity_counts').where('minute', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
