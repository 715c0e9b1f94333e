/**
 * The suite's workers keep loaded modules from one test file to the next (vitest.config.ts:
 * `poolOptions.forks.isolate: false`), which is safe only while no such file replaces a module with
 * `vi.mock`: a mocked module, or a module that imported it, would stay in the worker for the next
 * file. Files that mock run in the isolated pool (`poolMatchGlobs`); this check keeps it that way.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPOSITORY = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** The test files vitest.config.ts sends to the isolated pool. */
const ISOLATED = /^packages\/react\/src\/.*\.test\.ts$/;
const REPLACES_A_MODULE = /\bvi\.(mock|doMock)\(/;

function testFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist') return [];
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [relative(REPOSITORY, path)] : [];
  });
}

export function mockingOutsideIsolation(files: readonly { path: string; text: string }[]): string[] {
  return files
    .filter(({ path, text }) => REPLACES_A_MODULE.test(text) && !ISOLATED.test(path))
    .map((f) => f.path);
}

describe('test isolation', () => {
  it('only the files of the isolated pool replace a module with vi.mock', () => {
    const files = ['packages', 'examples', 'e2e']
      .flatMap((root) => testFiles(join(REPOSITORY, root)))
      .filter((path) => path !== relative(REPOSITORY, fileURLToPath(import.meta.url)))
      .map((path) => ({ path, text: readFileSync(join(REPOSITORY, path), 'utf8') }));
    expect(files.length).toBeGreaterThan(100);
    expect(
      files.some(
        ({ path }) =>
          ISOLATED.test(path) && REPLACES_A_MODULE.test(readFileSync(join(REPOSITORY, path), 'utf8')),
      ),
    ).toBe(true);
    expect(mockingOutsideIsolation(files)).toEqual([]);
  });

  it('names a file that mocks outside the isolated pool', () => {
    expect(
      mockingOutsideIsolation([
        { path: 'packages/server/src/a.test.ts', text: "vi.mock('../storage/open.js');" },
        { path: 'packages/react/src/b.test.ts', text: "vi.mock('@tessera/browser');" },
        { path: 'packages/node/src/c.test.ts', text: 'vi.useFakeTimers();' },
      ]),
    ).toEqual(['packages/server/src/a.test.ts']);
  });
});
