/** createSession under the limit callback, live-session listing, touching and ending sessions. */
import { describe, expect, it } from 'vitest';
import type { UserPolicy } from '../../engine/policy.js';
import type { SessionRecord } from '../../engine/records.js';
import { decideSessionLimit } from '../../engine/session-limit.js';
import {
  ENV,
  newSession,
  newUser,
  refreshToken,
  seedUser,
  startSession,
  storedToken,
  T0,
  TOKEN_SETTINGS,
  USER,
} from './fixtures.js';
import type { ConformanceContext } from './suite.js';

export function sessionCases(context: ConformanceContext): void {
  describe('createSession', () => {
    it('creates the session and its first refresh token', async () => {
      const { storage } = context;
      await seedUser(storage);
      const session = newSession(ENV, USER, 's-1', T0, {
        defaultTenantId: 'acme',
        userAgent: null,
        ip: null,
      });
      const result = await storage.createSession({
        session,
        token: refreshToken('h-1', T0),
        decide: () => ({ kind: 'create', end: [] }),
      });
      expect(result).toEqual({ created: true, ended: [] });
      expect(await storage.getSession('s-1')).toEqual({
        ...session,
        activityOrder: expect.any(Number),
        lastIp: null,
        endedAt: null,
        endReason: null,
      });
      expect((await storage.loadRefreshContext('h-1'))?.token).toEqual(storedToken('h-1', 's-1', T0));
    });

    it("hands decide only the user's live sessions, oldest first", async () => {
      const { storage } = context;
      await seedUser(storage);
      await storage.insertUser(newUser(ENV, 'user-b', 'b@example.com'));
      const second = await startSession(storage, 's-2', 'h-2', T0 + 2);
      const first = await startSession(storage, 's-1', 'h-1', T0 + 1);
      await startSession(storage, 's-ended', 'h-ended', T0);
      await storage.endSession('s-ended', 'logout', T0 + 3);
      await startSession(storage, 's-other', 'h-other', T0, { userId: 'user-b' });

      let seen: readonly SessionRecord[] = [];
      await storage.createSession({
        session: newSession(ENV, USER, 's-new', T0 + 10),
        token: refreshToken('h-new', T0 + 10),
        decide: (live) => {
          seen = live;
          return { kind: 'create', end: [] };
        },
      });
      expect(seen).toEqual([first, second]);
      expect((await storage.listLiveSessions(ENV, USER)).map((s) => s.id)).toEqual(['s-1', 's-2', 's-new']);
    });

    it('SES-06: replaces the browser’s previous session atomically: not counted, ended as replaced', async () => {
      const { storage } = context;
      await seedUser(storage);
      await storage.insertUser(newUser(ENV, 'user-b', 'b@example.com'));
      const kept = await startSession(storage, 's-1', 'h-1', T0);
      await startSession(storage, 's-browser', 'h-browser', T0 + 1);
      let seen: readonly SessionRecord[] = [];
      const result = await storage.createSession({
        session: newSession(ENV, USER, 's-new', T0 + 10),
        token: refreshToken('h-new', T0 + 10),
        replaces: 's-browser',
        decide: (live) => {
          seen = live;
          return { kind: 'create', end: [] };
        },
      });
      expect(seen).toEqual([kept]);
      expect(result).toEqual({ created: true, ended: [{ sessionId: 's-browser', reason: 'replaced' }] });
      expect(await storage.getSession('s-browser')).toMatchObject({
        endedAt: T0 + 10,
        endReason: 'replaced',
      });
      // Another user's session in the same browser is replaced too; a refused creation replaces nothing.
      await startSession(storage, 's-b', 'h-b', T0 + 11, { userId: 'user-b' });
      expect(
        await storage.createSession({
          session: newSession(ENV, USER, 's-refused', T0 + 12),
          token: refreshToken('h-refused', T0 + 12),
          replaces: 's-b',
          decide: () => ({ kind: 'reject' }),
        }),
      ).toEqual({ created: false });
      expect(await storage.getSession('s-b')).toMatchObject({ endedAt: null });
      expect(
        await storage.createSession({
          session: newSession(ENV, USER, 's-next', T0 + 13),
          token: refreshToken('h-next', T0 + 13),
          replaces: 's-b',
          decide: () => ({ kind: 'create', end: [] }),
        }),
      ).toEqual({ created: true, ended: [{ sessionId: 's-b', reason: 'replaced' }] });
    });

    it('ends the sessions decide names, with their reasons, at the new session time', async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-1', 'h-1', T0);
      await startSession(storage, 's-2', 'h-2', T0 + 1);
      await startSession(storage, 's-3', 'h-3', T0 + 2);
      const end = [
        { sessionId: 's-1', reason: 'evicted' as const },
        { sessionId: 's-2', reason: 'idle_timeout' as const },
      ];
      const result = await storage.createSession({
        session: newSession(ENV, USER, 's-new', T0 + 100),
        token: refreshToken('h-new', T0 + 100),
        decide: () => ({ kind: 'create', end }),
      });
      expect(result).toEqual({ created: true, ended: end });
      expect(await storage.getSession('s-1')).toMatchObject({ endedAt: T0 + 100, endReason: 'evicted' });
      expect(await storage.getSession('s-2')).toMatchObject({ endedAt: T0 + 100, endReason: 'idle_timeout' });
      expect((await storage.listLiveSessions(ENV, USER)).map((s) => s.id)).toEqual(['s-3', 's-new']);
    });

    it('changes nothing when decide rejects', async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-1', 'h-1', T0);
      const result = await storage.createSession({
        session: newSession(ENV, USER, 's-new', T0 + 1),
        token: refreshToken('h-new', T0 + 1),
        decide: () => ({ kind: 'reject' }),
      });
      expect(result).toEqual({ created: false });
      expect(await storage.getSession('s-new')).toBeNull();
      expect(await storage.loadRefreshContext('h-new')).toBeNull();
      expect((await storage.listLiveSessions(ENV, USER)).map((s) => s.id)).toEqual(['s-1']);
    });

    it('changes nothing when decide throws, or the user does not exist', async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-1', 'h-1', T0);
      const attempt = (userId: string, decide: () => never | { kind: 'reject' }) =>
        storage.createSession({
          session: newSession(ENV, userId, 's-new', T0 + 1),
          token: refreshToken('h-new', T0 + 1),
          decide,
        });
      await expect(
        attempt(USER, () => {
          throw new Error('decide failed');
        }),
      ).rejects.toThrow('decide failed');
      await expect(attempt('missing', () => ({ kind: 'reject' }))).rejects.toThrow();
      expect(await storage.getSession('s-new')).toBeNull();
      expect((await storage.listLiveSessions(ENV, USER)).map((s) => s.id)).toEqual(['s-1']);
    });
  });

  describe('eviction order within one second (SES-12)', () => {
    const limitOfThree: UserPolicy = {
      absoluteTimeoutSeconds: null,
      maxConcurrentSessions: 3,
      onLimit: 'evict_oldest',
    };
    // The engine's own rule, fed what the adapter hands `decide`: the order must come from the records.
    const loginAt = (sessionId: string, tokenHash: string) =>
      storage().createSession({
        session: newSession(ENV, USER, sessionId, T0),
        token: refreshToken(tokenHash, T0),
        decide: (liveSessions) =>
          decideSessionLimit({
            liveSessions,
            userPolicy: limitOfThree,
            tenantPolicies: [],
            refreshTokenTtlSeconds: TOKEN_SETTINGS.refreshTokenTtlSeconds,
            now: T0,
          }),
      });
    const storage = () => context.storage;

    it('SES-12b: logins in the same second evict the least recently active, whatever the session ids', async () => {
      await seedUser(storage());
      // Ids sort the other way round from the order of the logins.
      for (const [sid, hash] of [
        ['s-9', 'h-9'],
        ['s-5', 'h-5'],
        ['s-1', 'h-1'],
      ]) {
        await loginAt(sid as string, hash as string);
      }
      expect(await loginAt('s-0', 'h-0')).toEqual({
        created: true,
        ended: [{ sessionId: 's-9', reason: 'evicted' }],
      });
      expect(await loginAt('s-4', 'h-4')).toEqual({
        created: true,
        ended: [{ sessionId: 's-5', reason: 'evicted' }],
      });
      expect((await storage().listLiveSessions(ENV, USER)).map((s) => s.id).sort()).toEqual([
        's-0',
        's-1',
        's-4',
      ]);
    });

    it('SES-12b: activity in the same second (active refresh, touch) makes a session the most recently active', async () => {
      await seedUser(storage());
      for (const [sid, hash] of [
        ['s-1', 'h-1'],
        ['s-2', 'h-2'],
        ['s-3', 'h-3'],
      ]) {
        await loginAt(sid as string, hash as string);
      }
      // The oldest rotates with activity, the next is touched with activity, in the same second.
      expect(
        await storage().rotateRefreshToken({
          sessionId: 's-1',
          presentedHash: 'h-1',
          successor: refreshToken('h-1b', T0),
          now: T0,
          activity: true,
        }),
      ).toBe(true);
      await storage().touchSession({ sessionId: 's-2', now: T0, activity: true, defaultTenantId: 'acme' });
      // A refresh without activity changes nothing in the order.
      await storage().touchSession({ sessionId: 's-3', now: T0, activity: false });
      expect(await loginAt('s-4', 'h-4')).toEqual({
        created: true,
        ended: [{ sessionId: 's-3', reason: 'evicted' }],
      });
      expect(await loginAt('s-5', 'h-5')).toEqual({
        created: true,
        ended: [{ sessionId: 's-1', reason: 'evicted' }],
      });
    });
  });

  describe('touchSession', () => {
    it('advances activity only when asked, never backwards, and sets the default tenant', async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-1', 'h-1', T0);

      await storage.touchSession({ sessionId: 's-1', now: T0 + 50, activity: false });
      expect(await storage.getSession('s-1')).toMatchObject({
        lastActiveAt: T0,
        lastRefreshAt: T0,
        defaultTenantId: null,
      });
      await storage.touchSession({ sessionId: 's-1', now: T0 + 60, activity: true, defaultTenantId: 'acme' });
      expect(await storage.getSession('s-1')).toMatchObject({
        lastActiveAt: T0 + 60,
        defaultTenantId: 'acme',
      });
      await storage.touchSession({ sessionId: 's-1', now: T0 + 55, activity: true });
      expect(await storage.getSession('s-1')).toMatchObject({
        lastActiveAt: T0 + 60,
        defaultTenantId: 'acme',
      });
    });

    it('leaves an ended session as it ended', async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-1', 'h-1', T0);
      await storage.endSession('s-1', 'logout', T0 + 1);
      const ended = await storage.getSession('s-1');
      await storage.touchSession({ sessionId: 's-1', now: T0 + 60, activity: true, defaultTenantId: 'acme' });
      expect(await storage.getSession('s-1')).toEqual(ended);
      await storage.touchSession({ sessionId: 'missing', now: T0, activity: true });
    });
  });

  describe('ending sessions', () => {
    it('endSession ends a live session once', async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-1', 'h-1', T0);
      expect(await storage.endSession('s-1', 'logout', T0 + 5)).toBe(true);
      expect(await storage.endSession('s-1', 'revoked', T0 + 6)).toBe(false);
      expect(await storage.getSession('s-1')).toMatchObject({ endedAt: T0 + 5, endReason: 'logout' });
      expect(await storage.endSession('missing', 'logout', T0)).toBe(false);
      expect(await storage.listLiveSessions(ENV, USER)).toEqual([]);
    });

    it('endUserSessions ends all but the excepted one', async () => {
      const { storage } = context;
      await seedUser(storage);
      await storage.insertUser(newUser(ENV, 'user-b', 'b@example.com'));
      await startSession(storage, 's-1', 'h-1', T0);
      await startSession(storage, 's-2', 'h-2', T0);
      await startSession(storage, 's-3', 'h-3', T0);
      await startSession(storage, 's-b', 'h-b', T0, { userId: 'user-b' });

      const ended = await storage.endUserSessions({
        envId: ENV,
        userId: USER,
        reason: 'revoked',
        now: T0 + 9,
        exceptSessionId: 's-2',
      });
      expect([...ended].sort()).toEqual(['s-1', 's-3']);
      expect(await storage.getSession('s-3')).toMatchObject({ endedAt: T0 + 9, endReason: 'revoked' });
      expect((await storage.listLiveSessions(ENV, USER)).map((s) => s.id)).toEqual(['s-2']);
      expect(
        await storage.endUserSessions({
          envId: ENV,
          userId: USER,
          reason: 'revoked',
          now: T0 + 10,
          exceptSessionId: 's-2',
        }),
      ).toEqual([]);
      expect(
        await storage.endUserSessions({ envId: ENV, userId: USER, reason: 'logout', now: T0 + 11 }),
      ).toEqual(['s-2']);
      expect(await storage.listLiveSessions(ENV, 'user-b')).toHaveLength(1);
    });
  });
}
