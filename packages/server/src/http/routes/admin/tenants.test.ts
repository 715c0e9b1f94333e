/** `/admin/v1/environments/{envId}/tenants` (DESIGN §2, §3.3). */

import { backendsUnderTest } from '@tessera/testing/backends';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdminClient,
  addMember,
  createEnvironment,
  createLoginSetup,
  createTenant,
  expectError,
  login,
  refresh,
  startAdmin,
  uniqueId,
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

  describe('POST …/tenants', () => {
    it('creates a tenant with policy overrides', async () => {
      const id = uniqueId('acme');
      const response = await admin.post(`/environments/${envId}/tenants`, {
        id,
        name: 'Acme',
        sessionPolicy: { idleTimeoutSeconds: 1800, maxConcurrentSessions: 2, absoluteTimeoutSeconds: null },
      });
      expect(response.statusCode, response.body).toBe(201);
      const tenant = response.json();
      expect(tenant).toEqual({
        id,
        name: 'Acme',
        sessionPolicy: { idleTimeoutSeconds: 1800, maxConcurrentSessions: 2 },
        createdAt: new Date(admin.server.clock.now() * 1000).toISOString(),
      });
      expect(await admin.read(`/environments/${envId}/tenants/${id}`)).toEqual(tenant);
      expect(await admin.read(`/environments/${envId}/tenants`)).toContainEqual(tenant);
    });

    it('generates an id and starts with no overrides', async () => {
      const tenant = await createTenant(admin, envId);
      expect(tenant.id).toMatch(/^[A-Za-z0-9_-]{16,}$/);
      expect(tenant.sessionPolicy).toEqual({});
    });

    it('refuses a taken id with 409 conflict', async () => {
      const existing = await createTenant(admin, envId);
      expectError(
        await admin.post(`/environments/${envId}/tenants`, { id: existing.id, name: 'Other' }),
        409,
        'conflict',
      );
      expect(await admin.read(`/environments/${envId}/tenants/${existing.id}`)).toEqual(existing);
    });

    it.each([
      ['a zero idle timeout', { sessionPolicy: { idleTimeoutSeconds: 0 } }],
      ['a fractional session limit', { sessionPolicy: { maxConcurrentSessions: 1.5 } }],
      ['an unknown policy field', { sessionPolicy: { lockAfterFailures: 3 } }],
      ['an unknown onLimit', { sessionPolicy: { onLimit: 'queue' } }],
      ['an id with a space', { id: 'a b' }],
    ])('refuses %s with 400 invalid_request and creates nothing', async (_case, body) => {
      const before = await admin.read(`/environments/${envId}/tenants`);
      expectError(
        await admin.post(`/environments/${envId}/tenants`, { name: 'Bad', ...body }),
        400,
        'invalid_request',
      );
      expect(await admin.read(`/environments/${envId}/tenants`)).toEqual(before);
    });

    it('answers an unknown environment with 404 not_found', async () => {
      expectError(await admin.post('/environments/nope/tenants', { name: 'x' }), 404, 'not_found');
      expectError(await admin.get('/environments/nope/tenants'), 404, 'not_found');
    });
  });

  describe('PATCH …/tenants/{tenantId}', () => {
    it('merges policy overrides, and null clears one back to inheriting', async () => {
      const tenant = await createTenant(admin, envId, {
        sessionPolicy: { idleTimeoutSeconds: 600, onLimit: 'reject' },
      });
      const response = await admin.patch(`/environments/${envId}/tenants/${tenant.id}`, {
        name: 'Acme Corp',
        sessionPolicy: { idleTimeoutSeconds: null, absoluteTimeoutSeconds: 86_400 },
      });
      expect(response.statusCode, response.body).toBe(200);
      const expected = {
        ...tenant,
        name: 'Acme Corp',
        sessionPolicy: { onLimit: 'reject', absoluteTimeoutSeconds: 86_400 },
      };
      expect(response.json()).toEqual(expected);
      expect(await admin.read(`/environments/${envId}/tenants/${tenant.id}`)).toEqual(expected);
    });

    it.each([
      ['a negative timeout', { sessionPolicy: { absoluteTimeoutSeconds: -5 } }],
      ['a string timeout', { sessionPolicy: { absoluteTimeoutSeconds: '60' } }],
      ['an empty patch', {}],
    ])('refuses %s with 400 invalid_request and changes nothing', async (_case, body) => {
      const tenant = await createTenant(admin, envId, { sessionPolicy: { idleTimeoutSeconds: 600 } });
      expectError(
        await admin.patch(`/environments/${envId}/tenants/${tenant.id}`, body),
        400,
        'invalid_request',
      );
      expect(await admin.read(`/environments/${envId}/tenants/${tenant.id}`)).toEqual(tenant);
    });

    it('answers an unknown tenant with 404 not_found', async () => {
      expectError(await admin.patch(`/environments/${envId}/tenants/nope`, { name: 'x' }), 404, 'not_found');
      expectError(await admin.get(`/environments/${envId}/tenants/nope`), 404, 'not_found');
    });

    it("applies a tenant's new idle timeout at its members' next refresh", async () => {
      const { envId: env, clientId, user } = await createLoginSetup(admin);
      const tenant = await createTenant(admin, env);
      await addMember(admin, env, tenant.id, user.id);
      const browser = await login(admin, { envId: env, clientId, email: user.email, tenantId: tenant.id });
      admin.server.clock.advance(120);
      expect((await refresh(admin, browser, { tenantId: tenant.id })).statusCode).toBe(200);

      await admin.patch(`/environments/${env}/tenants/${tenant.id}`, {
        sessionPolicy: { idleTimeoutSeconds: 60 },
      });
      expectError(await refresh(admin, browser, { tenantId: tenant.id }), 401, 'idle_timeout');
    });

    it("applies a tenant's new absolute timeout at its members' next refresh", async () => {
      const { envId: env, clientId, user } = await createLoginSetup(admin);
      const tenant = await createTenant(admin, env);
      await addMember(admin, env, tenant.id, user.id);
      const browser = await login(admin, { envId: env, clientId, email: user.email });
      admin.server.clock.advance(120);
      expect((await refresh(admin, browser, { active: true })).statusCode).toBe(200);

      await admin.patch(`/environments/${env}/tenants/${tenant.id}`, {
        sessionPolicy: { absoluteTimeoutSeconds: 100 },
      });
      expectError(await refresh(admin, browser, { active: true }), 401, 'relogin_required');
    });
  });

  describe('DELETE …/tenants/{tenantId}', () => {
    it('deletes the tenant and its memberships', async () => {
      const { envId: env, user } = await createLoginSetup(admin);
      const tenant = await createTenant(admin, env);
      await addMember(admin, env, tenant.id, user.id);
      expect((await admin.delete(`/environments/${env}/tenants/${tenant.id}`)).statusCode).toBe(204);
      expectError(await admin.get(`/environments/${env}/tenants/${tenant.id}`), 404, 'not_found');
      const memberships = await admin.server.deps.storage.listUserMemberships(env, user.id);
      expect(memberships.map((m) => m.tenantId)).not.toContain(tenant.id);
      expectError(await admin.delete(`/environments/${env}/tenants/${tenant.id}`), 404, 'not_found');
    });
  });
});
