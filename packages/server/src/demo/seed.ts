/**
 * The demo seed of DESIGN §3.4: a client for the demo page, two tenants, a user in both with
 * different roles and a user in one, and the name on the hosted login pages. Written only into an
 * empty default environment.
 */
import { normalizeEmail } from '../passwords/email.js';
import { hashPassword } from '../passwords/hash.js';
import type { ServiceDeps } from '../service/deps.js';

export const DEMO_PASSWORD = 'tessera-demo';

/** Shown on the hosted login pages of the demo, as on the demo page. */
export const DEMO_BRANDING_NAME = 'Tessera demo';

export interface DemoSeed {
  clientId: string;
  users: { email: string; password: string; tenants: string }[];
}

export async function seedDemo(deps: ServiceDeps, demoOrigin: string): Promise<DemoSeed | null> {
  const { storage } = deps;
  if ((await storage.listClients('default')).length > 0 || (await storage.listUsers('default')).length > 0)
    return null;
  const now = deps.clock.now();
  const envId = 'default';
  const environment = await storage.getEnvironment(envId);
  if (environment && environment.branding.name === undefined) {
    await storage.updateEnvironment(envId, {
      branding: { ...environment.branding, name: DEMO_BRANDING_NAME },
    });
  }
  await storage.insertClient({
    envId,
    clientId: 'demo',
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
  return {
    clientId: 'demo',
    users: [
      { email: 'alice@example.com', password: DEMO_PASSWORD, tenants: 'Acme Corp (admin), Globex (member)' },
      { email: 'bob@example.com', password: DEMO_PASSWORD, tenants: 'Acme Corp (member)' },
    ],
  };
}
