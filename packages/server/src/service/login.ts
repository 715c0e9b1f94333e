/**
 * Login (DESIGN §3.1): throttle → verify the password (argon2id off the event loop, the same cost
 * whether or not the account exists) → decide → create the session under the limit, atomically →
 * issue. The hosted login (service/oauth/) uses the first two steps and the third separately, with
 * the tenant picker in between. A refusal is a value ({@link LoginRefusal}), never an exception: the
 * session API's route answers it, the hosted login shows it on its page.
 */
import type { TokenResponse } from '@tessera/protocol';
import { decideLogin } from '../engine/login.js';
import { memberPolicies } from '../engine/policy.js';
import type { MembershipView, UserRecord } from '../engine/records.js';
import { decideSessionLimit } from '../engine/session-limit.js';
import { refreshTokenExpiry } from '../engine/session-state.js';
import { TesseraError } from '../errors.js';
import { normalizeEmail } from '../passwords/email.js';
import { verifyPassword, verifyPasswordAgainstNobody } from '../passwords/hash.js';
import type { ClientRecord, EnvironmentRecord, NewSession } from '../storage/records.js';
import { generateRefreshToken, hashRefreshToken } from '../tokens/refresh-token.js';
import { issueAccessToken } from './access-token.js';
import { isBrowserClient } from './browser-clients.js';
import { browserSessionToReplace } from './browser-session.js';
import type { ServiceDeps } from './deps.js';
import { recordEvent } from './events.js';
import { randomId } from './ids.js';
import { deviceThrottleId } from './known-device.js';

export interface LoginInput {
  envId: string;
  client: ClientRecord;
  email: string;
  password: string;
  tenantId?: string;
  userAgent: string | null;
  ip: string;
  /** The browser's device cookie (service/known-device.ts), when it sent one. */
  deviceToken?: string | undefined;
  /** The browser's refresh cookie, if it sent one: its session is replaced (SES-06). */
  browserRefreshToken: string | undefined;
}

export interface LoginResult {
  response: TokenResponse;
  refreshToken: string;
  refreshExpiresAt: number;
  session: NewSession;
}

/** A password that was wrong, or not even checked: too many attempts (AUTH-06). */
export type PasswordRefusal =
  | { kind: 'refused'; error: 'invalid_credentials' }
  | { kind: 'refused'; error: 'rate_limited'; retryAfterSeconds: number };

/** A proven user who may not have a session: disabled, not of the tenant, or at the limit. */
export interface SessionRefusal {
  kind: 'refused';
  error: 'user_disabled' | 'tenant_forbidden' | 'max_sessions_reached';
}

/** Why a login signed nobody in. Each is an expected answer, with nothing to clean up. */
export type LoginRefusal =
  | { kind: 'refused'; error: 'unauthorized_client' }
  | PasswordRefusal
  | SessionRefusal;

export type LoginOutcome = ({ kind: 'logged_in' } & LoginResult) | LoginRefusal;

export async function login(deps: ServiceDeps, input: LoginInput): Promise<LoginOutcome> {
  // RT-07: before the password, so a confidential client's id buys nothing, not even a guess.
  if (!isBrowserClient(input.client)) return { kind: 'refused', error: 'unauthorized_client' };
  const checked = await authenticateWithPassword(deps, {
    envId: input.envId,
    email: input.email,
    password: input.password,
    ip: input.ip,
    userAgent: input.userAgent,
    clientId: input.client.clientId,
    deviceToken: input.deviceToken,
  });
  if (checked.kind === 'refused') return checked;
  const { user } = checked;
  const opened = await openSession(deps, {
    envId: input.envId,
    clientId: input.client.clientId,
    user,
    ...(input.tenantId !== undefined && { tenantId: input.tenantId }),
    userAgent: input.userAgent,
    ip: input.ip,
    browserRefreshToken: input.browserRefreshToken,
    via: 'session_api',
  });
  if (opened.kind === 'refused') return opened;
  const response = await issueAccessToken(deps, {
    environment: opened.environment,
    clientId: input.client.clientId,
    session: opened.session,
    user,
    membership: opened.membership,
    memberships: opened.memberships,
    now: opened.session.createdAt,
  });
  return {
    kind: 'logged_in',
    response,
    refreshToken: opened.refreshToken,
    refreshExpiresAt: opened.refreshExpiresAt,
    session: opened.session,
  };
}

