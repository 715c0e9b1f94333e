/**
 * Tessera in its own process, configured from the environment like `npm start`, with a clock the
 * test can move: the server's time is the system time plus an offset, from
 * TESSERA_TEST_CLOCK_OFFSET_SECONDS at start, then from each `{"offset": N}` line on stdin
 * (answered with `{"offset": N}` once applied). Prints `{"listening": url}` when it is up.
 *
 * Started through `startTessera({ movableClock: true })` (tessera.ts). What the server must see
 * pass, it sees in virtual time: the key-rotation proof starts it behind real time and lets it
 * catch up (a rotated key signs only 330 s after it is published), and the browser tests move it
 * forward in step with the page's Playwright clock (an idle timeout, token ages).
 */
import { createInterface } from 'node:readline';
import { loadConfig } from '../../packages/server/src/config/load-config.js';
import { createLogger, createTesseraServer } from '../../packages/server/src/server.js';

let offset = Number(process.env.TESSERA_TEST_CLOCK_OFFSET_SECONDS ?? '0');
const config = loadConfig(process.env);
const adminKey = config.adminKey?.reveal();
if (!adminKey) throw new Error('set TESSERA_ADMIN_KEY');
const server = await createTesseraServer({
  config,
  adminKey,
  logger: createLogger(config.logLevel),
  clock: { now: () => Math.floor(Date.now() / 1000) + offset, nowMillis: () => Date.now() + offset * 1000 },
});
const address = await server.app.listen({ port: config.port, host: config.host });
process.stdout.write(`${JSON.stringify({ listening: address })}\n`);

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line) as { offset?: unknown };
  if (typeof command.offset === 'number') offset = command.offset;
  process.stdout.write(`${JSON.stringify({ offset })}\n`);
});
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
