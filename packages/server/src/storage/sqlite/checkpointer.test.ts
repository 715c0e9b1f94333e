import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCheckpointer } from './checkpointer.js';

const directory = mkdtempSync(join(tmpdir(), 'tessera-checkpointer-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('startCheckpointer', () => {
  it('reports a failed checkpoint by its error code', async () => {
    const filename = join(directory, 'not-a-database.db');
    writeFileSync(
      filename,
      'this file is not a SQLite database, so every checkpoint of it fails\n'.repeat(20),
    );
    const codes: string[] = [];
    const checkpointer = startCheckpointer(filename, (code) => codes.push(code));
    try {
      await expect.poll(() => codes, { timeout: 10_000 }).toContain('SQLITE_NOTADB');
    } finally {
      await checkpointer.stop();
    }
  });
});
