import type BetterSqlite3 from 'better-sqlite3';
import { MIGRATIONS_TABLE_DDL, pendingMigrations, SQLITE_COLUMN_TYPES } from '../migrations/migrations.js';
import type { MigrationStatus } from '../port/maintenance.js';

/** BEGIN IMMEDIATE takes the write lock first, so a second process waits and then finds nothing to do. */
export function migrateSqlite(db: BetterSqlite3.Database): void {
  db.transaction(() => {
    db.exec(MIGRATIONS_TABLE_DDL);
    const applied = db.prepare<[], string>('SELECT id FROM tessera_migrations').pluck().all();
    const record = db.prepare<[string, number]>(
      'INSERT INTO tessera_migrations (id, applied_at) VALUES (?, ?)',
    );
    for (const migration of pendingMigrations(applied)) {
      for (const statement of migration.statements(SQLITE_COLUMN_TYPES)) db.exec(statement);
      record.run(migration.id, Math.floor(Date.now() / 1000));
    }
  }).immediate();
}

/** Read-only: a fresh database (no `tessera_migrations` yet) has every migration pending. */
export function sqliteMigrationStatus(db: BetterSqlite3.Database): MigrationStatus {
  const table = db
    .prepare<[], number>(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'tessera_migrations'",
    )
    .pluck()
    .get();
  const applied = table
    ? db
        .prepare<[], { id: string; appliedAt: number }>(
          'SELECT id, applied_at AS appliedAt FROM tessera_migrations ORDER BY applied_at, id',
        )
        .all()
    : [];
  return { applied, pending: pendingMigrations(applied.map((m) => m.id)).map((m) => m.id) };
}
