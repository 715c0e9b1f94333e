/**
 * The command line itself: `--help` on every command, and each way of calling it wrongly answered
 * by one line on standard error naming the problem, exit 2, never a stack trace (docs/cli.md).
 */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { oneLine, runTessera } from './cli.test-helpers.js';
import { EXIT_USAGE } from './exit-codes.js';
import { createProgram, runCli } from './program.js';

/** Every command path: `serve`, `migrate up`, `users disable`, … */
function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands
    .filter((c) => c.name() !== 'help')
    .flatMap((c) => [[...prefix, c.name()], ...commandPaths(c, [...prefix, c.name()])]);
}

const silent = { write: () => true };
const paths = commandPaths(
  createProgram({ env: {}, stdout: silent, stderr: silent, readStdin: async () => '' }),
);

describe('tessera --help', () => {
  it('lists the commands of the issue', () => {
    expect(paths.map((p) => p.join(' '))).toEqual(
      expect.arrayContaining([
        'serve',
        'migrate up',
        'migrate status',
        'secret',
        'backup',
        'check',
        'clients create',
        'users create',
        'users disable',
        'tenants create',
        'roles create',
        'members add',
        'sessions list',
        'sessions end',
        'keys rotate',
      ]),
    );
  });

  // In this process (the same program the binary runs; a child each would take minutes).
  it.each(paths.map((p) => [p.join(' ')]))('answers on `tessera %s --help`, exit 0', async (path) => {
    let stdout = '';
    let stderr = '';
    const outcome = await runCli([...path.split(' '), '--help'], {
      env: {},
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      readStdin: async () => '',
    });
    expect(outcome).toEqual({ kind: 'exit', code: 0 });
    expect(stdout).toContain(`Usage: tessera ${path}`);
    expect(stderr).toBe('');
  });

  it('answers on `tessera users disable --help` as a process too', async () => {
    const run = await runTessera(['users', 'disable', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: tessera users disable [options] <user>');
  });

  it('answers on `tessera --help` with the exit codes', async () => {
    const run = await runTessera(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Exit codes: 0 done, 1 failed');
  });
});

describe.concurrent('calling it wrongly: one line, exit 2', () => {
  const cases: [string, string[], RegExp][] = [
    [
      'an unknown command, with a suggestion',
      ['serv'],
      /^tessera: unknown command 'serv' \(Did you mean serve\?\)$/,
    ],
    ['an unknown subcommand', ['migrate', 'down'], /^tessera: unknown command 'down'/],
    ['an unknown flag', ['serve', '--bogus'], /^tessera: unknown option '--bogus'$/],
    ['a flag without its value', ['serve', '--port'], /^tessera: option '--port <port>' argument missing$/],
    ['a missing argument', ['members', 'add'], /^tessera: missing required argument 'tenantId'$/],
    [
      'a SQLite backup without its file',
      ['backup'],
      /^tessera: give the backup file to create: tessera backup <file>$/,
    ],
    [
      'a missing required flag',
      ['tenants', 'create', '--admin-key', 'k'.repeat(32)],
      /^tessera: required option '--name <name>' not specified$/,
    ],
    [
      'a value outside its choices',
      ['clients', 'create', '--name', 'A', '--type', 'web'],
      /^tessera: option '--type <type>' argument 'web' is invalid\. Allowed choices are spa, confidential\.$/,
    ],
    ['an extra argument', ['secret', 'extra'], /^tessera: too many arguments for 'secret'/],
    [
      'no admin key anywhere',
      ['keys', 'rotate'],
      /^tessera: no admin key: set TESSERA_ADMIN_KEY or pass --admin-key/,
    ],
    [
      'a --url that is not a URL',
      ['keys', 'rotate', '--url', 'nowhere', '--admin-key', 'k'.repeat(32)],
      /^tessera: --url must be an http:\/\/ or https:\/\/ URL, not "nowhere"$/,
    ],
    [
      'a database URL of no known kind',
      ['migrate', 'up', '--database-url', 'mysql://u:hunter2@db/x'],
      /^tessera: TESSERA_DATABASE_URL \(or --database-url\) must start with sqlite: or postgres:\/\/ or postgresql:\/\/ \(the value is not shown\)$/,
    ],
    [
      'sessions end with neither a session nor a user',
      ['sessions', 'end', '--admin-key', 'k'.repeat(32)],
      /^tessera: name one session id, or a user with --user$/,
    ],
  ];

  it.each(cases)('%s', async (_name, args, message) => {
    const run = await runTessera(args, { env: { TESSERA_DATA_DIR: '/nonexistent/tessera-cli-test' } });
    expect(run.code).toBe(EXIT_USAGE);
    expect(oneLine(run)).toMatch(message);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toContain('hunter2');
  });

  it('no command at all: the help, on standard error, exit 2', async () => {
    const run = await runTessera([]);
    expect(run.code).toBe(EXIT_USAGE);
    expect(run.stderr).toContain('Usage: tessera');
    expect(run.stdout).toBe('');
  });
});

describe('tessera secret', () => {
  it('prints a fresh 32-byte base64url secret each time, which TESSERA_SECRET accepts', async () => {
    const [a, b] = await Promise.all([runTessera(['secret']), runTessera(['secret'])]);
    for (const run of [a, b]) {
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
      expect(Buffer.from(run.stdout.trim(), 'base64url')).toHaveLength(32);
    }
    expect(a.stdout).not.toBe(b.stdout);
    const check = await runTessera(['check', '--database-url', 'sqlite::memory:'], {
      env: { TESSERA_SECRET: a.stdout.trim(), TESSERA_ADMIN_KEY: b.stdout.trim() },
    });
    expect(check.stdout).toContain('ok       configuration is valid');
  });
});
