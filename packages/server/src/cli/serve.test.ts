/**
 * `tessera serve`: the server as `npm start` starts it, but with the demo off unless `--demo`
 * (issue #12 item 3), flags over the environment, and the demo still refused for a public URL
 * that is not loopback.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, runTessera, serveTessera } from './cli.test-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-cli-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sqliteEnv(name: string): Promise<Record<string, string>> {
  return {
    TESSERA_DATA_DIR: join(dir, name),
    TESSERA_DATABASE_URL: `sqlite:${join(dir, name, 'tessera.db')}`,
    TESSERA_DEMO_PORT: String(await freePort()),
    TESSERA_DEMO_API_PORT: String(await freePort()),
  };
}

const aliceLogin = (url: string, demoPort: string | undefined) =>
  fetch(`${url}/auth/v1/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: `http://localhost:${demoPort}` },
    body: JSON.stringify({ email: 'alice@example.com', password: 'tessera-demo', clientId: 'demo' }),
  });

describe('tessera serve', () => {
  it('starts without the demo by default; --port and --public-url win over PORT and TESSERA_PUBLIC_URL', async () => {
    const env: Record<string, string> = {
      ...(await sqliteEnv('plain')),
      PORT: String(await freePort()),
      TESSERA_PUBLIC_URL: 'http://127.0.0.1:1',
    };
    const port = await freePort();
    const server = await serveTessera(['--port', String(port), '--public-url', `http://localhost:${port}`], {
      env,
    });
    try {
      expect(server.url).toBe(`http://localhost:${port}`);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect(server.output()).toMatch(/Admin key: {2}[A-Za-z0-9_-]{43}/);
      expect(server.output()).not.toContain('Demo');
      expect((await aliceLogin(server.url, env.TESSERA_DEMO_PORT)).status).not.toBe(200);
      await expect(fetch(`http://localhost:${env.TESSERA_DEMO_PORT}/`)).rejects.toThrow();
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('--demo seeds the demo users and serves the demo page', async () => {
    const env = await sqliteEnv('demo');
    const server = await serveTessera(['--demo', '--port', String(await freePort())], { env });
    try {
      expect(server.output()).toContain('alice@example.com / tessera-demo');
      expect(server.output()).toContain(`Demo page:  http://localhost:${env.TESSERA_DEMO_PORT}`);
      expect((await aliceLogin(server.url, env.TESSERA_DEMO_PORT)).status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('refuses --demo with a public URL that is not loopback: exit 1, nothing served', async () => {
    const env = await sqliteEnv('public');
    const port = await freePort();
    const run = await runTessera(
      ['serve', '--demo', '--port', String(port), '--public-url', 'https://auth.example.com'],
      { env },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('TESSERA_DEMO=1 is refused with a TESSERA_PUBLIC_URL that is not localhost');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('lists every configuration problem at once, exit 1, no stack trace', async () => {
    const run = await runTessera(['serve', '--port', 'eighty', '--public-url', 'ftp://x'], {
      env: { ...(await sqliteEnv('bad')), TESSERA_LOG_LEVLE: 'debug' },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('tessera: invalid configuration (see docs/configuration.md):');
    expect(run.stderr).toContain(
      '  - TESSERA_LOG_LEVLE is not a Tessera variable; did you mean TESSERA_LOG_LEVEL?',
    );
    expect(run.stderr).toContain('  - PORT must be an integer from 1 to 65535, not "eighty"');
    expect(run.stderr).toContain('  - TESSERA_PUBLIC_URL');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});
