/**
 * How soon a logout reaches a revocation-feed subscriber (docs/revocation-feed.md promises live
 * endings within about a second; the hub polls the database every 500 ms). The figure moved here
 * from packages/server/src/http/routes/revocation-feed.test.ts, which keeps the behaviour (the
 * `revoked` event arrives, live) but no stopwatch: a timed assertion fails on a busy machine,
 * not on a broken server.
 *
 * One in-process server from the test harness (SQLite in memory, or a fresh PostgreSQL schema),
 * listening on a free loopback port; one subscriber over real HTTP; ROUNDS times: log in, log out,
 * and time from the logout's answer to its `revoked` event.
 *
 * Run:  node --conditions=source --import tsx bench/revocation-feed.mjs [--db postgres]   (ROUNDS=40)
 */
import os from 'node:os';
import { readEventStream } from '../packages/server/src/testing/event-stream.ts';
import { createTestServer } from '../packages/server/src/testing/harness.ts';
import { insertConfidentialClient } from '../packages/server/src/testing/hosted-login.ts';
import { cookieFrom, seedWorld, sessionApi } from '../packages/server/src/testing/world.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 40);
const backend = process.argv.includes('--db') ? process.argv[process.argv.indexOf('--db') + 1] : 'sqlite';
const SECRET = 'feed-secret-'.padEnd(43, 'f');

const t = await createTestServer({ backend });
await seedWorld(t);
const basic = await insertConfidentialClient(t, SECRET);
const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
const api = sessionApi(t);
const stream = readEventStream(
  await fetch(`${base}/auth/v1/revocations`, { headers: { authorization: basic } }),
);
await stream.until('ready');

const sidOf = (response) =>
  JSON.parse(Buffer.from(response.json().accessToken.split('.')[1], 'base64url').toString()).sid;

const latencies = [];
for (let round = 0; round < ROUNDS; round++) {
  const session = await api.login();
  const sid = sidOf(session);
  const loggedOut = await api.logout(cookieFrom(session));
  if (loggedOut.statusCode !== 204) throw new Error(`logout answered ${loggedOut.statusCode}`);
  const started = performance.now();
  for (;;) {
    const event = await stream.next(10_000);
    if (event.event === 'revoked' && event.data.sid === sid) break;
  }
  latencies.push(performance.now() - started);
}
await stream.close();
await t.close();

latencies.sort((a, b) => a - b);
const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
console.log(
  `${os.cpus().length} × ${os.cpus()[0]?.model}, node ${process.version}, load ${os.loadavg()[0].toFixed(1)}, ${backend}, ${ROUNDS} logouts`,
);
console.log(
  `logout → revoked event: p50 ${at(0.5).toFixed(0)} ms, p90 ${at(0.9).toFixed(0)} ms, max ${latencies.at(-1).toFixed(0)} ms`,
);
