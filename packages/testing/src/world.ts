/** A small seeded world for HTTP tests, written straight through the storage port. */
import type { LightMyRequestResponse } from 'fastify';
import { normalizeEmail } from '../../server/src/passwords/email.js';
import { hashPassword } from '../../server/src/passwords/hash.js';
import type { Storage } from '../../server/src/storage/port.js';
import type { TestServer } from './harness.js';
import { parseSetCookie } from './harness.js';

export const ORIGIN = 'http://localhost:5173';
export const PASSWORD = 'correct horse battery staple';

export interface World {
  users: { ada: { id: string; email: string }; bob: { id: string; email: string } };
}

let cachedHash: string | undefined;

/** Anything with a storage and a clock: a TestServer, or a bare storage in multi-process tests. */
export interface SeedTarget {
  deps: { storage: Storage };
  clock: { now(): number };
}

export async function seedWorld(t: SeedTarget): Promise<World> {
  const { storage } = t.deps;
  const now = t.clock.now();
  cachedHash ??= await hashPassword(PASSWORD);
  await storage.insertClient({
    envId: 'default',
    clientId: 'app',
    name: 'App',
    type: 'spa',
    secretHash: null,
    redirectUris: [`${ORIGIN}/callback`],
    allowedOrigins: [ORIGIN],
    postLogoutRedirectUris: [ORIGIN],
    createdAt: now,
  });
  await storage.insertRole({
    envId: 'default',
    key: 'admin',
    name: 'Admin',
    permissions: ['users:read', 'users:write'],
  });
  await storage.insertRole({ envId: 'default', key: 'member', name: 'Member', permissions: ['users:read'] });
  for (const id of ['acme', 'globex']) {
    await storage.insertTenant({
      envId: 'default',
      id,
      name: id.toUpperCase(),
      sessionPolicy: {},
      createdAt: now,
    });
  }
  const users = {
    ada: { id: 'user-ada', email: 'ada@example.com' },
    bob: { id: 'user-bob', email: 'bob@example.com' },
  };
  for (const user of Object.values(users)) {
    await storage.insertUser({
      envId: 'default',
      id: user.id,
      email: user.email,
      emailNormalized: normalizeEmail(user.email),
      name: user.id.slice(5),
      passwordHash: cachedHash,
      createdAt: now,
    });
  }
  await storage.putMembership({
    envId: 'default',
    tenantId: 'acme',
    userId: users.ada.id,
    roles: ['admin'],
    createdAt: now,
  });
  await storage.putMembership({
    envId: 'default',
    tenantId: 'globex',
    userId: users.ada.id,
    roles: ['member'],
    createdAt: now + 1,
  });
  await storage.putMembership({
    envId: 'default',
    tenantId: 'acme',
    userId: users.bob.id,
    roles: ['member'],
    createdAt: now,
  });
  return { users };
}

/** Registers one more SPA client in the default environment, allowed from the test origin. */
export async function insertClient(t: SeedTarget, clientId: string): Promise<void> {
  await t.deps.storage.insertClient({
    envId: 'default',
    clientId,
    name: clientId,
    type: 'spa',
    secretHash: null,
    redirectUris: [],
    allowedOrigins: [ORIGIN],
    postLogoutRedirectUris: [],
    createdAt: t.clock.now(),
  });
}

const CSRF = { 'x-tessera-request': '1', origin: ORIGIN };

/** Thin wrappers over `inject` for the session API. */
export function sessionApi(t: TestServer, prefix = '') {
  const inject = (
    method: 'POST' | 'PUT' | 'GET' | 'DELETE',
    url: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ) =>
    t.app.inject({
      method,
      url: `${prefix}${url}`,
      headers: options.headers,
      ...(options.body !== undefined && { payload: options.body as object }),
    });
  return {
    inject,
    login: (body: Record<string, unknown> = {}, headers: Record<string, string> = { origin: ORIGIN }) =>
      inject('POST', '/auth/v1/login', {
        body: { email: 'ada@example.com', password: PASSWORD, clientId: 'app', ...body },
        headers,
      }),
    refresh: (
      cookie: string | undefined,
      body: Record<string, unknown> = {},
      headers: Record<string, string> = CSRF,
    ) =>
      inject('POST', '/auth/v1/refresh', {
        body: { clientId: 'app', ...body },
        headers: { ...headers, ...(cookie && { cookie }) },
      }),
    switchTenant: (cookie: string, tenantId: string) =>
      inject('PUT', '/auth/v1/tenant', { body: { clientId: 'app', tenantId }, headers: { ...CSRF, cookie } }),
    logout: (cookie: string | undefined) =>
      inject('POST', '/auth/v1/logout', {
        body: { clientId: 'app' },
        headers: { ...CSRF, ...(cookie && { cookie }) },
      }),
    bearer: (method: 'GET' | 'DELETE', url: string, accessToken: string) =>
      inject(method, url, { headers: { authorization: `Bearer ${accessToken}` } }),
  };
}

/** The `Cookie` header value a browser would send back after `response`. */
export function cookieFrom(response: LightMyRequestResponse): string {
  const cookie = parseSetCookie(response);
  if (!cookie) throw new Error(`no Set-Cookie in a ${response.statusCode} response`);
  return `${cookie.name}=${cookie.value}`;
}

export function json<T = Record<string, unknown>>(response: LightMyRequestResponse): T {
  return response.json() as T;
}
