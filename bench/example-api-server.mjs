// The example API for bench/example-api.mjs, in its own process: `verify` = examples/api as it
// ships (every request verified by @tessera/node against a local JWKS), `none` = the same route and
// answer from a bare Fastify app without the auth layer. Prints {"port", "token"}.
import { createServer } from 'node:http';
import Fastify from 'fastify';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createExampleApi } from '../examples/api/src/index.ts';

const mode = process.argv[2];
const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256', use: 'sig' }] };
const jwksServer = createServer((_q, r) =>
  r.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks)),
);
await new Promise((done) => jwksServer.listen(0, '127.0.0.1', done));
const issuer = `http://127.0.0.1:${jwksServer.address().port}`;
const now = Math.floor(Date.now() / 1000);
const token = await new SignJWT({
  sid: 'sid-bench',
  tenantId: 'acme',
  tenantIds: ['acme'],
  roles: ['admin'],
  permissions: ['users:write'],
  email: 'alice@example.com',
  name: 'Alice',
  auth_time: now,
  client_id: 'web',
  jti: 'jti-bench',
})
  .setProtectedHeader({ alg: 'ES256', kid: 'bench', typ: 'at+jwt' })
  .setIssuer(issuer)
  .setAudience('web')
  .setSubject('user-alice')
  .setIssuedAt(now)
  .setExpirationTime(now + 3600)
  .sign(privateKey);

const projects = { acme: ['Website relaunch', 'Billing migration'] };
let app;
if (mode === 'verify') {
  app = createExampleApi({
    issuer,
    audience: 'web',
    allowedOrigins: [],
    projects,
    verifier: { algorithms: ['ES256'] },
  });
} else {
  app = Fastify();
  app.get('/tenants/:tenantId/projects', async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    return { tenantId: request.params.tenantId, projects: projects[request.params.tenantId] ?? [] };
  });
}
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ port: Number(new URL(address).port), token })}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
