/**
 * `npm run check:packages`: packs the five published packages with `npm pack` and checks each
 * tarball, after `npm run build`:
 *
 * - publint (packaging mistakes: exports that point at missing files, wrong formats, …) and
 *   arethetypeswrong (the types every resolution mode finds), every message above a suggestion fails;
 *   arethetypeswrong runs with its esm-only profile: the packages are ESM only by design (Node ≥ 20.19,
 *   which loads them with require() too), so the CommonJS-resolution modes (node10, node16 from CJS)
 *   are not targets;
 * - what must not ship: tests, test helpers, testing/ folders, the demo (its users' published
 *   password), the storage conformance suite, build info, sources, and the repository's `source`
 *   condition or scripts in the manifest;
 * - what must: the type declarations the manifest names, the server's built console and its bin;
 * - that every @tessera dependency is an exact version of a package packed here;
 * - that every package the type declarations import is a dependency (or peer) that brings its types,
 *   or whose @types package is one: a TypeScript consumer must not need the repository's devDependencies;
 * - that the packages' package.json files are as written once npm pack is done.
 *
 * It prints one line per package and every problem found, and exits 1 if there was any.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { problemKindInfo } from '@arethetypeswrong/core/problems';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import {
  missingBuild,
  type Packed,
  PUBLIC_PACKAGES,
  packInPlace,
  REPOSITORY,
  tarballManifest,
} from './packages.js';

const run = promisify(execFile);

/** Files no tarball may hold, each with why. */
const FORBIDDEN: [RegExp, string][] = [
  [/\.test\.|\.test-helpers\./, 'a test or test helper'],
  [/(^|\/)testing\//, 'test support (testing/)'],
  [/^dist\/demo\//, 'the demo (seeded users with a published password)'],
  [/(^|\/)conformance\//, 'the storage conformance suite'],
  [/\.tsbuildinfo$/, 'TypeScript build info'],
  [/^src\//, 'TypeScript sources (the tarball ships dist/)'],
];

/** arethetypeswrong's resolution modes that ESM-only packages do not serve (its esm-only profile). */
const IGNORED_RESOLUTIONS = new Set(['node10', 'node16-cjs']);

export async function checkPackages(): Promise<string[]> {
  const missing = missingBuild();
  if (missing) return [`${missing} is not built: run \`npm run build\` first`];
  const manifestsBefore = PUBLIC_PACKAGES.map((name) => readManifest(name));
  const destination = await mkdtemp(join(tmpdir(), 'tessera-packages-'));
  try {
    const packed = await packInPlace(destination);
    const problems: string[] = [];
    PUBLIC_PACKAGES.forEach((name, index) => {
      if (readManifest(name) !== manifestsBefore[index])
        problems.push(`packages/${name}/package.json: not as written after npm pack (its postpack hook)`);
    });
    const versions = new Map(packed.map((each) => [each.name, each.version]));
    for (const each of packed) {
      const manifest = await tarballManifest(each.tarball);
      const found = [
        ...fileProblems(each),
        ...manifestProblems(manifest, each.files, versions),
        ...(await declarationImportProblems(each, manifest)),
        ...(await publintProblems(each)),
        ...(await typesProblems(each)),
      ];
      const size = Math.round((await readFile(each.tarball)).length / 1024);
      process.stdout.write(
        `${found.length === 0 ? 'ok  ' : 'FAIL'} ${each.name}@${each.version}: ${each.files.length} files, ${size} kB\n`,
      );
      problems.push(...found.map((problem) => `${each.name}: ${problem}`));
    }
    return problems;
  } finally {
    await rm(destination, { recursive: true, force: true });
  }
}

function readManifest(name: string): string {
  return readFileSync(join(REPOSITORY, 'packages', name, 'package.json'), 'utf8');
}

function fileProblems(packed: Packed): string[] {
  const problems: string[] = [];
  for (const file of packed.files) {
    for (const [pattern, what] of FORBIDDEN) {
      if (pattern.test(file)) problems.push(`${file} is ${what}`);
    }
    if (file.endsWith('.map') && !packed.files.includes(file.slice(0, -'.map'.length)))
      problems.push(`${file} is the source map of a file that is not in the tarball`);
  }
  if (packed.package === 'server') {
    for (const required of ['dist/console/index.html', 'dist/main.js', 'dist/index.d.ts']) {
      if (!packed.files.includes(required)) problems.push(`${required} is missing`);
    }
    if (!packed.files.some((file) => /^dist\/console\/assets\/.+\.js$/.test(file)))
      problems.push("the built console's scripts (dist/console/assets/*.js) are missing");
  }
  return problems;
}

function manifestProblems(
  manifest: Record<string, unknown>,
  files: string[],
  versions: Map<string, string>,
): string[] {
  const problems: string[] = [];
  if (JSON.stringify(manifest.exports ?? null).includes('"source"'))
    problems.push('the published exports keep the repository-only `source` condition');
  if (manifest.scripts !== undefined) problems.push('the published manifest keeps the repository scripts');
  for (const [command, file] of Object.entries((manifest.bin ?? {}) as Record<string, string>)) {
    if (!files.includes(file.replace(/^\.\//, '')))
      problems.push(`bin.${command} (${file}) is not in the tarball`);
  }
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    const dependencies = (manifest[field] ?? {}) as Record<string, string>;
    for (const [name, range] of Object.entries(dependencies)) {
      if (!name.startsWith('@tessera/')) continue;
      const version = versions.get(name);
      if (version === undefined) problems.push(`${field}.${name} is not one of the published packages`);
      else if (range !== version)
        problems.push(`${field}.${name} is "${range}", not the exact version ${version}`);
    }
  }
  return problems;
}

/** Bare specifiers imported by the tarball's .d.ts files (`node:` built-ins aside), by package name. */
async function declarationImports(packed: Packed): Promise<Set<string>> {
  const declarations = packed.files.filter((file) => file.endsWith('.d.ts')).map((file) => `package/${file}`);
  if (declarations.length === 0) return new Set();
  const { stdout } = await run('tar', ['-xOzf', packed.tarball, ...declarations], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const names = new Set<string>();
  for (const [, specifier] of stdout.matchAll(/(?:from |import\()'([^'.][^']*)'/g)) {
    if (!specifier || specifier.startsWith('node:')) continue;
    const parts = specifier.split('/');
    names.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string));
  }
  return names;
}

/**
 * Whether the workspace's copy of a package ships its own type declarations: a `types` field or
 * condition, or a declaration file beside its entry (TypeScript finds `x.d.ts` next to `x.js`).
 */
function shipsTypes(name: string): boolean {
  const directory = join(REPOSITORY, 'node_modules', name);
  if (!existsSync(join(directory, 'package.json'))) return false;
  const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8'));
  if (manifest.types ?? manifest.typings) return true;
  if (JSON.stringify(manifest.exports ?? null).includes('"types"')) return true;
  const root = typeof manifest.exports === 'object' ? (manifest.exports?.['.'] ?? manifest.exports) : null;
  const entry: string =
    (typeof manifest.exports === 'string' ? manifest.exports : (root?.import ?? root?.default)) ??
    manifest.module ??
    manifest.main ??
    'index.js';
  const declaration = entry.replace(/\.(c|m)?js$/, (_, kind = '') => `.d.${kind}ts`);
  return typeof entry === 'string' && existsSync(join(directory, declaration));
}

async function declarationImportProblems(
  packed: Packed,
  manifest: Record<string, unknown>,
): Promise<string[]> {
  const declared = new Set(
    ['dependencies', 'peerDependencies'].flatMap((field) => Object.keys((manifest[field] ?? {}) as object)),
  );
  const problems: string[] = [];
  for (const name of await declarationImports(packed)) {
    const typesPackage = `@types/${name.startsWith('@') ? name.slice(1).replace('/', '__') : name}`;
    if (!declared.has(name)) problems.push(`its type declarations import ${name}, which is not a dependency`);
    else if (!name.startsWith('@tessera/') && !shipsTypes(name) && !declared.has(typesPackage))
      problems.push(
        `its type declarations import ${name}, which has no types of its own: depend on ${typesPackage}`,
      );
  }
  return problems;
}

async function publintProblems(packed: Packed): Promise<string[]> {
  const tarball = await readFile(packed.tarball);
  const { messages, pkg } = await publint({
    pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) },
    level: 'warning',
    strict: true,
  });
  return messages.map(
    (message) => `publint ${message.code}: ${formatMessage(message, pkg, { color: false })}`,
  );
}

async function typesProblems(packed: Packed): Promise<string[]> {
  const analysis = await checkPackage(
    createPackageFromTarballData(new Uint8Array(await readFile(packed.tarball))),
  );
  if (!analysis.types) return ['arethetypeswrong: the package has no type declarations'];
  return analysis.problems
    .filter((problem) => !('resolutionKind' in problem && IGNORED_RESOLUTIONS.has(problem.resolutionKind)))
    .map((problem) => {
      const where = [
        'entrypoint' in problem ? problem.entrypoint : '',
        'resolutionKind' in problem ? problem.resolutionKind : '',
      ]
        .filter(Boolean)
        .join(', ');
      return `arethetypeswrong ${problem.kind}${where ? ` (${where})` : ''}: ${problemKindInfo[problem.kind].description}`;
    });
}

const started = Date.now();
const problems = await checkPackages();
for (const problem of problems) process.stderr.write(`  ${problem}\n`);
process.stdout.write(
  `${problems.length === 0 ? 'Packages ok' : `${problems.length} packaging problem(s)`} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
);
process.exitCode = problems.length === 0 ? 0 : 1;
