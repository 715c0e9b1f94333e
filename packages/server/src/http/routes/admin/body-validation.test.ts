/**
 * Every admin route that takes a body refuses malformed, mistyped, oversized, polluted and
 * unexpected input with the documented error, and changes nothing (security.md §2.5; ASVS 15.3.6).
 */
import type { HTTPMethods } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdminClient,
  createClient,
  createEnvironment,
  createTenant,
  createUser,
  expectError,
  PASSWORD,
  startAdmin,
  uniqueId,
} from './admin.test-helpers.js';

interface BodyRoute {
  method: HTTPMethods;
  path: string;
  /** Fields a POST/PUT cannot do without. */
  required: string[];
  /** Creates what the route acts on; returns its URL, a valid body and a snapshot of the state. */
  setup(
    admin: AdminClient,
  ): Promise<{ url: string; valid: Record<string, unknown>; state: () => Promise<unknown> }>;
}

const clientBody = {
  name: 'Web',
  type: 'spa',
  redirectUris: ['https://app.example.com/cb'],
  allowedOrigins: ['https://app.example.com'],
  postLogoutRedirectUris: ['https://app.example.com/'],
};

const ROUTES: BodyRoute[] = [
  {
    method: 'POST',
    path: '/environments',
    required: ['name'],
    async setup(admin) {
      return {
        url: '/environments',
        valid: {
          id: uniqueId('env'),
          name: 'Staging',
          sessionPolicy: { idleTimeoutSeconds: 600 },
          branding: { name: 'Staging' },
        },
        state: () => admin.read('/environments'),
      };
    },
  },
  {
    method: 'PATCH',
    path: '/environments/{envId}',
    required: [],
    async setup(admin) {
      const { id } = await createEnvironment(admin);
      return {
        url: `/environments/${id}`,
        valid: {
          name: 'Renamed',
          tokenSettings: { accessTokenTtlSeconds: 120 },
          sessionPolicy: { idleTimeoutSeconds: 600 },
          branding: { primaryColor: '#0e7490' },
        },
        state: () => admin.read(`/environments/${id}`),
      };
    },
  },
  {
    method: 'POST',
    path: '/environments/{envId}/clients',
    required: ['name', 'type', 'redirectUris', 'allowedOrigins', 'postLogoutRedirectUris'],
    async setup(admin) {
      const { id } = await createEnvironment(admin);
      return {
        url: `/environments/${id}/clients`,
        valid: clientBody,
        state: () => admin.read(`/environments/${id}/clients`),
      };
    },
  },
  {
    method: 'PATCH',
    path: '/environments/{envId}/clients/{clientId}',
    required: [],
    async setup(admin) {
      const { id } = await createEnvironment(admin);
      const { clientId } = await createClient(admin, id);
      const url = `/environments/${id}/clients/${clientId}`;
      return {
        url,
        valid: { name: 'Renamed', allowedOrigins: ['https://other.example.com'] },
        state: () => admin.read(url),
      };
    },
  },
  {
    method: 'POST',
    path: '/environments/{envId}/roles',
    required: ['key', 'name', 'permissions'],
    async setup(admin) {
      const { id } = await createEnvironment(admin);
      return {
        url: `/environments/${id}/roles`,
        valid: { key: 'admin', name: 'Admin', permissions: ['invoices:read'] },
        state: () => admin.read(`/environments/${id}/roles`),
      };
    },
  },
  {
    method: 'PATCH',
    path: '/environments/{envId}/roles/{key}',
    required: [],
    async setup(admin) {
      const { id } = await createEnvironment(admin);
      await admin.post(`/environments/${id}/roles`, { key: 'viewer', name: 'Viewer', permissions: [] });
      const url = `/environments/${id}/roles/viewer`;
      return { url, valid: { name: 'Reader', permissions: ['docs:read'] }, state: () => admin.read(url) };
    },
  },
  {
    method: 'POST',
    path: '/environments/{envId}/tenants',
    required: ['name'],
    async setup(admin) {
      const { id } = await createEnvironment(admin);
      return {
        url: `/environments/${id}/tenants`,
        valid: { name: 'Acme', sessionPolicy: { maxConcurrentSessions: 3 } },
        state: () => admin.read(`/environments/${id}/tenants`),
      };
    },
  },
  {
    method: 'PATCH',
    path: '/environments/{envId}/tenants/{tenantId}',
    required: [],
    async setup(admin) {
      const { id } = await createEnvironment(admin);
      const tenant = await createTenant(admin, id, { sessionPolicy: { idleTimeoutSeconds: 600 } });
      const url = `/environments/${id}/tenants/${tenant.id}`;
      return {
        url,
        valid: { name: 'Acme Corp', sessionPolicy: { idleTimeoutSeconds: null } },
        state: () => admin.read(url),
      };
    },
  },
  {
    method: 'POST',
    path: '/environments/{envId}/users',
    required: ['email', 'password'],
    async setup(admin) {
      const { id } = await createEnvironment(admin);
      return {
        url: `/environments/${id}/users`,
        valid: { email: `${uniqueId('ada')}@example.com`, password: PASSWORD, name: 'Ada' },
        state: () => admin.read(`/environments/${id}/users`),
      };
    },
  },
  {
    method: 'PATCH',
    path: '/environments/{envId}/users/{userId}',
    required: [],
    async setup(admin) {
      const { id } = await createEnvironment(admin);
      const user = await createUser(admin, id);
      const url = `/environments/${id}/users/${user.id}`;
      const passwordHash = async () =>
        (await admin.server.deps.storage.findUserByEmail(id, user.email))?.passwordHash;
      return {
        url,
        valid: { name: 'Grace', password: 'another long passphrase', status: 'disabled' },
        state: async () => [await admin.read(url), await passwordHash()],
      };
    },
  },
  {
    method: 'PUT',
    path: '/environments/{envId}/tenants/{tenantId}/members/{userId}',
    required: ['roles'],
    async setup(admin) {
      const { id } = await createEnvironment(admin);
      await admin.post(`/environments/${id}/roles`, { key: 'member', name: 'Member', permissions: [] });
      const tenant = await createTenant(admin, id);
      const user = await createUser(admin, id);
      return {
        url: `/environments/${id}/tenants/${tenant.id}/members/${user.id}`,
        valid: { roles: ['member'] },
        state: () => admin.read(`/environments/${id}/tenants/${tenant.id}/members`),
      };
    },
  },
];

