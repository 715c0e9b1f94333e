/**
 * A user of its own for a test on a server shared by its file (seedWorld), so that what the test
 * does to it (sign it out, disable it) is seen by no other test. Same as the browser tests' helper
 * (packages/browser/src/testing/world-per-file.ts); shared test support is issue #10 item 8.
 */
import type { TestServer } from '../../../server/src/testing/harness.js';
import { PASSWORD } from '../../../server/src/testing/world.js';

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
