/**
 * A PostgreSQL database of a case's own on the shared server: its own name, so that killing "the
 * server's connections" means exactly the connections to it — never another test's, never the
 * cluster (other suites share it).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { testPostgresUrl } from '../../packages/server/src/storage/postgres/test-database.js';

export interface FaultDatabase {
  url: string;
  name: string;
  /** Terminates every backend connected to this database (not ours); how many. */
  terminateBackends(): Promise<number>;
  query<T extends pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

export async function createFaultDatabase(): Promise<FaultDatabase> {
  const base = new URL(testPostgresUrl());
  const name = `tessera_faults_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  admin.on('error', () => {});
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = Object.assign(new URL(base), { pathname: `/${name}` }).toString();
  return {
    url,
    name,
    async terminateBackends() {
      // Two statements, not `WHERE datname = $1 AND pg_terminate_backend(pid)`: PostgreSQL may
      // evaluate the quals of one WHERE in any order, and this must never touch another database.
      const { rows } = await admin.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [name],
      );
      const pids = rows.map((row) => row.pid);
      if (pids.length === 0) return 0;
      const killed = await admin.query<{ pid: number }>(
        'SELECT pid FROM unnest($1::int[]) AS pid WHERE pg_terminate_backend(pid)',
        [pids],
      );
      return killed.rowCount ?? 0;
    },
    async query<T extends pg.QueryResultRow>(sql: string, values?: unknown[]) {
      const client = new pg.Client({ connectionString: url });
      client.on('error', () => {});
      await client.connect();
      try {
        return (await client.query<T>(sql, values)).rows;
      } finally {
        await client.end();
      }
    },
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
