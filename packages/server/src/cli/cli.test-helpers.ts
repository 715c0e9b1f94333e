/**
 * The `tessera` command as a user runs it: a child process (under tsx, from the sources), its exit
 * code and both outputs; `serve` started and waited for; and a browser session over real HTTP.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

/** Variables a developer's shell may hold that would change what the CLI does. */
const CLEARED = {
  PORT: '',
  HOST: '',
  TESSERA_DEMO: '',
  TESSERA_PUBLIC_URL: '',
  TESSERA_ADMIN_KEY: '',
  TESSERA_SECRET: '',
  TESSERA_DATABASE_URL: '',
  TESSERA_DATA_DIR: '',
  TESSERA_REDIS_URL: '',
  TESSERA_WORKERS: '',
  TESSERA_LOG_LEVEL: 'warn',
};

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function spawnTessera(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string },
): ChildProcess {
  return spawn(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN, ...args], {
    env: { ...process.env, ...CLEARED, ...options.env },
    cwd: options.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Runs `tessera <args>` to its end. */
export async function runTessera(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; input?: string } = {},
): Promise<CliRun> {
  const child = spawnTessera(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  child.stdin!.end(options.input ?? '');
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

export interface ServingTessera {
  url: string;
  /** The process started (with several workers: their primary). */
  pid: number;
  output(): string;
  stop(): Promise<number | null>;
}

/** Starts `tessera serve <args>` and waits until it says it is running. */
export async function serveTessera(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<ServingTessera> {
  const child = spawnTessera(['serve', ...args], options);
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  for (let i = 0; i < 300 && !output.includes('Tessera is running at'); i++) {
    if (child.exitCode !== null) throw new Error(`tessera serve exited with ${child.exitCode}:\n${output}`);
    await new Promise((done) => setTimeout(done, 100));
  }
  const url = /Tessera is running at (\S+)/.exec(output)?.[1];
  if (!url) {
    child.kill('SIGKILL');
    throw new Error(`tessera serve did not start:\n${output}`);
  }
  return {
    url,
    pid: child.pid!,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** What a failure must look like: one line on standard error, no stack trace. */
export function oneLine(run: CliRun): string {
  const lines = run.stderr.split('\n').filter((line) => line !== '');
  if (lines.length !== 1 || /^\s+at /m.test(run.stderr)) {
    throw new Error(`expected one line on stderr, got:\n${run.stderr}`);
  }
  return lines[0]!;
}

export const ORIGIN = 'http://localhost:5173';
const CSRF = { 'x-tessera-request': '1', origin: ORIGIN };

/** A browser session over HTTP: logs in, then refreshes with the cookie it holds. */
export async function browserLogin(url: string, email: string, password: string, clientId: string) {
  const login = await fetch(`${url}/auth/v1/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN },
    body: JSON.stringify({ email, password, clientId }),
  });
  if (login.status !== 200) throw new Error(`login answered ${login.status}: ${await login.text()}`);
  let cookie = cookieOf(login);
  return {
    get cookie() {
      return cookie;
    },
    /** Refreshes against `on` (this server by default); keeps the rotated cookie when it succeeds. */
    async refresh(on: string = url): Promise<number> {
      const response = await fetch(`${on}/auth/v1/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...CSRF, cookie },
        body: JSON.stringify({ clientId }),
      });
      await response.arrayBuffer();
      if (response.status === 200) cookie = cookieOf(response);
      return response.status;
    },
  };
}

function cookieOf(response: Response): string {
  const header = response.headers.getSetCookie()[0];
  if (!header) throw new Error(`no Set-Cookie in a ${response.status} response`);
  return header.split(';', 1)[0]!;
}
