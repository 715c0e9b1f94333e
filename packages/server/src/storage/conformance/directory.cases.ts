/** Environments, clients, roles and tenants: CRUD, not-found and duplicate answers, cascades. */
import { describe, expect, it } from 'vitest';
import {
  client,
  ENV,
  environment,
  membership,
  role,
  seedUser,
  signingKey,
  startSession,
  T0,
  tenant,
  USER,
} from './fixtures.js';
import type { ConformanceContext } from './suite.js';

export function directoryCases(context: ConformanceContext): void {
  describe('environments', () => {
    it('inserts, reads and lists in creation order', async () => {
      const { storage } = context;
      expect(await storage.insertEnvironment(environment('b', { createdAt: T0 + 1 }))).toBe(true);
      expect(await storage.insertEnvironment(environment('a', { createdAt: T0 + 2 }))).toBe(true);
      expect(await storage.getEnvironment('b')).toEqual(environment('b', { createdAt: T0 + 1 }));
      expect((await storage.listEnvironments()).map((e) => e.id)).toEqual(['b', 'a']);
      expect(await storage.getEnvironment('missing')).toBeNull();
    });

    it('refuses a taken id and keeps the original', async () => {
      const { storage } = context;
      await storage.insertEnvironment(environment('a'));
      expect(await storage.insertEnvironment(environment('a', { name: 'Other' }))).toBe(false);
      expect((await storage.getEnvironment('a'))?.name).toBe('Environment a');
    });

    it('updates only the fields a patch names', async () => {
      const { storage } = context;
      await storage.insertEnvironment(environment('a'));
      const sessionPolicy = {
        idleTimeoutSeconds: null,
        absoluteTimeoutSeconds: 3600,
        maxConcurrentSessions: null,
        onLimit: 'reject' as const,
      };
      expect(await storage.updateEnvironment('a', { sessionPolicy })).toBe(true);
      expect(await storage.updateEnvironment('a', { name: 'Renamed' })).toBe(true);
      expect(await storage.getEnvironment('a')).toEqual(environment('a', { name: 'Renamed', sessionPolicy }));
      expect(await storage.updateEnvironment('a', {})).toBe(true);
      expect(await storage.updateEnvironment('missing', { name: 'x' })).toBe(false);
      expect(await storage.updateEnvironment('missing', {})).toBe(false);
    });

    it('stores branding as given, and a patch replaces it whole', async () => {
      const { storage } = context;
      const branding = {
        name: 'Acme',
        primaryColor: '#0e7490',
        logoUrl: 'https://cdn.acme.example/logo.svg',
      };
      await storage.insertEnvironment(environment('a', { branding }));
      await storage.insertEnvironment(environment('b', { createdAt: T0 + 1 }));
      expect(await storage.getEnvironment('a')).toEqual(environment('a', { branding }));
      expect((await storage.listEnvironments()).map((e) => e.branding)).toEqual([branding, {}]);

      expect(await storage.updateEnvironment('a', { branding: { name: 'Acme Corp' } })).toBe(true);
      expect(await storage.getEnvironment('a')).toEqual(
        environment('a', { branding: { name: 'Acme Corp' } }),
      );
      expect(await storage.updateEnvironment('a', { name: 'Renamed' })).toBe(true);
      expect((await storage.getEnvironment('a'))?.branding).toEqual({ name: 'Acme Corp' });
      expect(await storage.updateEnvironment('a', { branding: {} })).toBe(true);
      expect((await storage.getEnvironment('a'))?.branding).toEqual({});
      expect(await storage.getEnvironment('b')).toEqual(environment('b', { createdAt: T0 + 1 }));
    });

    it('deletes an environment and everything in it, and nothing else', async () => {
      const { storage } = context;
      await seedUser(storage);
      await seedUser(storage, 'env-b', USER);
      await storage.insertClient(client(ENV, 'web'));
      await storage.insertRole(role(ENV, 'admin', ['users:write']));
      await storage.insertTenant(tenant(ENV, 'acme'));
      await storage.putMembership(membership('acme', ['admin']));
      await storage.addSigningKey(signingKey(ENV, 'k1'));
      await startSession(storage, 'session-1', 'hash-1', T0);

      expect(await storage.deleteEnvironment(ENV)).toBe(true);
      expect(await storage.getEnvironment(ENV)).toBeNull();
      expect(await storage.listClients(ENV)).toEqual([]);
      expect(await storage.listRoles(ENV)).toEqual([]);
      expect(await storage.listTenants(ENV)).toEqual([]);
      expect(await storage.listUsers(ENV)).toEqual([]);
      expect(await storage.listUserMemberships(ENV, USER)).toEqual([]);
      expect(await storage.listSigningKeys(ENV)).toEqual([]);
      expect(await storage.getSession('session-1')).toBeNull();
      expect(await storage.loadRefreshContext('hash-1')).toBeNull();
      expect(await storage.getUser('env-b', USER)).not.toBeNull();
      expect(await storage.deleteEnvironment(ENV)).toBe(false);
    });
  });

  describe('clients', () => {
    it('supports the whole lifecycle, scoped by environment', async () => {
      const { storage } = context;
      await storage.insertEnvironment(environment(ENV));
      await storage.insertEnvironment(environment('env-b'));
      const confidential = client(ENV, 'api', {
        type: 'confidential',
        secretHash: 'argon2-secret',
        createdAt: T0 + 1,
      });
      expect(await storage.insertClient(client(ENV, 'web'))).toBe(true);
      expect(await storage.insertClient(confidential)).toBe(true);
      expect(await storage.insertClient(client('env-b', 'web'))).toBe(true);
      expect(await storage.insertClient(client(ENV, 'web', { name: 'Again' }))).toBe(false);

      expect(await storage.getClient(ENV, 'api')).toEqual(confidential);
      expect((await storage.listClients(ENV)).map((c) => c.clientId)).toEqual(['web', 'api']);
      expect(await storage.getClient(ENV, 'missing')).toBeNull();

      const patch = { redirectUris: ['https://b.example/cb', 'https://a.example/cb'], secretHash: null };
      expect(await storage.updateClient(ENV, 'api', patch)).toBe(true);
      expect(await storage.getClient(ENV, 'api')).toEqual({ ...confidential, ...patch });
      expect(await storage.updateClient(ENV, 'missing', { name: 'x' })).toBe(false);

      expect(await storage.deleteClient(ENV, 'web')).toBe(true);
      expect(await storage.deleteClient(ENV, 'web')).toBe(false);
      expect(await storage.getClient('env-b', 'web')).not.toBeNull();
    });

    it('refuses a client in an unknown environment, storing nothing', async () => {
      const { storage } = context;
      await expect(storage.insertClient(client('missing', 'web'))).rejects.toThrow();
      expect(await storage.listClients('missing')).toEqual([]);
    });
  });

  describe('roles', () => {
    it('supports the whole lifecycle, listed by key', async () => {
      const { storage } = context;
      await storage.insertEnvironment(environment(ENV));
      expect(await storage.insertRole(role(ENV, 'viewer', ['docs:read']))).toBe(true);
      expect(await storage.insertRole(role(ENV, 'admin', ['docs:read', 'docs:write']))).toBe(true);
      expect(await storage.insertRole(role(ENV, 'admin', []))).toBe(false);
      expect(await storage.getRole(ENV, 'admin')).toEqual(role(ENV, 'admin', ['docs:read', 'docs:write']));
      expect((await storage.listRoles(ENV)).map((r) => r.key)).toEqual(['admin', 'viewer']);

      expect(await storage.updateRole(ENV, 'viewer', { permissions: ['docs:list'] })).toBe(true);
      expect(await storage.getRole(ENV, 'viewer')).toEqual(role(ENV, 'viewer', ['docs:list']));
      expect(await storage.updateRole(ENV, 'missing', { name: 'x' })).toBe(false);
      expect(await storage.deleteRole(ENV, 'viewer')).toBe(true);
      expect(await storage.deleteRole(ENV, 'viewer')).toBe(false);
      expect(await storage.getRole(ENV, 'viewer')).toBeNull();
    });
  });

  describe('tenants', () => {
    it('supports the whole lifecycle with policy overrides', async () => {
      const { storage } = context;
      await storage.insertEnvironment(environment(ENV));
      const acme = tenant(ENV, 'acme', { sessionPolicy: { maxConcurrentSessions: 1, onLimit: 'reject' } });
      expect(await storage.insertTenant(acme)).toBe(true);
      expect(await storage.insertTenant(tenant(ENV, 'beta', { createdAt: T0 - 1 }))).toBe(true);
      expect(await storage.insertTenant(tenant(ENV, 'acme'))).toBe(false);
      expect(await storage.getTenant(ENV, 'acme')).toEqual(acme);
      expect((await storage.listTenants(ENV)).map((t) => t.id)).toEqual(['beta', 'acme']);

      expect(await storage.updateTenant(ENV, 'acme', { sessionPolicy: { idleTimeoutSeconds: 60 } })).toBe(
        true,
      );
      expect(await storage.getTenant(ENV, 'acme')).toEqual({
        ...acme,
        sessionPolicy: { idleTimeoutSeconds: 60 },
      });
      expect(await storage.updateTenant(ENV, 'missing', { name: 'x' })).toBe(false);
      expect(await storage.getTenant(ENV, 'missing')).toBeNull();
    });

    it('takes its memberships with it when deleted', async () => {
      const { storage } = context;
      await seedUser(storage);
      await storage.insertTenant(tenant(ENV, 'acme'));
      await storage.putMembership(membership('acme', []));
      expect(await storage.deleteTenant(ENV, 'acme')).toBe(true);
      expect(await storage.deleteTenant(ENV, 'acme')).toBe(false);
      expect(await storage.listUserMemberships(ENV, USER)).toEqual([]);
      expect(await storage.getUser(ENV, USER)).not.toBeNull();
    });
  });
}
