/** `tessera check`: the configuration and connectivity, every problem at once, exit 1 if any. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../storage/migrations/migrations.js';
import { createTestSchema, postgresTestAvailability } from '../storage/postgres/test-database.js';
import { freePort, runTessera } from './cli.test-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-cli-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tessera check', async () => {
  const available = await postgresTestAvailability();

  it('passes on a migrated SQLite database: exit 0', async () => {
    const env = { TESSERA_DATA_DIR: dir, TESSERA_DATABASE_URL: `sqlite:${join(dir, 'ok.db')}` };
    expect((await runTessera(['migrate', 'up'], { env })).code).toBe(0);
    const run = await runTessera(['check'], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        'ok       configuration is valid',
        `ok       SQLite ${join(dir, 'ok.db')} is reachable`,
        `ok       SQLite ${join(dir, 'ok.db')} has every migration applied (${MIGRATIONS.length})`,
        'All checks passed.',
        '',
      ].join('\n'),
    );
  });

  it('reports every problem at once — configuration, database, Redis — and exits 1', async () => {
    const missing = join(dir, 'missing.db');
    const run = await runTessera(['check', '--port', '0x50', '--database-url', `sqlite:${missing}`], {
      env: {
        TESSERA_DATA_DIR: dir,
        TESSERA_SCRET: 'x',
        TESSERA_REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      },
    });
    expect(run.code).toBe(1);
    const problems = run.stdout.split('\n').filter((line) => line.startsWith('problem  '));
    expect(problems).toEqual([
      'problem  TESSERA_SCRET is not a Tessera variable; did you mean TESSERA_SECRET?',
      'problem  PORT must be an integer from 1 to 65535, not "0x50"',
      `problem  SQLite ${missing}: the SQLite database ${missing} does not exist (tessera migrate up or tessera serve creates it)`,
      expect.stringMatching(/^problem {2}Redis \(TESSERA_REDIS_URL\) is not reachable: .*ECONNREFUSED/),
    ]);
    expect(run.stderr).toBe('tessera: 4 problems found\n');
  });

  it.runIf(available)('names pending migrations and a missing TESSERA_SECRET on PostgreSQL', async () => {
    const schema = await createTestSchema();
    try {
      const url = new URL(schema.url);
      url.searchParams.set('options', `-c search_path=${schema.name}`);
      const run = await runTessera(['check', '--database-url', url.toString()], {
        env: { TESSERA_DATA_DIR: dir },
      });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('ok       PostgreSQL (TESSERA_DATABASE_URL) is reachable');
      expect(run.stdout).toContain('problem  TESSERA_SECRET is required with PostgreSQL');
      expect(run.stdout).toMatch(
        new RegExp(
          `problem {2}PostgreSQL \\(TESSERA_DATABASE_URL\\) has ${MIGRATIONS.length} pending migrations \\(0001_initial, .*\\): run tessera migrate up`,
        ),
      );
      expect(run.stderr).toBe('tessera: 2 problems found\n');
    } finally {
      await schema.drop();
    }
  });
});
