// One built server (a dist folder) in this process with one signed-in session, refreshed through
// Fastify's `inject`: no sockets, no load generator. Shared by refresh-cpu.mjs and refresh-parts.mjs.
// The server logs at `info` to this process's standard output, as in production.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ORIGIN = 'http://localhost:5173';
const EMAIL = 'bench@example.com';
const PASSWORD = 'a long enough bench password';

/**
 * Starts the server of `dist` on `databaseUrl` with a client, a user who is a member of a tenant,
 * and that user signed in. `refresh()` refreshes the session (`"active": true`) and keeps the new
 * cookie; `refreshCookie()` is the current cookie's value.
 */
export async function startInjectedSession({ dist, databaseUrl, env = {} }) {
  const load = async (path) => import(pathToFileURL(resolve(dist, path)).href);
  const { loadConfig } = await load('config/load-config.js');
  const { createTesseraServer } = await load('server.js');
  const adminKey = randomBytes(32).toString('base64url');
  const config = loadConfig({
    TESSERA_DATABASE_URL: databaseUrl,
    TESSERA_SECRET: randomBytes(32).toString('base64url'),
    TESSERA_ADMIN_KEY: adminKey,
    TESSERA_DEMO: '0',
    TESSERA_LOG_LEVEL: 'info',
    ...env,
  });
  const server = await createTesseraServer({ config, adminKey });
  const { app } = server;
  const admin = async (method, url, payload) => {
    const response = await app.inject({
      method,
      url,
      payload,
      headers: { authorization: `Bearer ${adminKey}` },
    });
    if (response.statusCode >= 300)
      throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
    return response;
  };
  await admin('POST', '/admin/v1/environments/default/clients', {
    clientId: 'app',
    name: 'Bench',
    type: 'spa',
    redirectUris: [],
    allowedOrigins: [ORIGIN],
    postLogoutRedirectUris: [],
  });
  const user = await admin('POST', '/admin/v1/environments/default/users', {
    email: EMAIL,
    password: PASSWORD,
  });
  await admin('POST', '/admin/v1/environments/default/tenants', { id: 'acme', name: 'Acme' });
  await admin('PUT', `/admin/v1/environments/default/tenants/acme/members/${user.json().id}`, { roles: [] });
  const login = await app.inject({
    method: 'POST',
    url: '/auth/v1/login',
    headers: { origin: ORIGIN },
    payload: { email: EMAIL, password: PASSWORD, clientId: 'app' },
  });
  if (login.statusCode !== 200) throw new Error(`login: ${login.statusCode} ${login.body}`);
  let cookie = String(login.headers['set-cookie']).split(';')[0];
  return {
    server,
    load,
    async refresh() {
      const response = await app.inject({
        method: 'POST',
        url: '/auth/v1/refresh',
        headers: { origin: ORIGIN, 'x-tessera-request': '1', cookie },
        payload: { clientId: 'app', active: true },
      });
      if (response.statusCode !== 200) throw new Error(`refresh: ${response.statusCode} ${response.body}`);
      cookie = String(response.headers['set-cookie']).split(';')[0];
    },
    refreshCookie: () => decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1)),
  };
}
