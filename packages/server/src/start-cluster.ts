/**
 * Several server processes on one machine (`TESSERA_WORKERS` above 1; docs/deployment.md, "Several
 * processes on one machine"): a node:cluster primary that prepares what must exist once — the
 * master secret file, the admin key file, the migrated schema — then forks the workers, which each
 * run the whole server on the same port (the primary hands out connections round-robin). The
 * primary prints the banner once, restarts a worker that dies (with a growing pause while they keep
 * dying young), gives the periodic maintenance to one worker only, and on SIGTERM/SIGINT asks every
 * worker to drain (killing one still there after a deadline) and exits 0 when they are gone.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
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
  /**
   * Asks every worker to drain (SIGTERM), kills one that has not exited by the deadline (SIGKILL),
   * and resolves when all have exited; idempotent.
   */
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

/** How long a worker may drain after SIGTERM before the primary kills it (SIGKILL) [30 s]. */
export const STOP_DEADLINE_MILLIS = 30_000;

/**
 * Set by the primary in the environment of the one worker that runs the periodic maintenance
 * (history pruning, the lapse sweep): with it in every worker, n of them would race over the same
 * rows. A worker takes it out before reading its configuration (`takeWorkerRole`); anywhere else it
 * is an unknown `TESSERA_` name, refused as any other.
 */
export const MAINTENANCE_WORKER_VARIABLE = 'TESSERA_CLUSTER_MAINTENANCE';

export interface ForkWorkersOptions {
  /**
   * The environment the primary was started with, as it read it (a copy `startTessera` changed,
   * not necessarily `process.env`): each worker gets exactly this one, so it reads the same
   * configuration.
   */
  env: Record<string, string | undefined>;
  /** How long a worker may drain after SIGTERM before it is killed [{@link STOP_DEADLINE_MILLIS}]. */
  stopDeadlineMillis?: number;
  /** Where the primary logs a worker's death or its kill; one at `config.logLevel` when absent. */
  logger?: Logger;
}

/**
 * A worker's environment without the primary's role marker, and whether it runs the maintenance.
 *
 * @example
 * const { env, maintenance } = takeWorkerRole(process.env);
 */
export function takeWorkerRole(env: Record<string, string | undefined>): {
  env: Record<string, string | undefined>;
  maintenance: boolean;
} {
  const { [MAINTENANCE_WORKER_VARIABLE]: role, ...rest } = env;
  return { env: rest, maintenance: role === '1' };
}

/**
 * Forks `config.workers` workers and resolves once every one of them listens. The first one runs
 * the periodic maintenance, and so does whichever replaces it.
 *
 * @throws Error when a worker exits before it listens (its own output says why): the others are
 *   stopped first.
 */
export async function forkWorkers(config: Config, options: ForkWorkersOptions): Promise<ClusterPrimary> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const stopDeadlineMillis = options.stopDeadlineMillis ?? STOP_DEADLINE_MILLIS;
  // Round-robin on every platform (Linux's default already): the kernel's own choice between
  // processes accepting on one socket piles the connections onto a few of them.
  cluster.schedulingPolicy = cluster.SCHED_RR;
  const started = new Map<Worker, number>();
  let stopping: Promise<void> | null = null;
  let pauseMillis = RESTART_FIRST_PAUSE_MILLIS;
  let ready = false;
  let failedToStart: ((error: Error) => void) | null = null;

  const fork = (maintenance: boolean) => {
    const worker = cluster.fork(workerEnvironment(options.env, maintenance));
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
        if (!stopping) fork(maintenance);
      }, pauseMillis).unref();
      pauseMillis = Math.min(pauseMillis * 2, RESTART_MOST_PAUSE_MILLIS);
    });
    return worker;
  };

  const stopWorker = async (worker: Worker) => {
    if (worker.isDead()) return;
    const exited = new Promise((done) => worker.once('exit', done));
    worker.process.kill('SIGTERM');
    let deadline: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      exited.then(() => 'exited' as const),
      new Promise<'late'>((done) => {
        deadline = setTimeout(() => done('late'), stopDeadlineMillis);
      }),
    ]);
    clearTimeout(deadline);
    if (outcome === 'late') {
      logger.error(
        { worker: worker.process.pid, deadlineMillis: stopDeadlineMillis },
        'a worker did not exit in time after SIGTERM; killing it (SIGKILL)',
      );
      worker.process.kill('SIGKILL');
      await exited;
    }
  };

  const stop = () => {
    stopping ??= Promise.all(
      Object.values(cluster.workers ?? {}).map(async (worker) => {
        if (worker) await stopWorker(worker);
      }),
    ).then(() => undefined);
    return stopping;
  };

  const workers = Array.from({ length: config.workers }, (_, index) => fork(index === 0));
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

/**
 * Exactly `env` (plus the role marker): `cluster.fork` adds its variables to the primary's own
 * `process.env`, so one that `env` left out is named with no value, which a child never receives.
 */
function workerEnvironment(
  env: Record<string, string | undefined>,
  maintenance: boolean,
): Record<string, string | undefined> {
  const left = Object.fromEntries(
    Object.keys(process.env)
      .filter((name) => !(name in env))
      .map((name) => [name, undefined]),
  );
  return { ...left, ...env, [MAINTENANCE_WORKER_VARIABLE]: maintenance ? '1' : undefined };
}
