import type pg from 'pg';
import { MIGRATIONS_TABLE_DDL, POSTGRES_COLUMN_TYPES, pendingMigrations } from '../migrations/migrations.js';
import type { MigrationStatus } from '../port/maintenance.js';
import { withTransaction } from './pool.js';

/** Arbitrary, fixed: the first key of the advisory lock; the second is the schema's hash. */
const MIGRATION_LOCK_CLASS = 0x7e55e4a;

/**
 * Concurrent callers queue on a transaction-scoped advisory lock per schema; each then sees what
 * the previous one applied. PostgreSQL DDL is transactional, so a failed migration leaves nothing.
 */
export async function migratePostgres(pool: pg.Pool): Promise<void> {
  await withTransaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock($1, hashtext(coalesce(current_schema(), '')))", [
      MIGRATION_LOCK_CLASS,
    ]);
    await client.query(MIGRATIONS_TABLE_DDL);
    const applied = await client.query<{ id: string }>('SELECT id FROM tessera_migrations');
    for (const migration of pendingMigrations(applied.rows.map((row) => row.id))) {
      for (const statement of migration.statements(POSTGRES_COLUMN_TYPES)) await client.query(statement);
      await client.query(
        'INSERT INTO tessera_migrations (id, applied_at) VALUES ($1, extract(epoch from now())::bigint)',
        [migration.id],
      );
    }
  });
}

/** Read-only: a fresh schema (no `tessera_migrations` yet) has every migration pending. */
export async function postgresMigrationStatus(pool: pg.Pool): Promise<MigrationStatus> {
  const table = await pool.query<{ found: boolean }>(
    "SELECT to_regclass('tessera_migrations') IS NOT NULL AS found",
  );
  const applied = table.rows[0]?.found
    ? (
        await pool.query<{ id: string; appliedAt: number }>(
          'SELECT id, applied_at AS "appliedAt" FROM tessera_migrations ORDER BY applied_at, id',
        )
      ).rows
    : [];
  return { applied, pending: pendingMigrations(applied.map((m) => m.id)).map((m) => m.id) };
}
