/**
 * One real server per test file, one fresh user per test. Starting and closing a server costs about
 * a second on a busy machine, so a file shares one (seedWorld: the `app` client, the acme and globex
 * tenants); each test signs in as a user of its own, so no session, membership or throttle count of
 * one test is seen by another. Each test opens its own SimulatedBrowser (cookies, storage, clock).
 */
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import { PASSWORD, seedWorld } from '@tessera/testing/world';

export async function startSeededServer(env: Record<string, string> = {}): Promise<TestServer> {
  const server = await createTestServer({ env });
  await seedWorld(server);
  return server;
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
}

let created = 0;

/**
 * A user of its own for one test, a member of `memberships` ([tenant, role], in order: the first is
 * the session's default tenant), with the seeded password (its hash reused: no argon2 per test).
 */
export async function addUser(
  server: TestServer,
  name: string,
  memberships: ReadonlyArray<readonly [tenantId: string, role: string]>,
): Promise<TestUser> {
  const { storage } = server.deps;
  const seeded = await storage.findUserByEmail('default', 'ada@example.com');
  if (!seeded) throw new Error('addUser needs a server seeded with seedWorld');
  created += 1;
  const id = `user-${name}-${created}`;
  const email = `${name}-${created}@example.com`;
  const now = server.clock.now();
  await storage.insertUser({
    envId: 'default',
    id,
    email,
    emailNormalized: email, // already lower-case ASCII
    name,
    passwordHash: seeded.passwordHash,
    createdAt: now,
  });
  // Memberships one second apart, as seedWorld does: the oldest is the session's default tenant.
  for (const [index, [tenantId, role]] of memberships.entries())
    await storage.putMembership({
      envId: 'default',
      tenantId,
      userId: id,
      roles: [role],
      createdAt: now + index,
    });
  return { id, email, password: PASSWORD };
}
