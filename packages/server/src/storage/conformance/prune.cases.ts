/** pruneSessionHistory: what goes, and above all what stays. */
import { describe, expect, it } from 'vitest';
import { refreshToken, seedUser, startSession, T0 } from './fixtures.js';
import type { ConformanceContext } from './suite.js';

export function pruneCases(context: ConformanceContext): void {
  describe('pruneSessionHistory', () => {
    it('deletes tokens superseded before the cut-off and sessions ended before theirs, nothing else', async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-live', 'h-1', T0);
      const rotate = (presentedHash: string, successorHash: string, now: number) =>
        storage.rotateRefreshToken({
          sessionId: 's-live',
          presentedHash,
          successor: refreshToken(successorHash, now),
          now,
          activity: false,
        });
      expect(await rotate('h-1', 'h-2', T0 + 100)).toBe(true);
      expect(await rotate('h-2', 'h-3', T0 + 200)).toBe(true);
      await startSession(storage, 's-old', 'h-old', T0);
      await storage.endSession('s-old', 'logout', T0 + 50);
      await startSession(storage, 's-recent', 'h-recent', T0);
      await storage.endSession('s-recent', 'logout', T0 + 500);

      expect(await storage.pruneSessionHistory({ rotatedBefore: T0 + 150, endedBefore: T0 + 100 })).toEqual({
        refreshTokens: 1,
        sessions: 1,
      });
      expect(await storage.loadRefreshContext('h-1')).toBeNull();
      expect((await storage.loadRefreshContext('h-2'))?.token.successorHash).toBe('h-3');
      expect((await storage.loadRefreshContext('h-3'))?.token.rotatedAt).toBeNull();
      expect(await storage.getSession('s-old')).toBeNull();
      expect(await storage.loadRefreshContext('h-old')).toBeNull();
      expect((await storage.getSession('s-recent'))?.endReason).toBe('logout');
      expect((await storage.getSession('s-live'))?.endedAt).toBeNull();
    });

    it("keeps a live session's current token however old it is", async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-1', 'h-1', T0);
      expect(
        await storage.pruneSessionHistory({ rotatedBefore: T0 + 10 ** 9, endedBefore: T0 + 10 ** 9 }),
      ).toEqual({
        refreshTokens: 0,
        sessions: 0,
      });
      expect(await storage.loadRefreshContext('h-1')).not.toBeNull();
    });
  });
}
