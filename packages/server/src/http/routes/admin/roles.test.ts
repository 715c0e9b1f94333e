/** `/admin/v1/environments/{envId}/roles` (DESIGN §3.3). */

import { backendsUnderTest } from '@tessera/testing/backends';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdminClient,
  addMember,
  claimsOf,
  createEnvironment,
  createLoginSetup,
  createTenant,
  expectError,
  login,
  refresh,
  startAdmin,
} from './admin.test-helpers.js';

const backends = await backendsUnderTest();

describe.each(backends)('on %s', (backend) => {
  let admin: AdminClient;
  let envId: string;
  beforeAll(async () => {
    admin = await startAdmin({ backend });
    envId = (await createEnvironment(admin)).id;
  });
  afterAll(async () => {
    await admin?.close();
  });

  describe('roles', () => {
    it('are created, listed, read, updated and deleted', async () => {
      const role = {
        key: 'billing-admin',
        name: 'Billing admin',
        permissions: ['invoices:read', 'invoices:write'],
      };
      const created = await admin.post(`/environments/${envId}/roles`, role);
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json()).toEqual(role);
      expect(await admin.read(`/environments/${envId}/roles`)).toContainEqual(role);
      expect(await admin.read(`/environments/${envId}/roles/billing-admin`)).toEqual(role);

      const updated = await admin.patch(`/environments/${envId}/roles/billing-admin`, {
        permissions: ['invoices:read'],
      });
      expect(updated.statusCode, updated.body).toBe(200);
      expect(updated.json()).toEqual({ ...role, permissions: ['invoices:read'] });
      expect(await admin.read(`/environments/${envId}/roles/billing-admin`)).toEqual(updated.json());

      expect((await admin.delete(`/environments/${envId}/roles/billing-admin`)).statusCode).toBe(204);
      expectError(await admin.get(`/environments/${envId}/roles/billing-admin`), 404, 'not_found');
      expectError(await admin.delete(`/environments/${envId}/roles/billing-admin`), 404, 'not_found');
    });

    it('refuses a taken key with 409 conflict and keeps the existing role', async () => {
      const role = { key: 'owner', name: 'Owner', permissions: ['*'] };
      await admin.post(`/environments/${envId}/roles`, role);
      expectError(
        await admin.post(`/environments/${envId}/roles`, { ...role, name: 'Other', permissions: [] }),
        409,
        'conflict',
      );
      expect(await admin.read(`/environments/${envId}/roles/owner`)).toEqual(role);
    });

    it.each([
      ['a key with a space', { key: 'bad key' }],
      ['a key starting with a dot', { key: '.hidden' }],
      ['a permission with a space', { permissions: ['read all'] }],
      ['an empty permission', { permissions: [''] }],
      ['a duplicate permission', { permissions: ['a', 'a'] }],
      ['201 permissions', { permissions: Array.from({ length: 201 }, (_, i) => `p${i}`) }],
    ])('refuses %s with 400 invalid_request and creates nothing', async (_case, body) => {
      const before = await admin.read(`/environments/${envId}/roles`);
      const response = await admin.post(`/environments/${envId}/roles`, {
        key: 'k',
        name: 'K',
        permissions: [],
        ...body,
      });
      expectError(response, 400, 'invalid_request');
      expect(await admin.read(`/environments/${envId}/roles`)).toEqual(before);
    });

    it('answer unknown environments and keys with 404 not_found', async () => {
      expectError(await admin.get('/environments/nope/roles'), 404, 'not_found');
      expectError(
        await admin.post('/environments/nope/roles', { key: 'k', name: 'K', permissions: [] }),
        404,
        'not_found',
      );
      expectError(await admin.patch(`/environments/${envId}/roles/nope`, { name: 'x' }), 404, 'not_found');
    });

    it('reach access tokens at the next refresh when their permissions change', async () => {
      const setup = await createLoginSetup(admin);
      await admin.post(`/environments/${setup.envId}/roles`, {
        key: 'editor',
        name: 'Editor',
        permissions: ['docs:read'],
      });
      const tenant = await createTenant(admin, setup.envId);
      await addMember(admin, setup.envId, tenant.id, setup.user.id, ['editor']);
      const browser = await login(admin, {
        envId: setup.envId,
        clientId: setup.clientId,
        email: setup.user.email,
        tenantId: tenant.id,
      });
      expect(claimsOf(browser.accessToken)).toMatchObject({ roles: ['editor'], permissions: ['docs:read'] });

      await admin.patch(`/environments/${setup.envId}/roles/editor`, {
        permissions: ['docs:read', 'docs:write'],
      });
      expect((await refresh(admin, browser, { tenantId: tenant.id })).statusCode).toBe(200);
      expect(claimsOf(browser.accessToken)).toMatchObject({
        roles: ['editor'],
        permissions: ['docs:read', 'docs:write'],
      });
    });
  });
});
