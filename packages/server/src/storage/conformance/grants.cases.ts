/** Authorization codes and interactions (hosted login, issue #3). */
import { describe, expect, it } from 'vitest';
import {
  authorizationCode,
  CODE_BINDING,
  interaction,
  seedUser,
  startSession,
  T0,
  USER,
} from './fixtures.js';
import type { ConformanceContext } from './suite.js';

export function grantCases(context: ConformanceContext): void {
  describe('authorization codes', () => {
    it('AS-03: redeem once; every later redemption sees it used; an unknown code is null', async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-1', 'h-1', T0);
      await storage.insertAuthorizationCode(authorizationCode('c-1'));
      expect(await storage.redeemAuthorizationCode('c-1', T0 + 5, CODE_BINDING)).toEqual({
        code: { ...authorizationCode('c-1'), redeemedAt: T0 + 5 },
        firstUse: true,
      });
      expect(await storage.redeemAuthorizationCode('c-1', T0 + 6, CODE_BINDING)).toEqual({
        code: { ...authorizationCode('c-1'), redeemedAt: T0 + 5 },
        firstUse: false,
      });
      expect(await storage.redeemAuthorizationCode('c-unknown', T0, CODE_BINDING)).toBeNull();
    });

    it.each([
      ['client', { clientId: 'other' }],
      ['redirect URI', { redirectUri: 'https://app.example.com/other' }],
      ['PKCE challenge', { codeChallenge: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk' }],
    ])('AS-05 / AS-06: a presentation with another %s does not consume the code', async (_name, wrong) => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-1', 'h-1', T0);
      await storage.insertAuthorizationCode(authorizationCode('c-1'));
      expect(await storage.redeemAuthorizationCode('c-1', T0 + 5, { ...CODE_BINDING, ...wrong })).toEqual({
        code: { ...authorizationCode('c-1'), redeemedAt: null },
        firstUse: false,
      });
      expect(await storage.redeemAuthorizationCode('c-1', T0 + 6, CODE_BINDING)).toMatchObject({
        code: { redeemedAt: T0 + 6 },
        firstUse: true,
      });
      // After the redemption, a mismatched one still changes nothing.
      expect(
        await storage.redeemAuthorizationCode('c-1', T0 + 7, { ...CODE_BINDING, ...wrong }),
      ).toMatchObject({
        code: { redeemedAt: T0 + 6 },
        firstUse: false,
      });
    });

    it('AS-03: concurrent redemptions of one code: exactly one first use', async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-1', 'h-1', T0);
      await storage.insertAuthorizationCode(authorizationCode('c-race'));
      const results = await Promise.all(
        Array.from({ length: 10 }, () => storage.redeemAuthorizationCode('c-race', T0 + 1, CODE_BINDING)),
      );
      expect(results.filter((r) => r?.firstUse)).toHaveLength(1);
    });

    it('goes with its session', async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-1', 'h-1', T0);
      await storage.insertAuthorizationCode(authorizationCode('c-1'));
      await storage.endSession('s-1', 'logout', T0 + 1);
      await storage.pruneSessionHistory({ rotatedBefore: T0, endedBefore: T0 + 2, grantsExpiredBefore: T0 });
      expect(await storage.redeemAuthorizationCode('c-1', T0 + 3, CODE_BINDING)).toBeNull();
    });
  });

  describe('interactions', () => {
    it('are stored once, read, given a user, and consumed exactly once (the row stays as the mark)', async () => {
      const { storage } = context;
      await seedUser(storage);
      expect(await storage.insertInteraction(interaction('i-1'))).toBe(true);
      expect(await storage.insertInteraction({ ...interaction('i-1'), clientId: 'other' })).toBe(false);
      expect(await storage.getInteraction('i-1')).toEqual(interaction('i-1'));
      expect(await storage.setInteractionUser('i-1', USER, T0 + 10)).toBe(true);
      expect(await storage.setInteractionUser('i-unknown', USER, T0 + 10)).toBe(false);
      const withUser = { ...interaction('i-1'), userId: USER, authTime: T0 + 10 };
      expect(await storage.getInteraction('i-1')).toEqual(withUser);
      const consumed = await Promise.all([
        storage.consumeInteraction('i-1'),
        storage.consumeInteraction('i-1'),
      ]);
      const completed = { ...withUser, userId: null };
      expect(consumed.filter((c) => c !== null)).toEqual([completed]);
      expect(await storage.getInteraction('i-1')).toEqual(completed);
      expect(await storage.consumeInteraction('i-1')).toBeNull();
      expect(await storage.consumeInteraction('i-unknown')).toBeNull();
    });
  });

  describe('session clients (single sign-on, ADR 0004)', () => {
    it('a session is authorized for the client that logged in, and for each one added', async () => {
      const { storage } = context;
      await seedUser(storage);
      const session = await startSession(storage, 's-1', 'h-1', T0);
      const authorized = async (clientId?: string) =>
        (await storage.loadRefreshContext('h-1', clientId))?.clientAuthorized;
      expect(await authorized(session.clientId)).toBe(true);
      expect(await authorized()).toBe(true);
      expect(await authorized('admin-console')).toBe(false);
      await storage.addSessionClient({
        sessionId: 's-1',
        clientId: 'admin-console',
        now: T0 + 5,
        scopes: ['openid'],
      });
      await storage.addSessionClient({
        sessionId: 's-1',
        clientId: 'admin-console',
        now: T0 + 6,
        scopes: ['openid'],
      });
      expect(await authorized('admin-console')).toBe(true);
      expect(await authorized('someone-else')).toBe(false);
    });

    it('remembers the scopes of each client’s latest authorization; null for any other client', async () => {
      const { storage } = context;
      await seedUser(storage);
      const session = await startSession(storage, 's-1', 'h-1', T0);
      await startSession(storage, 's-2', 'h-2', T0);
      await storage.addSessionClient({
        sessionId: 's-1',
        clientId: 'reports',
        now: T0 + 5,
        scopes: ['openid', 'email', 'profile'],
      });
      expect(await storage.getSessionClientScopes('s-1', 'reports')).toEqual(['openid', 'email', 'profile']);
      await storage.addSessionClient({
        sessionId: 's-1',
        clientId: 'reports',
        now: T0 + 6,
        scopes: ['openid'],
      });
      expect(await storage.getSessionClientScopes('s-1', 'reports')).toEqual(['openid']);
      await storage.addSessionClient({ sessionId: 's-1', clientId: 'reports', now: T0 + 7, scopes: [] });
      expect(await storage.getSessionClientScopes('s-1', 'reports')).toEqual([]);

      // The client that logged in is one of the session's clients, authorized for no scope yet.
      expect(await storage.getSessionClientScopes('s-1', session.clientId)).toEqual([]);
      expect(await storage.getSessionClientScopes('s-1', 'someone-else')).toBeNull();
      expect(await storage.getSessionClientScopes('s-2', 'reports')).toBeNull();
      expect(await storage.getSessionClientScopes('s-missing', 'reports')).toBeNull();
    });
  });
}
