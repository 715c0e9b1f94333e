/**
 * The published packages as a user gets them (issue #12, item 1): the five tarballs `npm pack`
 * makes, installed into an empty project outside the workspace (no workspace links, no `source`
 * condition, nothing of the repository on the resolution path). In it: `npx tessera serve` on
 * SQLite, an operator's user through the admin API, a login over HTTP from the client's origin, the
 * access token verified with the installed @tessera/node, and a small app on @tessera/browser and
 * @tessera/react bundled with esbuild.
 *
 * Third-party dependencies come from npm's cache under node_modules/.cache/ (filled from the
 * registry on the first run). better-sqlite3's install script is skipped and the workspace's copy
 * of the same version's compiled addon put in its place: here prebuild-install finds no binary and
 * falls back to compiling SQLite from source, two minutes that test better-sqlite3, not Tessera.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingBuild, type Packed, packCopies, REPOSITORY } from '../scripts/packages.js';
import { adminRequest } from './support/admin-request.js';
import { freePort, until } from './support/processes.js';

const run = promisify(execFile);

const NPM_CACHE = join(REPOSITORY, 'node_modules/.cache/packed-install-npm');
const ADMIN_KEY = 'packed-install-admin-key-0123456789abcdefghijkl';
const CLIENT_ID = 'shop';
const APP_ORIGIN = 'http://localhost:5999';
const EMAIL = 'ada@example.com';
const PASSWORD = 'correct horse battery staple';

/** The version of a dependency the workspace uses, for the project's own react and react-dom. */
const workspaceVersion = (name: string): string =>
  JSON.parse(readFileSync(join(REPOSITORY, 'node_modules', name, 'package.json'), 'utf8')).version;

