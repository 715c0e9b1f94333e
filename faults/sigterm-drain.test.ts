/**
 * SIGTERM under load (issue #12, item 5): 16 browsers refreshing and 4 signing in (argon2: each
 * sign-in holds its request open for a while) when the server gets SIGTERM. It stops listening,
 * answers every request it had begun — no 5xx, and every refresh it answered (its log's lines)
 * reached its browser — and exits 0; started again, every browser's cookie refreshes. A connection
 * the kernel or Node had accepted but the server had not read when it stopped listening is reset
 * (Node's `server.close()` closes idle connections): that request was never processed, and the
 * browser's retry is safe — what a load balancer's drain avoids (docs/reliability.md).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sleep } from '../e2e/support/processes.js';
import { type Answer, login, refresh } from './support/http.js';
import { startRefreshLoad, tally } from './support/refreshing-clients.js';
import { createDeployment, type Deployment } from './support/server-process.js';
import { liveSessionCount, logInAll, seedUsers } from './support/world.js';

const REFRESHING = 16;
const SIGNING_IN = 4;

describe('SIGTERM under load', () => {
  let deployment: Deployment | undefined;
  afterEach(async () => {
    await deployment?.dispose();
  });

  it('drains in-flight requests with no 5xx and exits 0', async () => {
    deployment = await createDeployment({ env: { TESSERA_LOG_LEVEL: 'info' } });
    await deployment.start();
    const emails = await seedUsers(deployment, REFRESHING + 1);
    const cookies = await logInAll(deployment.url, emails.slice(0, REFRESHING));
    const load = startRefreshLoad(() => deployment!.url, cookies);
    const signIns: { sentAt: number; answeredAt: number; answer: Answer }[] = [];
    let signingIn = true;
    const signers = Array.from({ length: SIGNING_IN }, async () => {
      while (signingIn) {
        const sentAt = performance.now();
        const answer = await login(deployment!.url, emails[REFRESHING]!);
        signIns.push({ sentAt, answeredAt: performance.now(), answer });
        if (answer.kind === 'network') await sleep(100);
      }
    });
    await sleep(1500);

    const server = deployment.current();
    const termAt = performance.now();
    server.process.kill('SIGTERM');
    const { code } = await server.exited;
    const exitedAt = performance.now();
    signingIn = false;
    await Promise.all(signers);
    await load.stop();

    const refreshes = load.outcomes();
    const drained = [
      ...refreshes.filter(
        (o) => o.at > termAt && o.at - o.latencyMs < termAt && typeof o.result === 'number',
      ),
      ...signIns.filter((s) => s.answeredAt > termAt && s.sentAt < termAt && s.answer.kind === 'response'),
    ].length;
    const signInResults = signIns.map(({ answer }) =>
      answer.kind === 'response' ? answer.status : answer.code,
    );
    console.log(
      `[SIGTERM] exited ${code} after ${Math.round(exitedAt - termAt)} ms; ${drained} requests in flight at the signal were answered; refreshes ${JSON.stringify(tally(refreshes))}; sign-ins ${JSON.stringify(tally(signInResults.map((result) => ({ result, at: 0, latencyMs: 0 }))))}`,
    );
    expect(code).toBe(0);
    expect(drained, 'requests were in flight at the signal, and were answered').toBeGreaterThan(0);
    // Answers are 200s; a connection not yet read is reset, a new one refused — never a 5xx.
    for (const { result } of refreshes) expect([200, 'ECONNRESET', 'ECONNREFUSED']).toContain(result);
    for (const result of signInResults) expect([200, 'ECONNRESET', 'ECONNREFUSED']).toContain(result);
    // Every refresh the server answered, its browser heard: no answer was cut.
    const answeredByServer = server
      .output()
      .split('\n')
      .filter(
        (line) => line.includes('"route":"/auth/v1/refresh"') && line.includes('"msg":"request"'),
      ).length;
    const heardByBrowsers = refreshes.filter((o) => typeof o.result === 'number' && o.at < exitedAt).length;
    expect(heardByBrowsers).toBe(answeredByServer);

    await deployment.start();
    const after = await Promise.all(load.clients.map((client) => refresh(deployment!.url, client.cookie)));
    expect(after.map((answer) => (answer.kind === 'response' ? answer.status : answer.code))).toEqual(
      Array(REFRESHING).fill(200),
    );
    expect(await liveSessionCount(deployment)).toBeGreaterThanOrEqual(REFRESHING);
  });
});