export interface PasswordCredentials {
  envId: string;
  email: string;
  password: string;
  ip: string;
  /** The browser's device cookie: a device that logged in before keeps its own budget. */
  deviceToken?: string | undefined;
  /** For the `login.failed` event. */
  userAgent?: string | null | undefined;
  clientId?: string | undefined;
}

export type PasswordCheck = { kind: 'authenticated'; user: UserRecord } | PasswordRefusal;

/**
 * Throttle → verify the password → record the outcome. Refuses with `rate_limited` or
 * `invalid_credentials`; never says whether the account exists.
 */
export async function authenticateWithPassword(
  deps: ServiceDeps,
  input: PasswordCredentials,
): Promise<PasswordCheck> {
  const { envId } = input;
  const throttleKey = {
    account: `${envId}:${normalizeEmail(input.email)}`,
    ip: input.ip,
    device: input.deviceToken === undefined ? undefined : deviceThrottleId(input.deviceToken),
  };

  const failed = (reason: 'rate_limited' | 'invalid_credentials', userId: string | null) => {
    deps.activity.count(envId, 'login_failed');
    return recordEvent(deps, {
      type: 'login.failed',
      envId,
      userId,
      clientId: input.clientId,
      ip: input.ip,
      userAgent: input.userAgent,
      details: { reason },
    });
  };

  const verdict = await deps.throttle.check(throttleKey);
  if (!verdict.allowed) {
    // The password is not checked; the account is looked up only to name it in the event.
    const user = await deps.storage.findUserByEmail(envId, normalizeEmail(input.email));
    await failed('rate_limited', user?.id ?? null);
    return { kind: 'refused', error: 'rate_limited', retryAfterSeconds: verdict.retryAfterSeconds };
  }

  const { user, accountId } = await authenticate(deps, envId, input.email, input.password);
  if (!user) {
    await deps.throttle.recordFailure(throttleKey);
    await failed('invalid_credentials', accountId);
    return { kind: 'refused', error: 'invalid_credentials' };
  }
  await deps.throttle.recordSuccess(throttleKey);
  return { kind: 'authenticated', user };
}

export interface OpenSessionInput {
  envId: string;
  clientId: string;
  /** An authenticated user. */
  user: UserRecord;
  tenantId?: string;
  userAgent: string | null;
  ip: string;
  /**
   * The browser's refresh cookie, if it sent one. SES-06: every authentication renews the session,
   * so the live session behind it ends (`replaced`) in the same atomic step that creates the new
   * one, and never counts against the session limit. A garbled, unknown, ended or foreign cookie
   * is ignored.
   */
  browserRefreshToken: string | undefined;
  /** Which door the login came through, for the `session.created` event. */
  via: 'session_api' | 'hosted_login';
}

export interface OpenedSession {
  environment: EnvironmentRecord;
  session: NewSession;
  membership: MembershipView;
  memberships: MembershipView[];
  refreshToken: string;
  refreshExpiresAt: number;
}

export type OpenSessionOutcome = ({ kind: 'opened' } & OpenedSession) | SessionRefusal;

/**
 * Opens a session for an authenticated user: decide (account state, tenant) → create the session
 * and its first refresh token under the session limit, replacing the browser's previous session,
 * atomically. Refuses with `user_disabled`, `tenant_forbidden` or `max_sessions_reached`.
 */
