/**
 * Several server processes on one machine (`TESSERA_WORKERS` above 1; docs/deployment.md, "Several
 * processes on one machine"): a node:cluster primary that prepares what must exist once — the
 * master secret file, the admin key file, the migrated schema — then forks the workers, which each
 * run the whole server on the same port (the primary hands out connections round-robin). The
 * primary prints the banner once, restarts a worker that dies (with a growing pause while they keep
 * dying young), and on SIGTERM/SIGINT asks every worker to drain and exits 0 when they are gone.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Config } from './config/load-config.js';
import { resolveMasterSecret } from './config/secret.js';
import { createLogger, databaseUrlOf } from './server.js';
import { openStorage } from './storage/open.js';

/** The first pause before a restart; doubled for each worker that died young, up to the most. */
export const RESTART_FIRST_PAUSE_MILLIS = 100;
export const RESTART_MOST_PAUSE_MILLIS = 30_000;
/** A worker that served this long before dying resets the pause to the first one. */
const LIVED_LONG_MILLIS = 10_000;

export interface ClusterPrimary {
  /** Asks every worker to drain (SIGTERM), and resolves when all have exited; idempotent. */
  stop(): Promise<void>;
}

/**
 * What the primary does before any worker starts: the secret file (SQLite without
 * TESSERA_SECRET) and the migrations, so that workers starting together find both done.
 */
export async function prepareOnce(config: Config): Promise<void> {
  await resolveMasterSecret(config);
  const storage = await openStorage(databaseUrlOf(config), {
    poolSize: 1,
    logger: createLogger(config.logLevel),
  });
  // SQLite's checkpoint thread does not hold the process open (it is unref'd), so nothing else
  // would while it closes: the primary would exit silently in the middle of its start.
  const keepAlive = setInterval(() => undefined, 1000);
  try {
    await storage.migrate();
  } finally {
    await storage.close();
    clearInterval(keepAlive);
  }
}

/**
 * Forks `config.workers` workers and resolves once every one of them listens.
 *
 * @throws Error when a worker exits before it listens (its own output says why): the others are
 *   stopped first.
 */
export async function forkWorkers(config: Config): Promise<ClusterPrimary> {
  const logger = createLogger(config.logLevel);
  // Round-robin on every platform (Linux's default already): the kernel's own choice between
  // processes accepting on one socket piles the connections onto a few of them.
  cluster.schedulingPolicy = cluster.SCHED_RR;
  const started = new Map<Worker, number>();
  let stopping: Promise<void> | null = null;
  let pauseMillis = RESTART_FIRST_PAUSE_MILLIS;
  let ready = false;
  let failedToStart: ((error: Error) => void) | null = null;

  const fork = () => {
    const worker = cluster.fork();
    worker.once('listening', () => started.set(worker, Date.now()));
    worker.once('exit', (code, signal) => {
      const listenedAt = started.get(worker);
      started.delete(worker);
      if (stopping) return;
      if (!ready) {
        failedToStart?.(
          new Error(`a worker exited (${signal ?? `code ${code}`}) before it served; its output is above`),
        );
        return;
      }
      if (listenedAt !== undefined && Date.now() - listenedAt >= LIVED_LONG_MILLIS) {
        pauseMillis = RESTART_FIRST_PAUSE_MILLIS;
      }
      logger.error(
        { worker: worker.process.pid, code, signal, restartInMillis: pauseMillis },
        'a worker exited unexpectedly; starting another',
      );
      setTimeout(() => {
        if (!stopping) fork();
      }, pauseMillis).unref();
      pauseMillis = Math.min(pauseMillis * 2, RESTART_MOST_PAUSE_MILLIS);
    });
    return worker;
  };

  const stop = () => {
    stopping ??= Promise.all(
      Object.values(cluster.workers ?? {}).map(async (worker) => {
        if (!worker || worker.isDead()) return;
        const exited = new Promise((done) => worker.once('exit', done));
        worker.process.kill('SIGTERM');
        await exited;
      }),
    ).then(() => undefined);
    return stopping;
  };

  const workers = Array.from({ length: config.workers }, fork);
  try {
    await new Promise<void>((resolve, reject) => {
      failedToStart = reject;
      let listening = 0;
      for (const worker of workers) {
        worker.once('listening', () => {
          listening += 1;
          if (listening === workers.length) resolve();
        });
      }
    });
  } catch (error) {
    await stop();
    throw error;
  }
  ready = true;
  return { stop };
}
