/** The activity counters: atomic addition per (environment, minute, name), reads by minute, pruning. */
import { describe, expect, it } from 'vitest';
import type { ActivityCount } from '../port/activity.js';
import { ENV, T0 } from './fixtures.js';
import type { ConformanceContext } from './suite.js';

const M0 = T0 - (T0 % 60);
const count = (minute: number, name: string, n: number, envId = ENV): ActivityCount => ({
  envId,
  minute,
  name,
  count: n,
});

export function activityCases(context: ConformanceContext): void {
  describe('activity counts', () => {
    it('adds to the stored count, row by row, and creates rows as needed', async () => {
      const { storage } = context;
      await storage.addActivityCounts([count(M0, 'login', 2), count(M0, 'refusal:idle_timeout', 1)]);
      await storage.addActivityCounts([count(M0, 'login', 3), count(M0 + 60, 'refresh', 7)]);
      expect(await storage.listActivityCounts(ENV, M0, M0 + 60)).toEqual([
        count(M0, 'login', 5),
        count(M0, 'refusal:idle_timeout', 1),
        count(M0 + 60, 'refresh', 7),
      ]);
    });

    it('does nothing for no counts', async () => {
      const { storage } = context;
      await storage.addActivityCounts([]);
      expect(await storage.listActivityCounts(ENV, 0, M0 * 2)).toEqual([]);
    });

    it('reads one environment, the minutes asked for, both ends included', async () => {
      const { storage } = context;
      await storage.addActivityCounts([
        count(M0 - 60, 'login', 1),
        count(M0, 'login', 2),
        count(M0 + 60, 'login', 3),
        count(M0 + 120, 'login', 4),
        count(M0, 'login', 9, 'env-b'),
      ]);
      expect(await storage.listActivityCounts(ENV, M0, M0 + 60)).toEqual([
        count(M0, 'login', 2),
        count(M0 + 60, 'login', 3),
      ]);
      expect(await storage.listActivityCounts('env-b', M0, M0)).toEqual([count(M0, 'login', 9, 'env-b')]);
    });

    it('prunes the minutes before a time, of every environment, and keeps the rest', async () => {
      const { storage } = context;
      await storage.addActivityCounts([
        count(M0, 'login', 1),
        count(M0, 'login', 1, 'env-b'),
        count(M0 + 60, 'refresh', 2),
      ]);
      expect(await storage.pruneActivityCounts(M0 + 60)).toBe(2);
      expect(await storage.pruneActivityCounts(M0 + 60)).toBe(0);
      expect(await storage.listActivityCounts(ENV, 0, M0 * 2)).toEqual([count(M0 + 60, 'refresh', 2)]);
      expect(await storage.listActivityCounts('env-b', 0, M0 * 2)).toEqual([]);
    });
  });
}
