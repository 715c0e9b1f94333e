/**
 * Requests/s of the example API (examples/api) with and without token verification: the same route,
 * `GET /tenants/acme/projects` with a Bearer token, 50 concurrent clients for BENCH_SECONDS each,
 * the API in its own process, the load generator (undici) in this one — on the same 2 cores.
 *
 * Run:  node --conditions=source --import tsx bench/example-api.mjs      (BENCH_SECONDS=10)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import { Pool } from 'undici';
import { runLoad } from './load.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = 50;

async function start(mode) {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'bench/example-api-server.mjs', mode],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const [line] = await once(child.stdout, 'data');
  return { child, ...JSON.parse(String(line)) };
}

console.log(
  `${os.cpus().length} × ${os.cpus()[0]?.model}, node ${process.version}, ${CONCURRENCY} clients × ${SECONDS} s`,
);
for (const mode of ['none', 'verify', 'none', 'verify']) {
  const { child, port, token } = await start(mode);
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: CONCURRENCY });
  const request = async () => {
    const response = await pool.request({
      method: 'GET',
      path: '/tenants/acme/projects',
      headers: { authorization: `Bearer ${token}` },
    });
    await response.body.text();
    return response.statusCode === 200;
  };
  for (let i = 0; i < 200; i++) await request(); // warm up (the verifier fetches its JWKS)
  const result = await runLoad({ concurrency: CONCURRENCY, seconds: SECONDS, step: request });
  console.log(
    `${mode === 'verify' ? 'with verification   ' : 'without verification'} ${Math.round(result.perSecond).toLocaleString('en')} req/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, errors ${result.errors}`,
  );
  await pool.close();
  child.kill('SIGTERM');
  await once(child, 'exit');
}
