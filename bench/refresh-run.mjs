// One refresh measurement against a Tessera server in its own process: 50 (`clients`) sessions
// logged in, each with its own rotating cookie, a 3 s warm-up, then `seconds` closed-loop at full
// speed, optionally `seconds` more at half that rate. Shared by refresh.mjs and refresh-metrics.mjs.
import { Agent, request } from 'undici';
import { runLoad } from './load.mjs';
import { startServer } from './server-process.mjs';

/**
 * Runs one measurement on a fresh server and stops it. `scrapeMetrics`: the server gets a
 * TESSERA_METRICS_TOKEN and this process reads `/metrics` with it every `scrapeEverySeconds`
 * (as Prometheus would) while the load runs; `null` leaves metrics off.
 */
export async function measureRefresh({
  database = 'sqlite',
  port = 4100,
  pgUrl,
  clients = 50,
  seconds = 20,
  halfRate = true,
  nodeArgs = [],
  serverMain,
  metricsToken = null,
  scrapeEverySeconds = 0,
  workers = 1,
}) {
  const server = await startServer({
    database,
    port,
    pgUrl,
    nodeArgs,
    serverMain,
    workers,
    extraEnv: metricsToken ? { TESSERA_METRICS_TOKEN: metricsToken } : {},
  });
  const dispatcher = new Agent({ connections: clients, pipelining: 1 });
  const headers = { 'content-type': 'application/json', 'x-tessera-request': '1' };
  const scraper = metricsToken && scrapeEverySeconds > 0 ? startScraping(server.url, metricsToken) : null;
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
    scraper?.start(scrapeEverySeconds);
    const cpuBefore = server.cpuSeconds();
    const max = await runLoad({ concurrency: clients, seconds, step });
    const serverCpuSeconds = server.cpuSeconds() - cpuBefore;
    const scrapes = scraper?.stop() ?? 0;
    const rssAtMax = server.rssMiB();
    const half = halfRate
      ? await runLoad({ concurrency: clients, seconds, step, rate: max.perSecond / 2 })
      : null;
    return {
      database,
      clients,
      seconds,
      max: {
        perSecond: Math.round(max.perSecond),
        p50Ms: max.p50.toFixed(2),
        p99Ms: max.p99.toFixed(2),
        errors: max.errors,
        generatorCpuPercent: max.generatorCpuPercent,
        serverCpuPercent: Math.round((serverCpuSeconds / seconds) * 100),
        // Server CPU time (user + system, every thread) per answered refresh, in the full-speed phase.
        serverCpuMicrosPerRefresh: Math.round((serverCpuSeconds * 1e6) / max.requests),
      },
      ...(half && {
        halfRate: {
          perSecond: Math.round(half.perSecond),
          p50Ms: half.p50.toFixed(2),
          p99Ms: half.p99.toFixed(2),
          errors: half.errors,
        },
      }),
      serverRssMiB: Math.round(Math.max(rssAtMax, server.rssMiB())),
      metrics: metricsToken ? { scrapes, ...(await countedRefreshes(server.url, metricsToken)) } : 'off',
      node: process.version,
    };
  } finally {
    scraper?.stop();
    await dispatcher.close();
    await server.stop();
  }
}

/** Reads /metrics every `everySeconds` from `start()` to `stop()`; `stop()` says how many reads answered 200. */
function startScraping(url, token) {
  let timer = null;
  let scrapes = 0;
  const scrape = async () => {
    const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    await response.text();
    if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
    scrapes++;
  };
  return {
    start(everySeconds) {
      timer = setInterval(() => {
        scrape().catch((error) => {
          console.error(`scrape failed: ${error.message}`);
        });
      }, everySeconds * 1000);
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
      return scrapes;
    },
  };
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
