/** The environment's live sessions as the admin API lists and counts them, and their clients. */
import { describe, expect, it } from 'vitest';
import type { PageRequest } from '../port/paging.js';
import type { Storage } from '../port.js';
import { ENV, environment, newUser, seedUser, startSession, T0, USER } from './fixtures.js';
import type { ConformanceContext } from './suite.js';

async function pageIds(storage: Storage, page: PageRequest, userId?: string) {
  const result = await storage.listLiveSessionsPage({ envId: ENV, userId, page });
  return { ids: result.items.map((s) => s.id), next: result.next };
}

export function sessionListingCases(context: ConformanceContext): void {
  /** Sessions last active at: s-a T0+3, s-b and s-c T0+2 (a tie), s-d T0+1 (user-b), one ended, one elsewhere. */
  async function seed(): Promise<Storage> {
    const { storage } = context;
    await seedUser(storage);
    await storage.insertUser(newUser(ENV, 'user-b', 'b@example.com'));
    await startSession(storage, 's-a', 'h-a', T0 + 3);
    await startSession(storage, 's-b', 'h-b', T0 + 2);
    await startSession(storage, 's-c', 'h-c', T0 + 2);
    await startSession(storage, 's-d', 'h-d', T0 + 1, { userId: 'user-b' });
    await startSession(storage, 's-ended', 'h-ended', T0 + 9);
    await storage.endSession('s-ended', 'logout', T0 + 10);
    await seedUser(storage, 'env-b', USER);
    await storage.createSession({
      session: {
        id: 's-other-env',
        envId: 'env-b',
        userId: USER,
        clientId: 'web',
        createdAt: T0 + 9,
        authTime: T0 + 9,
        lastActiveAt: T0 + 9,
        lastRefreshAt: T0 + 9,
        defaultTenantId: null,
        userAgent: null,
        ip: null,
      },
      token: { hash: 'h-other-env', issuedAt: T0 + 9, expiresAt: T0 + 99 },
      decide: () => ({ kind: 'create', end: [] }),
    });
    return storage;
  }

  describe('listLiveSessionsPage', () => {
    it('lists the live sessions of the environment, most recently active first, ties by id', async () => {
      const storage = await seed();
      expect(await pageIds(storage, { after: null, limit: 10 })).toEqual({
        ids: ['s-a', 's-c', 's-b', 's-d'],
        next: null,
      });
    });

    it('pages without skipping or repeating, across a tie', async () => {
      const storage = await seed();
      const first = await pageIds(storage, { after: null, limit: 2 });
      expect(first).toEqual({ ids: ['s-a', 's-c'], next: [T0 + 2, 's-c'] });
      const second = await pageIds(storage, { after: first.next, limit: 2 });
      expect(second).toEqual({ ids: ['s-b', 's-d'], next: null });
    });

    it('orders by activity, not creation: a session active later moves to the front', async () => {
      const storage = await seed();
      await storage.touchSession({ sessionId: 's-d', now: T0 + 5, activity: true });
      expect((await pageIds(storage, { after: null, limit: 10 })).ids).toEqual(['s-d', 's-a', 's-c', 's-b']);
    });

    it("lists only one user's sessions when asked, and none for an unknown user", async () => {
      const storage = await seed();
      expect(await pageIds(storage, { after: null, limit: 10 }, 'user-b')).toEqual({
        ids: ['s-d'],
        next: null,
      });
      expect(await pageIds(storage, { after: null, limit: 10 }, 'nobody')).toEqual({ ids: [], next: null });
    });

    it('lists nothing for an environment without sessions', async () => {
      const { storage } = context;
      await storage.insertEnvironment(environment(ENV));
      expect(await pageIds(storage, { after: null, limit: 10 })).toEqual({ ids: [], next: null });
    });
  });

  describe('countLiveSessions', () => {
    it("counts the environment's sessions that have not ended", async () => {
      const storage = await seed();
      expect(await storage.countLiveSessions(ENV)).toBe(4);
      expect(await storage.countLiveSessions('env-b')).toBe(1);
      expect(await storage.countLiveSessions('env-none')).toBe(0);
      await storage.endSession('s-a', 'revoked', T0 + 20);
      expect(await storage.countLiveSessions(ENV)).toBe(3);
    });
  });

  describe('listSessionClientIds', () => {
    it('lists the clients of each session in the order they were added; unknown sessions are absent', async () => {
      const storage = await seed();
      await storage.addSessionClient({ sessionId: 's-a', clientId: 'admin-app', now: T0 + 5, scopes: [] });
      await storage.addSessionClient({ sessionId: 's-a', clientId: 'billing', now: T0 + 4, scopes: [] });
      const clients = await storage.listSessionClientIds(['s-a', 's-b', 's-unknown']);
      expect(clients).toEqual(
        new Map([
          ['s-a', ['web', 'billing', 'admin-app']],
          ['s-b', ['web']],
        ]),
      );
      expect(await storage.listSessionClientIds([])).toEqual(new Map());
    });
  });
}
