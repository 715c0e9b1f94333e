/**
 * Tessera as an operator runs it: the built `packages/server/dist/main.js` (`npm start` without the
 * build step) in its own process, which a fault test may SIGKILL, SIGTERM and start again on the
 * same database, data folder and secrets. The build is vitest.faults.config.ts's global setup.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, sleep } from '../../e2e/support/processes.js';

export const MAIN = fileURLToPath(new URL('../../packages/server/dist/main.js', import.meta.url));

export interface RunningServer {
  process: ChildProcess;
  /** When it was spawned (performance.now()). */
  spawnedAt: number;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

export interface Deployment {
  /** `http://localhost:<port>`: the public URL and the address the clients use. */
  url: string;
  adminKey: string;
  /** The environment every start of this deployment gets. */
  env: Record<string, string>;
  /** The SQLite file, when on SQLite. */
  sqliteFile: string | null;
  /** Spawns a process and waits until `/healthz` answers. */
  start(options?: { wrap?: string[] }): Promise<RunningServer>;
  /** The process started last. */
  current(): RunningServer;
  /** `{method} /admin/v1{path}`: throws on a status from 300 up. */
  admin<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  /** Stops the current process (SIGTERM) and removes the data folder. */
  dispose(): Promise<void>;
}

export interface DeploymentOptions {
  /** A `postgres://` URL; SQLite in the data folder when absent. */
  databaseUrl?: string;
  env?: Record<string, string>;
}

export async function createDeployment(options: DeploymentOptions = {}): Promise<Deployment> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-faults-'));
  const sqliteFile = options.databaseUrl ? null : join(dataDir, 'tessera.db');
  const url = `http://localhost:${port}`;
  const adminKey = randomBytes(32).toString('base64url');
  const env: Record<string, string> = {
    PORT: String(port),
    TESSERA_PUBLIC_URL: url,
    TESSERA_DATA_DIR: dataDir,
    TESSERA_DATABASE_URL: options.databaseUrl ?? `sqlite:${sqliteFile}`,
    TESSERA_ADMIN_KEY: adminKey,
    TESSERA_SECRET: randomBytes(32).toString('base64url'),
    TESSERA_DEMO: '0',
    TESSERA_LOG_LEVEL: 'warn',
    ...options.env,
  };
  return deploymentOf({ url, adminKey, env, sqliteFile, dataDir });
}

/** Another node of the same deployment: its own port, the same database and secrets. */
export async function anotherNode(of: Deployment): Promise<Deployment> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-faults-'));
  const url = `http://localhost:${port}`;
  const env = { ...of.env, PORT: String(port), TESSERA_PUBLIC_URL: url, TESSERA_DATA_DIR: dataDir };
  return deploymentOf({ url, adminKey: of.adminKey, env, sqliteFile: of.sqliteFile, dataDir });
}

function deploymentOf(parts: {
  url: string;
  adminKey: string;
  env: Record<string, string>;
  sqliteFile: string | null;
  dataDir: string;
}): Deployment {
  const { url, adminKey, env } = parts;
  let running: RunningServer | null = null;
  let processGroup: number | null = null;
  const adminUrl = url.replace('localhost', '127.0.0.1');
  return {
    url,
    adminKey,
    env,
    sqliteFile: parts.sqliteFile,
    async start(startOptions = {}) {
      const argv = [...(startOptions.wrap ?? []), process.execPath, MAIN];
      const wrapped = argv[0] !== process.execPath;
      const spawnedAt = performance.now();
      const child = spawn(argv[0]!, argv.slice(1), {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
        // A wrapper (faketime) forks the server and does not pass signals on: the two get a
        // process group of their own, which dispose() signals and waits out.
        detached: wrapped,
      });
      processGroup = wrapped ? child.pid! : null;
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
      });
      child.stderr.on('data', (chunk) => {
        output += chunk;
      });
      const exited = once(child, 'exit').then(([code, signal]) => ({
        code: code as number | null,
        signal: signal as NodeJS.Signals | null,
      }));
      running = { process: child, spawnedAt, exited, output: () => output };
      const deadline = Date.now() + 30_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output}`);
        if (Date.now() > deadline) throw new Error(`the server did not answer /healthz in 30 s:\n${output}`);
        const ok = await fetch(`${adminUrl}/healthz`).then(
          (response) => response.ok,
          () => false,
        );
        if (ok) return running;
        await sleep(10);
      }
    },
    current() {
      if (!running) throw new Error('not started');
      return running;
    },
    async admin<T>(method: string, path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${adminUrl}/admin/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${adminKey}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
      return (text === '' ? null : JSON.parse(text)) as T;
    },
    async dispose() {
      if (processGroup !== null) {
        await stopGroup(processGroup);
      } else if (running && running.process.exitCode === null && running.process.signalCode === null) {
        running.process.kill('SIGTERM');
        await running.exited;
      }
      rmSync(parts.dataDir, { recursive: true, force: true });
    },
  };
}

/** SIGTERM to every process of the group, then waits until none is left (SIGKILL after 10 s). */
async function stopGroup(group: number): Promise<void> {
  const signal = (name: NodeJS.Signals | 0) => {
    try {
      process.kill(-group, name);
      return true;
    } catch {
      return false; // ESRCH: the group is gone
    }
  };
  if (!signal('SIGTERM')) return;
  const deadline = Date.now() + 10_000;
  while (signal(0)) {
    if (Date.now() > deadline) signal('SIGKILL');
    await sleep(20);
  }
}
