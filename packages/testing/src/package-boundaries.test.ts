/**
 * Each workspace package is used through its name, never through another package's files: a test
 * in packages/node that imported `../../server/src/…` would pass here and break for anyone who
 * moves a file. The one exception is this package, the shared test support, which exists to reach
 * into the server's sources so that no other package has to (docs/architecture.md, rule 6).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const REPOSITORY = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const ROOTS = ['packages', 'examples'];
const MAY_REACH_INTO_OTHERS = 'packages/testing';

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist') return [];
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** `packages/node` for `packages/node/src/x.ts`. */
function packageOf(path: string): string {
  return relative(REPOSITORY, path).split('/').slice(0, 2).join('/');
}

export function crossPackageImports(files: readonly { path: string; text: string }[]): string[] {
  const found: string[] = [];
  for (const { path, text } of files) {
    const home = packageOf(path);
    if (home === MAY_REACH_INTO_OTHERS) continue;
    // The TypeScript scanner finds import declarations, re-exports and import() calls — not an
    // import written inside a string, as the layer-rule tests do.
    for (const { fileName: specifier } of ts.preProcessFile(text, true, true).importedFiles) {
      if (!specifier.startsWith('.')) continue;
      const target = packageOf(resolve(dirname(path), specifier));
      if (target !== home)
        found.push(`${relative(REPOSITORY, path)}: '${specifier}' → import it by package name`);
    }
  }
  return found;
}

describe('package boundaries', () => {
  it('no package imports another package’s files by relative path', () => {
    const files = ROOTS.flatMap((root) =>
      readdirSync(join(REPOSITORY, root), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .flatMap((entry) => sourceFiles(join(REPOSITORY, root, entry.name, 'src'))),
    ).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
    expect(files.length).toBeGreaterThan(100);
    expect(crossPackageImports(files)).toEqual([]);
  });

  it('catches a test that reaches into the server’s sources, and lets the test support do it', () => {
    const at = (path: string) => join(REPOSITORY, path);
    expect(
      crossPackageImports([
        {
          path: at('packages/node/src/a.test.ts'),
          text: "import { x } from '../../server/src/testing/harness.js';",
        },
        {
          path: at('packages/node/src/b.test.ts'),
          text: "const m = await import('../../server/src/server.js');",
        },
        { path: at('packages/node/src/c.test.ts'), text: "import { y } from './testing/http.js';" },
        {
          path: at('packages/testing/src/harness.ts'),
          text: "import { z } from '../../server/src/server.js';",
        },
      ]),
    ).toEqual([
      "packages/node/src/a.test.ts: '../../server/src/testing/harness.js' → import it by package name",
      "packages/node/src/b.test.ts: '../../server/src/server.js' → import it by package name",
    ]);
  });
});
