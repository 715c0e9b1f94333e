/**
 * The Express middleware and the Fastify plugin, each in a real framework on a real port, held to
 * one contract (security.md MW-01, MW-03, MW-05, §2.1 transport and size): claims on the request, a
 * generic 401 with `WWW-Authenticate`, 403 from guards, 503 when the verifier cannot decide, and the
 * route handler never reached by a request that was refused.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request } from 'express';
import Fastify, { type FastifyRequest } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tesseraExpress } from './express.js';
import { tesseraFastify } from './fastify.js';
import { requirePermissions, requireRoles, requireTenant } from './guards.js';
import { getWith, rawRequest } from './testing/http.js';
import { encodePart, type LocalIssuer, signJws, startLocalIssuer } from './testing/local-issuer.js';
import { createVerifier, type Verifier } from './verifier.js';

interface App {
  url: string;
  port: number;
  /** How many times a protected handler ran. */
  handled: number;
  /** The codes `onError` saw. */
  errors: string[];
  close(): Promise<void>;
}

type Framework = 'express' | 'fastify';

let issuer: LocalIssuer;
let verifier: Verifier;

beforeAll(async () => {
  issuer = await startLocalIssuer();
  verifier = createVerifier({ issuer: issuer.url, audience: 'app' });
});
afterAll(async () => {
  await verifier.close();
  await issuer.close();
});

