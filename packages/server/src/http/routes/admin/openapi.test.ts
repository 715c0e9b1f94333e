/** The admin API's OpenAPI document is complete: every admin route, its inputs and its security. */

import { createTestServer, type TestServer } from '@tessera/testing/harness';
import Fastify, { type RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSessionPolicy } from '../../../config/environment-defaults.js';
import { validateSessionPolicy, validateTokenSettings } from '../../../config/settings-rules.js';
import { adminRoutes } from './index.js';

interface Operation {
  parameters?: { in: string; name: string }[];
  requestBody?: { content: Record<string, { schema: { additionalProperties?: boolean } }> };
  responses: Record<string, unknown>;
  security?: unknown[];
}
interface OpenApiDocument {
  openapi: string;
  servers: { url: string }[];
  security: unknown[];
  components: { securitySchemes: Record<string, unknown> };
  paths: Record<string, Record<string, Operation>>;
}

let server: TestServer;
let routes: RouteOptions[];
let document: OpenApiDocument;

beforeAll(async () => {
  server = await createTestServer();
  const app = Fastify();
  routes = [];
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  await app.register(
    async (scope) =>
      adminRoutes(scope, {
        deps: server.deps,
        adminKey: server.adminKey,
        publicUrl: 'http://localhost:8080',
        environmentDefaults: {
          tokenSettings: () => {
            throw new Error('not used');
          },
          sessionPolicy: defaultSessionPolicy,
          validateTokenSettings,
          validateSessionPolicy,
        },
      }),
    { prefix: '/admin/v1' },
  );
  await app.ready();
  document = (await app.inject({ method: 'GET', url: '/admin/v1/openapi.json' })).json();
  await app.close();
});
afterAll(async () => {
  await server?.close();
});

/** `/admin/v1/environments/:envId` → `/environments/{envId}`. */
function documentPath(url: string): string {
  return url.replace(/^\/admin\/v1/, '').replace(/:(\w+)/g, '{$1}');
}

/** The admin API of DESIGN §3.3 (a contract), with the reads and deletes that complete it. */
const CONTRACT = [
  'GET /environments',
  'POST /environments',
  'GET /environments/{envId}',
  'PATCH /environments/{envId}',
  'DELETE /environments/{envId}',
  'GET /environments/{envId}/clients',
  'POST /environments/{envId}/clients',
  'GET /environments/{envId}/clients/{clientId}',
  'PATCH /environments/{envId}/clients/{clientId}',
  'DELETE /environments/{envId}/clients/{clientId}',
  'GET /environments/{envId}/roles',
  'POST /environments/{envId}/roles',
  'GET /environments/{envId}/roles/{key}',
  'PATCH /environments/{envId}/roles/{key}',
  'DELETE /environments/{envId}/roles/{key}',
  'GET /environments/{envId}/tenants',
  'POST /environments/{envId}/tenants',
  'GET /environments/{envId}/tenants/{tenantId}',
  'PATCH /environments/{envId}/tenants/{tenantId}',
  'DELETE /environments/{envId}/tenants/{tenantId}',
  'GET /environments/{envId}/users',
  'POST /environments/{envId}/users',
  'GET /environments/{envId}/users/{userId}',
  'GET /environments/{envId}/users/{userId}/effective-policy',
  'PATCH /environments/{envId}/users/{userId}',
  'DELETE /environments/{envId}/users/{userId}',
  'GET /environments/{envId}/tenants/{tenantId}/members',
  'PUT /environments/{envId}/tenants/{tenantId}/members/{userId}',
  'DELETE /environments/{envId}/tenants/{tenantId}/members/{userId}',
  'GET /environments/{envId}/users/{userId}/sessions',
  'DELETE /environments/{envId}/users/{userId}/sessions',
  'GET /environments/{envId}/sessions',
  'DELETE /environments/{envId}/sessions/{sid}',
  'GET /environments/{envId}/stats',
  'GET /environments/{envId}/events',
  'GET /environments/{envId}/keys',
  'POST /environments/{envId}/keys/rotate',
  'GET /environments/{envId}/webhooks',
  'POST /environments/{envId}/webhooks',
  'GET /environments/{envId}/webhooks/{webhookId}',
  'PATCH /environments/{envId}/webhooks/{webhookId}',
  'DELETE /environments/{envId}/webhooks/{webhookId}',
  'POST /environments/{envId}/webhooks/{webhookId}/rotate-secret',
  'POST /environments/{envId}/webhooks/{webhookId}/test',
  'GET /environments/{envId}/webhooks/{webhookId}/deliveries',
  'GET /openapi.json',
];

const operations = () =>
  routes.filter((route) => typeof route.method === 'string' && route.method !== 'HEAD');

describe('GET /admin/v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document with the bearer scheme required by default', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([{ url: '/admin/v1' }]);
    expect(document.components.securitySchemes).toMatchObject({
      adminKey: { type: 'http', scheme: 'bearer' },
    });
    expect(document.components.securitySchemes).toMatchObject({
      consoleSession: { type: 'apiKey', in: 'cookie', name: 'tessera_console' },
    });
    expect(document.security).toEqual([{ adminKey: [] }, { consoleSession: [] }]);
  });

  it('documents exactly the routes of the contract', () => {
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual([...CONTRACT].sort());
  });

  it('documents every admin route that was registered, and nothing else', () => {
    expect(operations()).toHaveLength(CONTRACT.length);
    for (const route of operations()) {
      const operation = document.paths[documentPath(route.url)]?.[String(route.method).toLowerCase()];
      expect(operation, `${route.method} ${route.url}`).toBeDefined();
    }
    const documented = Object.values(document.paths).flatMap((path) => Object.keys(path));
    expect(documented).toHaveLength(operations().length);
  });

  it('leaves the 405 answers out: they are not operations', () => {
    const refusals = routes.filter((route) => Array.isArray(route.method));
    expect(refusals.length).toBeGreaterThan(0);
    for (const route of refusals) {
      for (const method of route.method as string[]) {
        if (method === 'HEAD') continue;
        expect(
          document.paths[documentPath(route.url)]?.[method.toLowerCase()],
          `${method} ${route.url}`,
        ).toBeUndefined();
      }
    }
  });

  it('documents each operation’s path parameters, closed body and 401', () => {
    for (const route of operations()) {
      const path = documentPath(route.url);
      const operation = document.paths[path]?.[String(route.method).toLowerCase()] as Operation;
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      expect(operation.parameters?.filter((p) => p.in === 'path').map((p) => p.name) ?? [], path).toEqual(
        names,
      );
      if (route.schema?.body) {
        const body = operation.requestBody?.content['application/json']?.schema;
        expect(body?.additionalProperties, `${route.method} ${path}`).toBe(false);
      }
      if (path !== '/openapi.json') {
        expect(operation.responses, `${route.method} ${path}`).toHaveProperty('401');
        expect(operation.security).toBeUndefined();
      }
    }
  });

  it('marks the document itself as needing no key', () => {
    expect(document.paths['/openapi.json']?.get?.security).toEqual([]);
  });

  it('is the document the server serves', async () => {
    const served = await server.app.inject({ method: 'GET', url: '/admin/v1/openapi.json' });
    expect(served.json()).toEqual(document);
  });
});
