/**
 * The hosted login's browser-facing routes (DESIGN §3.2; ADR 0004): `GET /oauth/authorize`,
 * the login page `GET /oauth/login` and its form post `POST /oauth/login`. Thin: the flow is
 * service/oauth/hosted-login.ts; here are cookies, pages, CSRF checks and redirects.
 *
 * No CORS here (CK-08): these are top-level navigations, never fetched.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TesseraError } from '../../errors.js';
import {
  LOGIN_FORM_FIELDS,
  type LoginPageError,
  renderLoginPage,
  renderTenantPicker,
} from '../../login-ui/index.js';
import { parseAuthorizeRequest } from '../../oauth/authorize-request.js';
import type { SharedDeps } from '../../service/deps.js';
import {
  authorize,
  chooseTenant,
  type FlowStep,
  type PasswordOutcome,
  redirectError,
  submitPassword,
} from '../../service/oauth/hosted-login.js';
import { type Interaction, isInteractionPost, loadInteraction } from '../../service/oauth/interactions.js';
import { tenantChoices } from '../../service/oauth/tenant-choices.js';
import type { EnvironmentRecord } from '../../storage/records.js';
import { textInputProblem } from '../../text-input.js';
import { readRefreshCookie, serializeRefreshCookie } from '../cookies.js';
import { ensureDeviceCookie } from '../device-cookie.js';
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
import { requestOrigin } from '../request-origin.js';
import { unhandledOutcome } from '../unhandled-outcome.js';

const INVALID_LINK = {
  title: 'This sign-in link is not valid',
  message: 'The application sent an incomplete or unrecognised sign-in request.',
};
const EXPIRED = {
  title: 'This sign-in page has expired',
  message: 'Go back to the application and start signing in again.',
};

/** Routes that apply the text rule (text-input.ts) themselves, to answer as their protocol says. */
const OWN_QUERY_RULE = { config: { textRuleAppliedByRoute: { query: true as const } } };
const OWN_BODY_RULE = { config: { textRuleAppliedByRoute: { body: true as const } } };

