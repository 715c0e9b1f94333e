// What the parts of a refresh cost in process, on an SQLite file or in memory: the whole refresh
// through Fastify's `inject`, then the storage's context read and rotation called directly on the
// built server's storage, 5,000 times each; CPU time (user + system, all threads) per call.
//
//   npm run build && node bench/refresh-parts.mjs [--db file|memory] > /dev/null
//
// docs/benchmarks.md, "On a file, not in memory", has the figures. The server logs at `info` to
// standard output, as in production (send it to /dev/null: the figures go to standard error).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startInjectedSession } from './inject-session.mjs';

const { values } = parseArgs({ options: { db: { type: 'string', default: 'file' } } });
if (!['file', 'memory'].includes(values.db)) throw new Error('--db is file or memory');
const dataDir = mkdtempSync(join(tmpdir(), 'tessera-refresh-parts-'));
const { server, refresh, refreshCookie, load } = await startInjectedSession({
  dist: fileURLToPath(new URL('../packages/server/dist/', import.meta.url)),
  databaseUrl: values.db === 'file' ? `sqlite:${join(dataDir, 'tessera.db')}` : 'sqlite::memory:',
  env: { TESSERA_DATA_DIR: dataDir },
});
const { hashRefreshToken } = await load('tokens/refresh-token.js');

async function perCall(name, call, count = 5000) {
  const started = process.cpuUsage();
  for (let i = 0; i < count; i++) await call(i);
  const used = process.cpuUsage(started);
  console.error(`${name.padEnd(34)} ${((used.user + used.system) / count).toFixed(1)} µs`);
}

for (let i = 0; i < 3000; i++) await refresh(); // warm-up
await perCall('refresh through Fastify (inject)', refresh);
const storage = server.deps.storage;
let presented = hashRefreshToken(refreshCookie());
const context = await storage.loadRefreshContext(presented, 'app');
if (!context) throw new Error('no context for the current cookie');
await perCall('storage.loadRefreshContext', () => storage.loadRefreshContext(presented, 'app'));
await perCall('storage.rotateRefreshToken', async (i) => {
  const successor = hashRefreshToken(`bench-successor-${i}-${randomBytes(8).toString('hex')}`);
  const now = Math.floor(Date.now() / 1000);
  const rotated = await storage.rotateRefreshToken({
    presentedHash: presented,
    sessionId: context.session.id,
    successor: { hash: successor, issuedAt: now, expiresAt: now + 86400 },
    now,
    activity: true,
    ip: '127.0.0.1',
  });
  if (!rotated) throw new Error('a rotation lost: nothing else should rotate this session');
  presented = successor;
});
await server.close();
rmSync(dataDir, { recursive: true, force: true });
