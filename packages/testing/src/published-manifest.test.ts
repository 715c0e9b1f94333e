/**
 * The manifest a published package carries (scripts/published-manifest.mjs, the packages' prepack
 * and postpack hooks): the repository's `source` condition and scripts are dropped, everything else
 * is kept, and the package.json as written is back once the pack is done — also after a pack that
 * failed between the two hooks. `npm run check:packages` checks the real tarballs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { postpack, prepack, publishedManifest } from '../../../scripts/published-manifest.mjs';

const WRITTEN = {
  name: '@tessera/example',
  version: '1.2.3',
  exports: {
    '.': { source: './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' },
    './nested': { node: { source: './src/nested.ts', default: './dist/nested.js' } },
    './package.json': './package.json',
  },
  files: ['dist'],
  dependencies: { '@tessera/protocol': '1.2.3' },
  scripts: { prepack: 'node ../../scripts/published-manifest.mjs prepack' },
};

describe('the published manifest', () => {
  let directory: string | null = null;
  afterEach(() => {
    if (directory) rmSync(directory, { recursive: true, force: true });
    directory = null;
  });

  it('drops the source condition at any depth and the scripts, and keeps the rest in order', () => {
    const published = publishedManifest(WRITTEN);
    expect(published).toEqual({
      name: '@tessera/example',
      version: '1.2.3',
      exports: {
        '.': { types: './dist/index.d.ts', default: './dist/index.js' },
        './nested': { node: { default: './dist/nested.js' } },
        './package.json': './package.json',
      },
      files: ['dist'],
      dependencies: { '@tessera/protocol': '1.2.3' },
    });
    expect(Object.keys((published.exports as Record<string, object>)['.'] ?? {})).toEqual([
      'types',
      'default',
    ]);
  });

  it('is in package.json between prepack and postpack; the file as written is back after', () => {
    directory = mkdtempSync(join(tmpdir(), 'tessera-manifest-'));
    const file = join(directory, 'package.json');
    const written = `${JSON.stringify(WRITTEN, null, 4)}\n`;
    writeFileSync(file, written);
    prepack(directory);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(publishedManifest(WRITTEN));
    postpack(directory);
    expect(readFileSync(file, 'utf8')).toBe(written);
  });

  it('restores the manifest as written when a failed pack left the published one in place', () => {
    directory = mkdtempSync(join(tmpdir(), 'tessera-manifest-'));
    const file = join(directory, 'package.json');
    const written = `${JSON.stringify(WRITTEN, null, 2)}\n`;
    writeFileSync(file, written);
    prepack(directory); // …and npm pack failed: no postpack
    prepack(directory);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(publishedManifest(WRITTEN));
    postpack(directory);
    expect(readFileSync(file, 'utf8')).toBe(written);
  });
});
