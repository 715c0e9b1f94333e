/**
 * `tessera migrate up|status` on SQLite and PostgreSQL, including two `migrate up` processes at
 * once on one fresh PostgreSQL schema (they take turns on an advisory lock; storage/postgres/migrate.ts).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../storage/migrations/migrations.js';
import type { MigrationStatus } from '../storage/port/maintenance.js';
import { createTestSchema, postgresTestAvailability } from '../storage/postgres/test-database.js';
import { oneLine, runTessera } from './cli.test-helpers.js';

const ALL = MIGRATIONS.map((m) => m.id);
const dir = mkdtempSync(join(tmpdir(), 'tessera-cli-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tessera migrate on SQLite', () => {
  const file = join(dir, 'tessera.db');
  const database = ['--database-url', `sqlite:${file}`];

  it('status of a database not created yet: one line, exit 1, and it is not created', async () => {
    const run = await runTessera(['migrate', 'status', ...database]);
    expect(run.code).toBe(1);
    expect(oneLine(run)).toBe(
      `tessera: the SQLite database ${file} does not exist (tessera migrate up or tessera serve creates it)`,
    );
    expect(existsSync(file)).toBe(false);
  });

  it('up applies every migration, status lists them, a second up has nothing to do', async () => {
    const up = await runTessera(['migrate', 'up', ...database]);
    expect(up.code).toBe(0);
    expect(up.stdout).toBe(
      `SQLite ${file}: applied ${ALL.length} migrations (${ALL.join(', ')}); up to date at ${ALL.at(-1)}\n`,
    );
    const status = await runTessera(['migrate', 'status', ...database]);
    expect(status.code).toBe(0);
    for (const id of ALL)
      expect(status.stdout).toMatch(new RegExp(`  applied  ${id}  \\d{4}-\\d\\d-\\d\\dT`));
    expect(status.stdout).toContain(`${ALL.length} applied, none pending`);
    const again = await runTessera(['migrate', 'up', '--json', ...database]);
    expect(JSON.parse(again.stdout)).toEqual({ applied: [], pending: [], current: ALL.at(-1) });
  });
});

describe('tessera migrate on PostgreSQL', async () => {
  const available = await postgresTestAvailability();

  it.runIf(available)(
    'two `migrate up` at once on a fresh schema both succeed, each migration applied once',
    async () => {
      const schema = await createTestSchema();
      try {
        const url = new URL(schema.url);
        url.searchParams.set('options', `-c search_path=${schema.name}`);
        const database = ['--database-url', url.toString()];

        const before = await runTessera(['migrate', 'status', '--json', ...database]);
        expect(JSON.parse(before.stdout)).toEqual({ applied: [], pending: ALL });

        const runs = await Promise.all([1, 2].map(() => runTessera(['migrate', 'up', ...database])));
        for (const run of runs) {
          expect(run.stderr).toBe('');
          expect(run.code).toBe(0);
          expect(run.stdout).toContain(`up to date at ${ALL.at(-1)}`);
        }
        const after = JSON.parse(
          (await runTessera(['migrate', 'status', '--json', ...database])).stdout,
        ) as MigrationStatus;
        expect(after.pending).toEqual([]);
        expect(after.applied.map((m) => m.id)).toEqual(ALL);
      } finally {
        await schema.drop();
      }
    },
  );

  it('an unreachable server: one line naming it, exit 1, no password shown', async () => {
    const run = await runTessera([
      'migrate',
      'up',
      '--database-url',
      'postgres://tessera:hunter2@127.0.0.1:1/tessera',
    ]);
    expect(run.code).toBe(1);
    expect(oneLine(run)).toBe('tessera: the database failed: connect ECONNREFUSED 127.0.0.1:1');
    expect(run.stderr + run.stdout).not.toContain('hunter2');
  });
});
