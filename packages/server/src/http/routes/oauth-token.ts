/**
 * The OAuth endpoints clients call directly (DESIGN §3.2): `POST /oauth/token`, `/oauth/revoke`
 * (RFC 7009) and `/oauth/introspect` (RFC 7662). Bodies are form-encoded (RFC 6749) or JSON; errors
 * are `{error, error_description}` (RFC 6749 §5.2); every answer is `no-store`. Exact-origin CORS
 * for the environment's SPAs on token and revoke; introspection is for servers only.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TesseraError } from '../../errors.js';
import { TOKEN_ERROR_STATUS, type TokenRefusal, tokenRefusal } from '../../oauth/errors.js';
import {
  type ClientAuthentication,
  parseClientCredentials,
  parseTokenRequest,
} from '../../oauth/token-request.js';
import type { SharedDeps } from '../../service/deps.js';
import {
  authenticateOAuthClient,
  type ClientAuthenticationResult,
} from '../../service/oauth/client-authentication.js';
import { introspectToken } from '../../service/oauth/introspection.js';
import { revokeToken } from '../../service/oauth/revocation.js';
import { exchangeAuthorizationCode, refreshTokenGrant } from '../../service/oauth/token-grants.js';
import type { ClientRecord, EnvironmentRecord } from '../../storage/records.js';
import { registerSessionCors } from '../cors.js';
import { requireEnvironment } from '../environment.js';
import { registerFormParser } from '../html-pages.js';
import { allowOnly } from '../methods.js';
import { requestOrigin } from '../request-origin.js';

export async function oauthTokenRoutes(app: FastifyInstance, deps: SharedDeps): Promise<void> {
  registerFormParser(app);
  registerSessionCors(app, deps, ['/oauth/token', '/oauth/revoke']);
  app.addHook('onRequest', (_request, reply, done) => {
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    done();
  });
  app.setErrorHandler((thrown, request, reply) => {
    // A request the app refused before the route (the text rule, a malformed body) is an OAuth
    // invalid_request here too (RFC 6749 §5.2).
    if (!(thrown instanceof TesseraError && thrown.code === 'invalid_request')) throw thrown;
    void refuse(request, reply, tokenRefusal('invalid_request', thrown.message));
  });

  app.post('/oauth/token', async (request, reply) => {
    const environment = await requireEnvironment(deps, request);
    const body = bodyOf(request);
    if (body === null) return refuse(request, reply, NOT_A_FORM);
    const parsed = parseTokenRequest(body, request.headers.authorization);
    if ('error' in parsed) return refuse(request, reply, tokenRefusal(parsed.error, parsed.description));
    const authenticated = await authenticate(request, environment, parsed);
    if (!authenticated.ok) return refuse(request, reply, authenticated);
    const { client } = authenticated;
    const granted =
      parsed.grantType === 'authorization_code'
        ? await exchangeAuthorizationCode(request.deps, {
            environment,
            client,
            code: parsed.code,
            redirectUri: parsed.redirectUri,
            codeVerifier: parsed.codeVerifier,
            origin: requestOrigin(request),
          })
        : await refreshTokenGrant(request.deps, {
            environment,
            client,
            refreshToken: parsed.refreshToken,
            scope: parsed.scope,
            origin: requestOrigin(request),
          });
    return granted.ok ? granted.tokens : refuse(request, reply, granted);
  });

  app.post('/oauth/revoke', async (request, reply) => {
    const environment = await requireEnvironment(deps, request);
    const presented = await tokenRequest(request, environment);
    if (!presented.ok) return refuse(request, reply, presented);
    await revokeToken(request.deps, {
      environment,
      client: presented.client,
      token: presented.token,
      origin: requestOrigin(request),
    });
    return reply.status(200).send();
  });

  app.post('/oauth/introspect', async (request, reply) => {
    const environment = await requireEnvironment(deps, request);
    const presented = await tokenRequest(request, environment);
    if (!presented.ok) return refuse(request, reply, presented);
    const introspected = await introspectToken(request.deps, {
      environment,
      client: presented.client,
      token: presented.token,
    });
    return introspected.ok ? introspected.response : refuse(request, reply, introspected);
  });

  allowOnly(app, { '/oauth/token': ['POST'], '/oauth/revoke': ['POST'], '/oauth/introspect': ['POST'] });

  /**
   * A refusal as RFC 6749 §5.2 words it: the code's status, and a Basic challenge when a client
   * that authenticated with Basic is refused as `invalid_client` (§5.2, 401).
   */
  function refuse(request: FastifyRequest, reply: FastifyReply, refusal: TokenRefusal) {
    if (refusal.error === 'invalid_client' && request.headers.authorization?.match(/^Basic /i))
      void reply.header('www-authenticate', 'Basic realm="tessera", charset="UTF-8"');
    return reply
      .status(TOKEN_ERROR_STATUS[refusal.error])
      .send({ error: refusal.error, error_description: refusal.description });
  }

  /** Authenticates the client, and holds a SPA to its registered origins when a browser calls. */
  function authenticate(
    request: FastifyRequest,
    environment: EnvironmentRecord,
    presented: { clientId: string; clientAuth: ClientAuthentication },
  ): Promise<ClientAuthenticationResult> {
    return authenticateOAuthClient(request.deps, environment.id, {
      ...presented,
      origin: request.headers.origin,
    });
  }

  /** The client and the `token` parameter of a revocation or introspection request. */
  async function tokenRequest(
    request: FastifyRequest,
    environment: EnvironmentRecord,
  ): Promise<{ ok: true; client: ClientRecord; token: string } | TokenRefusal> {
    const body = bodyOf(request);
    if (body === null) return NOT_A_FORM;
    const credentials = parseClientCredentials(body, request.headers.authorization);
    if ('error' in credentials) return tokenRefusal(credentials.error, credentials.description);
    const authenticated = await authenticate(request, environment, credentials);
    if (!authenticated.ok) return authenticated;
    const token = body.token;
    if (typeof token !== 'string' || token === '')
      return tokenRefusal('invalid_request', 'token is missing or repeated.');
    return { ok: true, client: authenticated.client, token };
  }
}

const NOT_A_FORM = tokenRefusal('invalid_request', 'The request body must be form-encoded or a JSON object.');

/** The parameters of a form-encoded or JSON body; `null` for any other body. */
function bodyOf(request: FastifyRequest): Record<string, unknown> | null {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  return body as Record<string, unknown>;
}
