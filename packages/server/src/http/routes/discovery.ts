/**
 * Discovery and JWKS (DESIGN §3.2, first two rows). The issuer is configured, never derived from
 * the request's Host (security.md §2.4). Public and cacheable, so any origin may read them.
 */
import type { FastifyInstance } from 'fastify';
import { SUPPORTED_SCOPES } from '../../oauth/scope.js';
import type { SharedDeps } from '../../service/deps.js';
import { requireEnvironment } from '../environment.js';
import { allowOnly } from '../methods.js';

export async function discoveryRoutes(app: FastifyInstance, deps: SharedDeps): Promise<void> {
  app.addHook('onSend', async (_request, reply) => {
    void reply.header('access-control-allow-origin', '*');
  });

  app.get('/.well-known/openid-configuration', async (request, reply) => {
    const environment = await requireEnvironment(deps, request);
    const issuer = deps.baseUrl(environment.id);
    void reply.header('cache-control', 'public, max-age=300');
    return {
      issuer,
      authorization_endpoint: `${issuer}/oauth/authorize`,
      token_endpoint: `${issuer}/oauth/token`,
      userinfo_endpoint: `${issuer}/oauth/userinfo`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      revocation_endpoint: `${issuer}/oauth/revoke`,
      introspection_endpoint: `${issuer}/oauth/introspect`,
      end_session_endpoint: `${issuer}/oauth/logout`,
      // A Tessera extension (docs/account.md): the end user's account page, for apps to link to.
      account_url: `${issuer}/account`,
      scopes_supported: [...SUPPORTED_SCOPES],
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      subject_types_supported: ['public'],
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: [environment.tokenSettings.signingAlgorithm],
      token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
      revocation_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      prompt_values_supported: ['none', 'login'],
      authorization_response_iss_parameter_supported: true,
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
      claims_parameter_supported: false,
      claims_supported: [
        'iss',
        'sub',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'nonce',
        'sid',
        'email',
        'name',
        'tenantId',
        'tenantIds',
      ],
    };
  });

  app.get('/.well-known/jwks.json', async (request, reply) => {
    // The environment first: an unknown id must reach no per-environment cache (keys/keyring.ts).
    const environment = await requireEnvironment(deps, request);
    const jwks = await deps.keyring.jwks(environment.id);
    // A rotation's next key is published a full cache window before it signs (keys/keyring.ts).
    void reply.header('cache-control', `public, max-age=${deps.keyring.jwksCacheSeconds}`);
    return jwks;
  });

  allowOnly(app, { '/.well-known/openid-configuration': ['GET'], '/.well-known/jwks.json': ['GET'] });
}
