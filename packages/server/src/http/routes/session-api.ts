/**
 * The browser session API (DESIGN §3.1). Routes translate HTTP to use cases and back; the
 * decisions live in service/ and engine/.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TesseraError } from '../../errors.js';
import { authenticateBearer, type BearerIdentity } from '../../service/bearer.js';
import type { SharedDeps } from '../../service/deps.js';
import { type LoginRefusal, login } from '../../service/login.js';
import { logout } from '../../service/logout.js';
import { type RefreshOutcome, type RefreshResult, refreshSession } from '../../service/refresh.js';
import { describeMe, endOtherSessions, endOwnSession, listOwnSessions } from '../../service/self-service.js';
import type { EnvironmentRecord } from '../../storage/records.js';
import {
  readRefreshCookie,
  readRefreshCookieToReplace,
  serializeClearedRefreshCookie,
  serializeRefreshCookie,
} from '../cookies.js';
import { registerSessionCors } from '../cors.js';
import { assertAllowedOrigin, assertCsrfHeader } from '../csrf.js';
import { ensureDeviceCookie } from '../device-cookie.js';
import { requireClient, requireEnvironment } from '../environment.js';
import { allowOnly } from '../methods.js';
import { requestOrigin } from '../request-origin.js';
import {
  LoginBody,
  LogoutBody,
  RefreshBody,
  SidParams,
  SwitchTenantBody,
  TokenResponseSchema,
} from '../schemas.js';
import { unhandledOutcome } from '../unhandled-outcome.js';

export async function sessionApiRoutes(app: FastifyInstance, deps: SharedDeps): Promise<void> {
  registerSessionCors(app, deps);
  app.addHook('onRequest', (_request, reply, done) => {
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    done();
  });

  /** Guards a cookie-relying request and returns its environment, client and refresh cookie. */
  async function cookieRequest(request: FastifyRequest, clientId: string) {
    assertCsrfHeader(request);
    const environment = await requireEnvironment(deps, request);
    const client = await requireClient(deps, environment.id, clientId);
    assertAllowedOrigin(request, client, environment.tokenSettings.cookie);
    const refreshToken = readRefreshCookie(request.headers.cookie, environment.tokenSettings.cookie);
    return { environment, client, refreshToken };
  }

  function sendTokens(
    reply: FastifyReply,
    environment: EnvironmentRecord,
    result: Pick<RefreshResult, 'response' | 'refreshToken' | 'refreshExpiresAt'>,
  ) {
    const maxAge = result.refreshExpiresAt - deps.clock.now();
    void reply.header(
      'set-cookie',
      serializeRefreshCookie(environment.tokenSettings.cookie, result.refreshToken, maxAge),
    );
    return result.response;
  }

  /** The refresh's outcome as an answer: the use case says whether the cookie stays. */
  function answerRefresh(reply: FastifyReply, environment: EnvironmentRecord, outcome: RefreshOutcome) {
    switch (outcome.kind) {
      case 'refreshed':
        return sendTokens(reply, environment, outcome);
      case 'refused':
        if (!outcome.keepsCookie)
          void reply.header('set-cookie', serializeClearedRefreshCookie(environment.tokenSettings.cookie));
        throw new TesseraError(outcome.error);
      default:
        return unhandledOutcome(outcome);
    }
  }

  /**
   * A refused login as `{error, message}` with the code's status (docs/errors.md); a throttled one
   * says when to try again. The browser's cookie is left as it was: nothing was opened or ended.
   */
  function refuseLogin(refusal: LoginRefusal): never {
    switch (refusal.error) {
      case 'rate_limited':
        throw new TesseraError('rate_limited', { retryAfterSeconds: refusal.retryAfterSeconds });
      case 'unauthorized_client':
      case 'invalid_credentials':
      case 'user_disabled':
      case 'tenant_forbidden':
      case 'max_sessions_reached':
        throw new TesseraError(refusal.error);
      default:
        return unhandledOutcome(refusal);
    }
  }

  app.post<{ Body: LoginBody }>(
    '/login',
    { schema: { body: LoginBody, response: { 200: TokenResponseSchema } } },
    async (request, reply) => {
      const environment = await requireEnvironment(deps, request);
      const client = await requireClient(deps, environment.id, request.body.clientId);
      assertAllowedOrigin(request, client, environment.tokenSettings.cookie);
      const device = ensureDeviceCookie(request.headers.cookie, environment);
      const outcome = await login(request.deps, {
        envId: environment.id,
        client,
        email: request.body.email,
        password: request.body.password,
        ...(request.body.tenantId !== undefined && { tenantId: request.body.tenantId }),
        userAgent: request.headers['user-agent'] ?? null,
        ip: request.ip,
        deviceToken: device.token,
        // SES-06: the session this browser holds, if any, is replaced by the new one.
        browserRefreshToken: readRefreshCookieToReplace(
          request.headers.cookie,
          environment.tokenSettings.cookie,
        ),
      });
      switch (outcome.kind) {
        case 'logged_in': {
          const response = sendTokens(reply, environment, outcome);
          // After the refresh cookie, and only once the password was right (issue #9).
          void reply.header('set-cookie', device.setCookie);
          return response;
        }
        case 'refused':
          return refuseLogin(outcome);
        default:
          return unhandledOutcome(outcome);
      }
    },
  );

  app.post<{ Body: RefreshBody }>(
    '/refresh',
    { schema: { body: RefreshBody, response: { 200: TokenResponseSchema } } },
    async (request, reply) => {
      const { clientId, tenantId, active } = request.body;
      const { environment, client, refreshToken } = await cookieRequest(request, clientId);
      const outcome = await refreshSession(request.deps, {
        envId: environment.id,
        presenter: { kind: 'browser', client, origin: request.headers.origin },
        refreshToken,
        ...requestOrigin(request),
        active: active === true,
        ...(tenantId !== undefined && { tenantId }),
      });
      return answerRefresh(reply, environment, outcome);
    },
  );

  app.put<{ Body: SwitchTenantBody }>(
    '/tenant',
    { schema: { body: SwitchTenantBody, response: { 200: TokenResponseSchema } } },
    async (request, reply) => {
      const { clientId, tenantId } = request.body;
      const { environment, client, refreshToken } = await cookieRequest(request, clientId);
      const outcome = await refreshSession(request.deps, {
        envId: environment.id,
        presenter: { kind: 'browser', client, origin: request.headers.origin },
        refreshToken,
        ...requestOrigin(request),
        tenantId,
        active: true,
        setDefaultTenant: true,
      });
      return answerRefresh(reply, environment, outcome);
    },
  );

  app.post<{ Body: LogoutBody }>('/logout', { schema: { body: LogoutBody } }, async (request, reply) => {
    const { environment, client, refreshToken } = await cookieRequest(request, request.body.clientId);
    const outcome = await logout(request.deps, {
      envId: environment.id,
      client,
      refreshToken,
      ...requestOrigin(request),
    });
    switch (outcome.kind) {
      case 'logged_out':
        void reply.header('set-cookie', serializeClearedRefreshCookie(environment.tokenSettings.cookie));
        return reply.status(204).send();
      case 'refused':
        // Not this client's to end: the browser keeps its cookie.
        throw new TesseraError(outcome.error);
      default:
        return unhandledOutcome(outcome);
    }
  });

  /** The caller of a Bearer endpoint; any token that does not prove a live session is a 401. */
  async function bearer(request: FastifyRequest): Promise<BearerIdentity> {
    const environment = await requireEnvironment(deps, request);
    const authenticated = await authenticateBearer(
      request.deps,
      environment.id,
      request.headers.authorization,
    );
    switch (authenticated.kind) {
      case 'authenticated':
        return authenticated.identity;
      case 'unauthorized':
        throw new TesseraError('unauthorized');
      default:
        return unhandledOutcome(authenticated);
    }
  }

  app.get('/me', async (request) => {
    const result = await describeMe(request.deps, await bearer(request));
    switch (result.kind) {
      case 'found':
        return result.me;
      case 'unknown_user':
        // Deleted since the token was signed: the token no longer stands for anyone.
        throw new TesseraError('unauthorized');
      default:
        return unhandledOutcome(result);
    }
  });

  app.get('/sessions', async (request) => listOwnSessions(request.deps, await bearer(request)));

  app.delete('/sessions', async (request, reply) => {
    await endOtherSessions(request.deps, await bearer(request), requestOrigin(request));
    return reply.status(204).send();
  });

  app.delete<{ Params: SidParams }>(
    '/sessions/:sid',
    { schema: { params: SidParams } },
    async (request, reply) => {
      const result = await endOwnSession(
        request.deps,
        await bearer(request),
        request.params.sid,
        requestOrigin(request),
      );
      switch (result.kind) {
        case 'ended':
          return reply.status(204).send();
        case 'not_found':
          throw new TesseraError('not_found');
        default:
          return unhandledOutcome(result);
      }
    },
  );

  allowOnly(app, {
    '/login': ['POST'],
    '/refresh': ['POST'],
    '/tenant': ['PUT'],
    '/logout': ['POST'],
    '/me': ['GET'],
    '/sessions': ['GET', 'DELETE'],
    '/sessions/:sid': ['DELETE'],
  });
}
