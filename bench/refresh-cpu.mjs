// Server CPU time per refresh, in process: one build's server (a dist folder) on SQLite in memory,
// one session refreshed `--refreshes` times through Fastify's `inject` (no sockets, no load
// generator), `--rounds` times; CPU time (user + system) of this process per refresh. What a
// change costs the refresh path, measured by CPU instead of throughput, so that a loaded machine
// blurs it less. The server logs at `info` to this process's standard output, as in production
// (send it to /dev/null).
//
//   npm run build && node bench/refresh-cpu.mjs --a DIST_A --b DIST_B [--pairs 4]   # alternating
//   node bench/refresh-cpu.mjs --run packages/server/dist [--refreshes 3000] [--rounds 5] [--warmup 2000]
//
// --a/--b runs each build in a fresh process (so nothing one loads, an AsyncLocalStorage say,
// touches the other), A B B A A B …, and prints each run's minimum and median µs per refresh.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startInjectedSession } from './inject-session.mjs';

const { values } = parseArgs({
  options: {
    run: { type: 'string' },
    a: { type: 'string' },
    b: { type: 'string' },
    pairs: { type: 'string', default: '4' },
    refreshes: { type: 'string', default: '3000' },
    rounds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2000' },
  },
});

if (values.run) {
  console.error(JSON.stringify(await measure(resolve(values.run))));
} else if (values.a && values.b) {
  await compare([resolve(values.a), resolve(values.b)]);
} else {
  throw new Error('--run DIST, or --a DIST_A --b DIST_B');
}

async function measure(dist) {
  const { server, refresh } = await startInjectedSession({ dist, databaseUrl: 'sqlite::memory:' });
  const refreshes = Number(values.refreshes);
  for (let i = 0; i < Number(values.warmup); i++) await refresh(); // warm-up (JIT, caches)
  const micros = [];
  for (let round = 0; round < Number(values.rounds); round++) {
    const started = process.cpuUsage();
    for (let i = 0; i < refreshes; i++) await refresh();
    const used = process.cpuUsage(started);
    micros.push(Math.round((used.user + used.system) / refreshes));
  }
  await server.close();
  const sorted = [...micros].sort((a, b) => a - b);
  return { micros, min: sorted[0], median: sorted[Math.floor(sorted.length / 2)] };
}

async function compare(dists) {
  const runs = [];
  for (let pair = 0; pair < Number(values.pairs); pair++) {
    const order = pair % 2 === 0 ? [0, 1] : [1, 0];
    for (const which of order) {
      const loadBefore = Number(loadavg()[0].toFixed(2));
      const child = spawnSync(
        process.execPath,
        [
          new URL(import.meta.url).pathname,
          '--run',
          dists[which],
          '--refreshes',
          values.refreshes,
          '--rounds',
          values.rounds,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
      );
      if (child.status !== 0) throw new Error(`run of ${dists[which]} failed:\n${child.stderr}`);
      const result = JSON.parse(child.stderr.trim().split('\n').at(-1));
      const run = { pair: pair + 1, build: which === 0 ? 'A' : 'B', ...result, loadBefore };
      runs.push(run);
      console.error(JSON.stringify(run));
    }
  }
  const summary = (build) => {
    const of = runs.filter((run) => run.build === build);
    const mins = of.map((run) => run.min).sort((a, b) => a - b);
    return {
      dist: dists[build === 'A' ? 0 : 1],
      minOfRuns: mins,
      medianOfMins: mins[Math.floor(mins.length / 2)],
    };
  };
  console.log(JSON.stringify({ A: summary('A'), B: summary('B'), node: process.version }, null, 2));
}
