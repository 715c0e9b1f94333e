/** Admin use cases for users (DESIGN §3.3). No view carries a password or its hash. */
import type { EndReason, UserRecord, UserStatus } from '../../engine/records.js';
import { TesseraError } from '../../errors.js';
import { isPlausibleEmail, normalizeEmail } from '../../passwords/email.js';
import { hashPassword } from '../../passwords/hash.js';
import { checkNewPassword } from '../../passwords/password-rules.js';
import type { ServiceDeps } from '../deps.js';
import type { RequestOrigin } from '../events.js';
import { recordEvent } from '../events.js';
import { randomId } from '../ids.js';
import type { AdminActor } from './actor.js';
import { changedFields, recordAdminChange } from './admin-events.js';
import { requireEnvironment, requireUser } from './lookups.js';
import { type PageQuery, type PageView, pageRequest, pageView } from './paging.js';
import { assertNoProblems } from './problems.js';

export interface UserView {
  id: string;
  email: string;
  name: string | null;
  status: UserStatus;
}

export interface CreateUserInput {
  email: string;
  password: string;
  name?: string;
}

export interface UpdateUserInput {
  name?: string | null;
  password?: string;
  /**
   * With `password`: end every session of the user (reason `password_changed`). Defaults to true:
   * a reset after a compromise must throw the intruder out; `false` keeps the sessions.
   */
  endSessions?: boolean;
  status?: UserStatus;
}

export async function createUser(
  deps: ServiceDeps,
  envId: string,
  input: CreateUserInput,
  actor: AdminActor,
  origin: RequestOrigin,
): Promise<UserView> {
  await requireEnvironment(deps, envId);
  const passwordProblem = checkNewPassword(input.password);
  assertNoProblems([
    ...(isPlausibleEmail(input.email) ? [] : ['email is not a valid email address.']),
    ...(passwordProblem ? [`password: ${passwordProblem}`] : []),
  ]);
  const email = input.email.normalize('NFKC').trim();
  const user: UserRecord = { id: randomId(), envId, email, name: input.name ?? null, status: 'active' };
  const inserted = await deps.storage.insertUser({
    envId,
    id: user.id,
    email,
    emailNormalized: normalizeEmail(input.email),
    name: user.name,
    passwordHash: await hashPassword(input.password),
    createdAt: deps.clock.now(),
  });
  if (!inserted) throw new TesseraError('conflict', { message: 'A user with this email already exists.' });
  await recordAdminChange(
    deps,
    { actor, ...origin },
    {
      envId,
      entity: 'user',
      verb: 'created',
      target: { userId: user.id },
      userId: user.id,
      after: { email: user.email, name: user.name, status: user.status },
    },
  );
  return userView(user);
}

/**
 * A page of the environment's users in creation order; with `q`, only those whose email contains
 * it; with `email` the one user with that address. Both are normalised as at login (NFKC, lower
 * case).
 */
export async function listUsers(
  deps: ServiceDeps,
  envId: string,
  query: PageQuery & { email?: string | undefined; q?: string | undefined } = {},
): Promise<PageView<UserView>> {
  const page = pageRequest(query);
  const emailContains = query.q === undefined ? undefined : normalizeEmail(query.q);
  if (emailContains !== undefined && (emailContains === '' || query.email !== undefined)) {
    throw new TesseraError('invalid_request', {
      message:
        emailContains === ''
          ? 'Invalid request: q must contain more than spaces.'
          : 'Invalid request: q and email cannot be combined.',
      field: 'q',
    });
  }
  await requireEnvironment(deps, envId);
  if (query.email !== undefined) {
    const user = await deps.storage.findUserByEmail(envId, normalizeEmail(query.email));
    return { items: user ? [userView(user)] : [], nextCursor: null };
  }
  const search = emailContains === undefined ? undefined : { emailContains };
  return pageView(await deps.storage.listUsersPage(envId, page, search), userView);
}

