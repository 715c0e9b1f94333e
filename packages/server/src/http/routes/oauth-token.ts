/**
 * The OAuth endpoints clients call directly (DESIGN §3.2): `POST /oauth/token`, `/oauth/revoke`
 * (RFC 7009) and `/oauth/introspect` (RFC 7662). Bodies are form-encoded (RFC 6749) or JSON; errors
 * are `{error, error_description}` (RFC 6749 §5.2); every answer is `no-store`. Exact-origin CORS
 * for the environment's SPAs on token and revoke; introspection is for servers only.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TesseraError } from '../../errors.js';
import { OAuthTokenError, TOKEN_ERROR_STATUS } from '../../oauth/errors.js';
import {
  type ClientAuthentication,
  parseClientCredentials,
  parseTokenRequest,
} from '../../oauth/token-request.js';
import type { ServiceDeps } from '../../service/deps.js';
import { authenticateOAuthClient } from '../../service/oauth/client-authentication.js';
import { introspectToken } from '../../service/oauth/introspection.js';
import { revokeToken } from '../../service/oauth/revocation.js';
import { exchangeAuthorizationCode, refreshTokenGrant } from '../../service/oauth/token-grants.js';
import type { ClientRecord, EnvironmentRecord } from '../../storage/records.js';
import { registerSessionCors } from '../cors.js';
import { requireEnvironment } from '../environment.js';
import { registerFormParser } from '../html-pages.js';
import { allowOnly } from '../methods.js';

export async function oauthTokenRoutes(app: FastifyInstance, deps: ServiceDeps): Promise<void> {
  registerFormParser(app);
  registerSessionCors(app, deps, ['/oauth/token', '/oauth/revoke']);
  app.addHook('onRequest', (_request, reply, done) => {
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    done();
  });
  app.setErrorHandler((thrown, request, reply) => {
    // A request the app refused before the route (the text rule, a malformed body) is an OAuth
    // invalid_request here too (RFC 6749 §5.2).
    const error =
      thrown instanceof TesseraError && thrown.code === 'invalid_request'
        ? new OAuthTokenError('invalid_request', thrown.message)
        : thrown;
    if (!(error instanceof OAuthTokenError)) throw error;
    if (error.error === 'invalid_client' && request.headers.authorization?.match(/^Basic /i))
      void reply.header('www-authenticate', 'Basic realm="tessera", charset="UTF-8"');
    void reply
      .status(TOKEN_ERROR_STATUS[error.error])
      .send({ error: error.error, error_description: error.message });
  });

  app.post('/oauth/token', async (request) => {
    const environment = await requireEnvironment(deps, request);
    const parsed = parseTokenRequest(bodyOf(request), request.headers.authorization);
    if ('error' in parsed) throw new OAuthTokenError(parsed.error, parsed.description);
    const client = await authenticate(request, environment, parsed);
    if (parsed.grantType === 'authorization_code') {
      return exchangeAuthorizationCode(deps, {
        environment,
        client,
        code: parsed.code,
        redirectUri: parsed.redirectUri,
        codeVerifier: parsed.codeVerifier,
      });
    }
    return refreshTokenGrant(deps, {
      environment,
      client,
      refreshToken: parsed.refreshToken,
      scope: parsed.scope,
    });
  });

  app.post('/oauth/revoke', async (request, reply) => {
    const environment = await requireEnvironment(deps, request);
    const { client, token } = await tokenRequest(request, environment);
    await revokeToken(deps, { environment, client, token });
    return reply.status(200).send();
  });

  app.post('/oauth/introspect', async (request) => {
    const environment = await requireEnvironment(deps, request);
    const { client, token } = await tokenRequest(request, environment);
    // RFC 7662 §2.1: the caller must be authorized; a public SPA cannot prove who it is.
    if (client.type !== 'confidential')
      throw new OAuthTokenError('invalid_client', 'Introspection needs a confidential client.');
    return introspectToken(deps, { environment, token });
  });

  allowOnly(app, { '/oauth/token': ['POST'], '/oauth/revoke': ['POST'], '/oauth/introspect': ['POST'] });

  /** Authenticates the client, and holds a SPA to its registered origins when a browser calls. */
  async function authenticate(
    request: FastifyRequest,
    environment: EnvironmentRecord,
    presented: { clientId: string; clientAuth: ClientAuthentication },
  ): Promise<ClientRecord> {
    const client = await authenticateOAuthClient(deps, environment.id, presented);
    const origin = request.headers.origin;
    if (origin !== undefined && !client.allowedOrigins.includes(origin))
      throw new OAuthTokenError('invalid_client', 'Client authentication failed.');
    return client;
  }

  /** The client and the `token` parameter of a revocation or introspection request. */
  async function tokenRequest(request: FastifyRequest, environment: EnvironmentRecord) {
    const body = bodyOf(request);
    const credentials = parseClientCredentials(body, request.headers.authorization);
    if ('error' in credentials) throw new OAuthTokenError(credentials.error, credentials.description);
    const client = await authenticate(request, environment, credentials);
    const token = body.token;
    if (typeof token !== 'string' || token === '')
      throw new OAuthTokenError('invalid_request', 'token is missing or repeated.');
    return { client, token };
  }
}

function bodyOf(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new OAuthTokenError('invalid_request', 'The request body must be form-encoded or a JSON object.');
  return body as Record<string, unknown>;
}
