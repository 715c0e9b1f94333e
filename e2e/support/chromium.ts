/**
 * Chromium for end-to-end tests: Debian's package driven by playwright-core (never a downloaded
 * browser). Without it the browser tests are skipped loudly — except under CI=true, where that fails.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.TESSERA_CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === 'true')
    throw new Error(`CI=true: the browser tests must run, but there is no Chromium at ${CHROMIUM_PATH}`);
  const line = '#'.repeat(78);
  console.warn(
    `\n${line}\n#  SKIPPING the browser tests: no Chromium at ${CHROMIUM_PATH}\n#  apt-get install chromium, or set TESSERA_CHROMIUM_PATH.\n${line}\n`,
  );
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

const SDK_ENTRY = fileURLToPath(new URL('../../packages/browser/src/index.ts', import.meta.url));

/** `@tessera/browser` from its sources, bundled as one ES module a test page can load. */
export async function bundleBrowserSdk(): Promise<string> {
  const bundle = await build({
    entryPoints: [SDK_ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['source'],
    write: false,
    logLevel: 'warning',
  });
  const sdk = bundle.outputFiles[0]?.text ?? '';
  if (!sdk.includes('createAuthClient')) throw new Error('the SDK bundle lacks createAuthClient');
  return sdk;
}
