/** `tessera migrate up|status`: the schema, applied or inspected, on SQLite or PostgreSQL. */
import type { Command } from 'commander';
import type { MigrationStatus } from '../storage/port/maintenance.js';
import type { CliIo } from './io.js';
import { withDatabase } from './open-database.js';
import { addDatabaseFlag, databaseOf, describeDatabase, withServerFlags } from './server-flags.js';

export function addMigrateCommand(program: Command, io: CliIo): void {
  const migrate = program
    .command('migrate')
    .description('apply or list the database migrations (safe from several nodes at once)');

  addDatabaseFlag(
    migrate
      .command('up')
      .description('apply the pending migrations; several nodes may run it at once (they take turns)'),
  )
    .option('--json', 'print the result as JSON')
    .action(async (flags: { databaseUrl?: string; json?: boolean }) => {
      const database = databaseOf(withServerFlags(io.env, flags));
      const { before, after } = await withDatabase(database, {}, async (storage) => {
        const before = await storage.migrationStatus();
        await storage.migrate();
        return { before, after: await storage.migrationStatus() };
      });
      // What was pending before and is applied now: by this process or by another node meanwhile.
      const applied = before.pending.filter((id) => !after.pending.includes(id));
      if (flags.json) {
        io.stdout.write(`${JSON.stringify({ applied, pending: after.pending, current: latest(after) })}\n`);
        return;
      }
      io.stdout.write(
        applied.length === 0
          ? `${describeDatabase(database)}: nothing to apply; up to date at ${latest(after)} (${after.applied.length} migrations applied)\n`
          : `${describeDatabase(database)}: applied ${applied.length} migration${applied.length === 1 ? '' : 's'} (${applied.join(', ')}); up to date at ${latest(after)}\n`,
      );
    });

  addDatabaseFlag(
    migrate.command('status').description('list the applied and the pending migrations; changes nothing'),
  )
    .option('--json', 'print the status as JSON')
    .action(async (flags: { databaseUrl?: string; json?: boolean }) => {
      const database = databaseOf(withServerFlags(io.env, flags));
      const status = await withDatabase(database, { mustExist: true }, (storage) =>
        storage.migrationStatus(),
      );
      if (flags.json) {
        io.stdout.write(`${JSON.stringify(status)}\n`);
        return;
      }
      const lines = [`${describeDatabase(database)}:`];
      for (const m of status.applied)
        lines.push(`  applied  ${m.id}  ${new Date(m.appliedAt * 1000).toISOString()}`);
      for (const id of status.pending) lines.push(`  pending  ${id}`);
      lines.push(
        status.pending.length === 0
          ? `${status.applied.length} applied, none pending`
          : `${status.applied.length} applied, ${status.pending.length} pending: run tessera migrate up`,
      );
      io.stdout.write(`${lines.join('\n')}\n`);
    });
}

function latest(status: MigrationStatus): string {
  return status.applied.at(-1)?.id ?? 'none';
}
