// Before `npm run bench:compare` runs: the peers installed (bench/compare is a private npm project
// of its own, outside the workspaces, so the peers never become Tessera's dependencies) and
// Tessera built.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const compareDir = new URL('./', import.meta.url).pathname;
const root = new URL('../../', import.meta.url).pathname;

function run(command, args, cwd) {
  console.error(`> ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Every package the lock file names installed at its locked version, better-sqlite3 compiled. */
function peersInstalled() {
  const lock = JSON.parse(readFileSync(join(compareDir, 'package-lock.json'), 'utf8'));
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.optional) continue;
    const manifest = join(compareDir, path, 'package.json');
    if (!existsSync(manifest) || JSON.parse(readFileSync(manifest, 'utf8')).version !== entry.version)
      return false;
  }
  return existsSync(join(compareDir, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'));
}

if (!peersInstalled()) run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], compareDir);

// A fresh clone builds everything (the server serves the demo's and console's builds); after
// that, the TypeScript projects the server runs are brought up to date (incremental, seconds).
if (!existsSync(join(root, 'packages/server/dist/main.js'))) run('npm', ['run', 'build', '--silent'], root);
else
  run(
    'npx',
    [
      'tsc',
      '-b',
      'packages/protocol',
      'packages/browser',
      'packages/react',
      'packages/server',
      'packages/node',
      'examples/api',
    ],
    root,
  );
