// oidc-provider (node-oidc-provider 9) as a bench peer: the refresh_token grant with rotation
// (`rotateRefreshToken: true`) and ES256 JWT access tokens for one resource server, for one
// confidential client (client_secret_basic). Store: its own in-memory adapter, or SQLite
// (./oidc-sqlite-adapter.mjs) with `--store sqlite`.
//
// The in-memory adapter is the library's (MemoryAdapter), given a larger LRU than its default of
// 1000 entries: with 500 users, the default evicts live grants and refresh tokens (thousands of
// invalid_grant answers within seconds). Imported from the package's files: it exports no
// adapter.
//
//   PORT=4300 BENCH_DATA_DIR=/tmp/x node peers/oidc-provider.mjs --store memory|sqlite
//
// Bench-only routes (loopback only, no auth — never expose): GET /healthz, and
// POST /bench/seed?users=N, which creates N accounts' grants and one refresh token each, through the
// provider's own models (so through the adapter), and answers the client credentials and tokens.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Provider from 'oidc-provider';
import MemoryAdapter from 'oidc-provider/lib/adapters/memory_adapter.js';
import LRU from 'oidc-provider/lib/helpers/lru.js';
import { sqliteAdapterFactory } from './oidc-sqlite-adapter.mjs';

const { values } = parseArgs({ options: { store: { type: 'string', default: 'memory' } } });
const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const resource = 'https://api.bench.example';
const clientSecret = randomBytes(32).toString('base64url');

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'bench-es256', alg: 'ES256', use: 'sig' };

let store;
if (values.store === 'sqlite') store = sqliteAdapterFactory(join(process.env.BENCH_DATA_DIR, 'oidc.db'));
else if (values.store === 'memory') {
  const memory = new LRU({ maxSize: 10_000_000 });
  store = { Adapter: (model) => new MemoryAdapter(model, memory), close() {} };
} else throw new Error(`--store must be memory or sqlite, not ${values.store}`);

const provider = new Provider(issuer, {
  adapter: store?.Adapter,
  clients: [
    {
      client_id: 'bench',
      client_secret: clientSecret,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: ['https://app.bench.example/callback'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'ES256',
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  scopes: ['openid', 'offline_access', 'api:read'],
  rotateRefreshToken: true,
  ttl: { AccessToken: 900, Grant: 14 * 24 * 3600, RefreshToken: 14 * 24 * 3600 },
  // The account lookup every refresh makes; here a constant, no store behind it.
  findAccount: (_ctx, accountId) => ({ accountId, claims: () => ({ sub: accountId }) }),
  features: {
    devInteractions: { enabled: false },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'api:read',
        audience: resource,
        accessTokenTTL: 900,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'ES256' } },
      }),
    },
  },
});

async function seed(users) {
  const client = await provider.Client.find('bench');
  const tokens = [];
  for (let i = 0; i < users; i++) {
    const accountId = `user-${i}`;
    const grant = new provider.Grant({ accountId, clientId: 'bench' });
    grant.addOIDCScope('offline_access');
    grant.addResourceScope(resource, 'api:read');
    const grantId = await grant.save();
    const refreshToken = new provider.RefreshToken({
      accountId,
      client,
      grantId,
      gty: 'authorization_code',
      scope: 'offline_access api:read',
      resource,
      authTime: Math.floor(Date.now() / 1000),
      expiresWithSession: false,
    });
    tokens.push(await refreshToken.save());
  }
  return { clientId: 'bench', clientSecret, refreshTokens: tokens };
}

const handle = provider.callback();
const server = createServer((req, res) => {
  if (req.url === '/healthz') return res.end('ok');
  if (req.method === 'POST' && req.url.startsWith('/bench/seed')) {
    const users = Number(new URL(req.url, issuer).searchParams.get('users'));
    seed(users).then(
      (body) => res.setHeader('content-type', 'application/json').end(JSON.stringify(body)),
      (error) => {
        console.error('seed failed:', error.message);
        res.statusCode = 500;
        res.end();
      },
    );
    return;
  }
  handle(req, res);
});
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  store?.close();
  process.exit(0);
});
