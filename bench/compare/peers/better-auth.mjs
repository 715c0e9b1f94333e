// better-auth as a bench peer: its session endpoint, `GET /api/auth/get-session` with the session
// cookie, on SQLite (better-sqlite3, WAL, synchronous=NORMAL, as Tessera). Email + password
// accounts; the harness signs them up over HTTP at setup, which also signs them in (the cookie).
// Defaults otherwise: no cookie cache, so every check reads the session and its user from SQLite;
// the session is extended only once a day (`updateAge`), so a check writes nothing and rotates
// nothing. Its rate limiter is off: the bench is one client address sending thousands per second.
//
//   PORT=4300 BENCH_DATA_DIR=/tmp/x node peers/better-auth.mjs
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { toNodeHandler } from 'better-auth/node';
import Database from 'better-sqlite3';

const port = Number(process.env.PORT);
const baseURL = `http://127.0.0.1:${port}`;
const database = new Database(join(process.env.BENCH_DATA_DIR, 'better-auth.db'));
database.pragma('journal_mode = WAL');
database.pragma('synchronous = NORMAL');

const options = {
  baseURL,
  secret: randomBytes(32).toString('base64url'),
  database,
  emailAndPassword: { enabled: true },
  rateLimit: { enabled: false },
  telemetry: { enabled: false },
};
const { runMigrations } = await getMigrations(options);
await runMigrations();
const auth = betterAuth(options);

const handle = toNodeHandler(auth);
const server = createServer((req, res) => {
  if (req.url === '/healthz') return res.end('ok');
  handle(req, res);
});
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  database.close();
  process.exit(0);
});
