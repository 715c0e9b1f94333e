/**
 * The verifier's waits, on the wall clock: what the unit tests used to assert with a stopwatch
 * (packages/node: verifier.test.ts, revocation/revocation-feed.test.ts, tessera-server.test.ts),
 * which now check the behaviour on manual timers instead. Each figure is the median of `--runs`.
 *
 * Run:  node --conditions=source --import tsx bench/verifier-waits.mjs [--runs 5]
 *
 *   random kids       1000 tokens with a random kid, all at once: how long, and how many JWKS
 *                     fetches (the cooldown allows one). Was "< 1000 ms" in verifier.test.ts.
 *   slow JWKS         a JWKS that never answers, jwksTimeoutSeconds 1: the first verify waits for
 *                     the timeout (≥ 900 ms), the next is refused at once (< 500 ms).
 *   start-up wait     strict, a feed that never sends `ready`, startupWaitSeconds 1: the first
 *                     verify waits (≥ 900 ms), the next is refused at once (< 500 ms); and with
 *                     startupWaitSeconds 0 the first is refused at once (< 500 ms).
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import os from 'node:os';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createVerifier } from '../packages/node/src/index.ts';

const runsIndex = process.argv.indexOf('--runs');
const RUNS = runsIndex === -1 ? 5 : Number(process.argv[runsIndex + 1]);
const FEED_CLIENT = { clientId: 'bench-api', clientSecret: 'bench-secret' };

const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'bench-key', alg: 'ES256', use: 'sig' }] };
let jwksMode = 'ok';
let jwksFetches = 0;
const server = createServer((request, response) => {
  if (request.url === '/.well-known/jwks.json') {
    jwksFetches++;
    if (jwksMode === 'slow') return; // never answers: the verifier's timeout ends it
    response.writeHead(200, { 'content-type': 'application/json' });
    return response.end(JSON.stringify(jwks));
  }
  if (request.url === '/auth/v1/revocations') {
    // A feed that accepts the client but never sends `ready`.
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    return response.write('retry: 1000\n\n');
  }
  response.writeHead(404).end();
}).listen(0, '127.0.0.1');
await new Promise((done) => server.once('listening', done));
const issuer = `http://127.0.0.1:${server.address().port}`;

const now = Math.floor(Date.now() / 1000);
const sign = (kid) =>
  new SignJWT({
    sid: `sid-${randomBytes(6).toString('hex')}`,
    tenantId: 'acme',
    tenantIds: ['acme'],
    roles: [],
    permissions: [],
    client_id: 'app',
    jti: randomBytes(8).toString('hex'),
  })
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
    .setIssuer(issuer)
    .setAudience('app')
    .setSubject('user-bench')
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .sign(privateKey);
const token = await sign('bench-key');
const randomKidTokens = await Promise.all(
  Array.from({ length: 1000 }, () => sign(randomBytes(8).toString('hex'))),
);

const quiet = { info() {}, warn() {}, error() {} };
async function timed(run) {
  const started = performance.now();
  await run().catch(() => {});
  return performance.now() - started;
}

const figures = {};
const record = (name, value) => {
  figures[name] ??= [];
  figures[name].push(value);
};

for (let run = 0; run < RUNS; run++) {
  jwksMode = 'ok';
  jwksFetches = 0;
  const verifier = createVerifier({ issuer, audience: 'app', logger: quiet });
  record(
    'random kids: 1000 tokens (ms)',
    await timed(() => Promise.all(randomKidTokens.map((t) => verifier.verify(t).catch(() => {})))),
  );
  record('random kids: JWKS fetches', jwksFetches);
  await verifier.close();

  jwksMode = 'slow';
  const slow = createVerifier({ issuer, audience: 'app', logger: quiet, jwksTimeoutSeconds: 1 });
  record('slow JWKS: first verify (ms)', await timed(() => slow.verify(token)));
  record('slow JWKS: next verify (ms)', await timed(() => slow.verify(token)));
  await slow.close();

  jwksMode = 'ok';
  const waiting = createVerifier({
    issuer,
    audience: 'app',
    logger: quiet,
    strict: { ...FEED_CLIENT, startupWaitSeconds: 1 },
  });
  record('start-up wait 1 s: first verify (ms)', await timed(() => waiting.verify(token)));
  record('start-up wait 1 s: next verify (ms)', await timed(() => waiting.verify(token)));
  await waiting.close();
  const atOnce = createVerifier({
    issuer,
    audience: 'app',
    logger: quiet,
    strict: { ...FEED_CLIENT, startupWaitSeconds: 0 },
  });
  record('start-up wait 0: first verify (ms)', await timed(() => atOnce.verify(token)));
  await atOnce.close();
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${RUNS} runs`);
for (const [name, values] of Object.entries(figures)) {
  const show = (value) => (Number.isInteger(value) ? String(value) : value.toFixed(1));
  console.log(
    `${name.padEnd(40)} median ${show(median(values))} (min ${show(Math.min(...values))}, max ${show(Math.max(...values))})`,
  );
}
server.closeAllConnections();
server.close();
