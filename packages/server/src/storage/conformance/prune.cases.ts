/** pruneSessionHistory: what goes, and above all what stays. */
import { describe, expect, it } from 'vitest';
import {
  authorizationCode,
  CODE_BINDING,
  interaction,
  refreshToken,
  seedUser,
  startSession,
  T0,
} from './fixtures.js';
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

      expect(
        await storage.pruneSessionHistory({
          rotatedBefore: T0 + 150,
          endedBefore: T0 + 100,
          grantsExpiredBefore: T0,
        }),
      ).toEqual({ refreshTokens: 1, sessions: 1, authorizationCodes: 0, interactions: 0 });
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
      const forever = T0 + 10 ** 9;
      expect(
        await storage.pruneSessionHistory({
          rotatedBefore: forever,
          endedBefore: forever,
          grantsExpiredBefore: forever,
        }),
      ).toEqual({ refreshTokens: 0, sessions: 0, authorizationCodes: 0, interactions: 0 });
      expect(await storage.loadRefreshContext('h-1')).not.toBeNull();
    });

    it('deletes authorization codes and interactions that expired before the cut-off, and keeps the others', async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-1', 'h-1', T0);
      const cutOff = T0 + 300;
      for (const [hash, expiresAt] of [
        ['old', cutOff - 1],
        ['edge', cutOff],
        ['new', cutOff + 1],
      ] as const) {
        await storage.insertAuthorizationCode(authorizationCode(`c-${hash}`, { expiresAt }));
        await storage.insertInteraction(interaction(`i-${hash}`, { expiresAt }));
      }
      await storage.redeemAuthorizationCode('c-new', T0 + 1, CODE_BINDING);

      expect(
        await storage.pruneSessionHistory({
          rotatedBefore: cutOff,
          endedBefore: cutOff,
          grantsExpiredBefore: cutOff,
        }),
      ).toEqual({ refreshTokens: 0, sessions: 0, authorizationCodes: 1, interactions: 1 });
      expect(await storage.redeemAuthorizationCode('c-old', cutOff, CODE_BINDING)).toBeNull();
      expect(await storage.getInteraction('i-old')).toBeNull();
      expect(await storage.redeemAuthorizationCode('c-edge', cutOff, CODE_BINDING)).toMatchObject({
        firstUse: true,
      });
      expect(await storage.getInteraction('i-edge')).not.toBeNull();
      // A redeemed code stays until it expires: a second use is then still recognised (AS-03).
      expect(await storage.redeemAuthorizationCode('c-new', cutOff, CODE_BINDING)).toMatchObject({
        firstUse: false,
      });
      expect(await storage.getInteraction('i-new')).not.toBeNull();
      expect((await storage.getSession('s-1'))?.endedAt).toBeNull();
    });
  });
}
