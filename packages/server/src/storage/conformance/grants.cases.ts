/** Authorization codes and interactions (hosted login, issue #3). */
import { describe, expect, it } from 'vitest';
import type { InteractionRecord, NewAuthorizationCode } from '../port.js';
import { ENV, seedUser, startSession, T0, USER } from './fixtures.js';
import type { ConformanceContext } from './suite.js';

function code(codeHash: string, overrides: Partial<NewAuthorizationCode> = {}): NewAuthorizationCode {
  return {
    codeHash,
    envId: ENV,
    clientId: 'app',
    sessionId: 's-1',
    userId: USER,
    tenantId: 'acme',
    redirectUri: 'https://app.example.com/cb',
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    scopes: ['openid', 'email'],
    nonce: 'n-1',
    authTime: T0,
    issuedAt: T0,
    expiresAt: T0 + 60,
    ...overrides,
  };
}

function interaction(idHash: string): InteractionRecord {
  return {
    idHash,
    envId: ENV,
    clientId: 'app',
    request: { redirectUri: 'https://app.example.com/cb', scopes: ['openid'], state: 'xyz' },
    csrfTokenHash: 'csrf-hash',
    userId: null,
    authTime: null,
    createdAt: T0,
    expiresAt: T0 + 600,
  };
}

export function grantCases(context: ConformanceContext): void {
  describe('authorization codes', () => {
    it('AS-03: redeem once; every later redemption sees it used; an unknown code is null', async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-1', 'h-1', T0);
      await storage.insertAuthorizationCode(code('c-1'));
      expect(await storage.redeemAuthorizationCode('c-1', T0 + 5)).toEqual({
        code: { ...code('c-1'), redeemedAt: T0 + 5 },
        firstUse: true,
      });
      expect(await storage.redeemAuthorizationCode('c-1', T0 + 6)).toEqual({
        code: { ...code('c-1'), redeemedAt: T0 + 5 },
        firstUse: false,
      });
      expect(await storage.redeemAuthorizationCode('c-unknown', T0)).toBeNull();
    });

    it('AS-03: concurrent redemptions of one code: exactly one first use', async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-1', 'h-1', T0);
      await storage.insertAuthorizationCode(code('c-race'));
      const results = await Promise.all(
        Array.from({ length: 10 }, () => storage.redeemAuthorizationCode('c-race', T0 + 1)),
      );
      expect(results.filter((r) => r?.firstUse)).toHaveLength(1);
    });

    it('goes with its session', async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-1', 'h-1', T0);
      await storage.insertAuthorizationCode(code('c-1'));
      await storage.endSession('s-1', 'logout', T0 + 1);
      await storage.pruneSessionHistory({ rotatedBefore: T0, endedBefore: T0 + 2 });
      expect(await storage.redeemAuthorizationCode('c-1', T0 + 3)).toBeNull();
    });
  });

  describe('interactions', () => {
    it('are stored, read, given a user, and consumed exactly once', async () => {
      const { storage } = context;
      await seedUser(storage);
      await storage.insertInteraction(interaction('i-1'));
      expect(await storage.getInteraction('i-1')).toEqual(interaction('i-1'));
      expect(await storage.setInteractionUser('i-1', USER, T0 + 10)).toBe(true);
      expect(await storage.setInteractionUser('i-unknown', USER, T0 + 10)).toBe(false);
      const withUser = { ...interaction('i-1'), userId: USER, authTime: T0 + 10 };
      expect(await storage.getInteraction('i-1')).toEqual(withUser);
      const consumed = await Promise.all([
        storage.consumeInteraction('i-1'),
        storage.consumeInteraction('i-1'),
      ]);
      expect(consumed.filter((c) => c !== null)).toEqual([withUser]);
      expect(await storage.getInteraction('i-1')).toBeNull();
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
      await storage.addSessionClient('s-1', 'admin-console', T0 + 5);
      await storage.addSessionClient('s-1', 'admin-console', T0 + 6);
      expect(await authorized('admin-console')).toBe(true);
      expect(await authorized('someone-else')).toBe(false);
    });
  });
}