export async function oauthLoginRoutes(app: FastifyInstance, deps: SharedDeps): Promise<void> {
  useHtmlErrorsAndForms(app);

  // parseAuthorizeRequest applies the text rule to every parameter it keeps, and answers with a
  // redirect to a verified client or a page (RFC 6749 §4.1.2.1).
  app.get('/oauth/authorize', OWN_QUERY_RULE, async (request, reply) => {
    const environment = await requireEnvironment(deps, request);
    const clients = await deps.lookups.listClients(environment.id);
    const rawQuery = request.raw.url?.split('?')[1] ?? '';
    const parsed = parseAuthorizeRequest(rawQuery, (id) => clients.find((c) => c.clientId === id) ?? null);
    const branding = brandingOf(environment);
    if (parsed.kind === 'error_page') {
      // AS-01: an untrusted redirect URI gets a page, status 400, and no Location.
      return sendErrorPage(reply, 400, { ...INVALID_LINK, branding });
    }
    if (parsed.kind === 'redirect_error') {
      const { redirectUri, state, error, description } = parsed;
      const step = redirectError(
        request.deps,
        environment,
        { redirectUri, ...(state !== undefined && { state }) },
        error,
        description,
      );
      return redirect(reply, environment, step);
    }
    const cookie = environment.tokenSettings.cookie;
    const { binding, setCookie } = ensureLoginBinding(request.headers.cookie, cookie);
    const client = clients.find((c) => c.clientId === parsed.request.clientId);
    if (!client) return sendErrorPage(reply, 400, { ...INVALID_LINK, branding });
    const step = await authorize(request.deps, {
      environment,
      client,
      request: parsed.request,
      refreshToken: readRefreshCookie(request.headers.cookie, cookie),
      binding,
      ...requestOrigin(request),
    });
    if (step.kind === 'login') void reply.header('set-cookie', setCookie);
    return redirect(reply, environment, step);
  });

  // The ticket is verified by its MAC before anything is read; only a hash of its id is stored.
  app.get<{ Querystring: { interaction?: string } }>(
    '/oauth/login',
    OWN_QUERY_RULE,
    async (request, reply) => {
      const environment = await requireEnvironment(deps, request);
      const interaction = await interactionOf(request, environment, request.query.interaction);
      if (!interaction) return sendErrorPage(reply, 400, { ...EXPIRED, branding: brandingOf(environment) });
      return showInteraction(reply, environment, interaction);
    },
  );

  // The credentials get the text rule below, so a bad one is a failed sign-in on the page.
  app.post('/oauth/login', OWN_BODY_RULE, async (request, reply) => {
    const environment = await requireEnvironment(deps, request);
    const branding = brandingOf(environment);
    if (!isSameOriginPost(request, deps, environment))
      return sendErrorPage(reply, 403, { ...EXPIRED, branding });
    const body = request.body;
    const interaction = await interactionOf(
      request,
      environment,
      formField(body, LOGIN_FORM_FIELDS.interactionId),
    );
    const binding = readLoginBinding(request.headers.cookie, environment.tokenSettings.cookie);
    // CSRF-03: the form's token must be the one derived for this interaction and this browser.
    if (
      !interaction ||
      !isInteractionPost(request.deps, interaction, binding, formField(body, LOGIN_FORM_FIELDS.csrfToken))
    )
      return sendErrorPage(reply, 403, { ...EXPIRED, branding });

    const common = {
      environment,
      interaction,
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
      refreshToken: readRefreshCookie(request.headers.cookie, environment.tokenSettings.cookie),
    };
    const tenantId = formField(body, LOGIN_FORM_FIELDS.tenantId);
    if (interaction.userId !== null) {
      const outcome =
        tenantId === undefined ? null : await chooseTenant(request.deps, { ...common, tenantId });
      if (outcome === null) return showInteraction(reply, environment, interaction, 400);
      return answer(reply, environment, interaction, outcome);
    }
    const email = formField(body, LOGIN_FORM_FIELDS.email);
    const password = formField(body, LOGIN_FORM_FIELDS.password);
    if (
      email === undefined ||
      password === undefined ||
      email.length > 320 ||
      password.length > 1024 ||
      textInputProblem(email) !== null ||
      textInputProblem(password) !== null
    )
      return showLogin(reply, environment, interaction, { error: 'invalid_credentials', status: 400 });
    const device = ensureDeviceCookie(request.headers.cookie, environment);
    const outcome = await submitPassword(request.deps, {
      ...common,
      email,
      password,
      deviceToken: device.token,
    });
    return answer(reply, environment, interaction, outcome, { email, deviceCookie: device.setCookie });
  });

  allowOnly(app, { '/oauth/authorize': ['GET'], '/oauth/login': ['GET', 'POST'] });

  async function interactionOf(
    request: FastifyRequest,
    environment: EnvironmentRecord,
    id: string | undefined,
  ) {
    return loadInteraction(request.deps, {
      envId: environment.id,
      id,
      binding: readLoginBinding(request.headers.cookie, environment.tokenSettings.cookie),
    });
  }

  function answer(
    reply: FastifyReply,
    environment: EnvironmentRecord,
    interaction: Interaction,
    outcome: PasswordOutcome,
    password: { email: string; deviceCookie: string } | null = null,
  ) {
    const email = password?.email;
    // Once the password was right (issue #9), after the refresh cookie.
    const setDeviceCookie = () => {
      if (password !== null) void reply.header('set-cookie', password.deviceCookie);
    };
    switch (outcome.kind) {
      case 'failed':
        if (outcome.error === 'max_sessions_reached')
          return sendErrorPage(reply, 403, {
            title: 'Too many active sessions',
            message: 'You are signed in on too many devices. Sign out on one of them, then start again.',
            branding: brandingOf(environment),
          });
        if (outcome.retryAfterSeconds !== undefined)
          void reply.header('retry-after', String(outcome.retryAfterSeconds));
        return showLogin(reply, environment, interaction, {
          error: outcome.error,
          email,
          status: outcome.error === 'rate_limited' ? 429 : 400,
        });
      case 'choose_tenant':
        // AS-09: after the credentials POST, 303 (never 307, which would re-post the password).
        setDeviceCookie();
        return reply.redirect(loginPageUrl(environment, interaction), 303);
      case 'complete':
        if (outcome.session !== null) {
          const maxAge = outcome.session.refreshExpiresAt - deps.clock.now();
          void reply.header(
            'set-cookie',
            serializeRefreshCookie(environment.tokenSettings.cookie, outcome.session.refreshToken, maxAge),
          );
        }
        setDeviceCookie();
        return redirect(reply, environment, outcome.step);
      case 'claimed_elsewhere':
        // The answer to a forged post too: the sign-in this form belonged to is spent.
        throw new TesseraError('csrf_rejected');
      default:
        return unhandledOutcome(outcome);
    }
  }

  async function showInteraction(
    reply: FastifyReply,
    environment: EnvironmentRecord,
    interaction: Interaction,
    status = 200,
  ) {
    if (interaction.userId === null) return showLogin(reply, environment, interaction, { status });
    const page = renderTenantPicker({
      branding: brandingOf(environment),
      action: environmentPath(deps, environment.id, '/oauth/login'),
      csrfToken: interaction.csrfToken,
      interactionId: interaction.id,
      tenants: await tenantChoices(deps, environment.id, interaction.userId),
    });
    return sendPage(reply, page, { status, redirectTargets: [interaction.request.redirectUri] });
  }

  async function showLogin(
    reply: FastifyReply,
    environment: EnvironmentRecord,
    interaction: Interaction,
    options: { error?: LoginPageError; email?: string | undefined; status: number },
  ) {
    const { request } = interaction;
    const page = renderLoginPage({
      branding: brandingOf(environment),
      action: environmentPath(deps, environment.id, '/oauth/login'),
      csrfToken: interaction.csrfToken,
      interactionId: interaction.id,
      email: options.email ?? request.loginHint,
      error: options.error,
    });
    return sendPage(reply, page, { status: options.status, redirectTargets: [request.redirectUri] });
  }

  function loginPageUrl(environment: EnvironmentRecord, interaction: Pick<Interaction, 'id'>): string {
    return `${environmentPath(deps, environment.id, '/oauth/login')}?interaction=${interaction.id}`;
  }

  /** A 303 to the client, or to the login page of a new interaction. */
  function redirect(reply: FastifyReply, environment: EnvironmentRecord, step: FlowStep) {
    const location =
      step.kind === 'redirect' ? step.location : loginPageUrl(environment, { id: step.interactionId });
    return reply.header('cache-control', 'no-store').redirect(location, 303);
  }
}

/**
 * A login or logout form post must come from our own page: no cross-site or same-site (a sibling
 * app) fetch metadata, and an `Origin`, when sent, equal to the environment's own origin.
 */
export function isSameOriginPost(
  request: FastifyRequest,
  deps: SharedDeps,
  environment: EnvironmentRecord,
): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = request.headers.origin;
  return origin === undefined || origin === new URL(deps.baseUrl(environment.id)).origin;
}
