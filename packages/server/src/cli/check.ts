/**
 * `tessera check`: the configuration as `tessera serve` would load it, the database reachable and
 * migrated, Redis reachable when configured — every problem reported at once, exit 1 if any.
 */
import type { Command } from 'commander';
import { Redis } from 'ioredis';
import { parseDatabaseUrl } from '../config/database-url.js';
import { loadConfig } from '../config/load-config.js';
import { describeVariable } from '../config/variables.js';
import { ConfigError } from '../errors.js';
import { MIGRATIONS } from '../storage/migrations/migrations.js';
import { CliError, EXIT_FAILURE } from './exit-codes.js';
import type { CliIo } from './io.js';
import { reason, withDatabase } from './open-database.js';
import { addServerFlags, describeDatabase, type ServerFlags, withServerFlags } from './server-flags.js';

const REDIS_TIMEOUT_MILLIS = 3000;

export function addCheckCommand(program: Command, io: CliIo): void {
  addServerFlags(
    program
      .command('check')
      .description(
        'check the configuration and that the database (and Redis, if set) is reachable and migrated; lists every problem',
      ),
  ).action(async (flags: ServerFlags) => {
    const env = withServerFlags(io.env, flags);
    const passed: string[] = [];
    const problems: string[] = [];
    try {
      loadConfig(env);
      passed.push('configuration is valid');
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }

    const databaseText =
      env.TESSERA_DATABASE_URL?.trim() || String(describeVariable('TESSERA_DATABASE_URL').default);
    const database = parseDatabaseUrl(databaseText, { cwd: process.cwd(), poolSize: 1 });
    if (database.ok) {
      const name = describeDatabase(database.value);
      try {
        const status = await withDatabase(database.value, { mustExist: true }, async (storage) => {
          await storage.databaseTime();
          return storage.migrationStatus();
        });
        passed.push(`${name} is reachable`);
        const known = new Set(MIGRATIONS.map((m) => m.id));
        const unknown = status.applied.filter((m) => !known.has(m.id)).map((m) => m.id);
        if (unknown.length > 0) {
          problems.push(
            `${name} has migrations this version does not know (${unknown.join(', ')}): a newer Tessera upgraded it`,
          );
        }
        if (status.pending.length > 0) {
          problems.push(
            `${name} has ${status.pending.length} pending migration${status.pending.length === 1 ? '' : 's'} (${status.pending.join(', ')}): run tessera migrate up`,
          );
        } else if (unknown.length === 0) {
          passed.push(`${name} has every migration applied (${status.applied.length})`);
        }
      } catch (error) {
        problems.push(error instanceof CliError ? `${name}: ${error.message}` : `${name}: ${reason(error)}`);
      }
    }

    const redisUrl = env.TESSERA_REDIS_URL?.trim();
    if (redisUrl && /^rediss?:\/\//.test(redisUrl)) {
      const problem = await pingRedis(redisUrl);
      if (problem) problems.push(`Redis (TESSERA_REDIS_URL) is not reachable: ${problem}`);
      else passed.push('Redis (TESSERA_REDIS_URL) is reachable');
    }

    for (const line of passed) io.stdout.write(`ok       ${line}\n`);
    for (const line of problems) io.stdout.write(`problem  ${line}\n`);
    if (problems.length > 0) {
      throw new CliError(`${problems.length} problem${problems.length === 1 ? '' : 's'} found`, EXIT_FAILURE);
    }
    io.stdout.write('All checks passed.\n');
  });
}

async function pingRedis(url: string): Promise<string | null> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: REDIS_TIMEOUT_MILLIS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // The connection's own error (ECONNREFUSED, ENOTFOUND); connect() then only says it closed.
  let cause: unknown;
  redis.on('error', (error) => {
    cause ??= error;
  });
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    return reason(cause ?? error);
  } finally {
    redis.disconnect();
  }
}
