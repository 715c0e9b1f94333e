import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorage } from './open.js';

const directory = mkdtempSync(join(tmpdir(), 'tessera-open-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('openStorage', () => {
  it('opens a SQLite file, creating its parent directories', async () => {
    const filename = join(directory, 'nested', 'deeper', 'tessera.db');
    const storage = await openStorage(`sqlite:${filename}`);
    try {
      await storage.migrate();
      expect(existsSync(filename)).toBe(true);
      expect(await storage.listEnvironments()).toEqual([]);
    } finally {
      await storage.close();
    }
  });

  it('opens a private in-memory SQLite database', async () => {
    const storage = await openStorage('sqlite::memory:');
    await storage.migrate();
    expect(await storage.listEnvironments()).toEqual([]);
    await storage.close();
    await storage.close();
    expect(existsSync(':memory:')).toBe(false);
  });

  it('refuses an unsupported URL, naming only its scheme', async () => {
    const attempt = openStorage('mysql://root:hunter2@db.example/tessera');
    await expect(attempt).rejects.toThrow('Unsupported database URL scheme "mysql:"');
    await expect(attempt).rejects.not.toThrow('hunter2');
    await expect(openStorage('./data/tessera.db')).rejects.toThrow('(no scheme)');
    await expect(openStorage('sqlite:')).rejects.toThrow('needs a path');
  });
});

describe('openStorage: SQLite background checkpoints', () => {
  it('reports a failed checkpoint to the logger it is given, by error code', async () => {
    const filename = join(directory, 'checkpoint-failure.db');
    const warnings: unknown[] = [];
    const storage = await openStorage(`sqlite:${filename}`, {
      logger: { warn: (fields, message) => warnings.push([fields, message]) },
    });
    try {
      // Before the checkpointer's first run (a second after the open): the file stops being a
      // database under it, so that run fails.
      writeFileSync(filename, 'not a database\n'.repeat(100));
      rmSync(`${filename}-wal`, { force: true });
      rmSync(`${filename}-shm`, { force: true });
      await expect
        .poll(() => warnings, { timeout: 10_000 })
        .toContainEqual([{ code: 'SQLITE_NOTADB' }, 'SQLite background checkpoint failed']);
    } finally {
      await storage.close();
    }
  });
});
