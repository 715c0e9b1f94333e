/**
 * `npm start` as a newcomer runs it: a fresh data folder, SQLite, the demo seed and page, the
 * example API the page calls (built into examples/api/dist), the admin key printed once, a clean
 * exit on SIGTERM (F-08), and a second start that re-seeds nothing.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const dataDir = mkdtempSync(join(tmpdir(), 'tessera-start-'));
const publicDataDir = mkdtempSync(join(tmpdir(), 'tessera-start-public-'));
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(publicDataDir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

function spawnMain(env: Record<string, string>): ChildProcess {
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  return spawn(process.execPath, ['--conditions=source', '--import', 'tsx', main], {
    env: {
      ...process.env,
      TESSERA_DEMO: '',
      TESSERA_PUBLIC_URL: '',
      TESSERA_LOG_LEVEL: 'warn',
      TESSERA_ADMIN_KEY: '',
      TESSERA_SECRET: '',
      TESSERA_METRICS_TOKEN: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function start(
  port: number,
  demoPort: number,
  apiPort: number,
  env: Record<string, string> = {},
  directory = dataDir,
): Promise<{ child: ChildProcess; output: string }> {
  const child = spawnMain({
    PORT: String(port),
    TESSERA_DEMO_PORT: String(demoPort),
    TESSERA_DEMO_API_PORT: String(apiPort),
    TESSERA_DATA_DIR: directory,
    TESSERA_DATABASE_URL: `sqlite:${join(directory, 'tessera.db')}`,
    ...env,
  });
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  for (let i = 0; i < 300 && !output.includes('Tessera is running'); i++) {
    if (child.exitCode !== null) throw new Error(`exited early:\n${output}`);
    await new Promise((done) => setTimeout(done, 100));
  }
  return { child, output };
}

/** The example API's view of the revocation feed. */
async function feedState(apiUrl: string): Promise<string> {
  const health = (await (await fetch(`${apiUrl}/healthz`)).json()) as { revocationFeed: string };
  return health.revocationFeed;
}

describe('npm start', () => {
  it('starts on SQLite with the demo, prints the admin key once, and stops cleanly', async () => {
    const [port, demoPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const first = await start(port, demoPort, apiPort);
    const secretFile = join(dataDir, 'demo-api.secret');
    try {
      expect(first.output).toMatch(/Admin key: {2}[A-Za-z0-9_-]{43}/);
      expect(first.output).toContain('alice@example.com / tessera-demo');
      expect(statSync(join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);

      const base = `http://localhost:${port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect(first.output).toContain(`Console:    ${base}/console`);
      // Built or not (503, a page saying how), the console answers with its CSP.
      const consolePage = await fetch(`${base}/console`);
      expect([200, 503]).toContain(consolePage.status);
      expect(consolePage.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      const page = await fetch(`http://localhost:${demoPort}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Tessera demo');
      const apiUrl = `http://localhost:${apiPort}`;
      expect(await (await fetch(`http://localhost:${demoPort}/config.json`)).json()).toEqual({
        baseUrl: base,
        clientId: 'demo',
        apiUrl,
      });
      expect(first.output).toContain(`Demo API:   ${apiUrl}`);
      expect(statSync(secretFile).mode & 0o777).toBe(0o600);
      // The feed answers within milliseconds of the start: the example API is then live.
      await expect.poll(() => feedState(apiUrl)).toBe('live');

      const login = await fetch(`${base}/auth/v1/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: `http://localhost:${demoPort}` },
        body: JSON.stringify({ email: 'alice@example.com', password: 'tessera-demo', clientId: 'demo' }),
      });
      expect(login.status).toBe(200);
      expect(login.headers.get('access-control-allow-origin')).toBe(`http://localhost:${demoPort}`);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const projects = await fetch(`${apiUrl}/tenants/acme/projects`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(projects.status).toBe(200);
    } finally {
      first.child.kill('SIGTERM');
      const [code] = await once(first.child, 'exit');
      expect(code).toBe(0);
    }

    const secret = readFileSync(secretFile, 'utf8');
    const second = await start(port, demoPort, apiPort);
    try {
      expect(second.output).not.toMatch(/Admin key: {2}[A-Za-z0-9_-]{43}/);
      expect(second.output).toContain(`Admin key:  in ${join(dataDir, 'admin.key')}`);
      expect(second.output).not.toContain('seeded into the empty database');
      expect(readFileSync(secretFile, 'utf8')).toBe(secret);
      // The example API follows the feed with the same client secret after the restart.
      await expect.poll(() => feedState(`http://localhost:${apiPort}`)).toBe('live');
    } finally {
      second.child.kill('SIGTERM');
      await once(second.child, 'exit');
    }
  }, 90_000);
});

describe('npm start with a public URL (no known passwords in production)', () => {
  const publicUrl = 'https://auth.example.com';

  it('seeds no demo when TESSERA_DEMO is unset, and says so', async () => {
    const [port, demoPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const { child, output } = await start(
      port,
      demoPort,
      apiPort,
      { TESSERA_PUBLIC_URL: publicUrl },
      publicDataDir,
    );
    try {
      expect(output).toContain('Demo:       off (TESSERA_PUBLIC_URL is not localhost');
      expect(output).toContain('Metrics:    off (set TESSERA_METRICS_TOKEN to serve /metrics)');
      expect((await fetch(`http://localhost:${port}/metrics`)).status).toBe(404);
      expect(output).not.toContain('tessera-demo');
      const login = await fetch(`http://localhost:${port}/auth/v1/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'alice@example.com', password: 'tessera-demo', clientId: 'demo' }),
      });
      expect(login.status).not.toBe(200);
      expect(((await login.json()) as { error: string }).error).not.toBe('internal_error');
      // Nothing listens where the demo page would be.
      await expect(fetch(`http://localhost:${demoPort}/`)).rejects.toThrow();
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }, 60_000);

  it('serves /metrics with TESSERA_METRICS_TOKEN, says where, and never prints the token', async () => {
    const token = 'start-metrics-token-'.padEnd(40, 't');
    const directory = mkdtempSync(join(tmpdir(), 'tessera-start-metrics-'));
    const [port, demoPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const { child, output } = await start(
      port,
      demoPort,
      apiPort,
      { TESSERA_DEMO: '0', TESSERA_METRICS_TOKEN: token },
      directory,
    );
    try {
      expect(output).toContain(`Metrics:    http://127.0.0.1:${port}/metrics  (this node's own address`);
      expect(output).not.toContain(token);
      const url = `http://localhost:${port}/metrics`;
      expect((await fetch(url)).status).toBe(401);
      const scraped = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('# TYPE tessera_refresh_total counter');
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
      rmSync(directory, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses to start with TESSERA_DEMO=1, in one line naming both variables', async () => {
    const child = spawnMain({
      PORT: String(await freePort()),
      TESSERA_DEMO: '1',
      TESSERA_PUBLIC_URL: publicUrl,
      TESSERA_DATA_DIR: publicDataDir,
      TESSERA_DATABASE_URL: `sqlite:${join(publicDataDir, 'refused.db')}`,
    });
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr!.on('data', (chunk) => {
      output += chunk;
    });
    const [code] = await once(child, 'exit');
    expect(code).not.toBe(0);
    const line = output.split('\n').find((text) => text.includes('TESSERA_DEMO=1'));
    expect(line).toContain('TESSERA_PUBLIC_URL');
    expect(output).not.toContain('Tessera is running');
  }, 60_000);
});
