/**
 * The five published packages, packed as `npm pack` packs them, and what a tarball holds. Used by
 * scripts/check-packages.ts (`npm run check:packages`) and e2e/packed-install.test.ts.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { publishedManifest } from './published-manifest.mjs';

const run = promisify(execFile);

export const REPOSITORY = fileURLToPath(new URL('../', import.meta.url));

/** Dependencies first: a package's tarball may need the ones before it. */
export const PUBLIC_PACKAGES = ['protocol', 'browser', 'react', 'node', 'server'] as const;
export type PublicPackage = (typeof PUBLIC_PACKAGES)[number];

export interface Packed {
  package: PublicPackage;
  name: string;
  version: string;
  /** The tarball's absolute path. */
  tarball: string;
  /** Every file in it, relative to the package root (`dist/index.js`, `package.json`, …). */
  files: string[];
}

/** What every package must be built into before it can be packed, with the command that builds it. */
export function missingBuild(): string | null {
  for (const name of PUBLIC_PACKAGES) {
    if (!existsSync(join(REPOSITORY, 'packages', name, 'dist/index.js'))) return `packages/${name}/dist`;
  }
  if (!existsSync(join(REPOSITORY, 'packages/server/dist/console/index.html')))
    return 'packages/server/dist/console';
  return null;
}

interface NpmPackAnswer {
  name: string;
  version: string;
  filename: string;
  files: { path: string }[];
}

async function npmPack(directory: string, destination: string, extra: string[] = []): Promise<NpmPackAnswer> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination, ...extra], {
    cwd: directory,
    maxBuffer: 64 * 1024 * 1024,
  });
  // npm prints the prepack/postpack scripts' own output before the JSON when they write any.
  const answer = JSON.parse(stdout.slice(stdout.indexOf('['))) as NpmPackAnswer[];
  const [packed] = answer;
  if (!packed) throw new Error(`npm pack in ${directory} answered nothing`);
  return packed;
}

/**
 * `npm pack` in each package's own directory, as a maintainer publishing would: its prepack hook
 * writes the published manifest into package.json for the length of the pack.
 */
export async function packInPlace(destination: string): Promise<Packed[]> {
  const packed: Packed[] = [];
  for (const name of PUBLIC_PACKAGES) {
    const answer = await npmPack(join(REPOSITORY, 'packages', name), destination);
    packed.push(describe(name, answer, destination));
  }
  return packed;
}

/**
 * `npm pack` of a copy of each package (its published manifest, README, LICENSE and dist/), so that
 * nothing in the repository changes while other tests read it: the same files, the same manifest.
 */
export async function packCopies(destination: string): Promise<Packed[]> {
  return Promise.all(
    PUBLIC_PACKAGES.map(async (name) => {
      const source = join(REPOSITORY, 'packages', name);
      const copy = mkdtempSync(join(tmpdir(), `tessera-pack-${name}-`));
      try {
        const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
        writeFileSync(
          join(copy, 'package.json'),
          `${JSON.stringify(publishedManifest(manifest), null, 2)}\n`,
        );
        for (const file of ['README.md', 'LICENSE']) {
          if (existsSync(join(source, file))) copyFileSync(join(source, file), join(copy, file));
        }
        cpSync(join(source, 'dist'), join(copy, 'dist'), { recursive: true });
        return describe(name, await npmPack(copy, destination, ['--ignore-scripts']), destination);
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    }),
  );
}

function describe(name: PublicPackage, answer: NpmPackAnswer, destination: string): Packed {
  return {
    package: name,
    name: answer.name,
    version: answer.version,
    tarball: join(destination, answer.filename),
    files: answer.files.map((file) => file.path).sort(),
  };
}

/** The manifest inside a tarball, as an install sees it. */
export async function tarballManifest(tarball: string): Promise<Record<string, unknown>> {
  const { stdout } = await run('tar', ['-xOzf', tarball, 'package/package.json'], { maxBuffer: 1024 * 1024 });
  return JSON.parse(stdout) as Record<string, unknown>;
}
