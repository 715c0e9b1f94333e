/**
 * The hosted login flow (DESIGN §3.2; ADR 0004), as use cases the routes call:
 * `authorize` (single sign-on from the browser's session, or a login interaction), then
 * `submitPassword` and `chooseTenant` on the login page. Each returns what should happen next; the
 * routes turn that into pages, cookies and 303s.
 */
import type { UserRecord } from '../../engine/records.js';
import type { AuthorizeRequest } from '../../oauth/authorize-request.js';
import { buildRedirect } from '../../oauth/authorize-response.js';
import type { AuthorizeErrorCode } from '../../oauth/errors.js';
import type { ClientRecord, EnvironmentRecord } from '../../storage/records.js';
import { findBrowserSession } from '../browser-session.js';
import type { ServiceDeps } from '../deps.js';
import { recordEvent } from '../events.js';
import {
  authenticateWithPassword,
  openSession,
  type PasswordRefusal,
  type SessionRefusal,
} from '../login.js';
import { issueAuthorizationCode } from './authorization-codes.js';

import {
  consumeInteraction,
  type Interaction,
  rememberInteractionUser,
  startInteraction,
} from './interactions.js';

/** Where the browser goes next. */
export type FlowStep =
  /** Back to the client's redirect URI, with a code or an error. */
  | { kind: 'redirect'; location: string }
  /** The login page of a new interaction. */
  | { kind: 'login'; interactionId: string };

/** A new refresh cookie to set before redirecting (the hosted login opened a session). */
export interface NewBrowserSession {
  refreshToken: string;
  refreshExpiresAt: number;
}

export interface AuthorizeInput {
  environment: EnvironmentRecord;
  /** The client the request names (already verified to exist). */
  client: Pick<ClientRecord, 'type'>;
  request: AuthorizeRequest;
  /** The refresh cookie, if the browser sent one. */
  refreshToken: string | undefined;
  /** The browser's login binding (see login-csrf.ts), for a new interaction. */
  binding: string;
  /** Where the request came from, for the `session.client_joined` event. */
  ip?: string | undefined;
  userAgent?: string | null | undefined;
}

export async function authorize(deps: ServiceDeps, input: AuthorizeInput): Promise<FlowStep> {
  const { environment, request } = input;
  // AS-12: scopes per client. A spa never holds a refresh token outside the cookie.
  if (input.client.type === 'spa' && request.scopes.includes('offline_access'))
    return redirectError(
      deps,
      environment,
      request,
      'invalid_scope',
      'offline_access is for confidential clients.',
    );
  if (request.prompt !== 'login') {
    const found = await findBrowserSession(deps, {
      envId: environment.id,
      refreshToken: input.refreshToken,
      tenantId: request.tenantId,
    });
    if (found.kind === 'tenant_forbidden')
      return redirectError(
        deps,
        environment,
        request,
        'access_denied',
        'The user is not a member of this tenant.',
      );
    const { maxAgeSeconds } = request;
    const fresh =
      found.kind === 'live' &&
      (maxAgeSeconds === undefined || deps.clock.now() - found.context.session.authTime <= maxAgeSeconds);
    if (found.kind === 'live' && fresh) {
      const { session, user } = found.context;
      const joins =
        session.clientId !== request.clientId &&
        (await deps.storage.getSessionClientScopes(session.id, request.clientId)) === null;
      const code = await issueAuthorizationCode(deps, {
        envId: environment.id,
        request,
        sessionId: session.id,
        userId: user.id,
        tenantId: found.membership.tenantId,
        authTime: session.authTime,
      });
      if (joins) {
        await recordEvent(deps, {
          type: 'session.client_joined',
          envId: environment.id,
          userId: user.id,
          sid: session.id,
          tenantId: found.membership.tenantId,
          clientId: request.clientId,
          ip: input.ip,
          userAgent: input.userAgent,
        });
      }
      return codeRedirect(deps, environment, request, code);
    }
  }
  if (request.prompt === 'none')
    return redirectError(deps, environment, request, 'login_required', 'The user is not signed in.');
  const interactionId = startInteraction(deps, {
    envId: environment.id,
    request,
    binding: input.binding,
  });
  return { kind: 'login', interactionId };
}

