/** `tessera serve`: the server, as `npm start` runs it but with the demo off unless `--demo`. */
import type { Command } from 'commander';
import { ConfigError } from '../errors.js';
import { startTessera } from '../start.js';
import { CliError } from './exit-codes.js';
import type { CliIo } from './io.js';
import { addServerFlags, type ServerFlags, withServerFlags } from './server-flags.js';

export function addServeCommand(program: Command, io: CliIo): void {
  addServerFlags(
    program
      .command('serve')
      .description('start the server (configured by environment variables; see docs/configuration.md)'),
  )
    .option(
      '--demo',
      'seed the demo users and serve the demo page (TESSERA_DEMO=1; refused unless the public URL is loopback)',
    )
    .option(
      '--workers <n>',
      'server processes on this machine, 1 to 256 or auto (one per core); overrides TESSERA_WORKERS [1]',
    )
    .action(async (flags: ServerFlags & { demo?: boolean; workers?: string }) => {
      const env = withServerFlags(io.env, flags);
      if (flags.demo) env.TESSERA_DEMO = '1';
      if (flags.workers !== undefined) env.TESSERA_WORKERS = flags.workers;
      try {
        await startTessera({ env, demoDefault: 'off' });
      } catch (error) {
        if (error instanceof ConfigError) throw configFailure(error);
        throw new CliError(`failed to start: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
}

/** Every problem, on one line each after the first (the configuration's own format). */
export function configFailure(error: ConfigError): CliError {
  return new CliError(
    `invalid configuration (see docs/configuration.md):\n${error.problems.map((p) => `  - ${p}`).join('\n')}`,
  );
}
