/**
 * The example API (examples/api) in demo mode: `npm start` runs it in this process, on its own
 * port, for the demo page to call per tenant. It verifies the demo's tokens with `@tessera/node`
 * like any resource server and follows the revocation feed (strict mode) as the confidential
 * client `demo-api`, whose secret is generated once into `<dataDir>/demo-api.secret`.
 *
 * The API is loaded from its build (examples/api/dist, made by `npm run build`), as the demo page is
 * served from examples/demo/dist: the server does not depend on it, and runs without it.
 */
import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from 'pino';

export const DEMO_API_SECRET_FILE = 'demo-api.secret';

/**
 * The `demo-api` client's secret: read from `<dataDir>/demo-api.secret`, or generated into it
 * (mode 0600) on the first start, so that restarts reuse it. `generated` says which.
 */
export async function resolveDemoApiSecret(
  dataDir: string,
): Promise<{ secret: string; file: string; generated: boolean }> {
  const file = join(dataDir, DEMO_API_SECRET_FILE);
  const existing = await readSecret(file);
  if (existing !== null) return { secret: existing, file, generated: false };
  await mkdir(dataDir, { recursive: true });
  // `wx`: if another process created it meanwhile, its secret wins and is read back.
  await writeFile(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' }).catch(
    () => undefined,
  );
  const secret = await readSecret(file);
  if (secret === null) throw new Error(`could not create ${file}`);
  return { secret, file, generated: true };
}

async function readSecret(file: string): Promise<string | null> {
  try {
    const secret = (await readFile(file, 'utf8')).trim();
    return secret === '' ? null : secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export interface DemoApiOptions {
  /** The built example API: examples/api/dist. */
  root: string;
  issuer: string;
  /** The demo page's client id (`aud`). */
  audience: string;
  clientId: string;
  clientSecret: string;
  /** The demo page's origin. */
  allowedOrigins: string[];
  port: number;
  host: string;
  logger: Logger;
}

export interface DemoApi {
  close(): Promise<void>;
}

/** What this module needs of examples/api's `createExampleApi` (typed here: no build-time dependency). */
interface ExampleApiModule {
  createExampleApi(options: {
    issuer: string;
    audience: string;
    strict: { clientId: string; clientSecret: string };
    allowedOrigins: string[];
    loggerInstance: Logger;
  }): {
    listen(options: { port: number; host: string }): Promise<string>;
    close(): Promise<unknown>;
  };
}

/** Starts the example API; `null` when it is not built. */
export async function startDemoApi(options: DemoApiOptions): Promise<DemoApi | null> {
  const entry = join(options.root, 'index.js');
  try {
    await access(entry);
  } catch {
    return null;
  }
  const module = (await import(pathToFileURL(entry).href)) as ExampleApiModule;
  const app = module.createExampleApi({
    issuer: options.issuer,
    audience: options.audience,
    strict: { clientId: options.clientId, clientSecret: options.clientSecret },
    allowedOrigins: options.allowedOrigins,
    loggerInstance: options.logger,
  });
  try {
    await app.listen({ port: options.port, host: options.host });
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  return {
    async close() {
      await app.close();
    },
  };
}
