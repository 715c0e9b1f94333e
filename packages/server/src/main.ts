#!/usr/bin/env node
/**
 * `npm start`: Tessera on the configured database (SQLite under ./data by default), with the demo
 * seed, the demo page and the example API it calls when the demo is on (TESSERA_DEMO, only ever
 * on a loopback public URL). Graceful shutdown on SIGTERM/SIGINT.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Config, loadConfig } from './config/load-config.js';
import type { DemoApi } from './demo/example-api.js';
import type { createDemoPageServer } from './demo/page-server.js';
import { loadDemo } from './demo-loader.js';
import { ConfigError } from './errors.js';
import { createTesseraServer } from './server.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n\nSee docs/configuration.md.\n`);
      process.exit(1);
    }
    throw error;
  }

  // Before anything else: an installed package has no demo, and says so at once.
  const demo = config.demo ? await loadDemo() : null;
  const admin = await resolveAdminKey(config);
  const server = await createTesseraServer({ config, adminKey: admin.key });
  const { logger } = server;
  // Seed before listening: nobody should reach a half-seeded demo.
  const demoOrigin = config.demo ? `http://localhost:${config.demo.port}` : null;
  const demoApiSecret = demo && config.demo ? await demo.resolveDemoApiSecret(config.dataDir) : null;
  const seed =
    demo && demoOrigin ? await demo.seedDemo(server.deps, demoOrigin, demoApiSecret?.secret) : null;
  // A database seeded before the example API existed, or whose secret file was deleted.
  const demoApiClient =
    seed !== null ||
    (demoApiSecret !== null &&
      demo !== null &&
      (await demo.ensureDemoApiClient(server.deps, demoApiSecret.secret)));
  await server.app.listen({ port: config.port, host: config.host });

  const lines = [
    '',
    `  Tessera is running at ${config.publicUrl}`,
    `  Database:   ${config.database.kind === 'sqlite' ? `SQLite, ${config.database.filename}` : 'PostgreSQL (TESSERA_DATABASE_URL)'}`,
    `  Admin API:  ${config.publicUrl}/admin/v1  (OpenAPI: ${config.publicUrl}/admin/v1/openapi.json)`,
    `  Console:    ${config.publicUrl}/console  (sign in with the admin key)`,
    admin.generated
      ? `  Admin key:  ${admin.key}   (generated once, kept in ${admin.file}; set TESSERA_ADMIN_KEY to choose your own)`
      : `  Admin key:  ${admin.file ? `in ${admin.file}` : 'from TESSERA_ADMIN_KEY'}`,
  ];

  if (config.demoOffReason === 'public_url') {
    lines.push(
      '',
      '  Demo:       off (TESSERA_PUBLIC_URL is not localhost, 127.0.0.1 or ::1; the demo users have a published password)',
    );
  }

  let demoServer: ReturnType<typeof createDemoPageServer> | null = null;
  let demoApi: DemoApi | null = null;
  if (demo && config.demo && demoOrigin) {
    const { DEMO_API_CLIENT_ID, DEMO_CLIENT_ID } = demo;
    const demoPort = config.demo.port;
    const examples = resolve(dirname(fileURLToPath(import.meta.url)), '../../../examples');
    const apiUrl = `http://localhost:${config.demo.apiPort}`;
    if (demoApiSecret && demoApiClient) {
      demoApi = await demo.startDemoApi({
        root: join(examples, 'api/dist'),
        issuer: config.publicUrl,
        audience: DEMO_CLIENT_ID,
        clientId: DEMO_API_CLIENT_ID,
        clientSecret: demoApiSecret.secret,
        allowedOrigins: [demoOrigin],
        port: config.demo.apiPort,
        host: config.host,
        logger: logger.child({ component: 'example-api' }),
      });
    }
    const root = join(examples, 'demo/dist');
    demoServer = demo.createDemoPageServer({
      root,
      authBaseUrl: config.publicUrl,
      clientId: DEMO_CLIENT_ID,
      ...(demoApi && { apiUrl }),
    });
    await new Promise<void>((done, fail) => {
      demoServer?.once('error', fail).listen(demoPort, config.host, done);
    });
    lines.push('', `  Demo page:  ${demoOrigin}   (open it in two tabs)`);
    lines.push(
      demoApi
        ? `  Demo API:   ${apiUrl}   (examples/api: verifies the demo's tokens, follows the revocation feed as ${DEMO_API_CLIENT_ID})`
        : demoApiClient
          ? '  Demo API:   not built (examples/api/dist): run `npm run build`, or `npm start`, which builds it'
          : `  Demo API:   off (the default environment has no ${DEMO_CLIENT_ID} client, or ${DEMO_API_CLIENT_ID} is not confidential)`,
    );
    if (seed) {
      lines.push('  Demo users (seeded into the empty database):');
      for (const user of seed.users) lines.push(`    ${user.email} / ${user.password}  — ${user.tenants}`);
    } else {
      lines.push('  Demo users: alice@example.com, bob@example.com / tessera-demo (seeded on first start)');
    }
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    demoServer?.close();
    // First: its revocation-feed stream is a connection the server would wait for.
    await demoApi?.close().catch(() => undefined);
    await server.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** TESSERA_ADMIN_KEY, or a key generated once into the data folder and printed that first time. */
async function resolveAdminKey(
  config: Config,
): Promise<{ key: string; generated: boolean; file: string | null }> {
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

main().catch((error: unknown) => {
  process.stderr.write(
    `Tessera failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
