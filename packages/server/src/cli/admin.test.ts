/**
 * The admin shortcuts against a real server in its own process: each daily task, human output and
 * `--json`, the API's own error message on failure, a wrong admin key and an unreachable server as
 * one line with exit 1, and hostile values printed as text.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChildServer, startChildServer } from '@tessera/testing/child-process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { text } from './admin/output.js';
import { browserLogin, freePort, ORIGIN, oneLine, runTessera } from './cli.test-helpers.js';

const adminKey = randomBytes(32).toString('base64url');
const PASSWORD = 'a long enough password for the test';
const dir = mkdtempSync(join(tmpdir(), 'tessera-cli-admin-'));
let server: ChildServer;
let env: Record<string, string>;

const tessera = (args: string[], input?: string) =>
  runTessera(args, { env, ...(input !== undefined && { input }) });

beforeAll(async () => {
  server = await startChildServer({ TESSERA_ADMIN_KEY: adminKey, TESSERA_DATABASE_URL: 'sqlite::memory:' });
  env = { TESSERA_ADMIN_KEY: adminKey, TESSERA_PUBLIC_URL: server.url };
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the admin shortcuts', () => {
  it('set up an app, a user in a tenant, list and end their sessions, disable them, rotate keys', {
    timeout: 240_000,
  }, async () => {
    const client = await tessera([
      'clients',
      'create',
      '--name',
      'Web',
      '--type',
      'spa',
      '--id',
      'app',
      '--origin',
      ORIGIN,
      '--json',
    ]);
    expect(client.code).toBe(0);
    expect(JSON.parse(client.stdout)).toMatchObject({
      clientId: 'app',
      type: 'spa',
      allowedOrigins: [ORIGIN],
    });

    const backend = await tessera(['clients', 'create', '--name', 'Backend', '--type', 'confidential']);
    expect(backend.stdout).toMatch(
      /^Created client [\w-]+ \(confidential, Backend\)\nClient secret: \S{20,} {3}\(shown once/,
    );

    const user = await tessera(
      ['users', 'create', '--email', 'ada@example.com', '--password-stdin'],
      `${PASSWORD}\n`,
    );
    expect(user.code).toBe(0);
    expect(user.stdout).toMatch(/^Created user \S+ \(ada@example\.com\)\n$/);

    expect((await tessera(['tenants', 'create', '--id', 'acme', '--name', 'Acme'])).stdout).toBe(
      'Created tenant acme (Acme)\n',
    );
    const member = await tessera(['members', 'add', 'acme', 'ada@example.com']);
    expect(member.stdout).toMatch(/^User \S+ is a member of acme \(no roles\)\n$/);
    const unknownRole = await tessera(['members', 'add', 'acme', 'ada@example.com', '--role', 'admin']);
    expect(unknownRole.code).toBe(1);
    expect(
      (await tessera(['roles', 'create', 'admin', '--permission', 'billing:read', 'users:*'])).stdout,
    ).toBe('Created role admin (admin) with permissions billing:read, users:*\n');
    const admin = await tessera(['members', 'add', 'acme', 'ada@example.com', '--role', 'admin']);
    expect(admin.stdout).toMatch(/^User \S+ is a member of acme with roles admin\n$/);

    const first = await browserLogin(server.url, 'ada@example.com', PASSWORD, 'app');
    const listed = JSON.parse(
      (await tessera(['sessions', 'list', '--user', 'ada@example.com', '--json'])).stdout,
    ) as { sid: string }[];
    expect(listed).toHaveLength(1);
    const sid = listed[0]!.sid;
    expect((await tessera(['sessions', 'list'])).stdout).toContain(`${sid}  `);
    expect((await tessera(['sessions', 'end', sid])).stdout).toBe(`Ended session ${sid}\n`);
    expect(await first.refresh()).toBe(401);

    const [a, b] = [
      await browserLogin(server.url, 'ada@example.com', PASSWORD, 'app'),
      await browserLogin(server.url, 'ada@example.com', PASSWORD, 'app'),
    ];
    const endAll = await tessera(['sessions', 'end', '--user', 'ada@example.com']);
    expect(endAll.stdout).toMatch(/^Ended every session of user \S+\n$/);
    expect([await a.refresh(), await b.refresh()]).toEqual([401, 401]);

    const second = await browserLogin(server.url, 'ada@example.com', PASSWORD, 'app');
    const disabled = await tessera(['users', 'disable', 'ada@example.com']);
    expect(disabled.stdout).toMatch(/^Disabled user \S+ \(ada@example\.com\); their sessions ended\n$/);
    expect(await second.refresh()).toBe(403); // user_disabled
    await expect(browserLogin(server.url, 'ada@example.com', PASSWORD, 'app')).rejects.toThrow(
      /login answered 4\d\d/,
    );

    const rotated = await tessera(['keys', 'rotate', '--json']);
    expect(JSON.parse(rotated.stdout)).toMatchObject({
      kid: expect.any(String),
      activatesAt: expect.any(String),
    });
  });

  it("shows the API's error message: one line, exit 1", { timeout: 120_000 }, async () => {
    await tessera(['users', 'create', '--email', 'twice@example.com', '--password', PASSWORD]);
    const again = await tessera(['users', 'create', '--email', 'twice@example.com', '--password', PASSWORD]);
    expect(again.code).toBe(1);
    expect(oneLine(again)).toBe('tessera: A user with this email already exists. (conflict, HTTP 409)');
    const bad = await tessera([
      'clients',
      'create',
      '--name',
      'A',
      '--type',
      'spa',
      '--origin',
      'not an origin',
    ]);
    expect(bad.code).toBe(1);
    expect(oneLine(bad)).toMatch(/^tessera: .+ \(invalid_request, HTTP 400\)$/);
    const noEnv = await tessera(['keys', 'rotate', '--env', 'staging']);
    expect(noEnv.code).toBe(1);
    expect(oneLine(noEnv)).toMatch(/^tessera: .+ \(not_found, HTTP 404\)$/);
    const badRole = await tessera(['roles', 'create', 'has space']);
    expect(badRole.code).toBe(1);
    expect(oneLine(badRole)).toMatch(/^tessera: .+ \(invalid_request, HTTP 400\)$/);
    await tessera(['roles', 'create', 'viewer']);
    expect(oneLine(await tessera(['roles', 'create', 'viewer']))).toMatch(
      /^tessera: .+ \(conflict, HTTP 409\)$/,
    );
    const missing = await tessera(['users', 'disable', 'nobody@example.com']);
    expect(oneLine(missing)).toBe('tessera: no user with the email "nobody@example.com" in this environment');
  });

  it('a wrong admin key: one line, exit 1, the key not shown', async () => {
    const wrong = 'w'.repeat(40);
    const run = await runTessera(['keys', 'rotate', '--url', server.url, '--admin-key', wrong]);
    expect(run.code).toBe(1);
    expect(oneLine(run)).toBe(
      `tessera: the server at ${server.url} refused the admin key (401): check --admin-key or TESSERA_ADMIN_KEY`,
    );
    expect(run.stderr + run.stdout).not.toContain(wrong);
  });

  it('an unreachable server: one line naming it, exit 1', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const run = await runTessera(['sessions', 'list', '--url', url, '--admin-key', adminKey]);
    expect(run.code).toBe(1);
    expect(oneLine(run)).toBe(
      `tessera: cannot reach the Tessera server at ${url}: connect ECONNREFUSED ${url.slice(7)}`,
    );
  });

  it('prints hostile names as they are, as text', async () => {
    const run = await tessera(['tenants', 'create', '--name', '<script>alert(1)</script> & "x"']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Created tenant \S+ \(<script>alert\(1\)<\/script> & "x"\)\n$/);
  });

  it('would escape a control character rather than write it to the terminal', () => {
    expect(text('\u001b[31mred\u0007\u2028')).toBe('\\u001b[31mred\\u0007\\u2028');
    expect(text(null)).toBe('-');
  });

  it('finds the admin key tessera serve generated into the data folder', async () => {
    const data = join(dir, 'data');
    mkdirSync(data);
    writeFileSync(join(data, 'admin.key'), `${adminKey}\n`);
    const run = await runTessera(['keys', 'rotate', '--url', server.url], {
      env: { TESSERA_DATA_DIR: data },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Published key \S+ \(ES256\); it starts signing at /);
  });
});
