/** `tessera sessions list|end` and `tessera keys rotate` (DESIGN §3.3). */
import type { Command } from 'commander';
import { CliError, EXIT_USAGE } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { adminCommand, findUser } from './admin-options.js';
import { printResult, text } from './output.js';

interface AdminSession {
  sid: string;
  userId: string;
  tenantId: string | null;
  clientId: string;
  lastActiveAt: string;
  ip: string | null;
  device: { label: string };
}

export function addSessionCommands(program: Command, io: CliIo): void {
  const sessions = program.command('sessions').description('list and end live sessions');
  adminCommand<[], { user?: string; limit?: string }>(
    sessions
      .command('list')
      .description(
        'list live sessions, most recently active first: every page, or the first <n> with --limit',
      )
      .option('--user <user>', "only this user's (id or email)")
      .option('--limit <n>', 'at most this many [all]'),
    io,
    async (api, flags) => {
      const limit = flags.limit === undefined ? undefined : limitOf(flags.limit);
      const query = new URLSearchParams();
      if (flags.user !== undefined) query.set('userId', (await findUser(api, flags.user)).id);
      const list = await api.list<AdminSession>('/sessions', query, limit);
      printResult(io, flags.json, list, () =>
        list.length === 0
          ? ['No live sessions.']
          : list.map((s) =>
              [s.sid, s.userId, s.clientId, s.tenantId, s.lastActiveAt, s.ip, s.device.label]
                .map(text)
                .join('  '),
            ),
      );
    },
  );
  adminCommand<[string | undefined], { user?: string }>(
    sessions
      .command('end')
      .description('end one session by its id, or every session of a user with --user')
      .argument('[sid]', 'the session id')
      .option('--user <user>', 'end every session of this user (id or email)'),
    io,
    async (api, flags, sid) => {
      if ((sid === undefined) === (flags.user === undefined)) {
        throw new CliError('name one session id, or a user with --user', EXIT_USAGE);
      }
      if (sid !== undefined) {
        await api.request('DELETE', `/sessions/${encodeURIComponent(sid)}`);
        printResult(io, flags.json, { ended: sid }, () => [`Ended session ${text(sid)}`]);
        return;
      }
      const { id } = await findUser(api, flags.user as string);
      await api.request('DELETE', `/users/${encodeURIComponent(id)}/sessions`);
      printResult(io, flags.json, { endedSessionsOf: id }, () => [`Ended every session of user ${text(id)}`]);
    },
  );

  const keys = program.command('keys').description('signing keys');
  adminCommand<[], object>(
    keys
      .command('rotate')
      .description('publish a next signing key now; it signs once every node and cached JWKS has it'),
    io,
    async (api, flags) => {
      const key = await api.request<{ kid: string; alg: string; activatesAt: string }>(
        'POST',
        '/keys/rotate',
      );
      printResult(io, flags.json, key, () => [
        `Published key ${text(key.kid)} (${text(key.alg)}); it starts signing at ${text(key.activatesAt)}`,
      ]);
    },
  );
}

/** `--limit`: a whole number from 1 on, written plainly (no sign, no leading zero, no exponent). */
function limitOf(given: string): number {
  const limit = Number(given);
  if (!/^[1-9][0-9]*$/.test(given) || !Number.isSafeInteger(limit)) {
    throw new CliError(
      `--limit must be a whole number of at least 1, not ${JSON.stringify(given.slice(0, 40))}`,
      EXIT_USAGE,
    );
  }
  return limit;
}
