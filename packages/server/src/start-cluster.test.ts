/**
 * The node:cluster primary (start-cluster.ts) with small stand-in worker scripts, real processes:
 * the environment each worker gets, the one worker that runs the maintenance (and its
 * replacement), the stop deadline, and a worker that exits before it listens.
 * `tessera serve --workers` end to end: cli/serve-workers.test.ts.
 */
import cluster, { type Worker } from 'node:cluster';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config/load-config.js';
import { isRunning, until } from './process.test-helpers.js';
import {
  type ClusterPrimary,
  forkWorkers,
  MAINTENANCE_WORKER_VARIABLE,
  takeWorkerRole,
} from './start-cluster.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-cluster-'));
const WORKER = join(dir, 'worker.mjs');
// Listens (or exits first, or ignores SIGTERM, as TEST_WORKER_MODE says), and reports the
// variables it was given.
writeFileSync(
  WORKER,
  `import { createServer } from 'node:net';
const mode = process.env.TEST_WORKER_MODE;
// The maintenance worker only: the other one listens, and must be stopped.
if (mode === 'exit-before-listen' && process.env.${MAINTENANCE_WORKER_VARIABLE} === '1') process.exit(3);
if (mode === 'ignore-sigterm') process.on('SIGTERM', () => {});
process.send({
  onlyInOptions: process.env.TEST_ONLY_IN_OPTIONS ?? null,
  leftOut: process.env.TEST_LEFT_OUT ?? null,
  maintenance: process.env.${MAINTENANCE_WORKER_VARIABLE} ?? null,
});
createServer().listen(0, '127.0.0.1');
`,
);

const savedSettings = { ...cluster.settings };
beforeAll(() => cluster.setupPrimary({ exec: WORKER, args: [], execArgv: [], silent: false }));
afterAll(() => {
  cluster.setupPrimary(savedSettings);
  rmSync(dir, { recursive: true, force: true });
});

interface Report {
  onlyInOptions: string | null;
  leftOut: string | null;
  maintenance: string | null;
}
const reports = new Map<Worker, Report>();
const onMessage = (worker: Worker, message: Report) => reports.set(worker, message);
beforeAll(() => cluster.on('message', onMessage));
afterAll(() => cluster.off('message', onMessage));

const config = (workers: number) => loadConfig({ TESSERA_DEMO: '0', TESSERA_WORKERS: String(workers) });

function captureLogs() {
  const lines: { msg: string; worker?: number }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

const liveWorkers = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());

/** The workers here are small scripts: they answer within seconds. */
const IN_PROCESS = { timeoutMillis: 10_000, everyMillis: 50 };

describe('forkWorkers', () => {
  let primary: ClusterPrimary | null = null;
  const pids: number[] = [];
  afterEach(async () => {
    for (const worker of liveWorkers()) pids.push(worker.process.pid!);
    await primary?.stop();
    primary = null;
    for (const pid of pids.splice(0)) {
      if (isRunning(pid)) process.kill(pid, 'SIGKILL');
    }
    reports.clear();
  });

  it('gives every worker exactly the environment it was passed, not the primary process.env', async () => {
    process.env.TEST_LEFT_OUT = 'in process.env only';
    try {
      primary = await forkWorkers(config(2), {
        env: { TEST_ONLY_IN_OPTIONS: 'computed by the primary', PATH: process.env.PATH },
      });
    } finally {
      delete process.env.TEST_LEFT_OUT;
    }
    await until('both reports', () => reports.size === 2, IN_PROCESS);
    for (const report of reports.values()) {
      expect(report.onlyInOptions).toBe('computed by the primary');
      expect(report.leftOut).toBeNull();
    }
  });

  it('gives the maintenance to one worker, and to the one that replaces it when it dies', async () => {
    primary = await forkWorkers(config(3), { env: { ...process.env }, logger: captureLogs().logger });
    await until('three reports', () => reports.size === 3, IN_PROCESS);
    const holders = () => [...reports].filter(([w, r]) => !w.isDead() && r.maintenance === '1');
    expect(holders()).toHaveLength(1);
    const [[holder]] = holders() as [[Worker, Report]];
    const others = liveWorkers().filter((w) => w !== holder);

    holder.process.kill('SIGKILL');
    await until('a replacement that reports', () => reports.size === 4, {
      timeoutMillis: 10_000,
      everyMillis: 50,
    });
    const [[replacement]] = holders() as [[Worker, Report]];
    expect(replacement).not.toBe(holder);
    expect(others.includes(replacement)).toBe(false);
    expect(holders()).toHaveLength(1);

    // Another worker dying is replaced without the maintenance.
    others[0]!.process.kill('SIGKILL');
    await until('a fifth report', () => reports.size === 5, IN_PROCESS);
    expect(holders().map(([w]) => w)).toEqual([replacement]);
  });

  it('kills a worker that ignores SIGTERM once the deadline passes, and says so', async () => {
    const { logger, lines } = captureLogs();
    primary = await forkWorkers(config(2), {
      env: { ...process.env, TEST_WORKER_MODE: 'ignore-sigterm' },
      stopDeadlineMillis: 500,
      logger,
    });
    await until('both reports', () => reports.size === 2, IN_PROCESS);
    const workerPids = liveWorkers().map((w) => w.process.pid!);
    pids.push(...workerPids);
    await primary.stop();
    expect(workerPids.some(isRunning)).toBe(false);
    const killed = lines.filter(
      (l) => l.msg === 'a worker did not exit in time after SIGTERM; killing it (SIGKILL)',
    );
    expect(killed.map((l) => l.worker).sort()).toEqual([...workerPids].sort());
  });

  it('rejects when a worker exits before it listens, and stops the others', async () => {
    const forking = forkWorkers(config(2), {
      env: { ...process.env, TEST_WORKER_MODE: 'exit-before-listen' },
      logger: captureLogs().logger,
    });
    const workerPids = liveWorkers().map((w) => w.process.pid!);
    pids.push(...workerPids);
    await expect(forking).rejects.toThrow('a worker exited (code 3) before it served; its output is above');
    expect(liveWorkers()).toEqual([]);
    expect(workerPids.filter(isRunning)).toEqual([]);
  });
});

describe('takeWorkerRole', () => {
  it('takes the role marker out of the environment', () => {
    expect(takeWorkerRole({ A: '1', [MAINTENANCE_WORKER_VARIABLE]: '1' })).toEqual({
      env: { A: '1' },
      maintenance: true,
    });
    expect(takeWorkerRole({ A: '1' })).toEqual({ env: { A: '1' }, maintenance: false });
  });
});
