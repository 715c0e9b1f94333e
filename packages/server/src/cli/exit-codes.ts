/**
 * The CLI's exit codes (docs/cli.md): 0 done, 1 the command ran and failed (a problem found, the
 * server refused, a database unreachable), 2 it was called wrongly (an unknown command or flag, a
 * missing value), like most Unix tools.
 */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export type ExitCode = typeof EXIT_OK | typeof EXIT_FAILURE | typeof EXIT_USAGE;

/**
 * A failure the CLI reports as one line on standard error, without a stack trace. `message` names
 * the problem and never holds a secret.
 */
export class CliError extends Error {
  readonly exitCode: ExitCode;

  constructor(message: string, exitCode: ExitCode = EXIT_FAILURE) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
