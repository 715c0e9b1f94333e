/**
 * DESIGN §4.5 across processes: two server processes on one database race the same refresh
 * cookie (exactly one successor; the loser, inside the grace window, gets that same successor),
 * and 20 concurrent logins at a limit of 2 never leave more than 2 live sessions.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backendsUnderTest } from '@tessera/testing/backends';
import { type ChildServer, startChildServer } from '@tessera/testing/child-process';
import { ORIGIN, PASSWORD, seedWorld, type World } from '@tessera/testing/world';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../service/clock.js';
import { openStorage } from '../../storage/open.js';
import type { Storage } from '../../storage/port.js';
import { createTestSchema } from '../../storage/postgres/test-database.js';

const backends = await backendsUnderTest();
const ROUNDS = 30;

describe.each(backends)('two server processes on one %s database', (backend) => {
  let storage: Storage;
  let world: World;
  let nodes: ChildServer[] = [];
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const env: Record<string, string> = { TESSERA_SECRET: randomBytes(32).toString('base64url') };
    if (backend === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'tessera-race-'));
      env.TESSERA_DATABASE_URL = `sqlite:${join(dir, 'tessera.db')}`;
      storage = await openStorage(env.TESSERA_DATABASE_URL);
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const schema = await createTestSchema();
      env.TESSERA_DATABASE_URL = schema.url;
      env.TESSERA_TEST_PG_SCHEMA = schema.name;
      storage = await openStorage(schema.url, { schema: schema.name });
      cleanup = schema.drop;
    }
    // The nodes migrate and create the default environment (racing each other), then we seed it.
    nodes = await Promise.all([startChildServer(env), startChildServer(env)]);
    world = await seedWorld({ deps: { storage }, clock: systemClock });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await storage?.close();
    await cleanup?.();
  });

  const post = (node: ChildServer, path: string, body: object, cookie?: string) =>
    fetch(`${node.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-tessera-request': '1',
        origin: ORIGIN,
        ...(cookie && { cookie }),
      },
      body: JSON.stringify(body),
    });
  const cookieOf = (response: Response) => response.headers.get('set-cookie')?.split(';')[0] ?? '';

  it('F-04: the same refresh token at both nodes at once yields exactly one successor, given to both', async () => {
    const login = await post(nodes[0]!, '/auth/v1/login', {
      email: 'ada@example.com',
      password: PASSWORD,
      clientId: 'app',
    });
    expect(login.status).toBe(200);
    let cookie = cookieOf(login);
    for (let round = 0; round < ROUNDS; round++) {
      const [a, b] = await Promise.all(
        nodes.map((node) => post(node, '/auth/v1/refresh', { clientId: 'app' }, cookie)),
      );
      expect([a!.status, b!.status]).toEqual([200, 200]);
      const successors = new Set([cookieOf(a!), cookieOf(b!)]);
      expect(successors.size).toBe(1);
      const [successor] = successors;
      expect(successor).not.toBe(cookie);
      cookie = successor!;
    }
    const live = await storage.listLiveSessions('default', world.users.ada.id);
    expect(live).toHaveLength(1);
  });

  it('SES-12d: 20 concurrent logins across both nodes at a limit of 2 leave at most 2 live sessions', async () => {
    await storage.updateEnvironment('default', {
      sessionPolicy: {
        idleTimeoutSeconds: null,
        absoluteTimeoutSeconds: null,
        maxConcurrentSessions: 2,
        onLimit: 'evict_oldest',
      },
    });
    const logins = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        post(nodes[i % 2]!, '/auth/v1/login', {
          email: 'bob@example.com',
          password: PASSWORD,
          clientId: 'app',
        }),
      ),
    );
    expect(logins.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect((await storage.listLiveSessions('default', world.users.bob.id)).length).toBeLessThanOrEqual(2);
  });

  it('SES-12d: with reject, exactly 2 of 20 concurrent logins succeed', async () => {
    await storage.updateEnvironment('default', {
      sessionPolicy: {
        idleTimeoutSeconds: null,
        absoluteTimeoutSeconds: null,
        maxConcurrentSessions: 2,
        onLimit: 'reject',
      },
    });
    await storage.endUserSessions({
      envId: 'default',
      userId: world.users.bob.id,
      reason: 'revoked',
      now: systemClock.now(),
    });
    const logins = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        post(nodes[i % 2]!, '/auth/v1/login', {
          email: 'bob@example.com',
          password: PASSWORD,
          clientId: 'app',
        }),
      ),
    );
    const statuses = logins.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(2);
    expect(statuses.filter((s) => s === 403)).toHaveLength(18);
    expect(await storage.listLiveSessions('default', world.users.bob.id)).toHaveLength(2);
  });
});
