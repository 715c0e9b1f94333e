/**
 * Tessera in its own process for end-to-end tests, set up through its admin API like an operator
 * would. One per test file (started in `beforeAll`): a server start costs seconds, a fresh user or
 * tenant for a test that needs its own costs milliseconds.
 *
 * By default it is `npm start` (packages/server/src/main.ts) without the demo, on its own SQLite
 * file. With `movableClock` it is movable-clock-server.ts: the same server from the same
 * environment, whose clock the test moves (virtual time for what the server must see pass).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Child, freePort, spawnTs, until } from './processes.js';

const MAIN = fileURLToPath(new URL('../../packages/server/src/main.ts', import.meta.url));
const MOVABLE_CLOCK_SERVER = fileURLToPath(new URL('./movable-clock-server.ts', import.meta.url));

export interface TesseraOptions {
  /** More environment (TESSERA_ACCESS_TOKEN_TTL_SECONDS, …); it wins over the defaults below. */
  env?: Record<string, string>;
  /** The demo of `npm start` (seed, demo page, example API) on these ports, instead of no demo. */
  demo?: { port: number; apiPort: number };
  /** Run movable-clock-server.ts, whose clock `setClockOffset` moves, starting this far from real time. */
  movableClock?: { offsetSeconds?: number };
}

export interface AdminAnswer<T> {
  status: number;
  body: T;
}

export interface Tessera extends Child {
  /** `http://localhost:<port>`: the public URL, the site the browser pages share. */
  url: string;
  /** `http://127.0.0.1:<port>`: the same server, for the admin API (no cookies of the site). */
  adminUrl: string;
  /** Set for every server but the demo's (which generates and keeps its own unless `env` sets one). */
  adminKey: string;
  /** `{method} /admin/v1{path}` with the admin key; the status and the parsed body. */
  admin<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<AdminAnswer<T>>;
  /** Like `admin`, but any status from 300 up throws (with the answer). */
  adminOk<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  /** The movable clock's offset from real time, in seconds (0 for a server on the system clock). */
  clockOffset(): number;
  /** Moves the movable clock to `seconds` from real time and waits until the server says it has. */
  setClockOffset(seconds: number): Promise<void>;
}

export async function startTessera(options: TesseraOptions = {}): Promise<Tessera> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-e2e-'));
  // The demo's server generates and keeps its own key unless the test gives one in `env`.
  const adminKey =
    options.env?.TESSERA_ADMIN_KEY ?? (options.demo ? '' : randomBytes(32).toString('base64url'));
  const url = `http://localhost:${port}`;
  const env: Record<string, string> = {
    PORT: String(port),
    TESSERA_DATA_DIR: dataDir,
    TESSERA_DATABASE_URL: `sqlite:${join(dataDir, 'tessera.db')}`,
    TESSERA_LOG_LEVEL: 'warn',
    ...(options.demo
      ? { TESSERA_DEMO_PORT: String(options.demo.port), TESSERA_DEMO_API_PORT: String(options.demo.apiPort) }
      : { TESSERA_PUBLIC_URL: url, TESSERA_DEMO: '0', TESSERA_ADMIN_KEY: adminKey }),
    ...(options.movableClock && {
      TESSERA_TEST_CLOCK_OFFSET_SECONDS: String(options.movableClock.offsetSeconds ?? 0),
    }),
    ...options.env,
  };
  let child: Child;
  try {
    child = options.movableClock
      ? await spawnTs(MOVABLE_CLOCK_SERVER, env, /"listening"/)
      : await spawnTs(MAIN, env, /Tessera is running at/);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  let offset = options.movableClock?.offsetSeconds ?? 0;
  const adminUrl = `http://127.0.0.1:${port}`;

  async function admin<T>(method: string, path: string, body?: unknown): Promise<AdminAnswer<T>> {
    const response = await fetch(`${adminUrl}/admin/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${adminKey}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as T };
  }

  return {
    ...child,
    url,
    adminUrl,
    adminKey,
    admin,
    async adminOk<T>(method: string, path: string, body?: unknown) {
      const answer = await admin<T>(method, path, body);
      if (answer.status >= 300)
        throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body;
    },
    clockOffset: () => offset,
    async setClockOffset(seconds: number) {
      if (!options.movableClock) throw new Error('this Tessera runs on the system clock');
      const acknowledged = `{"offset":${seconds}}`;
      const seenBefore = child.output().split(acknowledged).length;
      child.process.stdin?.write(`${JSON.stringify({ offset: seconds })}\n`);
      await until(
        () => child.output().split(acknowledged).length > seenBefore,
        'the clock offset',
        10_000,
        2,
      );
      offset = seconds;
    },
    async stop() {
      try {
        return await child.stop();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
