// The five targets of `npm run bench:compare`. Each one starts its server as a process of its own,
// sets up `users` users with their own state (a rotating refresh cookie or token, or a session
// cookie), and answers one request per `step(user)`: true when it succeeded — for the rotating
// targets, only when the answer carried a new credential, which the user keeps for its next step.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { startServer } from '../server-process.mjs';

const peersDir = new URL('./peers/', import.meta.url).pathname;
const setupConcurrency = 16;
// Logins to one account in flight count against its failure budget until they succeed (10): fewer.
const tesseraLoginConcurrency = 4;

export const targetNames = [
  'tessera-sqlite',
  'tessera-postgres',
  'oidc-provider-memory',
  'oidc-provider-sqlite',
  'better-auth-sqlite',
];

/** @returns the target's definition: `start({ pgUrl })` → a running server with `setup`, `step`, `stop`. */
export function target(name) {
  switch (name) {
    case 'tessera-sqlite':
      return tessera('sqlite');
    case 'tessera-postgres':
      return tessera('postgres');
    case 'oidc-provider-memory':
      return oidcProvider('memory');
    case 'oidc-provider-sqlite':
      return oidcProvider('sqlite');
    case 'better-auth-sqlite':
      return betterAuth();
    default:
      throw new Error(`unknown target ${name}: one of ${targetNames.join(', ')}`);
  }
}

// ---- Tessera: POST /auth/v1/refresh, rotating refresh cookie, ES256 access token, active refresh.

function tessera(database) {
  return {
    work: 'POST /auth/v1/refresh (cookie rotation, ES256 JWT, session activity write)',
    rotates: true,
    async start({ pgUrl, dispatcher }) {
      const [port, demoPort, demoApiPort] = await freePorts(3);
      const databaseUrl =
        database === 'postgres'
          ? Object.assign(new URL(pgUrl), { pathname: `/tessera_compare_${process.pid}` }).toString()
          : undefined;
      const server = await startServer({
        database,
        port,
        pgUrl: databaseUrl,
        extraEnv: { TESSERA_DEMO_PORT: String(demoPort), TESSERA_DEMO_API_PORT: String(demoApiPort) },
      });
      await expectHealthy(server.url);
      const headers = { 'content-type': 'application/json', 'x-tessera-request': '1' };
      const refreshBody = JSON.stringify({ clientId: 'demo', active: true });
      const login = JSON.stringify({
        email: 'alice@example.com',
        password: 'tessera-demo',
        clientId: 'demo',
      });
      return {
        pid: server.pid,
        databaseUrl,
        /** One session per user (the demo account, logged in `users` times), like bench/refresh.mjs. */
        async setup(users) {
          return inBatches(users, tesseraLoginConcurrency, async () => {
            const response = await request(`${server.url}/auth/v1/login`, {
              method: 'POST',
              dispatcher,
              headers,
              body: login,
            });
            if (response.statusCode !== 200) {
              const { error } = await response.body.json().catch(() => ({}));
              throw new Error(`Tessera login answered ${response.statusCode} ${error ?? ''}`);
            }
            await response.body.dump();
            return { credential: firstCookie(response.headers['set-cookie']) };
          });
        },
        async step(user) {
          const response = await request(`${server.url}/auth/v1/refresh`, {
            method: 'POST',
            dispatcher,
            headers: { ...headers, cookie: user.credential },
            body: refreshBody,
          });
          const body = await response.body.json().catch(() => undefined);
          if (response.statusCode !== 200 || typeof body?.accessToken !== 'string') return false;
          const next = firstCookie(response.headers['set-cookie']);
          if (!next || next === user.credential) return false;
          user.credential = next;
          return true;
        },
        /** A superseded cookie presented again: true when refused. */
        async refusesStale(stale) {
          const response = await request(`${server.url}/auth/v1/refresh`, {
            method: 'POST',
            dispatcher,
            headers: { ...headers, cookie: stale },
            body: refreshBody,
          });
          await response.body.dump();
          return response.statusCode !== 200;
        },
        stop: () => server.stop(),
      };
    },
  };
}

function firstCookie(setCookie) {
  const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  return first ? first.split(';')[0] : undefined;
}

// ---- oidc-provider: POST /token, grant_type=refresh_token, rotation, ES256 JWT access token.

