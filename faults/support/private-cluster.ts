/**
 * A PostgreSQL cluster of a case's own, made with Debian's postgresql-common tools
 * (`pg_createcluster`, `pg_ctlcluster`, `pg_dropcluster`), so that the case may restart "the
 * PostgreSQL server" without touching the shared cluster every other suite uses: its own name
 * (`tessera_faults_<random>`), its own free port on 127.0.0.1, trust authentication, started by
 * hand (`--start-conf=manual`: nothing starts it at boot), and dropped after.
 *
 * The tools must run as root (they run initdb and the server as the `postgres` user).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { freePort, sleep } from '../../e2e/support/processes.js';

export interface PrivateCluster {
  /** `15/tessera_faults_…`, as `pg_lsclusters` names it. */
  id: string;
  /** `postgres://postgres@127.0.0.1:<port>/postgres`. */
  url: string;
  /**
   * `pg_ctlcluster <version> <name> restart` (fast shutdown: every connection is cut), in a child
   * process while this one goes on; resolves once the cluster is up again.
   */
  restart(): Promise<void>;
  /** `pg_dropcluster --stop`: stops it and removes its data and configuration. Idempotent. */
  drop(): Promise<void>;
}

/** Why private clusters cannot be made here, or null when they can. */
export function privateClusterUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'not running as root (pg_createcluster runs initdb as postgres)';
  if (installedVersion() === null) return 'no PostgreSQL server in /etc/postgresql';
  const tools = ['pg_createcluster', 'pg_ctlcluster', 'pg_dropcluster'];
  const onPath = (tool: string) =>
    (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, tool)));
  if (!tools.every(onPath)) return `Debian's postgresql-common (${tools.join(', ')}) is not on the PATH`;
  return null;
}

/** The highest PostgreSQL major version with a configuration folder (/etc/postgresql/15 …). */
function installedVersion(): string | null {
  try {
    const versions = readdirSync('/etc/postgresql').filter((name) => /^\d+$/.test(name));
    return versions.sort((a, b) => Number(b) - Number(a))[0] ?? null;
  } catch {
    return null;
  }
}

/** Runs a tool without blocking this process (the load it measures goes on meanwhile). */
function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error)
        reject(new Error(`${command} ${args.join(' ')} failed (${error.message}):\n${stdout}${stderr}`));
      else resolve();
    });
  });
}

/** Creates and starts a cluster; waits until it accepts connections. */
export async function createPrivateCluster(): Promise<PrivateCluster> {
  const version = installedVersion();
  if (version === null) throw new Error('no PostgreSQL server in /etc/postgresql');
  const name = `tessera_faults_${randomBytes(5).toString('hex')}`;
  const port = await freePort();
  let dropped = false;
  const cluster: PrivateCluster = {
    id: `${version}/${name}`,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async restart() {
      await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, name, 'restart']);
    },
    async drop() {
      if (dropped) return;
      dropped = true;
      await run('pg_dropcluster', ['--stop', version, name]);
    },
  };
  // Small: it holds one case's sessions, on a machine whose main cluster serves everyone else.
  await run('pg_createcluster', [
    version,
    name,
    '--port',
    String(port),
    '--start-conf=manual',
    '-o',
    'shared_buffers=16MB',
    '--',
    '--auth=trust',
  ]);
  try {
    await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, name, 'start']);
    await untilAccepting(cluster.url);
    return cluster;
  } catch (error) {
    await cluster.drop();
    throw error;
  }
}

async function untilAccepting(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw error;
      await sleep(100);
    }
  }
}
