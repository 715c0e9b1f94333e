import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runStorageConformance } from '../conformance/suite.js';
import { openStorage } from '../open.js';

// A file, not :memory:, so that child processes can open the same database.
const directory = mkdtempSync(join(tmpdir(), 'tessera-sqlite-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

runStorageConformance('sqlite', async () => {
  const url = `sqlite:${join(directory, `${randomUUID()}.db`)}`;
  return { storage: await openStorage(url), connection: { url }, cleanup: async () => {} };
});
