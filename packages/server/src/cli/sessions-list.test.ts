/**
 * `tessera sessions list` reads every page of the admin API's session list, following its
 * `Link: <…?cursor=…>; rel="next"` (docs/cli.md): an environment with more live sessions than the
 * largest page (200) is listed whole, in table and `--json` output, for the environment and for one
 * user; `--limit <n>` stops at n, across a page boundary; a bad `--limit` is one line and exit 2.
 * The sessions are written straight into the server's SQLite file: 200+ logins would spend
 * minutes hashing passwords for nothing this test looks at.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChildServer, startChildServer } from '@tessera/testing/child-process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../service/admin/paging.js';
import { openStorage } from '../storage/open.js';
import { generateRefreshToken, hashRefreshToken } from '../tokens/refresh-token.js';
import { nextCursor } from './admin/admin-api.js';
import { oneLine, runTessera } from './cli.test-helpers.js';

const adminKey = randomBytes(32).toString('base64url');
const dir = mkdtempSync(join(tmpdir(), 'tessera-cli-sessions-'));
const databaseUrl = `sqlite:${join(dir, 'tessera.db')}`;
/** More than one page of the largest size, so that every listing below needs a second request. */
const ADA_SESSIONS = PAGE_SIZE.max + 5;
const BOB_SESSIONS = 3;
let server: ChildServer;
let env: Record<string, string>;
/** Every live session's id, most recently active first (the order the API lists them in). */
const expected: string[] = [];
const expectedOfAda: string[] = [];

const tessera = (args: string[]) => runTessera(args, { env });

async function admin(path: string, body: unknown): Promise<{ id?: string }> {
  const response = await fetch(`${server.url}/admin/v1/environments/default${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id?: string };
}

beforeAll(async () => {
  server = await startChildServer({ TESSERA_ADMIN_KEY: adminKey, TESSERA_DATABASE_URL: databaseUrl });
  env = { TESSERA_ADMIN_KEY: adminKey, TESSERA_PUBLIC_URL: server.url };
  await admin('/clients', {
    clientId: 'app',
    name: 'Web',
    type: 'spa',
    redirectUris: [],
    allowedOrigins: ['http://localhost:5173'],
    postLogoutRedirectUris: [],
  });
  const ada = (await admin('/users', { email: 'ada@example.com', password: 'a long enough password 1' })).id!;
  const bob = (await admin('/users', { email: 'bob@example.com', password: 'a long enough password 2' })).id!;

  // Each session active one second before the previous one: a strict order, no ties to page over.
  const storage = await openStorage(databaseUrl);
  try {
    const now = Math.floor(Date.now() / 1000);
    const owners = [
      ...Array.from({ length: ADA_SESSIONS }, () => ada),
      ...Array.from({ length: BOB_SESSIONS }, () => bob),
    ];
    for (const [i, userId] of owners.entries()) {
      const id = `ses_cli_list_${String(i).padStart(4, '0')}`;
      const at = now - i;
      const created = await storage.createSession({
        session: {
          id,
          envId: 'default',
          userId,
          clientId: 'app',
          createdAt: at,
          authTime: at,
          lastActiveAt: at,
          lastRefreshAt: at,
          defaultTenantId: null,
          userAgent: null,
          ip: null,
        },
        token: { hash: hashRefreshToken(generateRefreshToken()), issuedAt: at, expiresAt: now + 3600 },
        decide: () => ({ kind: 'create', end: [] }),
      });
      if (!created.created) throw new Error(`session ${id} was not created`);
      expected.push(id);
      if (userId === ada) expectedOfAda.push(id);
    }
  } finally {
    await storage.close();
  }
}, 120_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('tessera sessions list', () => {
  it('prints every session of the environment, past the first page, as JSON', {
    timeout: 60_000,
  }, async () => {
    const run = await tessera(['sessions', 'list', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const listed = JSON.parse(run.stdout) as { sid: string }[];
    expect(listed.map((s) => s.sid)).toEqual(expected);
  });

  it('prints every session as a table, one line each', { timeout: 60_000 }, async () => {
    const run = await tessera(['sessions', 'list']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.map((line) => line.split('  ')[0])).toEqual(expected);
  });

  it("prints every session of one user, past the first page, and no one else's", {
    timeout: 60_000,
  }, async () => {
    const run = await tessera(['sessions', 'list', '--user', 'ada@example.com', '--json']);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { sid: string }[]).map((s) => s.sid)).toEqual(expectedOfAda);
  });

  it('stops at --limit, across a page boundary, in both outputs', { timeout: 60_000 }, async () => {
    const beyondAPage = await tessera(['sessions', 'list', '--limit', String(PAGE_SIZE.max + 1), '--json']);
    expect(beyondAPage.code).toBe(0);
    expect((JSON.parse(beyondAPage.stdout) as { sid: string }[]).map((s) => s.sid)).toEqual(
      expected.slice(0, PAGE_SIZE.max + 1),
    );
    const three = await tessera(['sessions', 'list', '--limit', '3']);
    expect(three.code).toBe(0);
    expect(
      three.stdout
        .trimEnd()
        .split('\n')
        .map((line) => line.split('  ')[0]),
    ).toEqual(expected.slice(0, 3));
    const more = await tessera(['sessions', 'list', '--limit', '100000', '--json']);
    expect((JSON.parse(more.stdout) as unknown[]).length).toBe(expected.length);
  });

  it.each([
    ['zero', '0'],
    ['negative', '-3'],
    ['not a number', 'ten'],
    ['a fraction', '2.5'],
    ['an exponent', '1e3'],
    ['empty', ''],
  ])(
    'refuses a --limit that is %s: one line, exit 2, nothing printed',
    { timeout: 60_000 },
    async (_name, limit) => {
      const run = await tessera(['sessions', 'list', `--limit=${limit}`]);
      expect(run.code).toBe(2);
      expect(oneLine(run)).toBe(
        `tessera: --limit must be a whole number of at least 1, not ${JSON.stringify(limit)}`,
      );
      expect(run.stdout).toBe('');
    },
  );
});

describe('nextCursor', () => {
  it('reads the cursor of the rel="next" link, and nothing else', () => {
    expect(nextCursor('</admin/v1/environments/default/sessions?cursor=abc_-1&limit=200>; rel="next"')).toBe(
      'abc_-1',
    );
    expect(nextCursor('<https://a.example/x?cursor=q1>; rel=next')).toBe('q1');
    expect(nextCursor('</x?cursor=p>; rel="prev", </x?cursor=n>; rel="next"')).toBe('n');
    expect(nextCursor(null)).toBeNull();
    expect(nextCursor('</x?cursor=p>; rel="prev"')).toBeNull();
    expect(nextCursor('</x?limit=5>; rel="next"')).toBeNull();
    expect(nextCursor('garbage')).toBeNull();
  });
});
