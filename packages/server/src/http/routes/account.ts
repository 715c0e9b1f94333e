/**
 * The end user's account page (docs/account.md) on the hosted login's origin: `GET /account` and
 * the forms it posts. Thin: who is signed in and what each form does are service/account.ts,
 * service/account-password.ts, self-service.ts and logout.ts; here are cookies, CSRF checks,
 * pages and 303s. Every post must come from our own page (`isSameOriginPost`) and carry the
 * token bound to the browser's session, and acts on that session's user only.
 *
 * No CORS here (CK-08): these are top-level navigations and form posts, never fetched.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  ACCOUNT_FORM_FIELDS,
  ACCOUNT_NOTICES,
  ACCOUNT_SIGN_IN_NOTICES,
  type AccountNotice,
  LOGIN_FORM_FIELDS,
  type LoginPageError,
  PASSWORD_FORM_MESSAGES,
  type PasswordFormErrors,
  renderAccountPage,
  renderLoginPage,
} from '../../login-ui/index.js';
import {
  type AccountSession,
  type AccountSignInFailure,
  describeAccount,
  findAccountSession,
  isAccountPost,
  signInToAccount,
} from '../../service/account.js';
import { changeOwnPassword } from '../../service/account-password.js';
import type { SharedDeps } from '../../service/deps.js';
import { endBrowserSession } from '../../service/logout.js';
import { isValidLoginCsrfToken, loginCsrfToken } from '../../service/oauth/login-csrf.js';
import { endOtherSessions, endOwnSession } from '../../service/self-service.js';
import type { EnvironmentRecord } from '../../storage/records.js';
import { readRefreshCookie, serializeClearedRefreshCookie, serializeRefreshCookie } from '../cookies.js';
import { ensureDeviceCookie, readDeviceToken } from '../device-cookie.js';
import { requireEnvironment } from '../environment.js';
import {
  brandingOf,
  environmentPath,
  formField,
  sendErrorPage,
  sendPage,
  useHtmlErrorsAndForms,
} from '../html-pages.js';
import { ensureLoginBinding, readLoginBinding } from '../login-binding-cookie.js';
import { allowOnly } from '../methods.js';
import { unhandledOutcome } from '../unhandled-outcome.js';
import { isSameOriginPost } from './oauth-login.js';

/** The sign-in form's CSRF purpose (login-csrf.ts): its token is worthless for any other form. */
const SIGN_IN_CSRF_PURPOSE = 'account-sign-in';

const EXPIRED = {
  title: 'This page has expired',
  message: 'Open your account page again, then try once more.',
};

type Paths = Record<'account' | 'signIn' | 'logout' | 'endSession' | 'endOthers' | 'password', string>;

