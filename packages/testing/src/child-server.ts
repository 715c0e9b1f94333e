/**
 * A whole Tessera server in its own process, for multi-process tests: configured from the
 * environment like `npm start`, listening on an ephemeral port it prints as `{"port": N}`.
 * With TESSERA_TEST_PG_SCHEMA it uses that PostgreSQL schema.
 */
import { loadConfig } from '../../server/src/config/load-config.js';
import { createLogger, createTesseraServer, databaseUrlOf } from '../../server/src/server.js';
import { openStorage } from '../../server/src/storage/open.js';

const config = loadConfig(process.env);
const schema = process.env.TESSERA_TEST_PG_SCHEMA;
const storage = schema ? await openStorage(databaseUrlOf(config), { schema }) : undefined;
const server = await createTesseraServer({
  config,
  adminKey: config.adminKey?.reveal() ?? 'x'.repeat(32),
  logger: createLogger('silent'),
  ...(storage && { storage }),
});
const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ port: Number(new URL(address).port) })}\n`);
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
