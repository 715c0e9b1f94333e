/**
 * Processes and calls for the example API's proofs (issue #5): a Tessera server in its own process,
 * set up through its admin API like an operator would; the example API in another process; the
 * session API as a browser app calls it (login, refresh, logout).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The browser app's origin, registered on its client. */
export const APP_ORIGIN = 'http://localhost:5173';
export const APP_CLIENT_ID = 'app';
/** The example API's confidential client: its credentials open the revocation feed. */
export const API_CLIENT_ID = 'orders-api';
export const PASSWORD = 'correct horse battery staple';

const MAIN = fileURLToPath(new URL('../../packages/server/src/main.ts', import.meta.url));
const EXAMPLE_API_MAIN = fileURLToPath(new URL('../../examples/api/src/main.ts', import.meta.url));

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface Child {
  process: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** SIGTERM, then waits for the exit; its exit code. */
  stop(): Promise<number | null>;
}

/** Runs a TypeScript entry point under tsx (the workspace's sources) and waits for `ready` in its output. */
export async function spawnTs(
  script: string,
  env: Record<string, string>,
  ready: RegExp,
  timeoutMs = 30_000,
): Promise<Child> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const deadline = Date.now() + timeoutMs;
  while (!ready.test(output)) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${script} was not ready after ${timeoutMs} ms:\n${output}`);
    }
    await sleep(50);
  }
  return {
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}

export interface Tessera extends Child {
  url: string;
  adminKey: string;
}

/** `npm start` (packages/server/src/main.ts) without the demo, on `port`. */
export async function startTessera(options: {
  port: number;
  adminKey: string;
  env?: Record<string, string>;
}): Promise<Tessera> {
  const child = await spawnTs(
    MAIN,
    {
      PORT: String(options.port),
      TESSERA_DEMO: '0',
      TESSERA_ADMIN_KEY: options.adminKey,
      TESSERA_LOG_LEVEL: 'warn',
      ...options.env,
    },
    /Tessera is running at/,
  );
  return { ...child, url: `http://localhost:${options.port}`, adminKey: options.adminKey };
}

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

async function admin<T>(
  tessera: Pick<Tessera, 'url' | 'adminKey'>,
  method: string,
  path: string,
  body?: unknown,
) {
  const response = await fetch(`${tessera.url}/admin/v1/environments/default${path}`, {
    method,
    headers: {
      authorization: `Bearer ${tessera.adminKey}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
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
export async function setUpWorld(tessera: Pick<Tessera, 'url' | 'adminKey'>, userCount = 2): Promise<World> {
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

export async function rotateSigningKey(
  tessera: Pick<Tessera, 'url' | 'adminKey'>,
): Promise<{ kid: string; activatesAt: number }> {
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

export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<
    string,
    unknown
  >;
}

export function kidOf(token: string): string {
  return (JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as { kid: string }).kid;
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

export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs: number,
  everyMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
