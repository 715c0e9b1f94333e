#!/usr/bin/env node
/**
 * The example API on its own: `node examples/api/dist/main.js` (after `npm run build`), configured
 * by environment variables (see README.md). `npm start` in demo mode runs the same API inside the
 * Tessera process instead (packages/server/src/demo/example-api.ts).
 */
import { readFileSync } from 'node:fs';
import { createExampleApi } from './index.js';

function setting(name: string, fallback?: string): string {
  const value = process.env[name]?.trim();
  if (value) return value;
  if (fallback !== undefined) return fallback;
  throw new Error(`${name} is required (see examples/api/README.md).`);
}

function clientSecret(): string | undefined {
  const file = process.env.EXAMPLE_API_CLIENT_SECRET_FILE?.trim();
  if (file) return readFileSync(file, 'utf8').trim();
  return process.env.EXAMPLE_API_CLIENT_SECRET?.trim() || undefined;
}

async function main(): Promise<void> {
  const issuer = setting('EXAMPLE_API_ISSUER', 'http://localhost:4000');
  const clientId = process.env.EXAMPLE_API_CLIENT_ID?.trim();
  const secret = clientSecret();
  if ((clientId === undefined || clientId === '') !== (secret === undefined)) {
    throw new Error('Set both EXAMPLE_API_CLIENT_ID and a secret for strict mode, or neither.');
  }
  const port = Number(setting('EXAMPLE_API_PORT', '4002'));
  const host = setting('EXAMPLE_API_HOST', '127.0.0.1');
  const app = createExampleApi({
    issuer,
    audience: setting('EXAMPLE_API_AUDIENCE', 'demo')
      .split(',')
      .map((value) => value.trim()),
    ...(clientId && secret !== undefined && { strict: { clientId, clientSecret: secret } }),
    allowedOrigins: setting('EXAMPLE_API_ALLOWED_ORIGINS', 'http://localhost:4001')
      .split(',')
      .map((value) => value.trim())
      .filter((value) => value !== ''),
    logger: { level: setting('EXAMPLE_API_LOG_LEVEL', 'info') },
  });
  const address = await app.listen({ port, host });
  process.stdout.write(
    `Example API listening on ${address} (issuer ${issuer}, ${clientId ? `strict mode as ${clientId}` : 'not strict'})\n`,
  );

  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    void app.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `The example API failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
