/** Users (normalised-email uniqueness, status, deletion) and memberships with their views. */
import { describe, expect, it } from 'vitest';
import {
  ENV,
  environment,
  membership,
  newUser,
  role,
  seedUser,
  startSession,
  T0,
  tenant,
  USER,
} from './fixtures.js';
import type { ConformanceContext } from './suite.js';

export function userCases(context: ConformanceContext): void {
  describe('users', () => {
    it('inserts, reads, finds by normalised email and lists', async () => {
      const { storage } = context;
      await storage.insertEnvironment(environment(ENV));
      const ada = newUser(ENV, 'u-ada', 'Ada@Example.com', { name: 'Ada', createdAt: T0 + 1 });
      expect(await storage.insertUser(ada)).toBe(true);
      expect(await storage.insertUser(newUser(ENV, 'u-bob', 'bob@example.com'))).toBe(true);

      const expected = { id: 'u-ada', envId: ENV, email: 'Ada@Example.com', name: 'Ada', status: 'active' };
      expect(await storage.getUser(ENV, 'u-ada')).toEqual(expected);
      expect(await storage.findUserByEmail(ENV, 'ada@example.com')).toEqual({
        ...expected,
        passwordHash: ada.passwordHash,
      });
      expect(await storage.findUserByEmail(ENV, 'Ada@Example.com')).toBeNull();
      expect((await storage.listUsers(ENV)).map((u) => u.id)).toEqual(['u-bob', 'u-ada']);
      expect(await storage.getUser(ENV, 'missing')).toBeNull();
      expect(await storage.getUser('other-env', 'u-ada')).toBeNull();
    });

    it('searches users by a part of their normalised email, literally, paged in list order', async () => {
      const { storage } = context;
      await storage.insertEnvironment(environment(ENV));
      await storage.insertEnvironment(environment('env-b'));
      const users = [
        ['u-1', 'Ada@Example.com', T0],
        ['u-2', 'bob@example.org', T0 + 1],
        ['u-3', 'a_b%c@example.com', T0 + 2],
        ['u-4', 'axbyc@example.com', T0 + 3],
        ['u-5', 'back\\slash@example.net', T0 + 4],
      ] as const;
      for (const [id, email, createdAt] of users)
        await storage.insertUser(newUser(ENV, id, email, { createdAt }));
      await storage.insertUser(newUser('env-b', 'u-other', 'ada@example.com'));
      const search = async (emailContains: string, limit = 10) =>
        (await storage.listUsersPage(ENV, { after: null, limit }, { emailContains })).items.map((u) => u.id);

      expect(await search('example.com')).toEqual(['u-1', 'u-3', 'u-4']);
      expect(await search('ada@')).toEqual(['u-1']);
      expect(await search('@example.')).toEqual(['u-1', 'u-2', 'u-3', 'u-4', 'u-5']);
      // Wildcards and the escape character match only themselves.
      expect(await search('_')).toEqual(['u-3']);
      expect(await search('%')).toEqual(['u-3']);
      expect(await search('a_b%')).toEqual(['u-3']);
      expect(await search('\\')).toEqual(['u-5']);
      expect(await search('nobody')).toEqual([]);

      const first = await storage.listUsersPage(
        ENV,
        { after: null, limit: 2 },
        { emailContains: 'example.com' },
      );
      expect(first).toEqual({
        items: [expect.objectContaining({ id: 'u-1' }), expect.objectContaining({ id: 'u-3' })],
        next: [T0 + 2, 'u-3'],
      });
      const rest = await storage.listUsersPage(
        ENV,
        { after: first.next, limit: 2 },
        { emailContains: 'example.com' },
      );
      expect(rest.items.map((u) => u.id)).toEqual(['u-4']);
      expect(rest.next).toBeNull();
    });

    it('refuses a normalised email taken in the environment, and a taken id', async () => {
      const { storage } = context;
      await storage.insertEnvironment(environment(ENV));
      await storage.insertEnvironment(environment('env-b'));
      expect(await storage.insertUser(newUser(ENV, 'u-1', 'ada@example.com'))).toBe(true);
      expect(await storage.insertUser(newUser(ENV, 'u-2', 'ADA@example.com'))).toBe(false);
      expect(await storage.insertUser(newUser(ENV, 'u-1', 'other@example.com'))).toBe(false);
      expect(await storage.insertUser(newUser('env-b', 'u-2', 'ADA@example.com'))).toBe(true);
      expect((await storage.listUsers(ENV)).map((u) => [u.id, u.email])).toEqual([
        ['u-1', 'ada@example.com'],
      ]);
    });

    it('updates name, status and password hash', async () => {
      const { storage } = context;
      await seedUser(storage);
      expect(await storage.updateUser(ENV, USER, { name: 'Ada', passwordHash: 'argon2-new' })).toBe(true);
      expect(await storage.getUser(ENV, USER)).toMatchObject({ name: 'Ada', status: 'active' });
      expect((await storage.findUserByEmail(ENV, `${USER}@example.com`))?.passwordHash).toBe('argon2-new');
      expect(await storage.updateUser(ENV, USER, { name: null })).toBe(true);
      expect((await storage.getUser(ENV, USER))?.name).toBeNull();
      expect(await storage.updateUser(ENV, 'missing', { name: 'x' })).toBe(false);
    });

    it("disabling a user ends every live session at once, and only that user's", async () => {
      const { storage } = context;
      await seedUser(storage);
      await storage.insertUser(newUser(ENV, 'user-b', 'b@example.com'));
      await startSession(storage, 's-1', 'h-1', T0);
      await startSession(storage, 's-2', 'h-2', T0 + 1);
      await startSession(storage, 's-old', 'h-old', T0);
      await storage.endSession('s-old', 'logout', T0 + 5);
      await startSession(storage, 's-b', 'h-b', T0, { userId: 'user-b' });

      const result = await storage.setUserStatus({
        envId: ENV,
        userId: USER,
        status: 'disabled',
        now: T0 + 10,
      });
      expect(result.found).toBe(true);
      expect([...result.endedSessionIds].sort()).toEqual(['s-1', 's-2']);
      expect((await storage.getUser(ENV, USER))?.status).toBe('disabled');
      expect(await storage.getSession('s-1')).toMatchObject({ endedAt: T0 + 10, endReason: 'user_disabled' });
      expect(await storage.getSession('s-old')).toMatchObject({ endedAt: T0 + 5, endReason: 'logout' });
      expect(await storage.listLiveSessions(ENV, 'user-b')).toHaveLength(1);
    });

    it('re-enabling a user ends nothing; an unknown user is not found', async () => {
      const { storage } = context;
      await seedUser(storage);
      await startSession(storage, 's-1', 'h-1', T0);
      await storage.setUserStatus({ envId: ENV, userId: USER, status: 'disabled', now: T0 + 1 });
      await startSession(storage, 's-2', 'h-2', T0 + 2);
      expect(
        await storage.setUserStatus({ envId: ENV, userId: USER, status: 'active', now: T0 + 3 }),
      ).toEqual({
        found: true,
        endedSessionIds: [],
      });
      expect((await storage.getUser(ENV, USER))?.status).toBe('active');
      expect((await storage.listLiveSessions(ENV, USER)).map((s) => s.id)).toEqual(['s-2']);
      expect(
        await storage.setUserStatus({ envId: ENV, userId: 'missing', status: 'disabled', now: T0 }),
      ).toEqual({
        found: false,
        endedSessionIds: [],
      });
    });

    it('deleting a user removes memberships and ends live sessions', async () => {
      const { storage } = context;
      await seedUser(storage);
      await storage.insertTenant(tenant(ENV, 'acme'));
      await storage.putMembership(membership('acme', []));
      await startSession(storage, 's-1', 'h-1', T0);

      expect(await storage.deleteUser(ENV, USER, T0 + 10)).toEqual({ found: true, endedSessionIds: ['s-1'] });
      expect(await storage.getUser(ENV, USER)).toBeNull();
      expect(await storage.findUserByEmail(ENV, `${USER}@example.com`)).toBeNull();
      expect(await storage.listTenantMembers(ENV, 'acme')).toEqual([]);
      expect(await storage.getSession('s-1')).toMatchObject({ endedAt: T0 + 10, endReason: 'user_deleted' });
      expect(await storage.loadRefreshContext('h-1')).toBeNull();
      expect(await storage.deleteUser(ENV, USER, T0 + 11)).toEqual({ found: false, endedSessionIds: [] });
      expect(await storage.insertUser(newUser(ENV, 'user-new', `${USER}@example.com`))).toBe(true);
    });
  });

  describe('memberships', () => {
    it('puts, replaces (keeping its place), lists and deletes', async () => {
      const { storage } = context;
      await seedUser(storage);
      await storage.insertUser(newUser(ENV, 'user-b', 'b@example.com'));
      await storage.insertTenant(tenant(ENV, 'acme'));
      await storage.putMembership(membership('acme', ['viewer'], T0, 'user-b'));
      await storage.putMembership(membership('acme', [], T0 + 1));
      await storage.putMembership(membership('acme', ['admin', 'viewer'], T0 + 9, 'user-b'));

      expect(await storage.listTenantMembers(ENV, 'acme')).toEqual([
        membership('acme', ['admin', 'viewer'], T0, 'user-b'),
        membership('acme', [], T0 + 1),
      ]);
      expect(await storage.deleteMembership(ENV, 'acme', 'user-b')).toBe(true);
      expect(await storage.deleteMembership(ENV, 'acme', 'user-b')).toBe(false);
      expect((await storage.listTenantMembers(ENV, 'acme')).map((m) => m.userId)).toEqual([USER]);
    });

    it("views carry tenant name, policy and the roles' permissions, oldest membership first", async () => {
      const { storage } = context;
      await seedUser(storage);
      await storage.insertRole(role(ENV, 'editor', ['docs:write', 'docs:read']));
      await storage.insertRole(role(ENV, 'viewer', ['docs:read', 'comments:read']));
      await storage.insertTenant(
        tenant(ENV, 'zeta', { name: 'Zeta', sessionPolicy: { idleTimeoutSeconds: 60 } }),
      );
      await storage.insertTenant(tenant(ENV, 'acme', { name: 'Acme' }));
      await storage.insertTenant(tenant(ENV, 'beta', { name: 'Beta' }));
      await storage.putMembership(membership('acme', ['viewer', 'editor', 'no-such-role'], T0 + 2));
      await storage.putMembership(membership('zeta', ['viewer'], T0 + 1));
      await storage.putMembership(membership('beta', [], T0 + 2));

      expect(await storage.listUserMemberships(ENV, USER)).toEqual([
        {
          tenantId: 'zeta',
          tenantName: 'Zeta',
          roles: ['viewer'],
          permissions: ['comments:read', 'docs:read'],
          policy: { idleTimeoutSeconds: 60 },
        },
        {
          tenantId: 'acme',
          tenantName: 'Acme',
          roles: ['viewer', 'editor', 'no-such-role'],
          permissions: ['comments:read', 'docs:read', 'docs:write'],
          policy: {},
        },
        { tenantId: 'beta', tenantName: 'Beta', roles: [], permissions: [], policy: {} },
      ]);

      await storage.updateRole(ENV, 'viewer', { permissions: ['Z:upper', 'a:lower'] });
      expect((await storage.listUserMemberships(ENV, USER))[0]?.permissions).toEqual(['Z:upper', 'a:lower']);
      expect(await storage.listUserMemberships(ENV, 'missing')).toEqual([]);
    });
  });
}
