// What the parts of a refresh cost in process, on an SQLite file or in memory: the whole refresh
// through Fastify's `inject`, then the storage's context read and rotation called directly on the
// built server's storage, 5,000 times each; CPU time (user + system, all threads) per call.
//
//   npm run build && node bench/refresh-parts.mjs [--db file|memory] > /dev/null
//
// docs/benchmarks.md, "On a file, not in memory", has the figures. The server logs at `info` to
// standard output, as in production (send it to /dev/null: the figures go to standard error).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { db: { type: 'string', default: 'file' } } });
if (!['file', 'memory'].includes(values.db)) throw new Error('--db is file or memory');
const dist = new URL('../packages/server/dist/', import.meta.url);
const { loadConfig } = await import(new URL('config/load-config.js', dist).href);
const { createTesseraServer } = await import(new URL('server.js', dist).href);
const { hashRefreshToken } = await import(new URL('tokens/refresh-token.js', dist).href);

const dataDir = mkdtempSync(join(tmpdir(), 'tessera-refresh-parts-'));
const adminKey = randomBytes(32).toString('base64url');
const config = loadConfig({
  TESSERA_DATABASE_URL: values.db === 'file' ? `sqlite:${join(dataDir, 'tessera.db')}` : 'sqlite::memory:',
  TESSERA_DATA_DIR: dataDir,
  TESSERA_SECRET: randomBytes(32).toString('base64url'),
  TESSERA_ADMIN_KEY: adminKey,
  TESSERA_DEMO: '0',
  TESSERA_LOG_LEVEL: 'info',
});
const server = await createTesseraServer({ config, adminKey });
const { app, deps } = server;
const origin = 'http://localhost:5173';
const admin = (method, url, payload) =>
  app.inject({ method, url, payload, headers: { authorization: `Bearer ${adminKey}` } });
await admin('POST', '/admin/v1/environments/default/clients', {
  clientId: 'app',
  name: 'Bench',
  type: 'spa',
  redirectUris: [],
  allowedOrigins: [origin],
  postLogoutRedirectUris: [],
});
const password = 'a long enough bench password';
const user = await admin('POST', '/admin/v1/environments/default/users', {
  email: 'bench@example.com',
  password,
});
await admin('POST', '/admin/v1/environments/default/tenants', { id: 'acme', name: 'Acme' });
await admin('PUT', `/admin/v1/environments/default/tenants/acme/members/${user.json().id}`, { roles: [] });
const login = await app.inject({
  method: 'POST',
  url: '/auth/v1/login',
  headers: { origin },
  payload: { email: 'bench@example.com', password, clientId: 'app' },
});
if (login.statusCode !== 200) throw new Error(`login: ${login.statusCode}`);
let cookie = String(login.headers['set-cookie']).split(';')[0];
const refresh = async () => {
  const response = await app.inject({
    method: 'POST',
    url: '/auth/v1/refresh',
    headers: { origin, 'x-tessera-request': '1', cookie },
    payload: { clientId: 'app', active: true },
  });
  if (response.statusCode !== 200) throw new Error(`refresh: ${response.statusCode}`);
  cookie = String(response.headers['set-cookie']).split(';')[0];
};

async function perCall(name, call, count = 5000) {
  const started = process.cpuUsage();
  for (let i = 0; i < count; i++) await call(i);
  const used = process.cpuUsage(started);
  console.error(`${name.padEnd(34)} ${((used.user + used.system) / count).toFixed(1)} µs`);
}

for (let i = 0; i < 3000; i++) await refresh(); // warm-up
await perCall('refresh through Fastify (inject)', refresh);
const storage = deps.storage;
let presented = hashRefreshToken(decodeURIComponent(cookie.split('=')[1]));
const context = await storage.loadRefreshContext(presented, 'app');
if (!context) throw new Error('no context for the current cookie');
await perCall('storage.loadRefreshContext', () => storage.loadRefreshContext(presented, 'app'));
await perCall('storage.rotateRefreshToken', async (i) => {
  const successor = hashRefreshToken(`bench-successor-${i}-${randomBytes(8).toString('hex')}`);
  const now = Math.floor(Date.now() / 1000);
  const rotated = await storage.rotateRefreshToken({
    presentedHash: presented,
    sessionId: context.session.id,
    successor: { hash: successor, issuedAt: now, expiresAt: now + 86400 },
    now,
    activity: true,
    ip: '127.0.0.1',
  });
  if (!rotated) throw new Error('a rotation lost: nothing else should rotate this session');
  presented = successor;
});
await server.close();
rmSync(dataDir, { recursive: true, force: true });
