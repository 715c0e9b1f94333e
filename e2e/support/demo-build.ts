/**
 * The demo app and the example API as `npm start` serves them: built from the sources under test.
 * `npm test` builds both before any test runs, so a file that needs them rebuilds only what is
 * older than its sources (a fresh clone running one e2e file, or sources edited since). Rebuilding
 * for nothing would also race another test file serving the same `dist/` in a parallel worker.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));
const DEMO_ROOT = join(REPOSITORY, 'examples/demo');
const EXAMPLE_API_ROOT = join(REPOSITORY, 'examples/api');
const TSC = join(REPOSITORY, 'node_modules/typescript/bin/tsc');

/** What the demo bundle is made of: its own sources and the packages it bundles. */
const DEMO_INPUTS = [
  'examples/demo/src',
  'examples/demo/index.html',
  'examples/demo/vite.config.ts',
  'packages/browser/src',
  'packages/react/src',
  'packages/protocol/src',
];

function newestModification(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce(
    (newest, name) => Math.max(newest, newestModification(join(path, name))),
    0,
  );
}

function isStale(built: string, sources: readonly string[]): boolean {
  if (!existsSync(built)) return true;
  const inputs = sources.map((input) => join(REPOSITORY, input)).filter((input) => existsSync(input));
  return Math.max(...inputs.map(newestModification)) > statSync(built).mtimeMs;
}

function demoIsStale(): boolean {
  return isStale(join(DEMO_ROOT, 'dist/index.html'), DEMO_INPUTS);
}

const CONSOLE_ROOT = join(REPOSITORY, 'packages/console');
const CONSOLE_INPUTS = [
  'packages/console/src',
  'packages/console/index.html',
  'packages/console/public',
  'packages/console/vite.config.ts',
  'packages/protocol/src',
];

/**
 * The admin console the server serves at /console (packages/console, built into
 * packages/server/dist/console), rebuilt only when older than its sources, like the demo.
 */
export async function ensureConsoleBuilt(): Promise<void> {
  if (isStale(join(REPOSITORY, 'packages/server/dist/console/index.html'), CONSOLE_INPUTS)) {
    await build({ root: CONSOLE_ROOT, configFile: join(CONSOLE_ROOT, 'vite.config.ts'), logLevel: 'warn' });
  }
}

export async function ensureDemoBuilt(): Promise<void> {
  if (demoIsStale()) {
    await build({ root: DEMO_ROOT, configFile: join(DEMO_ROOT, 'vite.config.ts'), logLevel: 'warn' });
  }
  // `tsc -b` is incremental: it writes nothing when examples/api/dist is up to date.
  execFileSync(process.execPath, [TSC, '-b', EXAMPLE_API_ROOT], { stdio: 'inherit' });
}