async function startExpress(v: Verifier, onErrorThrows = false): Promise<App> {
  const app = express();
  const state = { handled: 0, errors: [] as string[] };
  const handler = (req: Request, res: express.Response) => {
    state.handled++;
    res.json({ sub: req.auth!.sub, tenantId: req.auth!.tenantId });
  };
  app.get('/public', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/unprotected-guard', requireRoles('admin'), handler);
  app.use(
    '/api',
    tesseraExpress(v, {
      onError: (error) => {
        state.errors.push(error.code);
        if (onErrorThrows) throw new Error('logger broke');
      },
    }),
  );
  app.get('/api/me', handler);
  app.post('/api/me', express.json(), handler);
  app.get('/api/tenants/:tenantId/orders', requireTenant('tenantId'), handler);
  app.get(
    '/api/by-header',
    requireTenant<Request>((req) => req.headers['x-tenant-id'] as string | undefined),
    handler,
  );
  app.get(
    '/api/throwing-resolver',
    requireTenant<Request>(() => {
      throw new Error('resolver broke');
    }),
    handler,
  );
  app.get('/api/admin', requireRoles('admin'), handler);
  app.get('/api/admin-and-owner', requireRoles('admin', 'owner'), handler);
  app.get('/api/write', requirePermissions('users:read', 'users:write'), handler);
  app.get('/api/delete', requirePermissions('users:delete'), handler);
  app.get(
    '/api/tenants/:tenantId/admin',
    requireTenant('tenantId'),
    requireRoles('admin'),
    requirePermissions('users:write'),
    handler,
  );
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get handled() {
      return state.handled;
    },
    errors: state.errors,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function startFastify(v: Verifier, onErrorThrows = false): Promise<App> {
  const app = Fastify();
  const state = { handled: 0, errors: [] as string[] };
  const handler = async (request: FastifyRequest) => {
    state.handled++;
    return { sub: request.auth!.sub, tenantId: request.auth!.tenantId };
  };
  app.get('/public', async () => ({ ok: true }));
  app.get('/unprotected-guard', { preHandler: requireRoles('admin') }, handler);
  await app.register(
    async (api) => {
      await api.register(tesseraFastify, {
        verifier: v,
        onError: (error) => {
          state.errors.push(error.code);
          if (onErrorThrows) throw new Error('logger broke');
        },
      });
      api.get('/me', handler);
      api.post('/me', handler);
      api.get('/tenants/:tenantId/orders', { preHandler: requireTenant('tenantId') }, handler);
      api.get(
        '/by-header',
        {
          onRequest: requireTenant<FastifyRequest>((req) => req.headers['x-tenant-id'] as string | undefined),
        },
        handler,
      );
      api.get(
        '/throwing-resolver',
        {
          preHandler: requireTenant<FastifyRequest>(() => {
            throw new Error('resolver broke');
          }),
        },
        handler,
      );
      api.get('/admin', { preHandler: requireRoles('admin') }, handler);
      api.get('/admin-and-owner', { preHandler: requireRoles('admin', 'owner') }, handler);
      api.get('/write', { preHandler: requirePermissions('users:read', 'users:write') }, handler);
      api.get('/delete', { preHandler: requirePermissions('users:delete') }, handler);
      api.get(
        '/tenants/:tenantId/admin',
        { preHandler: [requireTenant('tenantId'), requireRoles('admin'), requirePermissions('users:write')] },
        handler,
      );
    },
    { prefix: '/api' },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get handled() {
      return state.handled;
    },
    errors: state.errors,
    close: () => app.close(),
  };
}

const start = (framework: Framework, v: Verifier = verifier, onErrorThrows = false) =>
  framework === 'express' ? startExpress(v, onErrorThrows) : startFastify(v, onErrorThrows);

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe.each<Framework>(['express', 'fastify'])('%s adapter', (framework) => {
  let app: App;
  beforeEach(async () => {
    app = await start(framework);
  });
  afterEach(async () => {
    await app.close();
  });

  async function expectInvalidToken(
    response: Response,
    handledBefore: number,
    header = 'Bearer error="invalid_token"',
  ) {
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(header);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ error: 'invalid_token' });
    expect(app.handled).toBe(handledBefore);
  }

  it('a valid token reaches the handler with its claims on the request', async () => {
    const response = await fetch(`${app.url}/api/me`, { headers: bearer(issuer.token()) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ sub: 'user-ada', tenantId: 'acme' });
    expect(app.handled).toBe(1);
  });

  it('MW-05: no token is 401 with a bare Bearer challenge (RFC 6750 §3.1) and a generic body', async () => {
    await expectInvalidToken(await fetch(`${app.url}/api/me`), 0, 'Bearer');
    expect(app.errors).toEqual(['token_missing']);
  });

  it('MW-05: expired, forged, wrong-audience and garbage tokens get the same 401 and body: no reason leaks', async () => {
    const tokens = [
      issuer.token({
        claims: { exp: Math.floor(Date.now() / 1000) - 3600, iat: Math.floor(Date.now() / 1000) - 4000 },
      }),
      `${issuer.token().slice(0, -4)}AAAA`,
      issuer.token({ claims: { aud: 'billing' } }),
      'garbage',
    ];
    const bodies = new Set<string>();
    for (const token of tokens) {
      const response = await fetch(`${app.url}/api/me`, { headers: bearer(token) });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      bodies.add(await response.text());
    }
    expect([...bodies]).toEqual(['{"error":"invalid_token"}']);
    expect(app.errors).toEqual(['token_expired', 'token_invalid', 'audience_mismatch', 'token_malformed']);
    expect(app.handled).toBe(0);
  });

  it('MW-01: the hostile tokens of §2.1 are refused through the middleware too', async () => {
    const now = Math.floor(Date.now() / 1000);
    const h = { alg: 'ES256', kid: issuer.key.kid, typ: 'at+jwt' };
    const pem = issuer.key.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const hostile = [
      `${encodePart({ ...h, alg: 'none' })}.${encodePart(issuer.claims())}.`,
      signJws({ ...h, alg: 'HS256' }, issuer.claims(), pem, 'HS256'),
      signJws({ ...h, typ: 'JWT' }, issuer.claims(), issuer.key.privateKey, 'ES256'),
      signJws({ ...h, crit: ['exp'] }, issuer.claims(), issuer.key.privateKey, 'ES256'),
      signJws({ ...h, kid: '../../dev/null' }, issuer.claims(), issuer.key.privateKey, 'ES256'),
      signJws(
        `{"alg":"ES256","alg":"none","kid":"${issuer.key.kid}","typ":"at+jwt"}`,
        issuer.claims(),
        issuer.key.privateKey,
        'ES256',
      ),
      signJws(h, issuer.claims({ sid: undefined }), issuer.key.privateKey, 'ES256'),
      signJws(h, issuer.claims({ tenantId: ['acme'] }), issuer.key.privateKey, 'ES256'),
      signJws(h, issuer.claims({ iss: `${issuer.url}/` }), issuer.key.privateKey, 'ES256'),
      signJws(h, issuer.claims({ nbf: now + 3600 }), issuer.key.privateKey, 'ES256'),
      `${issuer.token()}.AAAA.BBBB`,
    ];
    for (const token of hostile) {
      await expectInvalidToken(await fetch(`${app.url}/api/me`, { headers: bearer(token) }), 0);
    }
  });

  describe('§2.1 transport: only Authorization: Bearer', () => {
    it('a token in ?access_token= or in a body field is never used', async () => {
      const token = issuer.token();
      await expectInvalidToken(await fetch(`${app.url}/api/me?access_token=${token}`), 0, 'Bearer');
      await expectInvalidToken(
        await fetch(`${app.url}/api/me`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ access_token: token }),
        }),
        0,
        'Bearer',
      );
      await expectInvalidToken(
        await fetch(`${app.url}/api/me`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `access_token=${token}`,
        }),
        0,
        'Bearer',
      );
    });

    it('two Authorization headers are refused, even two copies of a valid one', async () => {
      const token = issuer.token();
      const response = await rawRequest(
        app.port,
        getWith('/api/me', [`Authorization: Bearer ${token}`, `Authorization: Bearer ${token}`]),
      );
      expect(response.status).toBe(401);
      expect(response.head).toMatch(/www-authenticate: Bearer error="invalid_token"/i);
      expect(app.handled).toBe(0);
      const one = await rawRequest(app.port, getWith('/api/me', [`Authorization: Bearer ${token}`]));
      expect(one.status).toBe(200);
    });

    it('another scheme, extra spaces, no token, or a token with a comma are refused; the scheme is case-insensitive', async () => {
      const token = issuer.token();
      for (const value of [
        `Basic ${Buffer.from('a:b').toString('base64')}`,
        `Token ${token}`,
        `Bearer  ${token}`,
        `Bearer ${token} x`,
        `Bearer "${token}"`,
        `Bearer`,
        `Bearer `,
        `Bearer ${token},${token}`,
        `${token}`,
      ]) {
        const response = await rawRequest(app.port, getWith('/api/me', [`Authorization: ${value}`]));
        expect(response.status, value.slice(0, 12)).toBe(401);
      }
      expect(app.handled).toBe(0);
      for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
        const response = await fetch(`${app.url}/api/me`, {
          headers: { authorization: `${scheme} ${token}` },
        });
        expect(response.status).toBe(200);
      }
    });
  });

  it('§2.1 size: 16 KB and 1 MB Authorization headers are refused by the HTTP server, which stays up', async () => {
    for (const size of [16 * 1024, 1024 * 1024]) {
      const response = await rawRequest(
        app.port,
        getWith('/api/me', [`Authorization: Bearer ${'A'.repeat(size)}`]),
      );
      expect(response.status).toBe(431);
    }
    expect(app.handled).toBe(0);
    expect((await fetch(`${app.url}/api/me`, { headers: bearer(issuer.token()) })).status).toBe(200);
  });

  it('§2.1 size: an 8 KB+ token under the header limit is 401', async () => {
    await expectInvalidToken(
      await fetch(`${app.url}/api/me`, { headers: bearer(`${'A'.repeat(6000)}.${'B'.repeat(6000)}.C`) }),
      0,
    );
  });

  describe('guards', () => {
    const token = (claims: Record<string, unknown> = {}) => issuer.token({ claims });

    async function expectForbidden(response: Response) {
      expect(response.status).toBe(403);
      expect(response.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope"');
      expect(await response.json()).toEqual({ error: 'insufficient_scope' });
    }

    it("requireTenant: the route's tenant must be the token's tenantId", async () => {
      const ok = await fetch(`${app.url}/api/tenants/acme/orders`, { headers: bearer(token()) });
      expect(ok.status).toBe(200);
      // ada belongs to globex too, but this token acts for acme.
      await expectForbidden(
        await fetch(`${app.url}/api/tenants/globex/orders`, { headers: bearer(token()) }),
      );
      await expectForbidden(await fetch(`${app.url}/api/tenants/ACME/orders`, { headers: bearer(token()) }));
      expect(app.handled).toBe(1);
    });

    it('requireTenant with a function; a missing tenant or a throwing resolver is 403', async () => {
      const ok = await fetch(`${app.url}/api/by-header`, {
        headers: { ...bearer(token()), 'x-tenant-id': 'acme' },
      });
      expect(ok.status).toBe(200);
      await expectForbidden(
        await fetch(`${app.url}/api/by-header`, { headers: { ...bearer(token()), 'x-tenant-id': 'globex' } }),
      );
      await expectForbidden(await fetch(`${app.url}/api/by-header`, { headers: bearer(token()) }));
      await expectForbidden(await fetch(`${app.url}/api/throwing-resolver`, { headers: bearer(token()) }));
      expect(app.handled).toBe(1);
    });

    it('requireRoles and requirePermissions need every key listed', async () => {
      expect((await fetch(`${app.url}/api/admin`, { headers: bearer(token()) })).status).toBe(200);
      await expectForbidden(
        await fetch(`${app.url}/api/admin`, { headers: bearer(token({ roles: ['member'] })) }),
      );
      await expectForbidden(await fetch(`${app.url}/api/admin-and-owner`, { headers: bearer(token()) }));
      expect(
        (
          await fetch(`${app.url}/api/admin-and-owner`, {
            headers: bearer(token({ roles: ['owner', 'admin'] })),
          })
        ).status,
      ).toBe(200);
      expect((await fetch(`${app.url}/api/write`, { headers: bearer(token()) })).status).toBe(200);
      await expectForbidden(
        await fetch(`${app.url}/api/write`, { headers: bearer(token({ permissions: ['users:read'] })) }),
      );
      await expectForbidden(await fetch(`${app.url}/api/delete`, { headers: bearer(token()) }));
    });

    it('guards chain: tenant, role and permission', async () => {
      expect((await fetch(`${app.url}/api/tenants/acme/admin`, { headers: bearer(token()) })).status).toBe(
        200,
      );
      await expectForbidden(await fetch(`${app.url}/api/tenants/globex/admin`, { headers: bearer(token()) }));
      await expectForbidden(
        await fetch(`${app.url}/api/tenants/acme/admin`, { headers: bearer(token({ permissions: [] })) }),
      );
    });

    it('a guard without the adapter in front refuses with 401 (no claims, no entry)', async () => {
      const response = await fetch(`${app.url}/unprotected-guard`, { headers: bearer(token()) });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'invalid_token' });
      expect(app.handled).toBe(0);
    });

    it('routes outside the protected context stay public', async () => {
      expect((await fetch(`${app.url}/public`)).status).toBe(200);
    });
  });

  describe('MW-03: fails closed, the handler never runs', () => {
    it('JWKS unreachable: 503 with a generic body and Retry-After', async () => {
      const down = createVerifier({ issuer: 'http://127.0.0.1:9', audience: 'app', jwksTimeoutSeconds: 1 });
      const downApp = await start(framework, down);
      try {
        const response = await fetch(`${downApp.url}/api/me`, {
          headers: bearer(issuer.token()),
        });
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toBe('5');
        expect(response.headers.get('www-authenticate')).toBeNull();
        expect(await response.json()).toEqual({ error: 'temporarily_unavailable' });
        expect(downApp.handled).toBe(0);
        expect(downApp.errors).toEqual(['jwks_unavailable']);
      } finally {
        await downApp.close();
      }
    });

    it('a verifier that throws something unexpected is 500 server_error', async () => {
      const broken = {
        verify: () => Promise.reject(new RangeError('boom')),
        status: verifier.status,
        close: verifier.close,
      } as unknown as Verifier;
      const brokenApp = await start(framework, broken);
      try {
        const response = await fetch(`${brokenApp.url}/api/me`, { headers: bearer(issuer.token()) });
        expect(response.status).toBe(500);
        expect(await response.json()).toEqual({ error: 'server_error' });
        expect(brokenApp.handled).toBe(0);
        expect(brokenApp.errors).toEqual(['internal_error']);
      } finally {
        await brokenApp.close();
      }
    });

    it('a throwing onError still answers 401', async () => {
      const throwingApp = await start(framework, verifier, true);
      try {
        const response = await fetch(`${throwingApp.url}/api/me`, { headers: bearer('garbage') });
        expect(response.status).toBe(401);
        expect(throwingApp.handled).toBe(0);
      } finally {
        await throwingApp.close();
      }
    });

    it('strict mode with no live feed: 503', async () => {
      const strict = createVerifier({
        issuer: issuer.url,
        audience: 'app',
        logger: { info() {}, warn() {}, error() {} },
        strict: { clientId: 'x', clientSecret: 'wrong', startupWaitSeconds: 0 },
      });
      const strictApp = await start(framework, strict);
      try {
        const response = await fetch(`${strictApp.url}/api/me`, { headers: bearer(issuer.token()) });
        expect(response.status).toBe(503);
        expect(await response.json()).toEqual({ error: 'temporarily_unavailable' });
        expect(strictApp.errors).toEqual(['revocation_feed_stale']);
      } finally {
        await strictApp.close();
        await strict.close();
      }
    });
  });
});

describe('adapter set-up errors', () => {
  it('refuses to be created without a verifier, and guards without keys', async () => {
    expect(() => tesseraExpress(undefined as unknown as Verifier)).toThrow(TypeError);
    const app = Fastify();
    await expect(app.register(tesseraFastify, {} as { verifier: Verifier }).ready()).rejects.toThrow(
      TypeError,
    );
    expect(() => requireRoles()).toThrow(TypeError);
    expect(() => requirePermissions('')).toThrow(TypeError);
    expect(() => requireTenant('')).toThrow(TypeError);
  });

  it('a guard given something that is neither an Express nor a Fastify reply throws instead of passing', () => {
    const guard = requireRoles('admin');
    let passed = false;
    expect(() =>
      guard({ auth: { roles: [] } as never }, {}, () => {
        passed = true;
      }),
    ).toThrow(TypeError);
    expect(passed).toBe(false);
  });
});
