/** `tessera secret`: a fresh random value for TESSERA_SECRET or TESSERA_ADMIN_KEY. */
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { MASTER_SECRET_BYTES } from '../config/secret.js';
import type { CliIo } from './io.js';

export function addSecretCommand(program: Command, io: CliIo): void {
  program
    .command('secret')
    .description(
      `print a fresh random secret (${MASTER_SECRET_BYTES} bytes, base64url) for TESSERA_SECRET or TESSERA_ADMIN_KEY`,
    )
    .action(() => {
      io.stdout.write(`${randomBytes(MASTER_SECRET_BYTES).toString('base64url')}\n`);
    });
}
