/**
 * The end user's account page (docs/account.md): which session this browser is signed in with,
 * what the page shows about it, and the page's own sign-in. The page is authenticated exactly as
 * single sign-on at `/oauth/authorize` is — the refresh cookie, judged by the rules of a refresh
 * without rotating it ({@link findBrowserSession}) — so a session a refresh would refuse (ended,
 * idle, expired, reused) is no session here, and looking at the page neither refreshes nor
 * extends it. What the forms do is the session API's own self-service (self-service.ts), logout
 * (logout.ts) and account-password.ts.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MeResponse } from '@tessera/protocol';
import type { EnvironmentRecord } from '../storage/records.js';
import { findBrowserSession } from './browser-session.js';
import type { ServiceDeps } from './deps.js';
import { type DeviceView, describeDevice } from './device.js';
import { liveSessionsOf } from './live-sessions.js';
import { authenticateWithPassword, openSession } from './login.js';
import { describeMe, type SessionOwner } from './self-service.js';

/**
 * The client a session opened on the account page is recorded with. Not a registered client: the
 * colon cannot appear in an id the admin API accepts (`^[a-z0-9][a-z0-9-]*$`), so no environment
 * can register one that collides. Such a session is the browser's session like any other: the
 * environment's spas join it through single sign-on.
 */
export const ACCOUNT_CLIENT_ID = 'tessera:account';

/** The browser's live session, as the account page knows it. */
export interface AccountSession extends SessionOwner {
  /** The token every form of the page carries, bound to this session. */
  csrfToken: string;
}

export type AccountSessionLookup = { kind: 'signed_in'; account: AccountSession } | { kind: 'signed_out' };

/**
 * The live session behind the browser's refresh cookie, or `signed_out`. Like single sign-on, it
 * ends a session that a refresh would end (a reused token, an idle or expired session) and never
 * moves its idle clock. A session whose user is in no tenant any more is signed out here too: no
 * refresh would serve it.
 */
export async function findAccountSession(
  deps: ServiceDeps,
  input: { envId: string; refreshToken: string | undefined },
): Promise<AccountSessionLookup> {
  const found = await findBrowserSession(deps, input);
  if (found.kind !== 'live') return { kind: 'signed_out' };
  const { session } = found.context;
  return {
    kind: 'signed_in',
    account: { session, csrfToken: accountCsrfToken(deps, session.id) },
  };
}

/**
 * The CSRF token of the account page's forms: an HMAC of the session id under the server's
 * login-CSRF key. A cross-site page can neither read it nor compute it; it is worthless once the
 * session ends, and for any other session. The purpose label keeps it apart from the hosted
 * login's tokens (login-csrf.ts), which are keyed the same way but never for this purpose.
 */
function accountCsrfToken(deps: ServiceDeps, sessionId: string): string {
  return createHmac('sha256', deps.secrets.loginCsrfKey)
    .update(`account-page\n${sessionId}`, 'utf8')
    .digest('base64url');
}

/** Whether a form post carries this session's token, in constant time. */
export function isAccountPost(account: AccountSession, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const expected = Buffer.from(account.csrfToken, 'utf8');
  const actual = Buffer.from(presented, 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** One of the user's live sessions, as the page lists it. */
export interface AccountSessionView {
  sid: string;
  /** This browser's session. */
  current: boolean;
  device: DeviceView;
  /** The address the session signed in from. */
  ip: string | null;
  /** Epoch seconds. */
  createdAt: number;
  /** Epoch seconds: the last sign-in, tenant switch or active refresh. */
  lastActiveAt: number;
}

export interface AccountView {
  user: { email: string; name: string | null };
  /** The user's tenants with their role keys. */
  tenants: MeResponse['tenants'];
  /** This browser's session first, then the most recently active. */
  sessions: AccountSessionView[];
  /** Epoch seconds, for "5 minutes ago". */
  now: number;
}

export type AccountViewResult = { kind: 'found'; view: AccountView } | { kind: 'unknown_user' };

/** Everything the page shows, read for the session's own user only. */
export async function describeAccount(deps: ServiceDeps, owner: SessionOwner): Promise<AccountViewResult> {
  const { envId, userId, id: currentSid } = owner.session;
  const [me, sessions] = await Promise.all([describeMe(deps, owner), liveSessionsOf(deps, envId, userId)]);
  if (me.kind === 'unknown_user') return me;
  const views = sessions
    .map<AccountSessionView>((s) => ({
      sid: s.id,
      current: s.id === currentSid,
      device: describeDevice(s.userAgent),
      ip: s.ip,
      createdAt: s.createdAt,
      lastActiveAt: s.lastActiveAt,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current) || b.lastActiveAt - a.lastActiveAt);
  return {
    kind: 'found',
    view: {
      user: { email: me.me.user.email, name: me.me.user.name },
      tenants: me.me.tenants,
      sessions: views,
      now: deps.clock.now(),
    },
  };
}

export interface AccountSignInInput {
  environment: EnvironmentRecord;
  email: string;
  password: string;
  ip: string;
  userAgent: string | null;
  /** The browser's refresh cookie: a sign-in replaces its session (SES-06). */
  refreshToken: string | undefined;
  deviceToken?: string | undefined;
}

/** Why the account page's sign-in signed nobody in; the page words each one. */
export type AccountSignInFailure =
  | 'invalid_credentials'
  | 'rate_limited'
  | 'user_disabled'
  | 'tenant_forbidden'
  | 'max_sessions_reached';

export type AccountSignIn =
  | { kind: 'signed_in'; refreshToken: string; refreshExpiresAt: number }
  | { kind: 'failed'; error: AccountSignInFailure; retryAfterSeconds?: number };

/**
 * The account page's own sign-in: the hosted login's password check (throttled, AUTH-06) and
 * session, with no authorization request, no code and no redirect to a client — it needs no
 * registered client and always comes back to the account page.
 */
export async function signInToAccount(deps: ServiceDeps, input: AccountSignInInput): Promise<AccountSignIn> {
  const { environment } = input;
  const checked = await authenticateWithPassword(deps, {
    envId: environment.id,
    email: input.email,
    password: input.password,
    ip: input.ip,
    userAgent: input.userAgent,
    clientId: ACCOUNT_CLIENT_ID,
    deviceToken: input.deviceToken,
  });
  if (checked.kind === 'refused')
    return checked.error === 'rate_limited'
      ? { kind: 'failed', error: 'rate_limited', retryAfterSeconds: checked.retryAfterSeconds }
      : { kind: 'failed', error: 'invalid_credentials' };
  const opened = await openSession(deps, {
    envId: environment.id,
    clientId: ACCOUNT_CLIENT_ID,
    user: checked.user,
    userAgent: input.userAgent,
    ip: input.ip,
    browserRefreshToken: input.refreshToken,
    // The account page's sign-in is a page of the hosted login (its client id tells them apart).
    via: 'hosted_login',
  });
  if (opened.kind === 'refused') return { kind: 'failed', error: opened.error };
  return { kind: 'signed_in', refreshToken: opened.refreshToken, refreshExpiresAt: opened.refreshExpiresAt };
}
