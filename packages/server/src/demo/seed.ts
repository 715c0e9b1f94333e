/**
 * The demo seed of DESIGN §3.7: a client for the demo page, two tenants, a user in both with
 * different roles and a user in one, and the name on the hosted login pages. Written only into an
 * empty default environment. With it, the confidential client `demo-api` the example API follows
 * the revocation feed as (examples/api, served by `npm start` next to the demo page).
 */
import { DEFAULT_ENVIRONMENT_ID } from '@tessera/protocol';
import { isLoopbackUrl } from '../config/loopback.js';
import { normalizeEmail } from '../passwords/email.js';
import { hashPassword } from '../passwords/hash.js';
import { hashClientSecret, verifyClientSecret } from '../service/admin/client-secret.js';
import type { ServiceDeps } from '../service/deps.js';

export const DEMO_PASSWORD = 'tessera-demo';

/** Shown on the hosted login pages of the demo, as on the demo page. */
export const DEMO_BRANDING_NAME = 'Tessera demo';

/** The demo page's client: the example API's `audience`. */
export const DEMO_CLIENT_ID = 'demo';

/** The example API's confidential client: its credentials open the revocation feed. */
export const DEMO_API_CLIENT_ID = 'demo-api';

export interface DemoSeed {
  clientId: string;
  users: { email: string; password: string; tenants: string }[];
}

/**
 * Seeds an empty default environment; `null` (and nothing written) when it has clients or users.
 * With `demoApiSecret`, the `demo-api` client is registered too (see {@link ensureDemoApiClient}).
 *
 * @throws Error when the default environment's base URL is not loopback: configuration refuses
 * that (`TESSERA_DEMO`), and this guard keeps any other caller from seeding users whose password
 * is published onto a server others can reach.
 */
export async function seedDemo(
  deps: ServiceDeps,
  demoOrigin: string,
  demoApiSecret?: string,
): Promise<DemoSeed | null> {
  assertLoopbackServer(deps);
  const { storage } = deps;
  if (
    (await storage.listClients(DEFAULT_ENVIRONMENT_ID)).length > 0 ||
    (await storage.listUsers(DEFAULT_ENVIRONMENT_ID)).length > 0
  )
    return null;
  const now = deps.clock.now();
  const envId = DEFAULT_ENVIRONMENT_ID;
  const environment = await storage.getEnvironment(envId);
  if (environment && environment.branding.name === undefined) {
    await storage.updateEnvironment(envId, {
      branding: { ...environment.branding, name: DEMO_BRANDING_NAME },
    });
  }
  // The demo runs on loopback: a webhook receiver beside it is on loopback too (docs/webhooks.md).
  await storage.updateEnvironment(envId, { webhookSettings: { allowPrivateTargets: true } });
  await storage.insertClient({
    envId,
    clientId: DEMO_CLIENT_ID,
    name: 'Tessera demo',
    type: 'spa',
    secretHash: null,
    redirectUris: [`${demoOrigin}/callback`],
    allowedOrigins: [demoOrigin],
    postLogoutRedirectUris: [`${demoOrigin}/`],
    createdAt: now,
  });
  await storage.insertRole({
    envId,
    key: 'admin',
    name: 'Administrator',
    permissions: ['billing:read', 'billing:write', 'users:read', 'users:write'],
  });
  await storage.insertRole({ envId, key: 'member', name: 'Member', permissions: ['users:read'] });
  await storage.insertTenant({ envId, id: 'acme', name: 'Acme Corp', sessionPolicy: {}, createdAt: now });
  await storage.insertTenant({
    envId,
    id: 'globex',
    name: 'Globex',
    sessionPolicy: { idleTimeoutSeconds: 900 },
    createdAt: now,
  });
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const people = [
    {
      id: 'user-alice',
      email: 'alice@example.com',
      name: 'Alice Example',
      roles: { acme: ['admin'], globex: ['member'] },
    },
    { id: 'user-bob', email: 'bob@example.com', name: 'Bob Example', roles: { acme: ['member'] } },
  ];
  for (const person of people) {
    await storage.insertUser({
      envId,
      id: person.id,
      email: person.email,
      emailNormalized: normalizeEmail(person.email),
      name: person.name,
      passwordHash,
      createdAt: now,
    });
    let order = 0;
    for (const [tenantId, roles] of Object.entries(person.roles)) {
      await storage.putMembership({ envId, tenantId, userId: person.id, roles, createdAt: now + order++ });
    }
  }
  if (demoApiSecret !== undefined) await ensureDemoApiClient(deps, demoApiSecret);
  return {
    clientId: DEMO_CLIENT_ID,
    users: [
      { email: 'alice@example.com', password: DEMO_PASSWORD, tenants: 'Acme Corp (admin), Globex (member)' },
      { email: 'bob@example.com', password: DEMO_PASSWORD, tenants: 'Acme Corp (member)' },
    ],
  };
}

/**
 * Registers the example API's confidential client `demo-api` with `secret` (kept by the caller in
 * `<dataDir>/demo-api.secret`), in a demo environment only: one that has the `demo` client. A
 * database seeded before the example API existed gets it on its next start; a client whose secret
 * is not `secret` any more (the file was deleted) is given this one. Returns whether the client is
 * there with this secret.
 */
export async function ensureDemoApiClient(deps: ServiceDeps, secret: string): Promise<boolean> {
  assertLoopbackServer(deps);
  const { storage } = deps;
  const envId = DEFAULT_ENVIRONMENT_ID;
  const clients = await storage.listClients(envId);
  if (!clients.some((client) => client.clientId === DEMO_CLIENT_ID)) return false;
  const existing = clients.find((client) => client.clientId === DEMO_API_CLIENT_ID);
  if (!existing) {
    return storage.insertClient({
      envId,
      clientId: DEMO_API_CLIENT_ID,
      name: 'Tessera demo API',
      type: 'confidential',
      secretHash: hashClientSecret(secret),
      redirectUris: [],
      allowedOrigins: [],
      postLogoutRedirectUris: [],
      createdAt: deps.clock.now(),
    });
  }
  // Someone registered a browser client under this id: leave it alone.
  if (existing.type !== 'confidential') return false;
  if (existing.secretHash !== null && verifyClientSecret(existing.secretHash, secret)) return true;
  return storage.updateClient(envId, DEMO_API_CLIENT_ID, { secretHash: hashClientSecret(secret) });
}

function assertLoopbackServer(deps: ServiceDeps): void {
  if (!isLoopbackUrl(deps.baseUrl(DEFAULT_ENVIRONMENT_ID))) {
    throw new Error(
      'The demo seed is refused: TESSERA_PUBLIC_URL is not localhost, 127.0.0.1 or ::1, and the demo users have a published password',
    );
  }
}
