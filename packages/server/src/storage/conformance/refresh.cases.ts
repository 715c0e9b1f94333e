/**
 * loadRefreshContext, rotateRefreshToken and addRefreshToken (sequential; the races are in
 * concurrency.cases.ts).
 */
import { describe, expect, it } from 'vitest';
import type { RotateRefreshTokenInput } from '../port/sessions.js';
import {
  ENV,
  environment,
  membership,
  refreshToken,
  role,
  seedUser,
  startSession,
  storedToken,
  T0,
  tenant,
  USER,
} from './fixtures.js';
import type { ConformanceContext } from './suite.js';

function rotation(
  presentedHash: string,
  successorHash: string,
  now: number,
  extra: Partial<RotateRefreshTokenInput> = {},
) {
  return {
    sessionId: 's-1',
    presentedHash,
    successor: refreshToken(successorHash, now),
    now,
    activity: false,
    ...extra,
  };
}

export function refreshCases(context: ConformanceContext): void {
  describe('loadRefreshContext', () => {
    it('is null for an unknown hash', async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-1', 'h-1', T0);
      expect(await storage.loadRefreshContext('h-unknown')).toBeNull();
    });

    it('loads token, session, user, memberships and environment in one read', async () => {
      const { storage } = context;
      await seedUser(storage);
      await storage.updateEnvironment(ENV, { branding: { name: 'Acme', primaryColor: '#0e7490' } });
      await storage.insertRole(role(ENV, 'admin', ['b', 'a']));
      await storage.insertTenant(
        tenant(ENV, 'acme', { name: 'Acme', sessionPolicy: { maxConcurrentSessions: 2 } }),
      );
      await storage.putMembership(membership('acme', ['admin']));
      const session = await startSession(storage, 's-1', 'h-1', T0);

      expect(await storage.loadRefreshContext('h-1')).toEqual({
        token: storedToken('h-1', 's-1', T0),
        successor: null,
        session,
        clientAuthorized: true,
        user: { id: USER, envId: ENV, email: `${USER}@example.com`, name: null, status: 'active' },
        memberships: [
          {
            tenantId: 'acme',
            tenantName: 'Acme',
            roles: ['admin'],
            permissions: ['a', 'b'],
            policy: { maxConcurrentSessions: 2 },
          },
        ],
        environment: environment(ENV, { branding: { name: 'Acme', primaryColor: '#0e7490' } }),
      });
    });

    it('shows the successor once the token was rotated', async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-1', 'h-1', T0);
      expect(await storage.rotateRefreshToken(rotation('h-1', 'h-2', T0 + 10))).toBe(true);

      const old = await storage.loadRefreshContext('h-1');
      expect(old?.token).toMatchObject({ hash: 'h-1', rotatedAt: T0 + 10, successorHash: 'h-2' });
      expect(old?.successor).toEqual(storedToken('h-2', 's-1', T0 + 10));
      const current = await storage.loadRefreshContext('h-2');
      expect(current?.token.hash).toBe('h-2');
      expect(current?.successor).toBeNull();
      // The successor comes back through another path (SQLite: a json_object naming its columns
      // one by one) than the token itself: a column added to the table must come back on both.
      expect(old?.successor).toStrictEqual(current?.token);
    });
  });

  describe('rotateRefreshToken', () => {
    it('wins once: a second attempt with the same presented token changes nothing', async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-1', 'h-1', T0);
      expect(await storage.rotateRefreshToken(rotation('h-1', 'h-2', T0 + 10, { activity: true }))).toBe(
        true,
      );
      expect(await storage.rotateRefreshToken(rotation('h-1', 'h-3', T0 + 11, { activity: true }))).toBe(
        false,
      );

      expect((await storage.loadRefreshContext('h-1'))?.token).toMatchObject({
        rotatedAt: T0 + 10,
        successorHash: 'h-2',
      });
      expect(await storage.loadRefreshContext('h-3')).toBeNull();
      expect(await storage.getSession('s-1')).toMatchObject({
        lastRefreshAt: T0 + 10,
        lastActiveAt: T0 + 10,
      });
      expect(await storage.rotateRefreshToken(rotation('h-2', 'h-3', T0 + 12))).toBe(true);
    });

    // SQLite commits the rotations asked for together in one transaction (group commit); each must
    // keep the outcome it would have had alone.
    it('rotations asked for together each keep their own outcome', async () => {
      const { storage } = context;
      await seedUser(storage);
      for (const n of [1, 2, 3]) await startSession(storage, `s-${n}`, `h-${n}`, T0);

      const outcomes = await Promise.all([
        storage.rotateRefreshToken(rotation('h-1', 'h-1b', T0 + 10, { sessionId: 's-1', activity: true })),
        storage.rotateRefreshToken(rotation('h-2', 'h-2b', T0 + 10, { sessionId: 's-2' })),
        storage.rotateRefreshToken(rotation('h-3', 'h-3b', T0 + 10, { sessionId: 's-3' })),
        // The same token a second time in the same round (two tabs): this one loses.
        storage.rotateRefreshToken(rotation('h-1', 'h-1c', T0 + 10, { sessionId: 's-1' })),
      ]);

      expect(outcomes).toEqual([true, true, true, false]);
      for (const n of [1, 2, 3]) {
        expect((await storage.loadRefreshContext(`h-${n}`))?.token.successorHash).toBe(`h-${n}b`);
        expect((await storage.loadRefreshContext(`h-${n}b`))?.session.id).toBe(`s-${n}`);
      }
      expect(await storage.loadRefreshContext('h-1c')).toBeNull();
      expect(await storage.getSession('s-1')).toMatchObject({ lastActiveAt: T0 + 10 });
      expect(await storage.getSession('s-2')).toMatchObject({ lastActiveAt: T0, lastRefreshAt: T0 + 10 });
    });

    it('a rotation that fails fails alone: the others asked for with it are written, it is not', async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-1', 'h-1', T0);
      await startSession(storage, 's-2', 'h-2', T0);

      // A successor hash that is already stored breaks the insert after the supersede matched.
      const [good, bad] = await Promise.allSettled([
        storage.rotateRefreshToken(rotation('h-1', 'h-1b', T0 + 10, { sessionId: 's-1' })),
        storage.rotateRefreshToken(rotation('h-2', 'h-1', T0 + 10, { sessionId: 's-2' })),
      ]);

      expect(good).toEqual({ status: 'fulfilled', value: true });
      expect(bad?.status).toBe('rejected');
      expect((await storage.loadRefreshContext('h-1b'))?.session.id).toBe('s-1');
      expect((await storage.loadRefreshContext('h-2'))?.token).toMatchObject({
        rotatedAt: null,
        successorHash: null,
      });
      expect(await storage.getSession('s-2')).toMatchObject({ lastRefreshAt: T0 });
      expect(await storage.rotateRefreshToken(rotation('h-2', 'h-2b', T0 + 11, { sessionId: 's-2' }))).toBe(
        true,
      );
    });

    it('refuses when the session has ended, or the token belongs to another session', async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-1', 'h-1', T0);
      await startSession(storage, 's-2', 'h-other', T0);
      expect(await storage.rotateRefreshToken(rotation('h-other', 'h-x', T0 + 1))).toBe(false);
      await storage.endSession('s-1', 'logout', T0 + 5);
      expect(await storage.rotateRefreshToken(rotation('h-1', 'h-2', T0 + 10))).toBe(false);

      expect((await storage.loadRefreshContext('h-1'))?.token).toMatchObject({
        rotatedAt: null,
        successorHash: null,
      });
      expect((await storage.loadRefreshContext('h-other'))?.token.rotatedAt).toBeNull();
      expect(await storage.loadRefreshContext('h-2')).toBeNull();
      expect(await storage.getSession('s-1')).toMatchObject({ lastRefreshAt: T0, endedAt: T0 + 5 });
    });

    it('moves activity forward only with activity, and never backwards', async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-1', 'h-1', T0 + 100);

      await storage.rotateRefreshToken(rotation('h-1', 'h-2', T0 + 200));
      expect(await storage.getSession('s-1')).toMatchObject({
        lastRefreshAt: T0 + 200,
        lastActiveAt: T0 + 100,
      });
      await storage.rotateRefreshToken(rotation('h-2', 'h-3', T0 + 50, { activity: true }));
      expect(await storage.getSession('s-1')).toMatchObject({
        lastRefreshAt: T0 + 50,
        lastActiveAt: T0 + 100,
      });
      await storage.rotateRefreshToken(rotation('h-3', 'h-4', T0 + 300, { activity: true }));
      expect(await storage.getSession('s-1')).toMatchObject({
        lastRefreshAt: T0 + 300,
        lastActiveAt: T0 + 300,
      });
    });

    it('sets the default tenant when given, and keeps it otherwise', async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-1', 'h-1', T0, { defaultTenantId: 'acme' });
      await storage.rotateRefreshToken(rotation('h-1', 'h-2', T0 + 1));
      expect((await storage.getSession('s-1'))?.defaultTenantId).toBe('acme');
      await storage.rotateRefreshToken(rotation('h-2', 'h-3', T0 + 2, { defaultTenantId: 'beta' }));
      expect((await storage.getSession('s-1'))?.defaultTenantId).toBe('beta');
    });

    it('stores the IP of the rotation as the last IP, keeps the login IP, and keeps it when absent', async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-1', 'h-1', T0, { ip: '192.0.2.1' });
      expect(await storage.getSession('s-1')).toMatchObject({ ip: '192.0.2.1', lastIp: null });
      await storage.rotateRefreshToken(rotation('h-1', 'h-2', T0 + 1, { ip: '198.51.100.7' }));
      expect(await storage.getSession('s-1')).toMatchObject({ ip: '192.0.2.1', lastIp: '198.51.100.7' });
      await storage.rotateRefreshToken(rotation('h-2', 'h-3', T0 + 2));
      expect(await storage.getSession('s-1')).toMatchObject({ ip: '192.0.2.1', lastIp: '198.51.100.7' });
      await storage.rotateRefreshToken(rotation('h-3', 'h-4', T0 + 3, { ip: '2001:db8::1' }));
      expect((await storage.loadRefreshContext('h-4'))?.session.lastIp).toBe('2001:db8::1');
    });

    it('does not store the IP of a rotation that lost', async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-1', 'h-1', T0);
      expect(await storage.rotateRefreshToken(rotation('h-1', 'h-2', T0 + 1, { ip: '198.51.100.7' }))).toBe(
        true,
      );
      expect(await storage.rotateRefreshToken(rotation('h-1', 'h-x', T0 + 2, { ip: '203.0.113.9' }))).toBe(
        false,
      );
      expect((await storage.getSession('s-1'))?.lastIp).toBe('198.51.100.7');
    });
  });

  describe('addRefreshToken', () => {
    it('RT-07: adds a confidential client’s family to a live session; its successors stay that client’s', async () => {
      const { storage } = context;
      await seedUser(storage);
      const session = await startSession(storage, 's-1', 'h-1', T0);
      expect(await storage.addRefreshToken('s-1', refreshToken('f-1', T0 + 5), 'server-app')).toBe(true);
      const theirs = (hash: string, at: number) => ({
        ...storedToken(hash, 's-1', at),
        clientId: 'server-app',
      });

      const added = await storage.loadRefreshContext('f-1');
      expect(added?.token).toEqual(theirs('f-1', T0 + 5));
      expect(added?.successor).toBeNull();
      expect(added?.session).toEqual(session);

      expect(await storage.rotateRefreshToken(rotation('f-1', 'f-2', T0 + 10))).toBe(true);
      expect(await storage.rotateRefreshToken(rotation('f-1', 'f-3', T0 + 11))).toBe(false);
      expect((await storage.loadRefreshContext('f-1'))?.successor).toEqual(theirs('f-2', T0 + 10));
      expect((await storage.loadRefreshContext('f-2'))?.token.clientId).toBe('server-app');
      expect(await storage.loadRefreshContext('f-3')).toBeNull();
      // The families are independent: the first one's current token is untouched and still rotates.
      expect((await storage.loadRefreshContext('h-1'))?.token).toEqual(storedToken('h-1', 's-1', T0));
      expect(await storage.rotateRefreshToken(rotation('h-1', 'h-2', T0 + 12))).toBe(true);
      expect((await storage.loadRefreshContext('h-2'))?.token.clientId).toBeNull();

      await storage.endSession('s-1', 'logout', T0 + 20);
      expect(await storage.rotateRefreshToken(rotation('f-2', 'f-4', T0 + 21))).toBe(false);
    });

    it('refuses an ended or unknown session, and writes nothing', async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-1', 'h-1', T0);
      await storage.endSession('s-1', 'logout', T0 + 5);
      expect(await storage.addRefreshToken('s-1', refreshToken('f-ended', T0 + 6), 'server-app')).toBe(false);
      expect(
        await storage.addRefreshToken('s-missing', refreshToken('f-missing', T0 + 6), 'server-app'),
      ).toBe(false);
      expect(await storage.loadRefreshContext('f-ended')).toBeNull();
      expect(await storage.loadRefreshContext('f-missing')).toBeNull();
      expect(await storage.getSession('s-missing')).toBeNull();
    });
  });
}
