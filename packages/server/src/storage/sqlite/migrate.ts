import type BetterSqlite3 from 'better-sqlite3';
import { MIGRATIONS_TABLE_DDL, pendingMigrations, SQLITE_COLUMN_TYPES } from '../migrations/migrations.js';

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

/** The ids in `tessera_migrations`; none when the table is not there yet. */
export function appliedSqliteMigrations(db: BetterSqlite3.Database): string[] {
  const table = db
    .prepare<[], number>(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'tessera_migrations'",
    )
    .pluck()
    .get();
  if (!table) return [];
  return db.prepare<[], string>('SELECT id FROM tessera_migrations').pluck().all();
}
