import { expect, it } from 'vitest';
import { MIGRATIONS } from '../migrations/migrations.js';
import type { ConformanceContext } from './suite.js';

const ALL = MIGRATIONS.map((m) => m.id);

export function migrationCases(context: ConformanceContext): void {
  it('a fresh database has every migration pending, and asking changes nothing', async () => {
    const { storage } = context;
    expect(await storage.migrationStatus()).toEqual({ applied: [], pending: ALL });
    expect(await storage.migrationStatus()).toEqual({ applied: [], pending: ALL });
  });

  it('after migrate, every migration is applied in order with its time, none pending', async () => {
    const { storage } = context;
    const before = Math.floor(Date.now() / 1000);
    await storage.migrate();
    const status = await storage.migrationStatus();
    expect(status.pending).toEqual([]);
    expect(status.applied.map((m) => m.id)).toEqual(ALL);
    for (const m of status.applied) {
      expect(m.appliedAt).toBeGreaterThanOrEqual(before - 1);
      expect(m.appliedAt).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 1);
    }
  });
}
