/**
 * The demo (seeded users with a published password, the demo page, the example API) exists in the
 * repository only: the published @tessera/server leaves dist/demo/ out (see its package.json
 * `files`). The start loads it when the demo is on, and an installed server asked for the demo
 * says so in one line instead of failing on a missing module.
 */
export type DemoModule = typeof import('./demo/start-demo.js');

export const DEMO_NOT_INSTALLED =
  'the demo is not part of the installed @tessera/server package (its users have a published password): start it without --demo (and without TESSERA_DEMO=1), or run the demo from a clone of the repository with `npm start`';

export async function loadDemo(): Promise<DemoModule> {
  try {
    return await import('./demo/start-demo.js');
  } catch (error) {
    if (isMissingDemo(error)) throw new Error(DEMO_NOT_INSTALLED);
    throw error;
  }
}

/** Node's answer to an import of a file that is not there, for the demo's own entry only. */
function isMissingDemo(error: unknown): boolean {
  if (!(error instanceof Error) || (error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND')
    return false;
  return /[/\\]demo[/\\]start-demo\.(js|ts)\b/.test(error.message);
}