export async function accountRoutes(app: FastifyInstance, deps: SharedDeps): Promise<void> {
  useHtmlErrorsAndForms(app);

  app.get<{ Querystring: { done?: string } }>('/account', async (request, reply) => {
    const environment = await requireEnvironment(deps, request);
    const done = typeof request.query.done === 'string' ? request.query.done : undefined;
    const found = await accountSessionOf(request, environment);
    if (found.kind === 'signed_out')
      return showSignIn(request, reply, environment, {
        status: 200,
        notice:
          done !== undefined && Object.hasOwn(ACCOUNT_SIGN_IN_NOTICES, done)
            ? ACCOUNT_SIGN_IN_NOTICES[done as keyof typeof ACCOUNT_SIGN_IN_NOTICES]
            : undefined,
      });
    // `?done=` after a form's 303 picks one fixed message; the query's text is never shown.
    const notice =
      done !== undefined && Object.hasOwn(ACCOUNT_NOTICES, done) ? (done as AccountNotice) : undefined;
    return showAccount(request, reply, environment, found.account, { notice });
  });

  app.post('/account/login', async (request, reply) => {
    const environment = await requireEnvironment(deps, request);
    const binding = readLoginBinding(request.headers.cookie, environment.tokenSettings.cookie);
    if (
      !isSameOriginPost(request, deps, environment) ||
      !isValidLoginCsrfToken(
        deps.secrets,
        binding,
        SIGN_IN_CSRF_PURPOSE,
        formField(request.body, LOGIN_FORM_FIELDS.csrfToken),
      )
    )
      return expired(reply, environment);
    const email = formField(request.body, LOGIN_FORM_FIELDS.email);
    const password = formField(request.body, LOGIN_FORM_FIELDS.password);
    if (email === undefined || password === undefined || email === '' || password === '')
      return showSignIn(request, reply, environment, { status: 400, error: 'invalid_credentials', email });
    const device = ensureDeviceCookie(request.headers.cookie, environment);
    const outcome = await signInToAccount(request.deps, {
      environment,
      email,
      password,
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
      refreshToken: refreshCookieOf(request, environment),
      deviceToken: device.token,
    });
    switch (outcome.kind) {
      case 'failed':
        if (outcome.retryAfterSeconds !== undefined)
          void reply.header('retry-after', String(outcome.retryAfterSeconds));
        return showSignIn(request, reply, environment, {
          status: outcome.error === 'rate_limited' ? 429 : 400,
          error: signInError(outcome.error),
          email,
        });
      case 'signed_in': {
        const maxAge = outcome.refreshExpiresAt - deps.clock.now();
        void reply.header(
          'set-cookie',
          serializeRefreshCookie(environment.tokenSettings.cookie, outcome.refreshToken, maxAge),
        );
        void reply.header('set-cookie', device.setCookie);
        return seeOther(reply, paths(environment).account);
      }
      default:
        return unhandledOutcome(outcome);
    }
  });

  app.post('/account/logout', async (request, reply) => {
    const checked = await signedInPost(request, reply);
    if (checked === null) return reply;
    const { environment } = checked;
    await endBrowserSession(request.deps, {
      envId: environment.id,
      refreshToken: refreshCookieOf(request, environment),
    });
    return signedOut(reply, environment, 'signed_out');
  });

  app.post('/account/sessions/end', async (request, reply) => {
    const checked = await signedInPost(request, reply);
    if (checked === null) return reply;
    const { environment, account } = checked;
    const sid = formField(request.body, ACCOUNT_FORM_FIELDS.sid) ?? '';
    const result = await endOwnSession(request.deps, account, sid, originOf(request));
    switch (result.kind) {
      case 'ended':
        if (sid === account.session.id) return signedOut(reply, environment, 'signed_out');
        return seeOther(reply, `${paths(environment).account}?done=session_ended`);
      case 'not_found':
        // Another user's session answers exactly like one that does not exist.
        return seeOther(reply, `${paths(environment).account}?done=session_not_found`);
      default:
        return unhandledOutcome(result);
    }
  });

  app.post('/account/sessions/end-others', async (request, reply) => {
    const checked = await signedInPost(request, reply);
    if (checked === null) return reply;
    await endOtherSessions(request.deps, checked.account, originOf(request));
    return seeOther(reply, `${paths(checked.environment).account}?done=others_ended`);
  });

  app.post('/account/password', async (request, reply) => {
    const checked = await signedInPost(request, reply);
    if (checked === null) return reply;
    const { environment, account } = checked;
    const field = (name: string) => formField(request.body, name) ?? '';
    const currentPassword = field(ACCOUNT_FORM_FIELDS.currentPassword);
    if (currentPassword === '')
      return showAccount(request, reply, environment, account, {
        status: 400,
        passwordErrors: { currentPassword: PASSWORD_FORM_MESSAGES.missing },
      });
    const outcome = await changeOwnPassword(request.deps, account, {
      currentPassword,
      newPassword: field(ACCOUNT_FORM_FIELDS.newPassword),
      confirmation: field(ACCOUNT_FORM_FIELDS.confirmation),
      ...originOf(request),
      deviceToken: readDeviceToken(request.headers.cookie, environment),
    });
    const refused = (status: number, passwordErrors: PasswordFormErrors) =>
      showAccount(request, reply, environment, account, { status, passwordErrors });
    switch (outcome.kind) {
      case 'changed':
        return seeOther(reply, `${paths(environment).account}?done=password_changed`);
      case 'weak_password':
        return refused(400, { newPassword: outcome.message });
      case 'confirmation_mismatch':
        return refused(400, { confirmation: PASSWORD_FORM_MESSAGES.mismatch });
      case 'wrong_password':
        return refused(400, { currentPassword: PASSWORD_FORM_MESSAGES.wrong });
      case 'rate_limited':
        void reply.header('retry-after', String(outcome.retryAfterSeconds));
        return refused(429, { currentPassword: PASSWORD_FORM_MESSAGES.rateLimited });
      case 'unknown_user':
        return signedOut(reply, environment);
      default:
        return unhandledOutcome(outcome);
    }
  });

  allowOnly(app, {
    '/account': ['GET'],
    '/account/login': ['POST'],
    '/account/logout': ['POST'],
    '/account/sessions/end': ['POST'],
    '/account/sessions/end-others': ['POST'],
    '/account/password': ['POST'],
  });

  function paths(environment: EnvironmentRecord): Paths {
    const path = (suffix: string) => environmentPath(deps, environment.id, `/account${suffix}`);
    return {
      account: path(''),
      signIn: path('/login'),
      logout: path('/logout'),
      endSession: path('/sessions/end'),
      endOthers: path('/sessions/end-others'),
      password: path('/password'),
    };
  }

  function refreshCookieOf(request: FastifyRequest, environment: EnvironmentRecord): string | undefined {
    return readRefreshCookie(request.headers.cookie, environment.tokenSettings.cookie);
  }

  function accountSessionOf(request: FastifyRequest, environment: EnvironmentRecord) {
    return findAccountSession(request.deps, {
      envId: environment.id,
      refreshToken: refreshCookieOf(request, environment),
    });
  }

  /**
   * The checks every signed-in form passes before it acts: our own page posted it, the browser
   * is still signed in (else back to the page, which offers the sign-in; nothing changed), and the
   * form carries this session's token. `null` when the reply is already sent.
   */
  async function signedInPost(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<{ environment: EnvironmentRecord; account: AccountSession } | null> {
    const environment = await requireEnvironment(deps, request);
    if (!isSameOriginPost(request, deps, environment)) {
      await expired(reply, environment);
      return null;
    }
    const found = await accountSessionOf(request, environment);
    if (found.kind === 'signed_out') {
      await seeOther(reply, paths(environment).account);
      return null;
    }
    if (!isAccountPost(found.account, formField(request.body, ACCOUNT_FORM_FIELDS.csrfToken))) {
      await expired(reply, environment);
      return null;
    }
    return { environment, account: found.account };
  }

  async function showAccount(
    request: FastifyRequest,
    reply: FastifyReply,
    environment: EnvironmentRecord,
    account: AccountSession,
    options: { status?: number; notice?: AccountNotice | undefined; passwordErrors?: PasswordFormErrors },
  ) {
    const described = await describeAccount(request.deps, account);
    if (described.kind === 'unknown_user') return showSignIn(request, reply, environment, { status: 200 });
    const { view } = described;
    const page = renderAccountPage({
      branding: brandingOf(environment),
      actions: paths(environment),
      csrfToken: account.csrfToken,
      user: view.user,
      tenants: view.tenants,
      sessions: view.sessions.map((s) => ({
        sid: s.sid,
        current: s.current,
        deviceLabel: s.device.label,
        deviceKind: s.device.kind,
        ip: s.ip,
        createdAt: s.createdAt,
        lastActiveAt: s.lastActiveAt,
      })),
      now: view.now,
      notice: options.notice,
      passwordErrors: options.passwordErrors,
    });
    return sendPage(reply, page, { status: options.status ?? 200 });
  }

  function showSignIn(
    request: FastifyRequest,
    reply: FastifyReply,
    environment: EnvironmentRecord,
    options: {
      status: number;
      error?: LoginPageError;
      email?: string | undefined;
      notice?: string | undefined;
    },
  ) {
    const { binding, setCookie } = ensureLoginBinding(
      request.headers.cookie,
      environment.tokenSettings.cookie,
    );
    void reply.header('set-cookie', setCookie);
    const branding = brandingOf(environment);
    const page = renderLoginPage({
      branding,
      action: paths(environment).signIn,
      csrfToken: loginCsrfToken(deps.secrets, binding, SIGN_IN_CSRF_PURPOSE),
      lead: `Sign in to manage your ${branding.name} account`,
      email: options.email,
      error: options.error,
      notice: options.notice,
    });
    return sendPage(reply, page, { status: options.status });
  }

  function signedOut(reply: FastifyReply, environment: EnvironmentRecord, done?: 'signed_out') {
    void reply.header('set-cookie', serializeClearedRefreshCookie(environment.tokenSettings.cookie));
    return seeOther(reply, `${paths(environment).account}${done === undefined ? '' : `?done=${done}`}`);
  }

  function expired(reply: FastifyReply, environment: EnvironmentRecord) {
    return sendErrorPage(reply, 403, { ...EXPIRED, branding: brandingOf(environment) });
  }
}

/** Where the request came from, for the events it causes. */
function originOf(request: FastifyRequest): { ip: string; userAgent: string | null } {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
}

/** A 303 to one of our own fixed paths: never a location taken from the request. */
function seeOther(reply: FastifyReply, location: string) {
  return reply.header('cache-control', 'no-store').redirect(location, 303);
}

/** The sign-in page's words for each failure; a proven password in no tenant reads like a wrong one. */
function signInError(error: AccountSignInFailure): LoginPageError {
  switch (error) {
    case 'invalid_credentials':
    case 'rate_limited':
    case 'user_disabled':
    case 'max_sessions_reached':
      return error;
    case 'tenant_forbidden':
      return 'user_disabled';
  }
}
