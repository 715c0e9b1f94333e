/**
 * Closing a PostgreSQL storage ends its pool, whatever the queries went through: a process that
 * used only the adapter's direct pool queries (never Kysely) and then closed the storage must be
 * able to exit on its own, with no socket left open.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestSchema, postgresTestAvailability } from './test-database.js';

const available = await postgresTestAvailability();
const OPEN_MODULE = fileURLToPath(new URL('../open.ts', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'tessera-pg-close-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe.skipIf(!available)('postgres storage close', () => {
  it('ends the pool after only direct pool queries: the process exits by itself', async () => {
    const schema = await createTestSchema();
    try {
      const script = join(directory, 'direct-queries-then-close.mjs');
      writeFileSync(
        script,
        `import { openStorage } from ${JSON.stringify(OPEN_MODULE)};
const storage = await openStorage(process.env.URL, { schema: process.env.SCHEMA });
await storage.migrate();
await storage.databaseTime();
await storage.getEnvironment('nowhere');
await storage.close();
console.log('closed');
`,
      );
      const started = Date.now();
      const child = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', script], {
        env: { ...process.env, URL: schema.url, SCHEMA: schema.name },
        encoding: 'utf8',
        timeout: 20_000,
      });
      // pg closes an idle connection after 10 s by itself: exiting sooner means close() ended them.
      const exitedAfterMillis = Date.now() - started;
      expect(child.stderr).toBe('');
      expect(child.stdout.trim()).toBe('closed');
      // Killed by the timeout (a pool still open) gives signal SIGTERM and no status.
      expect({ status: child.status, signal: child.signal }).toEqual({ status: 0, signal: null });
      expect(exitedAfterMillis).toBeLessThan(8_000);
    } finally {
      await schema.drop();
    }
  }, 40_000);
});
