import { type Command, Option } from 'commander';
import { CliError } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { type AdminApi, type AdminFlags, adminApi } from './admin-api.js';

/** The options every admin shortcut takes, and its action with the API ready. */
export function adminCommand<A extends unknown[], F extends object>(
  command: Command,
  io: CliIo,
  action: (api: AdminApi, flags: AdminFlags & F, ...args: A) => Promise<void>,
): Command {
  return command
    .addOption(new Option('--url <url>', 'the server [TESSERA_PUBLIC_URL, else http://localhost:4000]'))
    .addOption(
      new Option(
        '--admin-key <key>',
        'the admin key [TESSERA_ADMIN_KEY, else <TESSERA_DATA_DIR>/admin.key]; prefer the variable: a flag shows in `ps`',
      ),
    )
    .addOption(new Option('--env <envId>', 'the environment').default('default'))
    .option('--json', 'print the API answer as JSON')
    .action(async (...received: unknown[]) => {
      // commander passes the arguments, then the options, then the command itself.
      const args = received.slice(0, -2) as A;
      const flags = received.at(-2) as AdminFlags & F;
      await action(adminApi(flags, io.env), flags, ...args);
    });
}

export interface UserRef {
  id: string;
  email: string;
}

/** A user named by id, or by email (anything with an `@`), looked up exactly. */
export async function findUser(api: AdminApi, user: string): Promise<UserRef> {
  if (!user.includes('@')) return { id: user, email: '' };
  const found = await api.request<UserRef[]>('GET', `/users?email=${encodeURIComponent(user)}`);
  const match = found[0];
  if (!match) {
    throw new CliError(`no user with the email ${JSON.stringify(user)} in this environment`);
  }
  return match;
}
