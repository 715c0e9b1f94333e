/**
 * `tessera backup [file]`: SQLite — an online copy of the database while the server serves;
 * PostgreSQL — the documented pg_dump procedure, printed (docs/cli.md#tessera-backup-file).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SQLITE_MEMORY } from '../config/database-url.js';
import { backupSqliteFile } from '../storage/sqlite/backup.js';
import { CliError, EXIT_USAGE } from './exit-codes.js';
import type { CliIo } from './io.js';
import { addDatabaseFlag, databaseOf, withServerFlags } from './server-flags.js';

export const POSTGRES_BACKUP_PROCEDURE = `PostgreSQL is backed up with its own tools, not by Tessera (docs/deployment.md, "Backups and restore"):

  pg_dump --format=custom --file=tessera.dump "$TESSERA_DATABASE_URL"

  It is consistent while the servers keep serving. To restore, into a new empty database
  (never over the live one):

  sudo -u postgres psql -c "CREATE DATABASE tessera_restored OWNER tessera"
  pg_restore --no-owner --dbname="\${TESSERA_DATABASE_URL%/*}/tessera_restored" tessera.dump
  TESSERA_DATABASE_URL="\${TESSERA_DATABASE_URL%/*}/tessera_restored" tessera check

  then stop the nodes, point TESSERA_DATABASE_URL at it, and start them.
  (\${TESSERA_DATABASE_URL%/*} is the URL without its database name, and without any
  ?sslmode=… options after it: add those to the restored URL.)

Keep TESSERA_SECRET with the dump: without it the stored signing keys cannot be decrypted.
`;

export function addBackupCommand(program: Command, io: CliIo): void {
  addDatabaseFlag(
    program
      .command('backup')
      .description(
        'SQLite: copy the database to a new file while the server serves; PostgreSQL: print the pg_dump procedure',
      )
      .argument('[file]', 'SQLite: the backup file to create (refused if it exists)'),
  ).action(async (file: string | undefined, flags: { databaseUrl?: string }) => {
    const database = databaseOf(withServerFlags(io.env, flags));
    if (database.kind === 'postgres') {
      io.stdout.write(POSTGRES_BACKUP_PROCEDURE);
      return;
    }
    if (file === undefined) {
      throw new CliError('give the backup file to create: tessera backup <file>', EXIT_USAGE);
    }
    if (database.filename === SQLITE_MEMORY) {
      throw new CliError('sqlite::memory: is private to one process: there is nothing to back up');
    }
    const target = resolve(file);
    const result = await backupSqliteFile(database.filename, target);
    if (!result.ok) {
      switch (result.problem) {
        case 'source_missing':
          throw new CliError(`the SQLite database ${database.filename} does not exist (${result.detail})`);
        case 'target_exists':
          throw new CliError(`${target} already exists: choose a new file (nothing was written)`);
        case 'target_unwritable':
          throw new CliError(
            `cannot create ${target} (${result.detail}): is its directory there and writable?`,
          );
        case 'disk_full':
          throw new CliError(
            `the disk holding ${target} is full (${result.detail}): nothing was kept, the database is untouched`,
          );
        case 'failed':
          throw new CliError(
            `the backup failed (${result.detail}): nothing was kept, the database is untouched`,
          );
      }
    }
    io.stdout.write(
      `Backed up ${database.filename} to ${target} (${result.pages} pages).\n` +
        'Keep the master secret with it (TESSERA_SECRET, or secret.key in the data folder): without it the stored signing keys cannot be decrypted.\n',
    );
  });
}
