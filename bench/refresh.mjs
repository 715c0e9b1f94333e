// Refreshes/s of POST /auth/v1/refresh with 50 concurrent clients, each with its own session and
// rotating cookie, from this process against a Tessera server in another process.
//
//   npm run build && node bench/refresh.mjs [--db sqlite|postgres] [--seconds 20] [--clients 50] [--profile DIR] [--metrics] [--port 4100]
//
// --metrics: the server serves /metrics (a random TESSERA_METRICS_TOKEN), scraped once at the end to
// check that it counted the refreshes.
//
// Prints the maximum rate, p50/p99 at that rate, then p50/p99 at half of it, and the server's RSS.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { runLoad } from './load.mjs';
import { startServer } from './server-process.mjs';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    seconds: { type: 'string', default: '20' },
    clients: { type: 'string', default: '50' },
    profile: { type: 'string' },
    metrics: { type: 'boolean', default: false },
    port: { type: 'string', default: '4100' },
    'pg-url': {
      type: 'string',
      default: process.env.TESSERA_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/tessera_bench',
    },
  },
});
const clients = Number(values.clients);
const seconds = Number(values.seconds);

const nodeArgs = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [];
const metricsToken = values.metrics ? randomBytes(32).toString('base64url') : undefined;
const server = await startServer({
  database: values.db,
  port: Number(values.port),
  pgUrl: values['pg-url'],
  nodeArgs,
  extraEnv: metricsToken ? { TESSERA_METRICS_TOKEN: metricsToken } : {},
});
const dispatcher = new Agent({ connections: clients, pipelining: 1 });
const headers = { 'content-type': 'application/json', 'x-tessera-request': '1' };

try {
  const cookies = [];
  for (let i = 0; i < clients; i++) {
    const response = await request(`${server.url}/auth/v1/login`, {
      method: 'POST',
      dispatcher,
      headers,
      body: JSON.stringify({ email: 'alice@example.com', password: 'tessera-demo', clientId: 'demo' }),
    });
    await response.body.dump();
    if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode}`);
    cookies.push(String(response.headers['set-cookie']).split(';')[0]);
  }

  const body = JSON.stringify({ clientId: 'demo', active: true });
  const step = async (worker) => {
    const response = await request(`${server.url}/auth/v1/refresh`, {
      method: 'POST',
      dispatcher,
      headers: { ...headers, cookie: cookies[worker] },
      body,
    });
    await response.body.dump();
    if (response.statusCode !== 200) return false;
    cookies[worker] = String(response.headers['set-cookie']).split(';')[0];
    return true;
  };

  await runLoad({ concurrency: clients, seconds: 3, step }); // warm-up
  const cpuBefore = server.cpuSeconds();
  const max = await runLoad({ concurrency: clients, seconds, step });
  const serverCpuPercent = Math.round(((server.cpuSeconds() - cpuBefore) / seconds) * 100);
  const rssAtMax = server.rssMiB();
  const half = await runLoad({ concurrency: clients, seconds, step, rate: max.perSecond / 2 });
  const report = {
    database: values.db,
    clients,
    seconds,
    max: {
      perSecond: Math.round(max.perSecond),
      p50Ms: max.p50.toFixed(2),
      p99Ms: max.p99.toFixed(2),
      errors: max.errors,
      generatorCpuPercent: max.generatorCpuPercent,
      serverCpuPercent,
    },
    halfRate: {
      perSecond: Math.round(half.perSecond),
      p50Ms: half.p50.toFixed(2),
      p99Ms: half.p99.toFixed(2),
      errors: half.errors,
    },
    serverRssMiB: Math.round(Math.max(rssAtMax, server.rssMiB())),
    metrics: metricsToken ? await countedRefreshes(server.url, metricsToken) : 'off',
    node: process.version,
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  await dispatcher.close();
  await server.stop();
}

/** The server's own count of successful refreshes, from /metrics: proof that metrics were on. */
async function countedRefreshes(url, token) {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  const line = (await response.text())
    .split('\n')
    .find((l) => l.startsWith('tessera_refresh_total{outcome="ok"} '));
  return { refreshOk: Number(line?.split(' ')[1]) };
}