function oidcProvider(store) {
  return {
    work: `POST /token refresh_token grant (rotation, ES256 JWT), ${store === 'memory' ? 'in-memory store' : 'SQLite adapter'}`,
    rotates: true,
    async start({ dispatcher }) {
      const peer = await startPeer('oidc-provider.mjs', ['--store', store]);
      let authorization;
      return {
        pid: peer.pid,
        /** Grants and one refresh token per user, created through the provider's models and adapter. */
        async setup(users) {
          const response = await request(`${peer.url}/bench/seed?users=${users}`, {
            method: 'POST',
            dispatcher,
          });
          if (response.statusCode !== 200)
            throw new Error(`oidc-provider seed answered ${response.statusCode}`);
          const seeded = await response.body.json();
          authorization = `Basic ${Buffer.from(`${seeded.clientId}:${seeded.clientSecret}`).toString('base64')}`;
          return seeded.refreshTokens.map((credential) => ({ credential }));
        },
        async step(user) {
          const response = await request(`${peer.url}/token`, {
            method: 'POST',
            dispatcher,
            headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
            body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(user.credential)}`,
          });
          const body = await response.body.json().catch(() => undefined);
          if (response.statusCode !== 200 || typeof body?.access_token !== 'string') return false;
          if (typeof body.refresh_token !== 'string' || body.refresh_token === user.credential) return false;
          user.credential = body.refresh_token;
          return true;
        },
        async refusesStale(stale) {
          const response = await request(`${peer.url}/token`, {
            method: 'POST',
            dispatcher,
            headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
            body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(stale)}`,
          });
          await response.body.dump();
          return response.statusCode !== 200;
        },
        stop: () => peer.stop(),
      };
    },
  };
}

// ---- better-auth: GET /api/auth/get-session with the session cookie (no rotation, no write).

function betterAuth() {
  return {
    work: 'GET /api/auth/get-session (cookie check: session + user read; no rotation, no write)',
    rotates: false,
    async start({ dispatcher }) {
      const peer = await startPeer('better-auth.mjs', []);
      return {
        pid: peer.pid,
        /** Email + password users, signed up over HTTP; the sign-up signs them in (session cookie). */
        async setup(users) {
          return inBatches(users, setupConcurrency, async (i) => {
            const response = await request(`${peer.url}/api/auth/sign-up/email`, {
              method: 'POST',
              dispatcher,
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({
                email: `user-${i}@bench.example`,
                password: `bench-password-${i}`,
                name: `User ${i}`,
              }),
            });
            await response.body.dump();
            const credential = firstCookie(response.headers['set-cookie']);
            if (response.statusCode !== 200 || !credential) {
              throw new Error(`better-auth sign-up answered ${response.statusCode}`);
            }
            return { credential };
          });
        },
        async step(user) {
          const response = await request(`${peer.url}/api/auth/get-session`, {
            dispatcher,
            headers: { cookie: user.credential },
          });
          const body = await response.body.json().catch(() => undefined);
          return response.statusCode === 200 && typeof body?.session?.id === 'string';
        },
        stop: () => peer.stop(),
      };
    },
  };
}

// ---- Processes and ports.

async function startPeer(script, args) {
  const [port] = await freePorts(1);
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-compare-'));
  const child = spawn(process.execPath, [join(peersDir, script), ...args], {
    env: { ...process.env, PORT: String(port), BENCH_DATA_DIR: dataDir },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise((done) => child.once('exit', done));
  const url = `http://127.0.0.1:${port}`;
  try {
    await expectHealthy(url, child);
  } catch (error) {
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`${script} did not start: ${error.message}\n${stderr}`);
  }
  return {
    url,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function expectHealthy(url, child) {
  for (let i = 0; i < 300; i++) {
    if (child && child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {}
    await sleep(100);
  }
  throw new Error(`${url}/healthz did not answer within 30 s`);
}

/** Ports the system hands out now (listen on 0, then close): the servers bind them right after. */
async function freePorts(count) {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise((done, fail) => {
          const server = createServer();
          server.once('error', fail);
          server.listen(0, '127.0.0.1', () => done(server));
        }),
    ),
  );
  const ports = servers.map((server) => server.address().port);
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  return ports;
}

/** Calls `make(i)` for i in 0‥count-1, `concurrency` at a time; the results in order of i. */
async function inBatches(count, concurrency, make) {
  const results = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await make(i);
      }
    }),
  );
  return results;
}
