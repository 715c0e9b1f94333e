/**
 * `tessera serve --workers 2` (issue #13 item 4; docs/deployment.md, "Several processes on one
 * machine"), real processes on SQLite and on PostgreSQL: the connections are served by more than
 * one worker (their pids in the request logs), a cookie raced from several connections at once
 * gets one successor for every racer (docs/reliability.md, case 4), a worker killed with SIGKILL
 * is replaced and serving goes on, and SIGTERM stops the primary with 0 and every worker with it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createTestSchema,
  postgresTestAvailability,
  type TestSchema,
} from '../storage/postgres/test-database.js';
import { freePort, ORIGIN, runTessera, serveTessera } from './cli.test-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-cli-workers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PASSWORD = 'a long enough password for the test';
const CSRF = { 'x-tessera-request': '1', origin: ORIGIN, 'content-type': 'application/json' };
// Each request on a connection of its own, so the primary hands them to the workers in turn.
const CLOSE = { connection: 'close' };

interface LogLine {
  pid: number;
  msg: string;
  route?: string;
}

function logLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

/** The pids that logged `Server listening`: every worker started so far. */
const listeningPids = (output: string) =>
  new Set(
    logLines(output)
      .filter((l) => l.msg.startsWith('Server listening'))
      .map((l) => l.pid),
  );

const refreshPids = (output: string) =>
  new Set(
    logLines(output)
      .filter((l) => l.route === '/auth/v1/refresh')
      .map((l) => l.pid),
  );

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, condition: () => boolean): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (condition()) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function cookieOf(response: Response): string {
  const header = response.headers.getSetCookie()[0];
  if (!header) throw new Error(`no Set-Cookie in a ${response.status} response`);
  return header.split(';', 1)[0]!;
}

async function scenario(env: Record<string, string>, readAdminKey: () => string) {
  const server = await serveTessera(['--workers', '2', '--port', String(await freePort())], {
    env: { ...env, TESSERA_LOG_LEVEL: 'info' },
  });
  const workerPids = new Set<number>();
  try {
    expect(server.output().match(/Tessera is running at/g)).toHaveLength(1);
    expect(server.output()).toContain('Workers:    2 server processes');
    await until('both workers to listen', () => listeningPids(server.output()).size === 2);
    for (const pid of listeningPids(server.output())) workerPids.add(pid);

    const adminKey = readAdminKey();
    const admin = async (path: string, body: unknown, method = 'POST') => {
      const response = await fetch(`${server.url}/admin/v1/environments/default${path}`, {
        method,
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json', ...CLOSE },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as { id: string };
    };
    await admin('/clients', {
      clientId: 'app',
      name: 'App',
      type: 'spa',
      redirectUris: [],
      allowedOrigins: [ORIGIN],
      postLogoutRedirectUris: [],
    });
    const user = await admin('/users', { email: 'ada@example.com', password: PASSWORD });
    await admin('/tenants', { id: 'acme', name: 'Acme' });
    await admin(`/tenants/acme/members/${user.id}`, { roles: [] }, 'PUT');
    // The other worker caches the environment's lookups for a second, as another node would
    // (storage/lookup-cache.ts): the new client's origin reaches it after that.
    await new Promise((done) => setTimeout(done, 1500));

    const login = await fetch(`${server.url}/auth/v1/login`, {
      method: 'POST',
      headers: { ...CSRF, ...CLOSE },
      body: JSON.stringify({ email: 'ada@example.com', password: PASSWORD, clientId: 'app' }),
    });
    expect(login.status, await login.clone().text()).toBe(200);
    let cookie = cookieOf(login);
    const refresh = async (from: string) => {
      const response = await fetch(`${server.url}/auth/v1/refresh`, {
        method: 'POST',
        headers: { ...CSRF, ...CLOSE, cookie: from },
        body: JSON.stringify({ clientId: 'app' }),
      });
      await response.arrayBuffer();
      return { status: response.status, cookie: response.status === 200 ? cookieOf(response) : null };
    };

    // One after another, each on a new connection: every one succeeds, and both workers served.
    for (let i = 0; i < 12; i++) {
      const next = await refresh(cookie);
      expect(next.status).toBe(200);
      cookie = next.cookie!;
    }
    await until('the request logs', () => refreshPids(server.output()).size === 2);
    expect([...refreshPids(server.output())].sort()).toEqual([...workerPids].sort());

    // The same cookie from several connections at once: one successor, given to every racer.
    const racers = await Promise.all([1, 2, 3, 4].map(() => refresh(cookie)));
    expect(racers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(racers.map((r) => r.cookie)).size).toBe(1);
    expect(racers[0]!.cookie).not.toBe(cookie);
    cookie = racers[0]!.cookie!;

    // A worker killed outright is replaced, and the session goes on.
    const [killed] = [...workerPids];
    process.kill(killed!, 'SIGKILL');
    await until('a replacement worker', () => listeningPids(server.output()).size === 3);
    expect(server.output()).toContain('a worker exited unexpectedly; starting another');
    for (const pid of listeningPids(server.output())) workerPids.add(pid);
    for (let i = 0; i < 6; i++) {
      const next = await refresh(cookie);
      expect(next.status).toBe(200);
      cookie = next.cookie!;
    }
  } finally {
    expect(await server.stop()).toBe(0);
  }
  expect(workerPids.size).toBe(3);
  await until('every worker to be gone', () => [...workerPids].every((pid) => !isRunning(pid)));
  expect(isRunning(server.pid)).toBe(false);
}

describe('tessera serve --workers 2', () => {
  it('on SQLite: the secret and admin key made once, both workers serve, races hold, a killed worker is replaced, SIGTERM stops all', {
    timeout: 180_000,
  }, async () => {
    const data = join(dir, 'sqlite');
    await scenario(
      { TESSERA_DATA_DIR: data, TESSERA_DATABASE_URL: `sqlite:${join(data, 'tessera.db')}` },
      () => readFileSync(join(data, 'admin.key'), 'utf8').trim(),
    );
  });

  it('refuses a bad --workers value or the demo with several workers: exit 1, every problem listed', {
    timeout: 60_000,
  }, async () => {
    const port = await freePort();
    const run = await runTessera(['serve', '--workers', '0', '--demo', '--port', String(port)], {
      env: { TESSERA_DATA_DIR: join(dir, 'bad'), TESSERA_WORKERS: '' },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('TESSERA_WORKERS must be an integer from 1 to 256, or `auto`');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    const demo = await runTessera(['serve', '--workers', '2', '--demo', '--port', String(port)], {
      env: { TESSERA_DATA_DIR: join(dir, 'bad') },
    });
    expect(demo.code).toBe(1);
    expect(demo.stderr).toContain('TESSERA_WORKERS above 1 is refused with the demo on');
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});

describe('tessera serve --workers 2 on PostgreSQL', async () => {
  const available = await postgresTestAvailability();
  let schema: TestSchema | undefined;
  afterAll(() => schema?.drop());

  it.runIf(available)(
    'both workers serve, races hold, a killed worker is replaced, SIGTERM stops all',
    { timeout: 180_000 },
    async () => {
      schema = await createTestSchema();
      const url = new URL(schema.url);
      url.searchParams.set('options', `-c search_path=${schema.name}`);
      const adminKey = randomBytes(32).toString('base64url');
      await scenario(
        {
          TESSERA_DATA_DIR: join(dir, 'pg'),
          TESSERA_DATABASE_URL: url.toString(),
          TESSERA_SECRET: randomBytes(32).toString('base64url'),
          TESSERA_ADMIN_KEY: adminKey,
        },
        () => adminKey,
      );
    },
  );
});
