/**
 * Starting Tessera from the environment: the configuration, the admin key, the server, and — when
 * the demo is on (TESSERA_DEMO, only ever on a loopback public URL) — the demo seed, the demo page
 * and the example API it calls; graceful shutdown on SIGTERM/SIGINT. Shared by `npm start`
 * (main.ts, demo on by default for loopback) and `tessera serve` (cli/, demo off unless asked).
 */
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Config, loadConfig } from './config/load-config.js';
import type { SeededDemo } from './demo/start-demo.js';
import { loadDemo } from './demo-loader.js';
import { createLogger, createTesseraServer, type TesseraServer } from './server.js';
import { forkWorkers, prepareOnce, takeWorkerRole } from './start-cluster.js';

export interface StartTesseraOptions {
  /** The variables (normally `process.env`); read once by `loadConfig`. */
  env: Record<string, string | undefined>;
  /**
   * What an unset `TESSERA_DEMO` means: `'loopback'` (`npm start`): on for a loopback public URL;
   * `'off'` (`tessera serve`): off unless asked for. Either way a public URL that is not loopback
   * refuses `TESSERA_DEMO=1`.
   */
  demoDefault: 'loopback' | 'off';
}

export interface StartedTessera {
  config: Config;
  /** Stops the demo servers and the server; idempotent. Does not exit the process. */
  stop(): Promise<void>;
}

/**
 * Loads the configuration, starts the server (and the demo when it is on), prints where it runs,
 * and stops it on SIGTERM/SIGINT, then exits 0.
 *
 * @throws ConfigError when the configuration is invalid (every problem listed).
 *
 * @example
 * await startTessera({ env: process.env, demoDefault: 'off' });
 */
export async function startTessera(options: StartTesseraOptions): Promise<StartedTessera> {
  const role = cluster.isWorker ? takeWorkerRole(options.env) : { env: options.env, maintenance: true };
  const env =
    options.demoDefault === 'off' && !role.env.TESSERA_DEMO?.trim()
      ? { ...role.env, TESSERA_DEMO: '0' }
      : role.env;
  const config = loadConfig(env);
  if (config.workers > 1 && cluster.isPrimary) return await startPrimary(config, env);
  // Before anything else: an installed package has no demo, and says so at once.
  const demoModule = config.demo ? await loadDemo() : null;
  const admin = await resolveAdminKey(config);
  const server = await createTesseraServer({ config, adminKey: admin.key, maintenance: role.maintenance });
  if (cluster.isWorker && role.maintenance) {
    server.logger.info(
      { pruneIntervalSeconds: config.pruneIntervalSeconds },
      'this worker runs the periodic maintenance (history pruning, the lapse sweep)',
    );
  }
  try {
    const demo =
      demoModule && config.demo
        ? await demoModule.seedDemoBeforeListening(server, config, config.demo)
        : null;
    await server.app.listen({ port: config.port, host: config.host });
    return await announce(server, config, admin, demo);
  } catch (error) {
    await server.close().catch(() => undefined);
    throw error;
  }
}

async function announce(
  server: TesseraServer,
  config: Config,
  admin: AdminKey,
  demo: SeededDemo | null,
): Promise<StartedTessera> {
  const { logger } = server;
  const lines = bannerLines(config, admin);
  const demoServers = demo ? await demo.serve() : null;
  if (demoServers) lines.push(...demoServers.lines);
  // A worker of several (TESSERA_WORKERS) says nothing: its primary printed the banner once.
  if (!cluster.isWorker) process.stdout.write(`${lines.join('\n')}\n\n`);

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      await demoServers?.close();
      await server.close();
    })();
    return stopping;
  };
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await stop();
    process.exit(0);
  };
  if (cluster.isWorker) {
    // A worker may be sent SIGTERM twice (systemd's whole cgroup, then its primary): both drain.
    // Its primary turns Ctrl-C (SIGINT to the whole process group) into one SIGTERM each.
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    process.on('SIGINT', () => undefined);
  } else {
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    process.once('SIGINT', () => void shutdown('SIGINT'));
  }
  return { config, stop };
}

/**
 * The primary of several processes: the secret, the admin key and the migrations once, then the
 * workers; the banner once; SIGTERM/SIGINT stop every worker, then the primary exits 0.
 */
async function startPrimary(
  config: Config,
  env: Record<string, string | undefined>,
): Promise<StartedTessera> {
  const logger = createLogger(config.logLevel);
  if (!config.redisUrl) {
    logger.warn(
      { workers: config.workers },
      'several workers without TESSERA_REDIS_URL: each worker throttles logins on its own, so a client gets as many failed attempts as there are workers (docs/deployment.md, "Several processes on one machine")',
    );
  }
  await prepareOnce(config);
  const admin = await resolveAdminKey(config);
  const primary = await forkWorkers(config, { env });
  const lines = bannerLines(config, admin);
  lines.push(
    `  Workers:    ${config.workers} server processes on port ${config.port} (TESSERA_WORKERS); this primary restarts any that dies`,
  );
  process.stdout.write(`${lines.join('\n')}\n\n`);
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'stopping the workers');
    await primary.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  return { config, stop: primary.stop };
}

function bannerLines(config: Config, admin: AdminKey): string[] {
  const lines = [
    '',
    `  Tessera is running at ${config.publicUrl}`,
    `  Database:   ${config.database.kind === 'sqlite' ? `SQLite, ${config.database.filename}` : 'PostgreSQL (TESSERA_DATABASE_URL)'}`,
    `  Admin API:  ${config.publicUrl}/admin/v1  (OpenAPI: ${config.publicUrl}/admin/v1/openapi.json)`,
    `  Console:    ${config.publicUrl}/console  (sign in with the admin key)`,
    admin.generated
      ? `  Admin key:  ${admin.key}   (generated once, kept in ${admin.file}; set TESSERA_ADMIN_KEY to choose your own)`
      : `  Admin key:  ${admin.file ? `in ${admin.file}` : 'from TESSERA_ADMIN_KEY'}`,
    config.metricsToken
      ? `  Metrics:    ${nodeUrl(config)}/metrics  (this node's own address; Authorization: Bearer <TESSERA_METRICS_TOKEN>)`
      : '  Metrics:    off (set TESSERA_METRICS_TOKEN to serve /metrics)',
  ];

  if (config.demoOffReason === 'public_url') {
    lines.push(
      '',
      '  Demo:       off (TESSERA_PUBLIC_URL is not localhost, 127.0.0.1 or ::1; the demo users have a published password)',
    );
  }

  return lines;
}

interface AdminKey {
  key: string;
  generated: boolean;
  file: string | null;
}

/** TESSERA_ADMIN_KEY, or a key generated once into the data folder and printed that first time. */
async function resolveAdminKey(config: Config): Promise<AdminKey> {
  if (config.adminKey) return { key: config.adminKey.reveal(), generated: false, file: null };
  const file = join(config.dataDir, 'admin.key');
  try {
    return { key: (await readFile(file, 'utf8')).trim(), generated: false, file };
  } catch {
    const key = randomBytes(32).toString('base64url');
    await mkdir(config.dataDir, { recursive: true });
    await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' }).catch(async () => undefined);
    return { key: (await readFile(file, 'utf8')).trim(), generated: true, file };
  }
}

/**
 * This node's own address, for what is scraped per node (/metrics) rather than reached through the
 * public name: behind a proxy the public name reaches whichever node the proxy picks.
 */
function nodeUrl(config: Config): string {
  const host = ['0.0.0.0', '::', ''].includes(config.host) ? 'localhost' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}