/**
 * Why a password post did not sign anyone in. The login page words each one (login-ui's
 * `LoginPageError`, which the route hands it); the flow only names the outcome.
 */
export type PasswordFailure =
  | 'invalid_credentials'
  | 'rate_limited'
  | 'user_disabled'
  | 'max_sessions_reached';

/** What the login page's password post leads to. */
export type PasswordOutcome =
  | { kind: 'complete'; step: FlowStep & { kind: 'redirect' }; session: NewBrowserSession | null }
  | { kind: 'choose_tenant' }
  | { kind: 'failed'; error: PasswordFailure; retryAfterSeconds?: number }
  /** Another tab or a double submit completed or claimed this sign-in first. */
  | { kind: 'claimed_elsewhere' };

export interface SubmitPasswordInput {
  environment: EnvironmentRecord;
  interaction: Interaction;
  email: string;
  password: string;
  ip: string;
  userAgent: string | null;
  /** The browser's current refresh cookie: a new login replaces its session. */
  refreshToken: string | undefined;
  /** The browser's device cookie (service/known-device.ts). */
  deviceToken?: string | undefined;
}

export async function submitPassword(
  deps: ServiceDeps,
  input: SubmitPasswordInput,
): Promise<PasswordOutcome> {
  const { environment, interaction } = input;
  const checked = await authenticateWithPassword(deps, {
    envId: environment.id,
    email: input.email,
    password: input.password,
    ip: input.ip,
    userAgent: input.userAgent,
    clientId: interaction.request.clientId,
    deviceToken: input.deviceToken,
  });
  if (checked.kind === 'refused') return passwordFailed(checked);
  const { user } = checked;
  if (user.status !== 'active') return userDisabled(deps, { ...input, user });
  if (interaction.request.tenantId === undefined) {
    const memberships = await deps.storage.listUserMemberships(environment.id, user.id);
    if (memberships.length > 1) {
      if (!(await rememberInteractionUser(deps, interaction, user.id))) return { kind: 'claimed_elsewhere' };
      return { kind: 'choose_tenant' };
    }
  }
  return complete(deps, { ...input, user, tenantId: interaction.request.tenantId });
}

export interface ChooseTenantInput {
  environment: EnvironmentRecord;
  interaction: Interaction;
  tenantId: string;
  ip: string;
  userAgent: string | null;
  refreshToken: string | undefined;
}

/**
 * The tenant picker's post. `null` when the interaction has no authenticated user or the user is
 * not a member of `tenantId` (the route shows the picker again).
 */
export async function chooseTenant(
  deps: ServiceDeps,
  input: ChooseTenantInput,
): Promise<PasswordOutcome | null> {
  const { environment, interaction } = input;
  if (interaction.userId === null) return null;
  const [user, memberships] = await Promise.all([
    deps.storage.getUser(environment.id, interaction.userId),
    deps.storage.listUserMemberships(environment.id, interaction.userId),
  ]);
  if (!user) return null;
  if (user.status !== 'active') return userDisabled(deps, { ...input, user });
  if (!memberships.some((m) => m.tenantId === input.tenantId)) return null;
  return complete(deps, { ...input, user, tenantId: input.tenantId });
}

interface CompleteInput {
  environment: EnvironmentRecord;
  interaction: Interaction;
  user: UserRecord;
  tenantId: string | undefined;
  ip: string;
  userAgent: string | null;
  refreshToken: string | undefined;
}

