#!/usr/bin/env node
/**
 * The manifest a published package carries, and npm's pack hooks that put it in place.
 *
 * In the repository every package exports a `source` condition pointing at its TypeScript sources
 * (the tests, tsx and vite resolve through it: no build order to get wrong). A tarball ships only
 * dist/, so there the condition would point at files that are not in it, and a consumer whose own
 * tooling sets a `source` condition (a common monorepo convention) would fail to resolve the
 * package. The published manifest therefore drops the condition, and the repository's scripts
 * (which only make sense in the repository). Everything else is the manifest as written.
 *
 * `npm pack` and `npm publish` read package.json from disk after `prepack` and run `postpack` after
 * the tarball is written: `prepack` keeps the manifest as written in package.json.unpublished and
 * writes the published one; `postpack` puts the original back. A pack that failed in between
 * leaves the backup, which the next `prepack` restores first.
 *
 * Usage (from a package's directory): node ../../scripts/published-manifest.mjs prepack|postpack
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The conditions that exist for the repository only. */
const REPOSITORY_CONDITIONS = new Set(['source']);

/** `exports` without the repository's conditions, at any depth. */
function publishedExports(exports) {
  if (typeof exports !== 'object' || exports === null || Array.isArray(exports)) return exports;
  return Object.fromEntries(
    Object.entries(exports)
      .filter(([key]) => !REPOSITORY_CONDITIONS.has(key))
      .map(([key, value]) => [key, publishedExports(value)]),
  );
}

/** The manifest of the tarball, from the manifest as written in the repository. */
export function publishedManifest(manifest) {
  const { scripts: _scripts, ...published } = manifest;
  if (published.exports !== undefined) published.exports = publishedExports(published.exports);
  return published;
}

const BACKUP = 'package.json.unpublished';

export function prepack(directory) {
  const manifestFile = join(directory, 'package.json');
  const backupFile = join(directory, BACKUP);
  if (existsSync(backupFile)) renameSync(backupFile, manifestFile);
  const written = readFileSync(manifestFile, 'utf8');
  writeFileSync(backupFile, written);
  writeFileSync(manifestFile, `${JSON.stringify(publishedManifest(JSON.parse(written)), null, 2)}\n`);
}

export function postpack(directory) {
  const backupFile = join(directory, BACKUP);
  if (existsSync(backupFile)) renameSync(backupFile, join(directory, 'package.json'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [hook] = process.argv.slice(2);
  if (hook === 'prepack') prepack(process.cwd());
  else if (hook === 'postpack') postpack(process.cwd());
  else {
    process.stderr.write(`published-manifest: expected prepack or postpack, got ${hook ?? 'nothing'}\n`);
    process.exit(2);
  }
}
