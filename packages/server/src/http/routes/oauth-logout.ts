/**
 * RP-initiated logout (DESIGN §3.2): `GET /oauth/logout` ends the session at once when an
 * `id_token_hint` proves which one, and otherwise asks (the confirmation's `POST` ends the
 * browser's session). The request is validated before either: an unregistered
 * `post_logout_redirect_uri` is an error page with no redirect (AS-10).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LOGIN_FORM_FIELDS, renderLogoutConfirmation, renderSignedOutPage } from '../../login-ui/index.js';
import type { SharedDeps } from '../../service/deps.js';
import { endBrowserSession, sessionOfRefreshCookie } from '../../service/logout.js';
import { isValidLoginCsrfToken, loginCsrfToken } from '../../service/oauth/login-csrf.js';
import {
  endHintedSession,
  type LogoutRequest,
  parseLogoutRequest,
  postLogoutLocation,
} from '../../service/oauth/rp-logout.js';
import type { EnvironmentRecord } from '../../storage/records.js';
import { readRefreshCookie, serializeClearedRefreshCookie } from '../cookies.js';
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
import { isSameOriginPost } from './oauth-login.js';

const LOGOUT_CSRF_PURPOSE = 'logout';

export async function oauthLogoutRoutes(app: FastifyInstance, deps: SharedDeps): Promise<void> {
  useHtmlErrorsAndForms(app);

  // parseLogoutRequest applies the text rule to what it looks up; an id_token_hint, often longer
  // than a stored value may be, is verified as a JWS and never stored.
  const ownQueryRule = { config: { textRuleAppliedByRoute: { query: true as const } } };
  app.get('/oauth/logout', ownQueryRule, async (request, reply) => {
    const { environment, logoutRequest, rawQuery } = await validated(request);
    if (logoutRequest === null) return invalid(reply, environment);
    if (logoutRequest.hintedSessionId !== null) {
      await endHintedSession(request.deps, environment, logoutRequest.hintedSessionId);
      // The cookie goes only if it belonged to that session; another account's session stays.
      if ((await cookieSessionId(request, environment)) === logoutRequest.hintedSessionId)
        clearCookie(reply, environment);
      return signedOut(reply, environment, logoutRequest);
    }
    // SES-16: without proof of who asked, ask the user; nothing ends on a GET.
    const { binding, setCookie } = ensureLoginBinding(
      request.headers.cookie,
      environment.tokenSettings.cookie,
    );
    void reply.header('set-cookie', setCookie);
    const page = renderLogoutConfirmation({
      branding: brandingOf(environment),
      action: `${environmentPath(deps, environment.id, '/oauth/logout')}${rawQuery === '' ? '' : `?${rawQuery}`}`,
      csrfToken: loginCsrfToken(deps.secrets, binding, LOGOUT_CSRF_PURPOSE),
      clientName: logoutRequest.client?.name ?? brandingOf(environment).name,
    });
    const target = logoutRequest.postLogoutRedirectUri;
    return sendPage(reply, page, { redirectTargets: target === null ? [] : [target] });
  });

  app.post('/oauth/logout', ownQueryRule, async (request, reply) => {
    const { environment, logoutRequest } = await validated(request);
    if (logoutRequest === null) return invalid(reply, environment);
    const binding = readLoginBinding(request.headers.cookie, environment.tokenSettings.cookie);
    if (
      !isSameOriginPost(request, deps, environment) ||
      !isValidLoginCsrfToken(
        deps.secrets,
        binding,
        LOGOUT_CSRF_PURPOSE,
        formField(request.body, LOGIN_FORM_FIELDS.csrfToken),
      )
    ) {
      return sendErrorPage(reply, 403, {
        title: 'This sign-out page has expired',
        message: 'Go back to the application and sign out again.',
        branding: brandingOf(environment),
      });
    }
    await endBrowserSession(request.deps, {
      envId: environment.id,
      refreshToken: readRefreshCookie(request.headers.cookie, environment.tokenSettings.cookie),
      ...(logoutRequest.client && { clientId: logoutRequest.client.clientId }),
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
    });
    clearCookie(reply, environment);
    return signedOut(reply, environment, logoutRequest);
  });

  allowOnly(app, { '/oauth/logout': ['GET', 'POST'] });

  async function validated(request: FastifyRequest) {
    const environment = await requireEnvironment(deps, request);
    const rawQuery = request.raw.url?.split('?')[1] ?? '';
    const parsed = await parseLogoutRequest(request.deps, environment, rawQuery);
    return { environment, rawQuery, logoutRequest: parsed.ok ? parsed.request : null };
  }

  function invalid(reply: FastifyReply, environment: EnvironmentRecord) {
    return sendErrorPage(reply, 400, {
      title: 'This sign-out link is not valid',
      message: 'The application sent an incomplete or unrecognised sign-out request.',
      branding: brandingOf(environment),
    });
  }

  function cookieSessionId(request: FastifyRequest, environment: EnvironmentRecord) {
    return sessionOfRefreshCookie(request.deps, {
      envId: environment.id,
      refreshToken: readRefreshCookie(request.headers.cookie, environment.tokenSettings.cookie),
    });
  }

  function clearCookie(reply: FastifyReply, environment: EnvironmentRecord) {
    void reply.header('set-cookie', serializeClearedRefreshCookie(environment.tokenSettings.cookie));
  }

  function signedOut(reply: FastifyReply, environment: EnvironmentRecord, logoutRequest: LogoutRequest) {
    const location = postLogoutLocation(logoutRequest);
    if (location !== null) return reply.header('cache-control', 'no-store').redirect(location, 303);
    return sendPage(reply, renderSignedOutPage({ branding: brandingOf(environment) }));
  }
}
