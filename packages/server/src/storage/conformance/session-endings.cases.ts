/** listSessionEndings (the revocation feed) and listLapseCandidates (the lapse sweep). */
import { describe, expect, it } from 'vitest';
import { ENV, environment, newUser, seedUser, startSession, T0 } from './fixtures.js';
import type { ConformanceContext } from './suite.js';

export function sessionEndingCases(context: ConformanceContext): void {
  describe('listSessionEndings', () => {
    it('lists the sessions of one environment that ended since a time, oldest first, with their reason', async () => {
      const { storage } = context;
      await seedUser(storage);
      for (const id of ['s-1', 's-2', 's-3', 's-live']) await startSession(storage, id, `h-${id}`, T0);
      await storage.endSession('s-2', 'refresh_token_reused', T0 + 20);
      await storage.endSession('s-1', 'logout', T0 + 10);
      await storage.endSession('s-3', 'evicted', T0 + 30);
      await storage.insertEnvironment(environment('env-b'));
      await storage.insertUser(newUser('env-b', 'user-b', 'b@example.com'));

      expect(await storage.listSessionEndings(ENV, T0 + 15, 100)).toEqual([
        { sessionId: 's-2', reason: 'refresh_token_reused', endedAt: T0 + 20 },
        { sessionId: 's-3', reason: 'evicted', endedAt: T0 + 30 },
      ]);
      expect((await storage.listSessionEndings(ENV, T0, 1)).map((e) => e.sessionId)).toEqual(['s-1']);
      expect(await storage.listSessionEndings('env-b', T0, 100)).toEqual([]);
    });

    it('includes the sessions a disabled user lost', async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-1', 'h-1', T0);
      await storage.setUserStatus({ envId: ENV, userId: 'user-a', status: 'disabled', now: T0 + 5 });
      expect(await storage.listSessionEndings(ENV, T0, 100)).toEqual([
        { sessionId: 's-1', reason: 'user_disabled', endedAt: T0 + 5 },
      ]);
    });
  });

  describe('listLapseCandidates', () => {
    it('lists live sessions past any one bound, least recently active first, and nothing ended', async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-idle', 'h-1', T0, { lastActiveAt: T0 + 1 });
      await startSession(storage, 's-old', 'h-2', T0 - 500, {
        lastActiveAt: T0 + 50,
        lastRefreshAt: T0 + 50,
      });
      await startSession(storage, 's-fresh', 'h-3', T0 + 40, {
        lastActiveAt: T0 + 60,
        lastRefreshAt: T0 + 60,
      });
      await startSession(storage, 's-ended', 'h-4', T0, { lastActiveAt: T0 });
      await storage.endSession('s-ended', 'logout', T0 + 2);
      const bounds = { lastActiveBefore: T0 + 10, createdBefore: T0 - 100, lastRefreshBefore: T0 - 1000 };
      const ids = (await storage.listLapseCandidates(ENV, bounds, 100)).map((s) => s.id);
      expect(ids).toEqual(['s-idle', 's-old']);
      const noPolicies = { lastActiveBefore: null, createdBefore: null, lastRefreshBefore: T0 + 55 };
      expect((await storage.listLapseCandidates(ENV, noPolicies, 100)).map((s) => s.id)).toEqual([
        's-idle',
        's-old',
      ]);
      expect(await storage.listLapseCandidates(ENV, bounds, 1)).toHaveLength(1);
    });
  });
}
