/**
 * Guards for routes behind `tesseraExpress` or `tesseraFastify`: the same function is an Express
 * middleware and a Fastify `onRequest`/`preHandler` hook (both are `(request, reply, next)`). A guard
 * that refuses answers 403 `insufficient_scope`; one that finds no verified claims (mounted without
 * the adapter in front) answers 401: it never lets a request through that it could not check.
 */
import { ServerResponse } from 'node:http';
import type { AccessTokenClaims } from './claims.js';
import { TesseraVerifyError } from './errors.js';
import { type Answer, INSUFFICIENT_SCOPE, isReplyLike, refusal, writeAnswer } from './http/answers.js';

/** What a guard reads: the claims the adapter put on the request, and the route parameters. */
export interface GuardRequest {
  auth?: AccessTokenClaims | null;
  params?: unknown;
}

/** An Express middleware and a Fastify hook at once. */
export type Guard<R extends GuardRequest = GuardRequest> = (
  request: R,
  reply: unknown,
  next: () => void,
) => void;

/**
 * The tenant the route acts on must be the token's `tenantId` (ASVS 8.4.1, security.md §0.5): a
 * user of two tenants holds a token for one of them at a time.
 *
 * @param tenant the route parameter that names the tenant, or a function that reads it.
 * @example
 * app.get('/tenants/:tenantId/orders', requireTenant('tenantId'), listOrders);
 * app.get('/orders', requireTenant((req) => req.headers['x-tenant-id'] as string), listOrders);
 */
export function requireTenant<R extends GuardRequest = GuardRequest>(
  tenant: string | ((request: R) => string | null | undefined),
): Guard<R> {
  if (typeof tenant !== 'function' && (typeof tenant !== 'string' || tenant === '')) {
    throw new TypeError(
      'requireTenant: pass a route parameter name or a function that returns the tenant id.',
    );
  }
  const read =
    typeof tenant === 'function'
      ? tenant
      : (request: R) => (request.params as Record<string, unknown> | undefined)?.[tenant];
  return createGuard((claims, request) => {
    const wanted = read(request);
    return typeof wanted === 'string' && wanted !== '' && wanted === claims.tenantId;
  });
}

/**
 * The token's `roles` (in its `tenantId`) must include every one of `roles`.
 *
 * @example
 * app.delete('/tenants/:tenantId/users/:id', requireTenant('tenantId'), requireRoles('admin'), removeUser);
 */
export function requireRoles<R extends GuardRequest = GuardRequest>(...roles: string[]): Guard<R> {
  assertKeys('requireRoles', roles);
  return createGuard((claims) => roles.every((role) => claims.roles.includes(role)));
}

/**
 * The token's `permissions` (in its `tenantId`) must include every one of `permissions`.
 *
 * @example
 * fastify.get('/tenants/:tenantId/users', { preHandler: [requireTenant('tenantId'), requirePermissions('users:read')] }, list);
 */
export function requirePermissions<R extends GuardRequest = GuardRequest>(
  ...permissions: string[]
): Guard<R> {
  assertKeys('requirePermissions', permissions);
  return createGuard((claims) => permissions.every((permission) => claims.permissions.includes(permission)));
}

function createGuard<R extends GuardRequest>(
  allows: (claims: AccessTokenClaims, request: R) => boolean,
): Guard<R> {
  return (request, reply, next) => {
    const claims = request?.auth;
    if (!claims) {
      answer(reply, refusal(new TesseraVerifyError('token_missing')));
      return;
    }
    let allowed = false;
    try {
      allowed = allows(claims, request) === true;
    } catch {
      allowed = false;
    }
    if (allowed) next();
    else answer(reply, INSUFFICIENT_SCOPE);
  };
}

function answer(reply: unknown, value: Answer): void {
  if (reply instanceof ServerResponse) {
    writeAnswer(reply, value);
    return;
  }
  if (isReplyLike(reply)) {
    // Fastify: a callback-style hook that sends a reply does not call `done`.
    reply.code(value.status).headers(value.headers).send(value.body);
    return;
  }
  throw new TypeError('A Tessera guard runs only as an Express middleware or a Fastify hook.');
}

function assertKeys(name: string, keys: readonly unknown[]): void {
  if (keys.length === 0 || !keys.every((key) => typeof key === 'string' && key !== '')) {
    throw new TypeError(`${name}: pass at least one non-empty key.`);
  }
}
