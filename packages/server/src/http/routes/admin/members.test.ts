/** `/admin/v1/environments/{envId}/tenants/{tenantId}/members` (DESIGN §3.3; security.md TEN-03). */

import { backendsUnderTest } from '@tessera/testing/backends';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdminClient,
  addMember,
  claimsOf,
  createLoginSetup,
  createTenant,
  createUser,
  expectError,
  login,
  refresh,
  startAdmin,
} from './admin.test-helpers.js';

const backends = await backendsUnderTest();

describe.each(backends)('on %s', (backend) => {
  let admin: AdminClient;
  beforeAll(async () => {
    admin = await startAdmin({ backend });
  });
  afterAll(async () => {
    await admin?.close();
  });

  async function setupWithRoles() {
    const setup = await createLoginSetup(admin);
    for (const key of ['viewer', 'editor']) {
      await admin.post(`/environments/${setup.envId}/roles`, {
        key,
        name: key,
        permissions: [`docs:${key}`],
      });
    }
    const tenant = await createTenant(admin, setup.envId);
    return {
      ...setup,
      tenantId: tenant.id,
      members: `/environments/${setup.envId}/tenants/${tenant.id}/members`,
    };
  }

  describe('PUT …/members/{userId}', () => {
    it('adds a member, then replaces their roles', async () => {
      const { user, tenantId, members } = await setupWithRoles();
      const added = await admin.put(`${members}/${user.id}`, { roles: ['viewer'] });
      expect(added.statusCode, added.body).toBe(200);
      expect(added.json()).toEqual({
        tenantId,
        userId: user.id,
        roles: ['viewer'],
        createdAt: expect.any(String),
      });

      const replaced = await admin.put(`${members}/${user.id}`, { roles: ['editor', 'viewer'] });
      expect(replaced.statusCode).toBe(200);
      expect(replaced.json()).toMatchObject({ roles: ['editor', 'viewer'] });
      expect(await admin.read(members)).toEqual([replaced.json()]);
    });

    it('accepts a membership without roles', async () => {
      const { user, members } = await setupWithRoles();
      expect((await admin.put(`${members}/${user.id}`, { roles: [] })).json()).toMatchObject({ roles: [] });
    });

    it('refuses an unknown role with 400 invalid_request and changes nothing', async () => {
      const { envId, user, tenantId, members } = await setupWithRoles();
      await addMember(admin, envId, tenantId, user.id, ['viewer']);
      const before = await admin.read(members);
      const response = await admin.put(`${members}/${user.id}`, { roles: ['editor', 'superuser'] });
      expectError(response, 400, 'invalid_request');
      expect(response.json().message).toContain('roles[1]');
      expect(await admin.read(members)).toEqual(before);
    });

    it.each([
      ['a duplicate role', { roles: ['viewer', 'viewer'] }],
      ['a role that is not a string', { roles: [1] }],
      ['51 roles', { roles: Array.from({ length: 51 }, (_, i) => `r${i}`) }],
    ])('refuses %s with 400 invalid_request', async (_case, body) => {
      const { user, members } = await setupWithRoles();
      expectError(await admin.put(`${members}/${user.id}`, body), 400, 'invalid_request');
      expect(await admin.read(members)).toEqual([]);
    });

    it('answers an unknown tenant or user with 404 not_found and creates nothing', async () => {
      const { envId, user, members } = await setupWithRoles();
      const memberships = await admin.server.deps.storage.listUserMemberships(envId, user.id);
      const stranger = await createUser(admin, (await createLoginSetup(admin)).envId);
      expectError(
        await admin.put(`/environments/${envId}/tenants/nope/members/${user.id}`, { roles: [] }),
        404,
        'not_found',
      );
      expectError(await admin.put(`${members}/nope`, { roles: [] }), 404, 'not_found');
      expectError(await admin.put(`${members}/${stranger.id}`, { roles: [] }), 404, 'not_found');
      expectError(
        await admin.put(`/environments/nope/tenants/x/members/${user.id}`, { roles: [] }),
        404,
        'not_found',
      );
      expect(await admin.read(members)).toEqual([]);
      expect(await admin.server.deps.storage.listUserMemberships(envId, user.id)).toEqual(memberships);
    });

    it('reaches the access token at the next refresh', async () => {
      const { envId, clientId, user, tenantId, members } = await setupWithRoles();
      await admin.put(`${members}/${user.id}`, { roles: ['viewer'] });
      const browser = await login(admin, { envId, clientId, email: user.email, tenantId });
      expect(claimsOf(browser.accessToken)).toMatchObject({ tenantId, roles: ['viewer'] });
      await admin.put(`${members}/${user.id}`, { roles: ['editor'] });
      expect((await refresh(admin, browser, { tenantId })).statusCode).toBe(200);
      expect(claimsOf(browser.accessToken)).toMatchObject({
        tenantId,
        roles: ['editor'],
        permissions: ['docs:editor'],
      });
    });
  });

  describe('GET …/members', () => {
    it('answers an unknown tenant with 404 not_found', async () => {
      const { envId } = await setupWithRoles();
      expectError(await admin.get(`/environments/${envId}/tenants/nope/members`), 404, 'not_found');
    });
  });

  describe('DELETE …/members/{userId}', () => {
    it('TEN-03: removing a membership refuses the next refresh for that tenant', async () => {
      const { envId, clientId, user, tenantId, members } = await setupWithRoles();
      const other = await createTenant(admin, envId);
      await admin.put(`${members}/${user.id}`, { roles: ['viewer'] });
      await addMember(admin, envId, other.id, user.id);
      const browser = await login(admin, { envId, clientId, email: user.email, tenantId });

      expect((await admin.delete(`${members}/${user.id}`)).statusCode).toBe(204);
      expect(await admin.read(members)).toEqual([]);
      expectError(await refresh(admin, browser, { tenantId }), 403, 'tenant_forbidden');
      expect((await refresh(admin, browser, { tenantId: other.id })).statusCode).toBe(200);
      expectError(await admin.delete(`${members}/${user.id}`), 404, 'not_found');
    });
  });
});
