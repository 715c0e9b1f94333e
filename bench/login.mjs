// Logins/s of POST /auth/v1/login (argon2id m=19 MiB, t=2 on the libuv pool) with concurrent
// clients, from this process against a Tessera server in another process.
//
//   npm run build && node bench/login.mjs [--db sqlite|postgres] [--seconds 15] [--clients 8]
//
// One account, so at most 10 logins may be in flight at once (the throttle reserves a slot per
// attempt): more clients than that measure the throttle, not the login.
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { runLoad } from './load.mjs';
import { startServer } from './server-process.mjs';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    seconds: { type: 'string', default: '15' },
    clients: { type: 'string', default: '8' },
    'pg-url': {
      type: 'string',
      default: process.env.TESSERA_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/tessera_bench',
    },
  },
});
const clients = Number(values.clients);
const server = await startServer({ database: values.db, pgUrl: values['pg-url'], port: 4200 });
const dispatcher = new Agent({ connections: clients });
const body = JSON.stringify({ email: 'alice@example.com', password: 'tessera-demo', clientId: 'demo' });

try {
  const step = async () => {
    const response = await request(`${server.url}/auth/v1/login`, {
      method: 'POST',
      dispatcher,
      headers: { 'content-type': 'application/json' },
      body,
    });
    await response.body.dump();
    return response.statusCode === 200;
  };
  await runLoad({ concurrency: clients, seconds: 2, step });
  const result = await runLoad({ concurrency: clients, seconds: Number(values.seconds), step });
  console.log(
    JSON.stringify(
      {
        database: values.db,
        clients,
        loginsPerSecond: Math.round(result.perSecond),
        p50Ms: result.p50.toFixed(1),
        p99Ms: result.p99.toFixed(1),
        errors: result.errors,
        serverRssMiB: Math.round(server.rssMiB()),
        node: process.version,
      },
      null,
      2,
    ),
  );
} finally {
  await dispatcher.close();
  await server.stop();
}
