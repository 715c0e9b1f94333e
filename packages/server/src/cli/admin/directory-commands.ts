/**
 * `tessera clients create`, `users create|disable`, `tenants create`, `roles create`, `members add`
 * (DESIGN §3.3).
 */
import { type Command, Option } from 'commander';
import { CliError, EXIT_USAGE } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { adminCommand, findUser } from './admin-options.js';
import { printResult, text } from './output.js';

interface Client {
  clientId: string;
  name: string;
  type: string;
  clientSecret?: string;
}
interface User {
  id: string;
  email: string;
  name: string | null;
  status: string;
}

export function addDirectoryCommands(program: Command, io: CliIo): void {
  const clients = program.command('clients').description('manage clients (applications)');
  adminCommand<
    [],
    {
      name: string;
      type: string;
      id?: string;
      redirectUri?: string[];
      origin?: string[];
      postLogoutRedirectUri?: string[];
    }
  >(
    clients
      .command('create')
      .description('create a client; a confidential client gets its secret printed once')
      .requiredOption('--name <name>', 'its display name')
      .addOption(
        new Option('--type <type>', 'spa (a browser app) or confidential (a server)')
          .choices(['spa', 'confidential'])
          .makeOptionMandatory(),
      )
      .option('--id <clientId>', 'its client id [generated]')
      .option('--redirect-uri <uri...>', 'allowed redirect URIs for hosted login')
      .option('--origin <origin...>', 'allowed browser origins (scheme://host[:port])')
      .option('--post-logout-redirect-uri <uri...>', 'allowed post-logout redirect URIs'),
    io,
    async (api, flags) => {
      const client = await api.request<Client>('POST', '/clients', {
        ...(flags.id !== undefined && { clientId: flags.id }),
        name: flags.name,
        type: flags.type,
        redirectUris: flags.redirectUri ?? [],
        allowedOrigins: flags.origin ?? [],
        postLogoutRedirectUris: flags.postLogoutRedirectUri ?? [],
      });
      printResult(io, flags.json, client, () => [
        `Created client ${text(client.clientId)} (${text(client.type)}, ${text(client.name)})`,
        ...(client.clientSecret
          ? [`Client secret: ${client.clientSecret}   (shown once: only its hash is stored)`]
          : []),
      ]);
    },
  );

  const users = program.command('users').description('manage users');
  adminCommand<[], { email: string; name?: string; password?: string; passwordStdin?: boolean }>(
    users
      .command('create')
      .description('create a user with a password (from standard input with --password-stdin)')
      .requiredOption('--email <email>', 'their email, which they log in with')
      .option('--name <name>', 'their display name')
      .option('--password-stdin', 'read the password from the first line of standard input (recommended)')
      .option(
        '--password <password>',
        'the password (shows in `ps` and shell history: prefer --password-stdin)',
      ),
    io,
    async (api, flags) => {
      const password = await passwordOf(flags, io);
      const user = await api.request<User>('POST', '/users', {
        email: flags.email,
        password,
        ...(flags.name !== undefined && { name: flags.name }),
      });
      printResult(io, flags.json, user, () => [`Created user ${text(user.id)} (${text(user.email)})`]);
    },
  );
  adminCommand<[string], object>(
    users
      .command('disable')
      .description('disable a user: they cannot log in, and every session of theirs ends at once')
      .argument('<user>', 'the user id, or their email'),
    io,
    async (api, flags, ref) => {
      const { id } = await findUser(api, ref);
      const user = await api.request<User>('PATCH', `/users/${encodeURIComponent(id)}`, {
        status: 'disabled',
      });
      printResult(io, flags.json, user, () => [
        `Disabled user ${text(user.id)} (${text(user.email)}); their sessions ended`,
      ]);
    },
  );

  const tenants = program.command('tenants').description('manage tenants');
  adminCommand<[], { name: string; id?: string }>(
    tenants
      .command('create')
      .description('create a tenant')
      .requiredOption('--name <name>', 'its display name')
      .option('--id <tenantId>', 'its id [generated]'),
    io,
    async (api, flags) => {
      const tenant = await api.request<{ id: string; name: string }>('POST', '/tenants', {
        ...(flags.id !== undefined && { id: flags.id }),
        name: flags.name,
      });
      printResult(io, flags.json, tenant, () => [`Created tenant ${text(tenant.id)} (${text(tenant.name)})`]);
    },
  );

  const roles = program.command('roles').description("manage the environment's roles");
  adminCommand<[string], { name?: string; permission?: string[] }>(
    roles
      .command('create')
      .description('create a role, which `members add --role` can then give')
      .argument('<key>', 'its key (letters, digits and . _ : -), the value tokens carry')
      .option('--name <name>', 'its display name [the key]')
      .option('--permission <permission...>', 'permissions the role grants [none]'),
    io,
    async (api, flags, key) => {
      const role = await api.request<{ key: string; name: string; permissions: string[] }>('POST', '/roles', {
        key,
        name: flags.name ?? key,
        permissions: flags.permission ?? [],
      });
      printResult(io, flags.json, role, () => [
        `Created role ${text(role.key)} (${text(role.name)})` +
          (role.permissions.length > 0
            ? ` with permissions ${role.permissions.map(text).join(', ')}`
            : ' (no permissions)'),
      ]);
    },
  );

  const members = program.command('members').description("manage tenants' members");
  adminCommand<[string, string], { role?: string[] }>(
    members
      .command('add')
      .description(
        'make a user a member of a tenant, with roles (replaces the roles of an existing membership)',
      )
      .argument('<tenantId>', 'the tenant')
      .argument('<user>', 'the user id, or their email')
      .option('--role <key...>', 'role keys [none]'),
    io,
    async (api, flags, tenantId, ref) => {
      const { id } = await findUser(api, ref);
      const membership = await api.request<{ tenantId: string; userId: string; roles: string[] }>(
        'PUT',
        `/tenants/${encodeURIComponent(tenantId)}/members/${encodeURIComponent(id)}`,
        { roles: flags.role ?? [] },
      );
      printResult(io, flags.json, membership, () => [
        `User ${text(membership.userId)} is a member of ${text(membership.tenantId)}` +
          (membership.roles.length > 0
            ? ` with roles ${membership.roles.map(text).join(', ')}`
            : ' (no roles)'),
      ]);
    },
  );
}

async function passwordOf(flags: { password?: string; passwordStdin?: boolean }, io: CliIo): Promise<string> {
  if (flags.password !== undefined && flags.passwordStdin) {
    throw new CliError('give the password once: --password or --password-stdin, not both', EXIT_USAGE);
  }
  if (flags.password !== undefined) return flags.password;
  if (!flags.passwordStdin)
    throw new CliError('a password is needed: --password-stdin (or --password)', EXIT_USAGE);
  const line = (await io.readStdin()).split(/\r?\n/, 1)[0] ?? '';
  if (line === '') throw new CliError('--password-stdin read an empty password', EXIT_USAGE);
  return line;
}
