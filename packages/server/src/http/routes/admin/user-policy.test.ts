/**
 * What the console reads about a user (DESIGN §3.3): their tenants and roles, the session policy in
 * force for them, and a search of users by a part of their email.
 */
import { backendsUnderTest } from '@tessera/testing/backends';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdminClient,
  addMember,
  createEnvironment,
  createTenant,
  createUser,
  expectError,
  startAdmin,
  uniqueId,
} from './admin.test-helpers.js';

const backends = await backendsUnderTest();

describe.each(backends)('on %s', (backend) => {
  let admin: AdminClient;
  let envId: string;
  beforeAll(async () => {
    admin = await startAdmin({ backend });
    envId = (
      await createEnvironment(admin, {
        sessionPolicy: { idleTimeoutSeconds: 600, absoluteTimeoutSeconds: 86_400, maxConcurrentSessions: 5 },
      })
    ).id;
    expect(
      (await admin.post(`/environments/${envId}/roles`, { key: 'editor', name: 'Editor', permissions: [] }))
        .statusCode,
    ).toBe(201);
  });
  afterAll(async () => {
    await admin?.close();
  });

  describe('GET …/users/{userId}', () => {
    it('answers the user with their tenants and roles, oldest membership first, names as given', async () => {
      const user = await createUser(admin, envId);
      const first = await createTenant(admin, envId, { name: '<script>alert(1)</script> Acme' });
      const second = await createTenant(admin, envId, { name: 'Globex' });
      await addMember(admin, envId, second.id, user.id);
      admin.server.clock.advance(1);
      await addMember(admin, envId, first.id, user.id, ['editor']);
      await addMember(admin, envId, second.id, user.id, []);
      expect(await admin.read(`/environments/${envId}/users/${user.id}`)).toEqual({
        ...user,
        memberships: [
          // Replacing the roles keeps the membership's place.
          { tenantId: second.id, tenantName: 'Globex', roles: [] },
          { tenantId: first.id, tenantName: '<script>alert(1)</script> Acme', roles: ['editor'] },
        ],
      });
    });

    it('answers an unknown user or environment with 404', async () => {
      expectError(await admin.get(`/environments/${envId}/users/nobody`), 404, 'not_found');
      const user = await createUser(admin, envId);
      expectError(await admin.get(`/environments/no-such-env/users/${user.id}`), 404, 'not_found');
    });
  });

  describe('GET …/users/{userId}/effective-policy', () => {
    it('answers the strictest policy across the tenants, and the per-tenant values it came from', async () => {
      const user = await createUser(admin, envId);
      const strict = await createTenant(admin, envId, {
        name: 'Strict',
        sessionPolicy: { idleTimeoutSeconds: 20, maxConcurrentSessions: 3, onLimit: 'reject' },
      });
      const short = await createTenant(admin, envId, {
        name: 'Short',
        sessionPolicy: { absoluteTimeoutSeconds: 3600 },
      });
      const plain = await createTenant(admin, envId, { name: 'Plain' });
      for (const tenant of [strict, short, plain]) {
        await addMember(admin, envId, tenant.id, user.id);
        admin.server.clock.advance(1);
      }
      // A cleared override inherits again.
      await admin.patch(`/environments/${envId}/tenants/${plain.id}`, {
        sessionPolicy: { idleTimeoutSeconds: 30 },
      });
      await admin.patch(`/environments/${envId}/tenants/${plain.id}`, {
        sessionPolicy: { idleTimeoutSeconds: null },
      });

      const environment = {
        idleTimeoutSeconds: 600,
        absoluteTimeoutSeconds: 86_400,
        maxConcurrentSessions: 5,
        onLimit: 'evict_oldest',
      };
      expect(await admin.read(`/environments/${envId}/users/${user.id}/effective-policy`)).toEqual({
        environment,
        strictest: { absoluteTimeoutSeconds: 3600, maxConcurrentSessions: 3, onLimit: 'reject' },
        tenants: [
          {
            tenantId: strict.id,
            tenantName: 'Strict',
            overrides: { idleTimeoutSeconds: 20, maxConcurrentSessions: 3, onLimit: 'reject' },
            policy: { ...environment, idleTimeoutSeconds: 20, maxConcurrentSessions: 3, onLimit: 'reject' },
          },
          {
            tenantId: short.id,
            tenantName: 'Short',
            overrides: { absoluteTimeoutSeconds: 3600 },
            policy: { ...environment, absoluteTimeoutSeconds: 3600 },
          },
          { tenantId: plain.id, tenantName: 'Plain', overrides: {}, policy: environment },
        ],
      });
    });

    it("answers the environment's policy for a user in no tenant", async () => {
      const user = await createUser(admin, envId);
      expect(await admin.read(`/environments/${envId}/users/${user.id}/effective-policy`)).toEqual({
        environment: expect.objectContaining({ absoluteTimeoutSeconds: 86_400 }),
        strictest: { absoluteTimeoutSeconds: 86_400, maxConcurrentSessions: 5, onLimit: 'evict_oldest' },
        tenants: [],
      });
    });

    it('answers an unknown user or environment with 404, and other methods with 405', async () => {
      expectError(await admin.get(`/environments/${envId}/users/nobody/effective-policy`), 404, 'not_found');
      const user = await createUser(admin, envId);
      expectError(
        await admin.get(`/environments/no-such-env/users/${user.id}/effective-policy`),
        404,
        'not_found',
      );
      const put = await admin.put(`/environments/${envId}/users/${user.id}/effective-policy`, {});
      expectError(put, 405, 'method_not_allowed');
      expect(put.headers.allow).toBe('GET, HEAD');
    });
  });

  describe('GET …/users?q=', () => {
    let searchEnv: string;
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      searchEnv = (await createEnvironment(admin)).id;
      for (const email of [
        'Ada@Lovelace.example',
        'grace@hopper.example',
        'a_b%c@lovelace.example',
        'alan@turing.example',
      ]) {
        ids[email] = (await createUser(admin, searchEnv, { email })).id;
        admin.server.clock.advance(1);
      }
    });

    const search = async (q: string, extra = '') =>
      (
        (await admin.read(`/environments/${searchEnv}/users?q=${encodeURIComponent(q)}${extra}`)) as {
          id: string;
        }[]
      ).map((user) => user.id);

    it('finds users whose email contains the text, normalised as at login, in list order', async () => {
      expect(await search('lovelace')).toEqual([ids['Ada@Lovelace.example'], ids['a_b%c@lovelace.example']]);
      expect(await search('ＬＯＶＥＬＡＣＥ')).toEqual(await search('lovelace'));
      expect(await search(' ada@ ')).toEqual([ids['Ada@Lovelace.example']]);
      expect(await search('%')).toEqual([ids['a_b%c@lovelace.example']]);
      expect(await search('_')).toEqual([ids['a_b%c@lovelace.example']]);
      expect(await search('nobody')).toEqual([]);
    });

    it('pages the results with a Link to the next page', async () => {
      const first = await admin.get(`/environments/${searchEnv}/users?q=example&limit=3`);
      expect(first.json().map((user: { id: string }) => user.id)).toEqual(Object.values(ids).slice(0, 3));
      const next = /^<([^>]+)>; rel="next"$/.exec(first.headers.link as string)?.[1];
      expect(next).toMatch(/[?&]cursor=/);
      expect(next).toMatch(/[?&]limit=3/);
      // The search goes on with the page.
      expect(next).toMatch(/[?&]q=example(&|$)/);
      const second = await admin.server.app.inject({
        method: 'GET',
        url: next!,
        headers: { authorization: `Bearer ${admin.server.adminKey}` },
      });
      expect(second.json().map((user: { id: string }) => user.id)).toEqual(Object.values(ids).slice(3));
      expect(second.headers.link).toBeUndefined();
    });

    it.each([
      ['an empty q', 'q='],
      ['a q of spaces', 'q=%20%20'],
      ['an overlong q', `q=${'a'.repeat(321)}`],
      ['q with email', 'q=ada&email=ada%40lovelace.example'],
      ['q twice', 'q=ada&q=grace'],
    ])('refuses %s with 400 invalid_request naming q', async (_case, query) => {
      const response = await admin.get(`/environments/${searchEnv}/users?${query}`);
      expectError(response, 400, 'invalid_request');
      expect(response.json().field).toBe('q');
    });

    it('answers an unknown environment with 404', async () => {
      expectError(await admin.get(`/environments/no-such-env/users?q=${uniqueId('x')}`), 404, 'not_found');
    });
  });
});
