/**
 * `tessera backup`: an online SQLite backup taken while a server serves refresh load restores —
 * a new server on the backup file refreshes a session from before it — and a backup that cannot
 * be written (an existing file, a missing directory, a full disk) is one clear line, exit 1,
 * nothing left behind and the database untouched.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPostgresUrl } from '../storage/postgres/test-database.js';
import {
  browserLogin,
  freePort,
  ORIGIN,
  oneLine,
  runTessera,
  type ServingTessera,
  serveTessera,
} from './cli.test-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-cli-backup-'));
const adminKey = randomBytes(32).toString('base64url');
const env = {
  TESSERA_SECRET: randomBytes(32).toString('base64url'),
  TESSERA_ADMIN_KEY: adminKey,
  TESSERA_DATA_DIR: join(dir, 'data'),
  TESSERA_DATABASE_URL: `sqlite:${join(dir, 'data', 'tessera.db')}`,
};
const PASSWORD = 'a long enough password for the test';
let server: ServingTessera;

async function admin(url: string, method: string, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${url}/admin/v1/environments/default${path}`, {
    method,
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

beforeAll(async () => {
  server = await serveTessera(['--port', String(await freePort())], { env });
  await admin(server.url, 'POST', '/clients', {
    clientId: 'app',
    name: 'App',
    type: 'spa',
    redirectUris: [],
    allowedOrigins: [ORIGIN],
    postLogoutRedirectUris: [],
  });
  const user = (await admin(server.url, 'POST', '/users', {
    email: 'ada@example.com',
    password: PASSWORD,
  })) as {
    id: string;
  };
  await admin(server.url, 'POST', '/tenants', { id: 'acme', name: 'Acme' });
  await admin(server.url, 'PUT', `/tenants/acme/members/${user.id}`, { roles: [] });
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('tessera backup on SQLite', () => {
  // Three argon2 sign-ins, the backup process and a second server: well over 30 s on a busy machine.
  it('copies the database under refresh load; a server on the copy refreshes a session from before it', {
    timeout: 120_000,
  }, async () => {
    const idle = await browserLogin(server.url, 'ada@example.com', PASSWORD, 'app');
    const busy = await Promise.all(
      [1, 2].map(() => browserLogin(server.url, 'ada@example.com', PASSWORD, 'app')),
    );
    let loading = true;
    const statuses: number[] = [];
    const load = busy.map(async (session) => {
      while (loading) statuses.push(await session.refresh());
    });
    while (statuses.length < 20) await new Promise((done) => setTimeout(done, 20));

    const file = join(dir, 'backup.db');
    const run = await runTessera(['backup', file], { env });
    const during = statuses.length;
    while (statuses.length < during + 20) await new Promise((done) => setTimeout(done, 20));
    loading = false;
    await Promise.all(load);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Backed up ${join(dir, 'data', 'tessera.db')} to ${file}`);
    expect(run.stdout).toContain('Keep the master secret with it');
    expect(statuses.every((status) => status === 200)).toBe(true);
    const copy = new Database(file, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();

    const restoredDir = join(dir, 'restored');
    const restored = await serveTessera(
      ['--port', String(await freePort()), '--database-url', `sqlite:${file}`],
      {
        env: { ...env, TESSERA_DATA_DIR: restoredDir },
      },
    );
    try {
      expect(await idle.refresh(restored.url)).toBe(200);
      expect(await idle.refresh(restored.url)).toBe(200);
    } finally {
      expect(await restored.stop()).toBe(0);
    }
    // The serving database was only read.
    expect(await busy[0]!.refresh()).toBe(200);
  });

  it('refuses a file that exists: exit 1, one line, the file unchanged', async () => {
    const file = join(dir, 'existing.db');
    writeFileSync(file, 'keep me');
    const run = await runTessera(['backup', file], { env });
    expect(run.code).toBe(1);
    expect(oneLine(run)).toBe(`tessera: ${file} already exists: choose a new file (nothing was written)`);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('names a directory that does not exist, and creates nothing', async () => {
    const file = join(dir, 'no-such-directory', 'backup.db');
    const run = await runTessera(['backup', file], { env });
    expect(run.code).toBe(1);
    expect(oneLine(run)).toBe(
      `tessera: cannot create ${file} (ENOENT): is its directory there and writable?`,
    );
    expect(existsSync(join(dir, 'no-such-directory'))).toBe(false);
  });

  it('says so when the database does not exist, and creates none', async () => {
    const missing = join(dir, 'missing.db');
    const run = await runTessera(['backup', join(dir, 'never.db'), '--database-url', `sqlite:${missing}`], {
      env,
    });
    expect(run.code).toBe(1);
    expect(oneLine(run)).toMatch(/^tessera: the SQLite database .*missing\.db does not exist/);
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(join(dir, 'never.db'))).toBe(false);
  });

  // A full disk, for real: a 64 KiB tmpfs, smaller than the database. Mounting needs root.
  it.skipIf(process.getuid?.() !== 0)(
    'reports a full disk, keeps no partial file, and the server serves on',
    async () => {
      const small = join(dir, 'small');
      mkdirSync(small);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', small]);
      try {
        const file = join(small, 'backup.db');
        const run = await runTessera(['backup', file], { env });
        expect(run.code).toBe(1);
        expect(oneLine(run)).toMatch(
          new RegExp(
            `^tessera: the disk holding ${file} is full \\(SQLITE_FULL\\): nothing was kept, the database is untouched$`,
          ),
        );
        expect(readdirSync(small)).toEqual([]);
      } finally {
        execFileSync('umount', [small]);
      }
      const session = await browserLogin(server.url, 'ada@example.com', PASSWORD, 'app');
      expect(await session.refresh()).toBe(200);
    },
  );
});

describe('tessera backup on PostgreSQL', () => {
  it('prints the pg_dump procedure and exits 0, connecting to nothing', async () => {
    const url = testPostgresUrl().replace(/@[^/]+/, '@127.0.0.1:1');
    const run = await runTessera(['backup', join(dir, 'pg.dump'), '--database-url', url], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('pg_dump --format=custom --file=tessera.dump "$TESSERA_DATABASE_URL"');
    expect(run.stdout).toContain('pg_restore');
    expect(run.stdout).toContain('TESSERA_SECRET');
    expect(existsSync(join(dir, 'pg.dump'))).toBe(false);
    // No file is needed to read the procedure.
    const bare = await runTessera(['backup', '--database-url', url], { env });
    expect(bare.code).toBe(0);
    expect(bare.stdout).toBe(run.stdout);
  });
});
