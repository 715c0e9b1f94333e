/**
 * Test fixtures for the admin API: an in-process server (testing/harness.ts), an authenticated
 * admin client, and the few session-API calls the admin tests observe their effects through.
 */

import {
  createTestServer,
  parseSetCookie,
  type TestServer,
  type TestServerOptions,
} from '@tessera/testing/harness';
import type { HTTPMethods, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

export const PASSWORD = 'correct horse battery staple';

export interface AdminRequest {
  method: HTTPMethods;
  /** Relative to `/admin/v1`. */
  url: string;
  body?: unknown;
  /** A raw payload, sent as is (malformed JSON, other content types). */
  payload?: string;
  headers?: Record<string, string>;
}

export interface AdminClient {
  server: TestServer;
  request(request: AdminRequest): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, body: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
  /** GETs `url` and returns its JSON body, expecting 200. */
  read(url: string): Promise<unknown>;
  close(): Promise<void>;
}

export async function startAdmin(options: TestServerOptions = {}): Promise<AdminClient> {
  const server = await createTestServer(options);
  const request = ({ method, url, body, payload, headers }: AdminRequest) =>
    server.app.inject({
      method,
      url: `/admin/v1${url}`,
      headers: {
        authorization: `Bearer ${server.adminKey}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
      ...(payload !== undefined && { payload }),
    });
  return {
    server,
    request,
    get: (url) => request({ method: 'GET', url }),
    post: (url, body) => request({ method: 'POST', url, body }),
    put: (url, body) => request({ method: 'PUT', url, body }),
    patch: (url, body) => request({ method: 'PATCH', url, body }),
    delete: (url) => request({ method: 'DELETE', url }),
    async read(url) {
      const response = await request({ method: 'GET', url });
      expect(response.statusCode, response.body).toBe(200);
      return response.json();
    },
    close: () => server.close(),
  };
}

let counter = 0;

/** A fresh, unique id for an environment, tenant, client or role in one test run. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

export function expectError(response: LightMyRequestResponse, status: number, code: string): void {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.json()).toMatchObject({ error: code, message: expect.any(String) });
  expect(response.headers['cache-control']).toBe('no-store');
}

export async function createEnvironment(admin: AdminClient, body: Record<string, unknown> = {}) {
  const response = await admin.post('/environments', { id: uniqueId('env'), name: 'Test', ...body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; baseUrl: string; [key: string]: unknown };
}

export async function createClient(admin: AdminClient, envId: string, body: Record<string, unknown> = {}) {
  const response = await admin.post(`/environments/${envId}/clients`, {
    name: 'Web',
    type: 'spa',
    redirectUris: ['https://app.example.com/callback'],
    allowedOrigins: ['https://app.example.com'],
    postLogoutRedirectUris: [],
    ...body,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { clientId: string; clientSecret?: string; [key: string]: unknown };
}

export async function createUser(admin: AdminClient, envId: string, body: Record<string, unknown> = {}) {
  const email = `${uniqueId('user')}@example.com`;
  const response = await admin.post(`/environments/${envId}/users`, { email, password: PASSWORD, ...body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; email: string; name: string | null; status: string };
}

export async function createTenant(admin: AdminClient, envId: string, body: Record<string, unknown> = {}) {
  const response = await admin.post(`/environments/${envId}/tenants`, { name: 'Acme', ...body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; name: string; sessionPolicy: Record<string, unknown> };
}

export async function addMember(
  admin: AdminClient,
  envId: string,
  tenantId: string,
  userId: string,
  roles: string[] = [],
) {
  const response = await admin.put(`/environments/${envId}/tenants/${tenantId}/members/${userId}`, { roles });
  expect(response.statusCode, response.body).toBe(200);
}

/** An environment with a spa client and one active user, member of one tenant: ready to log in. */
export async function createLoginSetup(admin: AdminClient) {
  const environment = await createEnvironment(admin);
  const client = await createClient(admin, environment.id);
  const user = await createUser(admin, environment.id);
  const home = await createTenant(admin, environment.id, { name: 'Home' });
  await addMember(admin, environment.id, home.id, user.id);
  return { envId: environment.id, clientId: client.clientId, user, homeTenantId: home.id };
}

function sessionApi(envId: string): string {
  return envId === 'default' ? '/auth/v1' : `/e/${envId}/auth/v1`;
}

export interface Browser {
  envId: string;
  clientId: string;
  /** `name=value` of the current refresh cookie. */
  cookie: string;
  accessToken: string;
}

export async function loginAs(
  admin: AdminClient,
  input: { envId: string; clientId: string; email: string; password?: string; tenantId?: string },
): Promise<LightMyRequestResponse> {
  const { envId, password = PASSWORD, ...body } = input;
  return admin.server.app.inject({
    method: 'POST',
    url: `${sessionApi(envId)}/login`,
    headers: { 'content-type': 'application/json', 'user-agent': 'vitest' },
    payload: JSON.stringify({ ...body, password }),
  });
}

/** Logs in and returns the browser's cookie and access token, expecting success. */
export async function login(
  admin: AdminClient,
  input: { envId: string; clientId: string; email: string; tenantId?: string },
): Promise<Browser> {
  const response = await loginAs(admin, input);
  expect(response.statusCode, response.body).toBe(200);
  return { envId: input.envId, clientId: input.clientId, ...credentialsOf(response) };
}

/** A refresh from `browser`; on success its cookie and token advance. */
export async function refresh(
  admin: AdminClient,
  browser: Browser,
  body: { tenantId?: string; active?: boolean } = {},
  from: { remoteAddress?: string } = {},
): Promise<LightMyRequestResponse> {
  const response = await admin.server.app.inject({
    ...from,
    method: 'POST',
    url: `${sessionApi(browser.envId)}/refresh`,
    headers: { 'content-type': 'application/json', 'x-tessera-request': '1', cookie: browser.cookie },
    payload: JSON.stringify({ clientId: browser.clientId, ...body }),
  });
  if (response.statusCode === 200) Object.assign(browser, credentialsOf(response));
  return response;
}

function credentialsOf(response: LightMyRequestResponse) {
  const cookie = parseSetCookie(response);
  if (!cookie) throw new Error('no Set-Cookie in the response');
  return {
    cookie: `${cookie.name}=${cookie.value}`,
    accessToken: (response.json() as { accessToken: string }).accessToken,
  };
}

/** The claims of an access token, unverified: the tests only read what the server put in. */
export function claimsOf(accessToken: string): Record<string, unknown> {
  const payload = accessToken.split('.')[1];
  if (payload === undefined) throw new Error('not a JWT');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}