export async function getUser(deps: ServiceDeps, envId: string, userId: string): Promise<UserView> {
  return userView(await requireUser(deps, envId, userId));
}

/**
 * Renames, sets a new password, or changes the status. Disabling ends every session of the user at
 * once (SES-11), atomically in storage; every refresh re-checks the status as well (RT-10). A new
 * password ends every session too unless `endSessions` is false (SES-13): after the new hash is
 * stored, so a session opened with the old password in between is ended as well.
 */
export async function updateUser(
  deps: ServiceDeps,
  envId: string,
  userId: string,
  input: UpdateUserInput,
  actor: AdminActor,
  origin: RequestOrigin,
): Promise<UserView> {
  const current = await requireUser(deps, envId, userId);
  const passwordProblem = input.password === undefined ? null : checkNewPassword(input.password);
  assertNoProblems([
    ...(passwordProblem ? [`password: ${passwordProblem}`] : []),
    ...(input.endSessions !== undefined && input.password === undefined
      ? ['endSessions: allowed only with password.']
      : []),
  ]);
  const name = input.name === undefined ? current.name : input.name;
  const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
  if (input.name !== undefined || passwordHash !== undefined) {
    const updated = await deps.storage.updateUser(envId, userId, {
      ...(input.name !== undefined && { name }),
      ...(passwordHash !== undefined && { passwordHash }),
    });
    if (!updated) throw new TesseraError('not_found');
  }
  const change = { envId, entity: 'user', target: { userId }, userId };
  const renamed = changedFields({ name: current.name }, { name });
  if (renamed)
    await recordAdminChange(deps, { actor, ...origin }, { ...change, verb: 'updated', ...renamed });
  if (passwordHash !== undefined) {
    const endSessions = input.endSessions !== false;
    // That the password changed, never the password or its hash.
    await recordAdminChange(
      deps,
      { actor, ...origin },
      { ...change, verb: 'password_reset', after: { endSessions } },
    );
    if (endSessions) {
      const ended = await deps.storage.endUserSessions({
        envId,
        userId,
        reason: 'password_changed',
        now: deps.clock.now(),
      });
      await recordEnded(deps, envId, userId, ended, 'password_changed');
    }
  }
  const status = input.status ?? current.status;
  if (input.status !== undefined) {
    const { found, endedSessionIds } = await deps.storage.setUserStatus({
      envId,
      userId,
      status: input.status,
      now: deps.clock.now(),
    });
    if (!found) throw new TesseraError('not_found');
    if (input.status !== current.status) {
      await recordAdminChange(
        deps,
        { actor, ...origin },
        {
          ...change,
          verb: input.status === 'disabled' ? 'disabled' : 'enabled',
          before: { status: current.status },
          after: { status: input.status },
        },
      );
    }
    await recordEnded(deps, envId, userId, endedSessionIds, 'user_disabled');
  }
  return userView({ ...current, name, status });
}

/** Deletes the user and their memberships, and ends their sessions. */
export async function deleteUser(
  deps: ServiceDeps,
  envId: string,
  userId: string,
  actor: AdminActor,
  origin: RequestOrigin,
): Promise<void> {
  const { found, endedSessionIds } = await deps.storage.deleteUser(envId, userId, deps.clock.now());
  if (!found) throw new TesseraError('not_found');
  await recordAdminChange(
    deps,
    { actor, ...origin },
    {
      envId,
      entity: 'user',
      verb: 'deleted',
      target: { userId },
      userId,
    },
  );
  await recordEnded(deps, envId, userId, endedSessionIds, 'user_deleted');
}

async function recordEnded(
  deps: ServiceDeps,
  envId: string,
  userId: string,
  sessionIds: readonly string[],
  reason: EndReason,
): Promise<void> {
  for (const sid of sessionIds) {
    await recordEvent(deps, { type: 'session.ended', envId, userId, sid, details: { reason } });
  }
}

export function userView(user: UserRecord): UserView {
  return { id: user.id, email: user.email, name: user.name, status: user.status };
}
