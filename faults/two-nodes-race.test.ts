/**
 * Two server processes on one PostgreSQL racing (issue #12, item 5; DESIGN §4.5): the same refresh
 * cookie, the same authorization code and a session limit, each sent to both nodes at once. One
 * winner — one successor (given to every racer inside the grace window, §4.2), one redemption,
 * exactly the limit's sessions — the others refused cleanly (400, 403), never a 5xx.
 */
import { pkcePair } from '@tessera/testing/hosted-login';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationCode, redeem } from './support/hosted-login.js';
import { cookieOf, describe as describeAnswer, login, refresh } from './support/http.js';
import { createFaultDatabase, type FaultDatabase } from './support/postgres.js';
import { anotherNode, createDeployment, type Deployment } from './support/server-process.js';
import { addUser, liveSessionCount, logInAll, seedUsers } from './support/world.js';

const ROUNDS = 30;
const RACERS = 4;

describe('two server processes on one PostgreSQL', () => {
  let database: FaultDatabase;
  let nodes: Deployment[] = [];
  const racer = (i: number) => nodes[i % nodes.length]!.url;

  beforeAll(async () => {
    database = await createFaultDatabase();
    const first = await createDeployment({ databaseUrl: database.url });
    nodes = [first, await anotherNode(first)];
    // Both migrate and bootstrap the same empty database at once.
    await Promise.all(nodes.map((node) => node.start()));
    await seedUsers(first, 1);
  });
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.dispose()));
    await database?.drop();
  });

  it(`the same cookie at both nodes, ${RACERS} at a time: one successor, given to every racer`, async () => {
    let [cookie] = await logInAll(racer(0), ['user0@faults.example']);
    for (let round = 0; round < ROUNDS; round++) {
      const answers = await Promise.all(Array.from({ length: RACERS }, (_, i) => refresh(racer(i), cookie!)));
      for (const answer of answers)
        expect(answer.kind === 'response' && answer.status, describeAnswer(answer)).toBe(200);
      const successors = new Set(answers.map(cookieOf));
      expect(successors.size).toBe(1);
      const [successor] = successors;
      expect(successor).not.toBe(cookie);
      cookie = successor!;
    }
    expect(await liveSessionCount(nodes[0]!)).toBe(1);
  });

  it(`the same authorization code at both nodes, ${RACERS} at a time: one redemption, the others invalid_grant`, async () => {
    for (let round = 0; round < 5; round++) {
      const pkce = pkcePair();
      const code = await authorizationCode(racer(round), 'user0@faults.example', pkce);
      const answers = await Promise.all(
        Array.from({ length: RACERS }, (_, i) => redeem(racer(i), code, pkce)),
      );
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses, JSON.stringify(answers.map((a) => a.body.slice(0, 80)))).toEqual([200, 400, 400, 400]);
      for (const refused of answers.filter((answer) => answer.status === 400))
        expect(JSON.parse(refused.body).error).toBe('invalid_grant');
    }
  });

  it('20 logins across both nodes at a session limit of 2 (reject): exactly 2 sessions, 18 clean refusals', async () => {
    const email = await addUser(nodes[0]!, 'limited@faults.example');
    await nodes[0]!.admin('PATCH', '/environments/default', {
      sessionPolicy: { maxConcurrentSessions: 2, onLimit: 'reject' },
    });
    const before = await liveSessionCount(nodes[0]!);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => login(racer(i), email)));
    const statuses = answers.map((answer) => (answer.kind === 'response' ? answer.status : answer.code));
    expect(statuses.filter((status) => status === 200)).toHaveLength(2);
    expect(statuses.filter((status) => status === 403)).toHaveLength(18);
    for (const answer of answers)
      if (answer.kind === 'response' && answer.status === 403)
        expect(JSON.parse(answer.body).error).toBe('max_sessions_reached');
    expect((await liveSessionCount(nodes[0]!)) - before).toBe(2);
  });

  it('20 logins across both nodes at a session limit of 2 (evict_oldest): all signed in, 2 sessions left', async () => {
    const email = await addUser(nodes[0]!, 'evicting@faults.example');
    await nodes[0]!.admin('PATCH', '/environments/default', {
      sessionPolicy: { maxConcurrentSessions: 2, onLimit: 'evict_oldest' },
    });
    const before = await liveSessionCount(nodes[0]!);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => login(racer(i), email)));
    for (const answer of answers)
      expect(answer.kind === 'response' && answer.status, describeAnswer(answer)).toBe(200);
    expect((await liveSessionCount(nodes[0]!)) - before).toBe(2);
  });
});