/** A value of another JSON type than `value`. */
function mistyped(value: unknown): unknown {
  if (typeof value === 'string') return 42;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'not-an-array';
  return ['not-an-object'];
}

function omit(body: Record<string, unknown>, field: string): Record<string, unknown> {
  const { [field]: _omitted, ...rest } = body;
  return rest;
}

let admin: AdminClient;
beforeAll(async () => {
  admin = await startAdmin();
});
afterAll(async () => {
  await admin?.close();
});

describe.each(ROUTES)('$method $path', (route) => {
  let url: string;
  let valid: Record<string, unknown>;
  let state: () => Promise<unknown>;
  let before: unknown;

  beforeAll(async () => {
    ({ url, valid, state } = await route.setup(admin));
    before = await state();
  });

  const send = (payload: string, contentType = 'application/json') =>
    admin.request({ method: route.method, url, payload, headers: { 'content-type': contentType } });

  async function expectRefused(response: Awaited<ReturnType<typeof send>>, status: number, code: string) {
    expectError(response, status, code);
    expect(await state()).toEqual(before);
  }

  it('refuses malformed JSON (400 invalid_request)', async () => {
    await expectRefused(await send(JSON.stringify(valid).slice(0, -1)), 400, 'invalid_request');
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'refuses the content type %s (415 unsupported_media_type)',
    async (contentType) => {
      await expectRefused(await send(JSON.stringify(valid), contentType), 415, 'unsupported_media_type');
    },
  );

  it('refuses a body over 16 KiB (413 payload_too_large)', async () => {
    await expectRefused(
      await send(JSON.stringify({ ...valid, name: 'x'.repeat(17 * 1024) })),
      413,
      'payload_too_large',
    );
  });

  it('refuses an unknown field (400 invalid_request)', async () => {
    await expectRefused(await send(JSON.stringify({ ...valid, isAdmin: true })), 400, 'invalid_request');
  });

  it('refuses a __proto__ key (400 invalid_request)', async () => {
    const body = JSON.stringify(valid).replace(/^\{/, '{"__proto__":{"polluted":true},');
    await expectRefused(await send(body), 400, 'invalid_request');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a constructor.prototype key (400 invalid_request)', async () => {
    const body = JSON.stringify(valid).replace(/^\{/, '{"constructor":{"prototype":{"polluted":true}},');
    await expectRefused(await send(body), 400, 'invalid_request');
  });

  it.each(['null', '[]', '"text"', '42'])(
    'refuses the non-object body %s (400 invalid_request)',
    async (payload) => {
      await expectRefused(await send(payload), 400, 'invalid_request');
    },
  );

  it('refuses an empty body (400 invalid_request)', async () => {
    await expectRefused(await send(''), 400, 'invalid_request');
    await expectRefused(await send('{}'), 400, 'invalid_request');
  });

  it('refuses each field with the wrong JSON type, without coercion (400 invalid_request)', async () => {
    for (const [field, value] of Object.entries(valid)) {
      await expectRefused(
        await send(JSON.stringify({ ...valid, [field]: mistyped(value) })),
        400,
        'invalid_request',
      );
    }
  });

  if (route.required.length > 0) {
    it('refuses each missing required field (400 invalid_request)', async () => {
      for (const field of route.required) {
        await expectRefused(await send(JSON.stringify(omit(valid, field))), 400, 'invalid_request');
      }
    });
  }

  it('accepts the valid body (the cases above differ from it in one way only)', async () => {
    const response = await send(JSON.stringify(valid), 'application/json; charset=utf-8');
    expect(response.statusCode, response.body).toBeLessThan(300);
    expect(await state()).not.toEqual(before);
  });
});
