// PostgreSQL for the comparison bench: the CPU time of the backends serving one database (they run
// as processes of the cluster, not of the server, so they are counted apart), and dropping it.
import pg from 'pg';
import { processCpuSeconds } from './machine.mjs';

async function withAdmin(pgUrl, work) {
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/**
 * CPU seconds used so far by each backend connected to `databaseUrl`'s database (same machine),
 * by process id: a backend that connects later counts whole, one that ends meanwhile is lost.
 */
export async function postgresBackendsCpuSeconds(pgUrl, databaseUrl) {
  const name = new URL(databaseUrl).pathname.slice(1);
  const { rows } = await withAdmin(pgUrl, (admin) =>
    admin.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [name]),
  );
  const seconds = new Map();
  for (const { pid } of rows) {
    try {
      seconds.set(pid, processCpuSeconds(pid));
    } catch {} // a backend that ended meanwhile
  }
  return seconds;
}

/** CPU seconds the backends used between two readings of `postgresBackendsCpuSeconds`. */
export function cpuSecondsBetween(before, after) {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}

export async function dropPostgresDatabase(pgUrl, databaseUrl) {
  const name = new URL(databaseUrl).pathname.slice(1);
  await withAdmin(pgUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

export async function postgresVersion(pgUrl) {
  const { rows } = await withAdmin(pgUrl, (admin) => admin.query('SHOW server_version'));
  return rows[0].server_version;
}
