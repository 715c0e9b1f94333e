/**
 * Processes and calls for the example API's proofs (issue #5): a Tessera server in its own process,
 * set up through its admin API like an operator would; the example API in another process; the
 * session API as a browser app calls it (login, refresh, logout).
 */
import { fileURLToPath } from 'node:url';
import { type Child, spawnTs } from '../support/processes.js';
import type { Tessera } from '../support/tessera.js';

/** The browser app's origin, registered on its client. */
export const APP_ORIGIN = 'http://localhost:5173';
export const APP_CLIENT_ID = 'app';
/** The example API's confidential client: its credentials open the revocation feed. */
export const API_CLIENT_ID = 'orders-api';
export const PASSWORD = 'correct horse battery staple';

const EXAMPLE_API_MAIN = fileURLToPath(new URL('../../examples/api/src/main.ts', import.meta.url));

/** The example API (examples/api/src/main.ts) following `issuer`'s feed as `orders-api`. */
export async function startExampleApi(options: {
  issuer: string;
  clientSecret: string;
  port: number;
}): Promise<Child & { url: string }> {
  const child = await spawnTs(
    EXAMPLE_API_MAIN,
    {
      EXAMPLE_API_ISSUER: options.issuer,
      EXAMPLE_API_AUDIENCE: APP_CLIENT_ID,
      EXAMPLE_API_CLIENT_ID: API_CLIENT_ID,
      EXAMPLE_API_CLIENT_SECRET: options.clientSecret,
      EXAMPLE_API_ALLOWED_ORIGINS: APP_ORIGIN,
      EXAMPLE_API_PORT: String(options.port),
      EXAMPLE_API_LOG_LEVEL: 'warn',
    },
    /Example API listening on/,
  );
  return { ...child, url: `http://127.0.0.1:${options.port}` };
}

/** The admin API on the default environment. */
function admin<T>(tessera: Tessera, method: string, path: string, body?: unknown): Promise<T> {
  return tessera.adminOk<T>(method, `/environments/default${path}`, body);
}

export interface World {
  /** The secret of the confidential client `orders-api`, shown once by the admin API. */
  apiClientSecret: string;
  users: string[];
}

/**
 * What an operator sets up through the admin API: the roles of the demo, tenants `acme` and
 * `globex`, a browser app `app`, the example API's confidential client, and users in `acme`
 * (`ada@example.com` an admin, the others members).
 */
export async function setUpWorld(tessera: Tessera, userCount = 2): Promise<World> {
  await admin(tessera, 'POST', '/roles', {
    key: 'admin',
    name: 'Administrator',
    permissions: ['billing:read', 'billing:write', 'users:read', 'users:write'],
  });
  await admin(tessera, 'POST', '/roles', { key: 'member', name: 'Member', permissions: ['users:read'] });
  await admin(tessera, 'POST', '/tenants', { id: 'acme', name: 'Acme Corp' });
  await admin(tessera, 'POST', '/tenants', { id: 'globex', name: 'Globex' });
  await admin(tessera, 'POST', '/clients', {
    clientId: APP_CLIENT_ID,
    name: 'App',
    type: 'spa',
    redirectUris: [`${APP_ORIGIN}/callback`],
    allowedOrigins: [APP_ORIGIN],
    postLogoutRedirectUris: [`${APP_ORIGIN}/`],
  });
  const { clientSecret } = await admin<{ clientSecret: string }>(tessera, 'POST', '/clients', {
    clientId: API_CLIENT_ID,
    name: 'Orders API',
    type: 'confidential',
    redirectUris: [],
    allowedOrigins: [],
    postLogoutRedirectUris: [],
  });
  const users: string[] = [];
  for (let i = 0; i < userCount; i++) {
    const email = i === 0 ? 'ada@example.com' : `user${i}@example.com`;
    const user = await admin<{ id: string }>(tessera, 'POST', '/users', { email, password: PASSWORD });
    await admin(tessera, 'PUT', `/tenants/acme/members/${user.id}`, {
      roles: [i === 0 ? 'admin' : 'member'],
    });
    users.push(email);
  }
  return { apiClientSecret: clientSecret, users };
}

export async function rotateSigningKey(tessera: Tessera): Promise<{ kid: string; activatesAt: number }> {
  const next = await admin<{ kid: string; activatesAt: string }>(tessera, 'POST', '/keys/rotate');
  return { kid: next.kid, activatesAt: Math.floor(Date.parse(next.activatesAt) / 1000) };
}

export interface Session {
  accessToken: string;
  /** `name=value` of the refresh cookie, as the browser sends it back. */
  cookie: string;
}

async function sessionCall(url: string, path: string, body: unknown, cookie?: string): Promise<Response> {
  return fetch(`${url}/auth/v1/${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: APP_ORIGIN,
      'x-tessera-request': '1',
      ...(cookie && { cookie }),
    },
    body: JSON.stringify(body),
  });
}

async function sessionFrom(response: Response, what: string): Promise<Session> {
  if (response.status !== 200) throw new Error(`${what}: ${response.status} ${await response.text()}`);
  const { accessToken } = (await response.json()) as { accessToken: string };
  const cookie = response.headers.getSetCookie()[0]?.split(';')[0];
  if (!cookie) throw new Error(`${what}: no refresh cookie`);
  return { accessToken, cookie };
}

export async function login(url: string, email: string): Promise<Session> {
  return sessionFrom(
    await sessionCall(url, 'login', { email, password: PASSWORD, clientId: APP_CLIENT_ID }),
    `login ${email}`,
  );
}

/** A background refresh: a new access token (signed by the current key) and the rotated cookie. */
export async function refresh(url: string, session: Session): Promise<Session> {
  return sessionFrom(
    await sessionCall(url, 'refresh', { clientId: APP_CLIENT_ID }, session.cookie),
    'refresh',
  );
}

export async function logout(url: string, session: Session): Promise<number> {
  const response = await sessionCall(url, 'logout', { clientId: APP_CLIENT_ID }, session.cookie);
  await response.body?.cancel();
  return response.status;
}

/** `GET {api}{path}` with the token: the status and the `error` of a refusal. */
export async function callApi(
  apiUrl: string,
  path: string,
  token: string,
): Promise<{ status: number; error: string | null; wwwAuthenticate: string | null }> {
  const response = await fetch(`${apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await response.json().catch(() => null)) as { error?: string } | null;
  return {
    status: response.status,
    error: response.ok ? null : (body?.error ?? null),
    wwwAuthenticate: response.headers.get('www-authenticate'),
  };
}

export async function feedState(apiUrl: string): Promise<string> {
  const response = await fetch(`${apiUrl}/healthz`);
  return ((await response.json()) as { revocationFeed: string }).revocationFeed;
}