/** Opens the browser session (replacing the cookie's old one) and sends the browser back with a code. */
async function complete(deps: ServiceDeps, input: CompleteInput): Promise<PasswordOutcome> {
  const { environment, interaction } = input;
  const { request } = interaction;
  // Consumed first: a double submit completes once, and the second sees an expired sign-in.
  if (!(await consumeInteraction(deps, interaction))) return { kind: 'claimed_elsewhere' };
  // The browser keeps one session: a fresh login (prompt=login, another account) replaces the
  // old one atomically, exactly as POST /auth/v1/login does (SES-06).
  const opened = await openSession(deps, {
    envId: environment.id,
    clientId: request.clientId,
    user: input.user,
    ...(input.tenantId !== undefined && { tenantId: input.tenantId }),
    userAgent: input.userAgent,
    ip: input.ip,
    browserRefreshToken: input.refreshToken,
    via: 'hosted_login',
  });
  if (opened.kind === 'refused') return sessionRefused(deps, environment, request, opened);
  const code = await issueAuthorizationCode(deps, {
    envId: environment.id,
    request,
    sessionId: opened.session.id,
    userId: input.user.id,
    tenantId: opened.membership.tenantId,
    authTime: opened.session.authTime,
  });
  return {
    kind: 'complete',
    step: codeRedirect(deps, environment, request, code),
    session: { refreshToken: opened.refreshToken, refreshExpiresAt: opened.refreshExpiresAt },
  };
}

/** A disabled account proved its password: refused, and recorded like the session API's refusal. */
async function userDisabled(
  deps: ServiceDeps,
  input: Pick<CompleteInput, 'environment' | 'interaction' | 'user' | 'ip' | 'userAgent'>,
): Promise<PasswordOutcome> {
  await recordEvent(deps, {
    type: 'login.failed',
    envId: input.environment.id,
    userId: input.user.id,
    clientId: input.interaction.request.clientId,
    ip: input.ip,
    userAgent: input.userAgent,
    details: { reason: 'user_disabled' },
  });
  return { kind: 'failed', error: 'user_disabled' };
}

/** The login page shows a wrong password or a throttled attempt; nothing was opened. */
function passwordFailed(refusal: PasswordRefusal): PasswordOutcome {
  switch (refusal.error) {
    case 'invalid_credentials':
      return { kind: 'failed', error: 'invalid_credentials' };
    case 'rate_limited':
      return { kind: 'failed', error: 'rate_limited', retryAfterSeconds: refusal.retryAfterSeconds };
  }
}

/**
 * A proven user the session was refused to: a tenant the user is not a member of goes back to the
 * client as `access_denied` (it asked for it); the rest are the login page's to show.
 */
function sessionRefused(
  deps: ServiceDeps,
  environment: EnvironmentRecord,
  request: AuthorizeRequest,
  refusal: SessionRefusal,
): PasswordOutcome {
  switch (refusal.error) {
    case 'tenant_forbidden':
      return {
        kind: 'complete',
        step: redirectError(
          deps,
          environment,
          request,
          'access_denied',
          'The user is not a member of this tenant.',
        ),
        session: null,
      };
    case 'max_sessions_reached':
    case 'user_disabled':
      return { kind: 'failed', error: refusal.error };
  }
}

function codeRedirect(
  deps: ServiceDeps,
  environment: EnvironmentRecord,
  request: AuthorizeRequest,
  code: string,
): FlowStep & { kind: 'redirect' } {
  return {
    kind: 'redirect',
    location: buildRedirect(request.redirectUri, {
      code,
      ...(request.state !== undefined && { state: request.state }),
      iss: deps.baseUrl(environment.id),
    }),
  };
}

/** An error for the client, sent to its (already verified) redirect URI with `state` and `iss`. */
export function redirectError(
  deps: ServiceDeps,
  environment: EnvironmentRecord,
  request: Pick<AuthorizeRequest, 'redirectUri' | 'state'>,
  error: AuthorizeErrorCode,
  description?: string,
): FlowStep & { kind: 'redirect' } {
  return {
    kind: 'redirect',
    location: buildRedirect(request.redirectUri, {
      error,
      ...(description !== undefined && { error_description: description }),
      ...(request.state !== undefined && { state: request.state }),
      iss: deps.baseUrl(environment.id),
    }),
  };
}
