/**
 * The fault cases start the built server (`node packages/server/dist/main.js`), as an operator
 * does: build it first (incremental: seconds when nothing changed).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function buildServer(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(
    process.execPath,
    ['node_modules/typescript/bin/tsc', '-b', 'packages/protocol', 'packages/server'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}
