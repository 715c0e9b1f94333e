/** appliedMigrations: what the readiness probe compares with the migrations in the code. */
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../migrations/migrations.js';
import type { ConformanceContext } from './suite.js';

/** `unmigrated`: a context whose database has not been migrated. */
export function migrationCases(unmigrated: ConformanceContext): void {
  describe('appliedMigrations', () => {
    it('is empty for a database never migrated, and names every migration of the code after migrate()', async () => {
      const { storage } = unmigrated;
      expect(await storage.appliedMigrations()).toEqual([]);
      await storage.migrate();
      const applied = await storage.appliedMigrations();
      expect([...applied].sort()).toEqual(MIGRATIONS.map((m) => m.id).sort());
      await storage.migrate();
      expect(await storage.appliedMigrations()).toHaveLength(MIGRATIONS.length);
    });
  });
}
