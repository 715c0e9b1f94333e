/**
 * The `tessera` command line (docs/cli.md), on commander: every command with `--help`, usage
 * errors (an unknown command or flag, a missing value) as one line and exit 2, failures as one
 * line and exit 1, never a stack trace.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../errors.js';
import { addDirectoryCommands } from './admin/directory-commands.js';
import { addSessionCommands } from './admin/session-commands.js';
import { addBackupCommand } from './backup.js';
import { addCheckCommand } from './check.js';
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';
import { addMigrateCommand } from './migrate.js';
import { addSecretCommand } from './secret.js';
import { addServeCommand, configFailure } from './serve.js';

/** What a run left behind: an exit code, or `serving` when the server now runs until a signal. */
export type CliOutcome = { kind: 'exit'; code: ExitCode } | { kind: 'serving' };

export function createProgram(io: CliIo): Command {
  const program = new Command('tessera')
    .description('Tessera, the self-hostable session-token server: run it, migrate, back up, administer')
    .version(packageVersion(), '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .helpCommand('help [command]', 'show help for a command')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // One line: commander puts a suggestion ("Did you mean …?") on a line of its own.
      outputError: (text, write) =>
        write(
          `tessera: ${text
            .replace(/^error: /, '')
            .replace(/\s*\n\s*(?=\S)/g, ' ')
            .trim()}\n`,
        ),
    })
    .showSuggestionAfterError(true);
  program.addHelpText(
    'after',
    '\nExit codes: 0 done, 1 failed (a problem found, the server refused), 2 wrong usage.\nEvery command reads the environment variables of docs/configuration.md. See docs/cli.md.',
  );
  addServeCommand(program, io);
  addMigrateCommand(program, io);
  addSecretCommand(program, io);
  addBackupCommand(program, io);
  addCheckCommand(program, io);
  addDirectoryCommands(program, io);
  addSessionCommands(program, io);
  return program;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<CliOutcome> {
  const program = createProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    return { kind: 'exit', code: failure(error, io) };
  }
  return program.args[0] === 'serve' ? { kind: 'serving' } : { kind: 'exit', code: EXIT_OK };
}

function failure(error: unknown, io: CliIo): ExitCode {
  if (error instanceof CommanderError) {
    // Already written through outputError (or help / the version on standard output).
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_OK;
    return EXIT_USAGE;
  }
  const known = error instanceof ConfigError ? configFailure(error) : error;
  if (known instanceof CliError) {
    io.stderr.write(`tessera: ${known.message}\n`);
    return known.exitCode;
  }
  const message = error instanceof Error ? error.message.split('\n', 1)[0] : String(error);
  io.stderr.write(`tessera: ${message || 'failed'}\n`);
  return EXIT_FAILURE;
}

function packageVersion(): string {
  const file = new URL('../../package.json', import.meta.url);
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
