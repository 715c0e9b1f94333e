/**
 * The demo beside a running server (TESSERA_DEMO): the seed, written before the server listens so
 * nobody reaches a half-seeded demo, then the demo page and the example API it calls. Loaded only
 * when the demo is on, so a production start never imports the seed with its published password.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/load-config.js';
import type { TesseraServer } from '../server.js';
import { type DemoApi, resolveDemoApiSecret, startDemoApi } from './example-api.js';
import { createDemoPageServer } from './page-server.js';
import { DEMO_API_CLIENT_ID, DEMO_CLIENT_ID, ensureDemoApiClient, seedDemo } from './seed.js';

export interface SeededDemo {
  /** Starts the demo page and the example API; answers the lines the start banner prints. */
  serve(): Promise<{ lines: string[]; close(): Promise<void> }>;
}

export async function seedDemoBeforeListening(
  server: TesseraServer,
  config: Config,
  demo: NonNullable<Config['demo']>,
): Promise<SeededDemo> {
  const demoOrigin = `http://localhost:${demo.port}`;
  const demoApiSecret = await resolveDemoApiSecret(config.dataDir);
  const seed = await seedDemo(server.deps, demoOrigin, demoApiSecret.secret);
  // A database seeded before the example API existed, or whose secret file was deleted.
  const demoApiClient = seed !== null || (await ensureDemoApiClient(server.deps, demoApiSecret.secret));

  return {
    async serve() {
      const examples = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../examples');
      const apiUrl = `http://localhost:${demo.apiPort}`;
      let demoApi: DemoApi | null = null;
      if (demoApiClient) {
        demoApi = await startDemoApi({
          root: join(examples, 'api/dist'),
          issuer: config.publicUrl,
          audience: DEMO_CLIENT_ID,
          clientId: DEMO_API_CLIENT_ID,
          clientSecret: demoApiSecret.secret,
          allowedOrigins: [demoOrigin],
          port: demo.apiPort,
          host: config.host,
          logger: server.logger.child({ component: 'example-api' }),
        });
      }
      const demoServer = createDemoPageServer({
        root: join(examples, 'demo/dist'),
        authBaseUrl: config.publicUrl,
        clientId: DEMO_CLIENT_ID,
        ...(demoApi && { apiUrl }),
      });
      await new Promise<void>((done, fail) => {
        demoServer.once('error', fail).listen(demo.port, config.host, done);
      });
      const lines = ['', `  Demo page:  ${demoOrigin}   (open it in two tabs)`];
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
      return {
        lines,
        async close() {
          demoServer.close();
          // First: its revocation-feed stream is a connection the server would wait for.
          await demoApi?.close().catch(() => undefined);
        },
      };
    },
  };
}