export async function openSession(deps: ServiceDeps, input: OpenSessionInput): Promise<OpenSessionOutcome> {
  const { envId, user } = input;
  // Read fresh, not from the request-gating cache: the session limit must be the one in force.
  const [environment, memberships, replaces] = await Promise.all([
    deps.storage.getEnvironment(envId),
    deps.storage.listUserMemberships(envId, user.id),
    browserSessionToReplace(deps, { envId, refreshToken: input.browserRefreshToken }),
  ]);
  // Resolved by the caller a moment ago: gone now means it was deleted meanwhile, not a refusal.
  if (!environment) throw new TesseraError('not_found');
  const subject = {
    envId,
    userId: user.id,
    clientId: input.clientId,
    ip: input.ip,
    userAgent: input.userAgent,
  };
  const decision = decideLogin({ user, memberships, requestedTenantId: input.tenantId });
  if (decision.kind === 'reject') {
    deps.activity.count(envId, 'login_failed');
    await recordEvent(deps, {
      type: 'login.failed',
      ...subject,
      tenantId: input.tenantId,
      details: { reason: decision.error },
    });
    return { kind: 'refused', error: decision.error };
  }

  const now = deps.clock.now();
  const { user: policy, tenants: tenantPolicies } = memberPolicies(environment.sessionPolicy, memberships);
  const settings = environment.tokenSettings;
  const refreshToken = generateRefreshToken();
  const session: NewSession = {
    id: randomId(),
    envId,
    userId: user.id,
    clientId: input.clientId,
    createdAt: now,
    authTime: now,
    lastActiveAt: now,
    lastRefreshAt: now,
    defaultTenantId: decision.membership.tenantId,
    userAgent: input.userAgent?.slice(0, 512) ?? null,
    ip: input.ip,
  };
  const refreshExpiresAt = refreshTokenExpiry(session, policy, settings.refreshTokenTtlSeconds, now);

  const created = await deps.storage.createSession({
    session,
    token: { hash: hashRefreshToken(refreshToken), issuedAt: now, expiresAt: refreshExpiresAt },
    replaces,
    decide: (liveSessions) =>
      decideSessionLimit({
        liveSessions,
        userPolicy: policy,
        tenantPolicies,
        refreshTokenTtlSeconds: settings.refreshTokenTtlSeconds,
        now,
      }),
  });
  const tenantId = decision.membership.tenantId;
  if (!created.created) {
    deps.activity.count(envId, 'login_failed');
    await recordEvent(deps, {
      type: 'login.failed',
      ...subject,
      tenantId,
      details: { reason: 'max_sessions_reached' },
    });
    return { kind: 'refused', error: 'max_sessions_reached' };
  }
  for (const ended of created.ended) {
    await recordEvent(deps, {
      type: 'session.ended',
      ...subject,
      sid: ended.sessionId,
      details: { reason: ended.reason },
    });
  }
  deps.activity.count(envId, 'login');
  await recordEvent(deps, {
    type: 'session.created',
    ...subject,
    sid: session.id,
    tenantId,
    details: { method: 'password', via: input.via },
  });
  return {
    kind: 'opened',
    environment,
    session,
    membership: decision.membership,
    memberships,
    refreshToken,
    refreshExpiresAt,
  };
}

/**
 * AUTH-06: an unknown email costs one full password verification, like a wrong password.
 * `accountId` names an existing account for the event, never for the answer.
 */
async function authenticate(
  deps: ServiceDeps,
  envId: string,
  email: string,
  password: string,
): Promise<{ user: UserRecord | null; accountId: string | null }> {
  const user = await deps.storage.findUserByEmail(envId, normalizeEmail(email));
  if (!user) {
    await verifyPasswordAgainstNobody(password);
    return { user: null, accountId: null };
  }
  const { passwordHash, ...record } = user;
  return { user: (await verifyPassword(passwordHash, password)) ? record : null, accountId: user.id };
}
