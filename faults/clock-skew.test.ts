/**
 * Clock skew between nodes (issue #12, item 5; DESIGN §8): three server processes on one
 * PostgreSQL, one on the true clock, one two hours ahead and one two hours behind (Debian's
 * `faketime`; their HTTP `Date` header shows it took). Session timing follows the database's clock,
 * so wherever a session is started or refreshed its deadlines are the same: a session with a 1-hour
 * absolute timeout started on the true node refreshes on the node two hours ahead, and one started
 * on a skewed node has its start, deadlines and token times on the database's clock.
 * Without `faketime` on the PATH the case is skipped loudly.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, cookieOf, describe as describeAnswer, login, refresh } from './support/http.js';
import { createFaultDatabase, type FaultDatabase } from './support/postgres.js';
import { anotherNode, createDeployment, type Deployment } from './support/server-process.js';
import { seedUsers } from './support/world.js';

const SKEW_SECONDS = 7200;
const ABSOLUTE_SECONDS = 3600;
const IDLE_SECONDS = 1800;
const TOLERANCE_SECONDS = 60;

function hasFaketime(): boolean {
  try {
    execFileSync('faketime', ['-f', '+0s', 'true']);
    return true;
  } catch {
    const line = '#'.repeat(78);
    console.warn(
      `\n${line}\n#  SKIPPING the clock-skew case: Debian's faketime is not installed\n` +
        '#  (apt-get install -y faketime).\n' +
        `${line}\n`,
    );
    return false;
  }
}

interface AdminSession {
  sid: string;
  createdAt: string;
  lastActiveAt: string;
  idleExpiresAt: string | null;
  absoluteExpiresAt: string | null;
}

const seconds = (iso: string | null) => Date.parse(iso!) / 1000;
const realNow = () => Date.now() / 1000;

describe.runIf(hasFaketime())('clock skew between nodes on one PostgreSQL', () => {
  let database: FaultDatabase;
  let nodes: { truth: Deployment; ahead: Deployment; behind: Deployment };

  beforeAll(async () => {
    database = await createFaultDatabase();
    const truth = await createDeployment({ databaseUrl: database.url });
    const ahead = await anotherNode(truth);
    const behind = await anotherNode(truth);
    for (const skewed of [ahead, behind]) skewed.env.FAKETIME_DONT_FAKE_MONOTONIC = '1';
    nodes = { truth, ahead, behind };
    await truth.start();
    await Promise.all([
      ahead.start({ wrap: ['faketime', '-f', `+${SKEW_SECONDS}s`] }),
      behind.start({ wrap: ['faketime', '-f', `-${SKEW_SECONDS}s`] }),
    ]);
    await seedUsers(truth, 3);
    await truth.admin('PATCH', '/environments/default', {
      sessionPolicy: { idleTimeoutSeconds: IDLE_SECONDS, absoluteTimeoutSeconds: ABSOLUTE_SECONDS },
    });
  });
  afterAll(async () => {
    await Promise.all(Object.values(nodes ?? {}).map((node) => node.dispose()));
    await database?.drop();
  });

  const dateOf = (answer: Answer) =>
    answer.kind === 'response' ? Date.parse(String(answer.headers.date)) / 1000 : Number.NaN;
  const claimsOf = (answer: Answer) => {
    const { accessToken } = JSON.parse(answer.kind === 'response' ? answer.body : '{}') as {
      accessToken: string;
    };
    return JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as {
      iat: number;
      exp: number;
    };
  };
  const sessionOf = async (email: string) => {
    const [user] = await nodes.truth.admin<{ id: string }[]>(
      'GET',
      `/environments/default/users?email=${encodeURIComponent(email)}`,
    );
    // Oldest first: the newest is the last.
    const sessions = await nodes.truth.admin<AdminSession[]>(
      'GET',
      `/environments/default/users/${user!.id}/sessions`,
    );
    return sessions.at(-1)!;
  };

  it('the skewed nodes run on skewed clocks (their Date header)', async () => {
    const ahead = await login(nodes.ahead.url, 'user0@faults.example');
    const behind = await login(nodes.behind.url, 'user1@faults.example');
    expect(dateOf(ahead) - realNow()).toBeGreaterThan(SKEW_SECONDS - TOLERANCE_SECONDS);
    expect(realNow() - dateOf(behind)).toBeGreaterThan(SKEW_SECONDS - TOLERANCE_SECONDS);
  });

  it('a session started on the true node refreshes on the node two hours ahead, past its 1-hour deadline by that clock', async () => {
    const started = await login(nodes.truth.url, 'user2@faults.example');
    const refreshed = await refresh(nodes.ahead.url, cookieOf(started)!);
    expect(refreshed.kind === 'response' && refreshed.status, describeAnswer(refreshed)).toBe(200);
    const again = await refresh(nodes.behind.url, cookieOf(refreshed)!);
    expect(again.kind === 'response' && again.status, describeAnswer(again)).toBe(200);
    const session = await sessionOf('user2@faults.example');
    expect(Math.abs(seconds(session.createdAt) - realNow())).toBeLessThan(TOLERANCE_SECONDS);
    expect(seconds(session.absoluteExpiresAt) - seconds(session.createdAt)).toBe(ABSOLUTE_SECONDS);
  });

  it('sessions started on skewed nodes have their start, deadlines and token times on the database clock', async () => {
    for (const [node, email] of [
      [nodes.ahead, 'user0@faults.example'],
      [nodes.behind, 'user1@faults.example'],
    ] as const) {
      const started = await login(node.url, email);
      const claims = claimsOf(started);
      expect(Math.abs(claims.iat - realNow())).toBeLessThan(TOLERANCE_SECONDS);
      const own = await sessionOf(email);
      for (const at of [own.createdAt, own.lastActiveAt])
        expect(Math.abs(seconds(at) - realNow())).toBeLessThan(TOLERANCE_SECONDS);
      expect(seconds(own.absoluteExpiresAt) - seconds(own.createdAt)).toBe(ABSOLUTE_SECONDS);
      expect(seconds(own.idleExpiresAt) - seconds(own.lastActiveAt)).toBe(IDLE_SECONDS);
      // And it refreshes on the true node.
      const refreshed = await refresh(nodes.truth.url, cookieOf(started)!);
      expect(refreshed.kind === 'response' && refreshed.status, describeAnswer(refreshed)).toBe(200);
    }
  });
});
