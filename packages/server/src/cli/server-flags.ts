/**
 * The flags that stand for the common variables (`--port` for PORT, …): a flag given overrides the
 * environment, which is then validated by `loadConfig` like any other start.
 */
import { type Command, Option } from 'commander';
import { type DatabaseConfig, parseDatabaseUrl } from '../config/database-url.js';
import { describeVariable } from '../config/variables.js';
import { CliError, EXIT_USAGE } from './exit-codes.js';

export interface ServerFlags {
  port?: string;
  host?: string;
  databaseUrl?: string;
  publicUrl?: string;
}

export function addDatabaseFlag(command: Command): Command {
  return command.addOption(
    new Option(
      '--database-url <url>',
      'sqlite:<path> or postgres://… (overrides TESSERA_DATABASE_URL) [sqlite:./data/tessera.db]',
    ),
  );
}

export function addServerFlags(command: Command): Command {
  return addDatabaseFlag(
    command
      .addOption(new Option('--port <port>', 'the port to listen on (overrides PORT) [4000]'))
      .addOption(new Option('--host <host>', 'the address to listen on (overrides HOST) [127.0.0.1]')),
  ).addOption(
    new Option('--public-url <url>', 'the public base URL and issuer (overrides TESSERA_PUBLIC_URL)'),
  );
}

/** `env` with the flags given written over it. */
export function withServerFlags(
  env: Record<string, string | undefined>,
  flags: ServerFlags,
): Record<string, string | undefined> {
  return {
    ...env,
    ...(flags.port !== undefined && { PORT: flags.port }),
    ...(flags.host !== undefined && { HOST: flags.host }),
    ...(flags.databaseUrl !== undefined && { TESSERA_DATABASE_URL: flags.databaseUrl }),
    ...(flags.publicUrl !== undefined && { TESSERA_PUBLIC_URL: flags.publicUrl }),
  };
}

/**
 * The database alone, for the commands that need nothing else (`migrate`, `backup`): they do not
 * need TESSERA_SECRET or the admin key. The message never repeats the URL (it may hold a password).
 */
export function databaseOf(env: Record<string, string | undefined>): DatabaseConfig {
  const text = env.TESSERA_DATABASE_URL?.trim() || String(describeVariable('TESSERA_DATABASE_URL').default);
  const parsed = parseDatabaseUrl(text, { cwd: process.cwd(), poolSize: 2 });
  if (!parsed.ok)
    throw new CliError(`TESSERA_DATABASE_URL (or --database-url) ${parsed.problem}`, EXIT_USAGE);
  return parsed.value;
}

/** The URL `openStorage` takes (a PostgreSQL one carries its password: never print it). */
export function storageUrlOf(database: DatabaseConfig): string {
  return database.kind === 'sqlite' ? `sqlite:${database.filename}` : database.url.reveal();
}

/** How a database is named in messages: the SQLite file, or just "PostgreSQL" (the URL may hold a password). */
export function describeDatabase(database: DatabaseConfig): string {
  return database.kind === 'sqlite' ? `SQLite ${database.filename}` : 'PostgreSQL (TESSERA_DATABASE_URL)';
}