describe('the packed packages, installed into an empty project', () => {
  let root: string;
  let project: string;
  let packed: Packed[];

  beforeAll(async () => {
    const missing = missingBuild();
    if (missing) throw new Error(`${missing} is not built: run \`npm run build\` first`);
    root = mkdtempSync(join(tmpdir(), 'tessera-packed-install-'));
    project = join(root, 'project');
    mkdirSync(project);
    packed = await packCopies(root);
    writeFileSync(
      join(project, 'package.json'),
      `${JSON.stringify({ name: 'packed-install', private: true, type: 'module' })}\n`,
    );
    await run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--ignore-scripts',
        '--cache',
        NPM_CACHE,
        ...packed.map((each) => each.tarball),
        `react@${workspaceVersion('react')}`,
        `react-dom@${workspaceVersion('react-dom')}`,
      ],
      { cwd: project, maxBuffer: 16 * 1024 * 1024 },
    );
    installNativeSqlite(project);
  }, 240_000);

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('installs every package from its tarball: no links, no sources, no tests, no demo', () => {
    for (const each of packed) {
      const installed = join(project, 'node_modules', each.name);
      expect(lstatSync(installed).isSymbolicLink(), each.name).toBe(false);
      expect(JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).version).toBe(each.version);
      expect(existsSync(join(installed, 'src')), `${each.name} ships src/`).toBe(false);
    }
    const server = join(project, 'node_modules/@tessera/server');
    expect(existsSync(join(server, 'dist/demo'))).toBe(false);
    expect(existsSync(join(server, 'dist/console/index.html'))).toBe(true);
  });

  describe('`npx tessera serve` on SQLite', () => {
    let tessera: Served;

    beforeAll(async () => {
      tessera = await serve(project, root);
    }, 60_000);

    afterAll(async () => {
      await tessera?.stop();
    });

    it('serves the built console and the hosted login', async () => {
      const console = await fetch(`${tessera.url}/console/`);
      expect(console.status).toBe(200);
      expect(await console.text()).toMatch(/<script type="module"[^>]* src="\/console\/assets\/[^"]+\.js"/);
      const stylesheet = await fetch(`${tessera.url}/oauth/assets/login.css`);
      expect(stylesheet.status).toBe(200);
      expect(stylesheet.headers.get('content-type')).toMatch(/^text\/css/);
      const discovery = await fetch(`${tessera.url}/.well-known/openid-configuration`);
      expect(((await discovery.json()) as { issuer: string }).issuer).toBe(tessera.url);
    });

    it('logs in over HTTP a user the admin API created; the installed @tessera/node verifies the token', async () => {
      await tessera.admin('POST', '/environments/default/clients', {
        clientId: CLIENT_ID,
        name: 'Shop',
        type: 'spa',
        redirectUris: [`${APP_ORIGIN}/callback`],
        allowedOrigins: [APP_ORIGIN],
        postLogoutRedirectUris: [`${APP_ORIGIN}/`],
      });
      const user = (await tessera.admin('POST', '/environments/default/users', {
        email: EMAIL,
        password: PASSWORD,
      })) as { id: string };
      await tessera.admin('POST', '/environments/default/roles', {
        key: 'member',
        name: 'Member',
        permissions: [],
      });
      await tessera.admin('POST', '/environments/default/tenants', { id: 'acme', name: 'Acme' });
      await tessera.admin('PUT', `/environments/default/tenants/acme/members/${user.id}`, {
        roles: ['member'],
      });

      const login = await fetch(`${tessera.url}/auth/v1/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: APP_ORIGIN },
        body: JSON.stringify({ email: EMAIL, password: PASSWORD, clientId: CLIENT_ID }),
      });
      const answer = (await login.json()) as { accessToken: string };
      expect(login.status, JSON.stringify(answer)).toBe(200);
      const { accessToken } = answer;

      // A resource server of the project's own: @tessera/node as installed, from the project.
      const verify = `
        import { createVerifier } from '@tessera/node';
        const verifier = createVerifier({ issuer: process.env.ISSUER, audience: process.env.AUDIENCE });
        try {
          process.stdout.write(JSON.stringify(await verifier.verify(process.env.TOKEN)));
        } catch (error) {
          process.stdout.write(JSON.stringify({ refused: error.code }));
        } finally {
          await verifier.close();
        }`;
      writeFileSync(join(project, 'verify.mjs'), verify);
      const verified = async (token: string) => {
        const { stdout } = await run(process.execPath, ['verify.mjs'], {
          cwd: project,
          env: { ...process.env, ISSUER: tessera.url, AUDIENCE: CLIENT_ID, TOKEN: token },
        });
        return JSON.parse(stdout) as Record<string, unknown>;
      };
      expect(await verified(accessToken)).toMatchObject({
        sub: user.id,
        aud: CLIENT_ID,
        iss: tessera.url,
        tenantId: 'acme',
      });
      // The same verifier refuses a token whose signature is not the server's.
      const signature = accessToken.slice(accessToken.lastIndexOf('.') + 1);
      const forged = `${accessToken.slice(0, accessToken.lastIndexOf('.') + 1)}${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
      expect(await verified(forged)).toEqual({ refused: 'token_invalid' });
    });
  });

  it('refuses the demo in one line: the installed package has none', async () => {
    const { code, output } = await exitOf(
      spawn('npx', ['tessera', 'serve', '--demo'], { cwd: project, env: serverEnv(root, await freePort()) }),
    );
    expect(code).not.toBe(0);
    expect(output).toContain('the demo is not part of the installed @tessera/server package');
    expect(output).not.toMatch(/\n\s+at /);
  }, 30_000);

  it('bundles an app on @tessera/browser and @tessera/react with esbuild, with no test code in it', async () => {
    writeFileSync(
      join(project, 'app.jsx'),
      `import { createAuthClient } from '@tessera/browser';
import { AuthProvider, useAuth } from '@tessera/react';
import { createRoot } from 'react-dom/client';

const client = createAuthClient({ baseUrl: 'https://auth.example.com', clientId: '${CLIENT_ID}' });
function Who() {
  const auth = useAuth();
  return <p>{auth.status}</p>;
}
createRoot(document.getElementById('root')).render(
  <AuthProvider client={client}><Who /></AuthProvider>,
);
`,
    );
    const result = await build({
      absWorkingDir: project,
      entryPoints: ['app.jsx'],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      jsx: 'automatic',
      metafile: true,
      logLevel: 'silent',
      outfile: 'out/app.js',
    });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    for (const name of ['browser', 'react', 'protocol']) {
      expect(
        inputs.some((input) => input.startsWith(`node_modules/@tessera/${name}/dist/`)),
        name,
      ).toBe(true);
    }
    expect(inputs.filter((input) => /\.test\.|test-helpers|\/testing\/|\/src\//.test(input))).toEqual([]);
    const bundle = result.outputFiles.map((file) => file.text).join('\n');
    expect(bundle).toContain('createAuthClient');
    expect(bundle).not.toMatch(/vitest|playwright|@tessera\/testing/);
  }, 30_000);
});

/** The compiled addon of the workspace's better-sqlite3, when the project's is the same version. */
function installNativeSqlite(project: string): void {
  const addon = 'build/Release/better_sqlite3.node';
  const workspace = join(REPOSITORY, 'node_modules/better-sqlite3');
  const installed = join(project, 'node_modules/better-sqlite3');
  const version = (directory: string) =>
    JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')).version as string;
  if (version(workspace) !== version(installed))
    throw new Error(
      `better-sqlite3 ${version(installed)} in the project, ${version(workspace)} in the workspace: the test reuses the workspace's compiled addon, so they must match (run npm ci)`,
    );
  mkdirSync(join(installed, 'build/Release'), { recursive: true });
  copyFileSync(join(workspace, addon), join(installed, addon));
}

function serverEnv(root: string, port: number): NodeJS.ProcessEnv {
  const { TESSERA_DEMO: _demo, ...env } = process.env;
  const dataDir = join(root, `data-${port}`);
  return {
    ...env,
    PORT: String(port),
    TESSERA_PUBLIC_URL: `http://localhost:${port}`,
    TESSERA_DATA_DIR: dataDir,
    TESSERA_DATABASE_URL: `sqlite:${join(dataDir, 'tessera.db')}`,
    TESSERA_ADMIN_KEY: ADMIN_KEY,
    TESSERA_LOG_LEVEL: 'warn',
  };
}

interface Served {
  url: string;
  admin(method: string, path: string, body: unknown): Promise<unknown>;
  stop(): Promise<number | null>;
}

/** `npx tessera serve` in the project, waited for until it says it is running. */
async function serve(project: string, root: string): Promise<Served> {
  const port = await freePort();
  const env = serverEnv(root, port);
  mkdirSync(env.TESSERA_DATA_DIR as string, { recursive: true });
  // Its own process group: npx runs the server as a child of its own, which a signal to npx alone
  // left running (an orphaned server after the suite).
  const child = spawn('npx', ['tessera', 'serve'], { cwd: project, env, detached: true });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  try {
    await until(
      () => {
        if (child.exitCode !== null)
          throw new Error(`npx tessera serve exited with ${child.exitCode}:\n${output}`);
        return output.includes('Tessera is running at');
      },
      'npx tessera serve',
      45_000,
    );
  } catch (error) {
    await stopGroup(child, 'SIGKILL');
    throw error;
  }
  const url = `http://localhost:${port}`;
  return {
    url,
    admin: (method, path, body) => adminRequest(`http://127.0.0.1:${port}`, ADMIN_KEY, method, path, body),
    async stop() {
      if (child.exitCode !== null) {
        await stopGroup(child, 'SIGKILL');
        return child.exitCode;
      }
      const exited = exitOf(child);
      await stopGroup(child, 'SIGTERM');
      return (await exited).code;
    },
  };
}

/**
 * Signals the process group `child` leads (spawned `detached`) and waits until none of it is left,
 * SIGKILL after 15 s.
 */
async function stopGroup(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  const group = -(child.pid as number);
  const alive = () => {
    try {
      process.kill(group, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(group, signal);
  const deadline = Date.now() + 15_000;
  while (alive() && Date.now() < deadline) await new Promise((done) => setTimeout(done, 50));
  if (alive()) process.kill(group, 'SIGKILL');
}

async function exitOf(child: ChildProcess): Promise<{ code: number | null; output: string }> {
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}
