/**
 * PostgreSQL faults under refresh load (issue #12, item 5; OPS-06). The server's own backends are
 * killed (`pg_terminate_backend` on the connections to this case's database only) again and again
 * for 3 s: every answer is a 200 or a 503 with Retry-After — never a 401, never another 5xx — and
 * within 10 s of the last kill every browser refreshes again. The whole PostgreSQL server is
 * restarted (`pg_ctlcluster … restart`) under the same load with the same assertions, on a cluster
 * the case creates for itself (`pg_createcluster`, dropped after): never the shared one, which
 * serves every other suite on the machine. Without the tools (not root, no postgresql-common)
 * that case is skipped loudly — except under CI=true, where it fails.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sleep } from '../e2e/support/processes.js';
import { createFaultDatabase, type FaultDatabase } from './support/postgres.js';
import {
  createPrivateCluster,
  type PrivateCluster,
  privateClusterUnavailable,
} from './support/private-cluster.js';
import { type RefreshLoad, startRefreshLoad, tally } from './support/refreshing-clients.js';
import { createDeployment, type Deployment } from './support/server-process.js';
import { liveSessionCount, logInAll, seedUsers } from './support/world.js';

const CLIENTS = 10;
const RECOVERY_MS = 10_000;

function canRestartAPrivateCluster(): boolean {
  const missing = privateClusterUnavailable();
  if (missing === null) return true;
  // Under CI the case runs and fails on what is missing.
  if (process.env.CI === 'true') return true;
  const line = '#'.repeat(78);
  console.warn(
    `\n${line}\n#  SKIPPING the PostgreSQL restart case: ${missing}\n` +
      '#  (it needs root and postgresql-common to create a private cluster; CI=true makes this a failure).\n' +
      `${line}\n`,
  );
  return false;
}

describe('PostgreSQL faults under refresh load', () => {
  let deployment: Deployment | undefined;
  let database: FaultDatabase | undefined;
  let cluster: PrivateCluster | undefined;
  let load: RefreshLoad | undefined;
  afterEach(async () => {
    try {
      await load?.stop();
      await deployment?.dispose();
      await database?.drop();
    } finally {
      await cluster?.drop();
      [load, deployment, database, cluster] = [undefined, undefined, undefined, undefined];
    }
  });

  async function underLoad(databaseUrl: string): Promise<RefreshLoad> {
    deployment = await createDeployment({ databaseUrl });
    await deployment.start();
    const cookies = await logInAll(deployment.url, await seedUsers(deployment, CLIENTS));
    load = startRefreshLoad(() => deployment!.url, cookies, { keepAlive: true });
    await sleep(1000);
    return load;
  }

  async function expectRecovery(name: string, faultStarted: number, faultEnded: number) {
    const refreshing = load!;
    for (let i = 0; i < RECOVERY_MS / 20 && refreshing.allSucceededAfter(faultEnded) === null; i++)
      await sleep(20);
    await sleep(500);
    await refreshing.stop();
    const recovered = refreshing.allSucceededAfter(faultEnded);
    const during = refreshing.outcomes().filter((o) => o.at >= faultStarted && o.at <= faultEnded);
    const all = refreshing.outcomes();
    console.log(
      `[${name}] every browser refreshing again ${recovered === null ? 'never' : `${Math.round(recovered - faultEnded)} ms`} after the fault; during it ${JSON.stringify(tally(during))}; in all ${JSON.stringify(tally(all))}`,
    );
    expect(recovered, 'every browser refreshed after the fault').not.toBeNull();
    expect(recovered! - faultEnded).toBeLessThan(RECOVERY_MS);
    expect(
      during.some((o) => o.result === 503),
      'the fault was felt',
    ).toBe(true);
    // What the server logged of anything it did not recognise (a 500), to say why in a failure.
    const unhandled = deployment!
      .current()
      .output()
      .split('\n')
      .filter((line) => line.includes('unhandled error'))
      .slice(0, 3)
      .join('\n');
    for (const outcome of all) {
      expect([200, 503], unhandled).toContain(outcome.result);
      if (outcome.result === 503) expect(outcome.retryAfter).toBe('5');
    }
    expect(await liveSessionCount(deployment!)).toBe(CLIENTS);
  }

  it("the server's backends killed again and again: 503 with Retry-After, never 401, recovery < 10 s", async () => {
    database = await createFaultDatabase();
    await underLoad(database.url);
    const started = performance.now();
    let killed = 0;
    while (performance.now() - started < 3000) {
      killed += await database!.terminateBackends();
      await sleep(50);
    }
    const ended = performance.now();
    expect(killed).toBeGreaterThan(0);
    await expectRecovery(`pg_terminate_backend ×${killed}`, started, ended);
  });

  it.runIf(canRestartAPrivateCluster())(
    'the PostgreSQL server restarted (pg_ctlcluster restart): 503 with Retry-After, never 401, recovery < 10 s',
    async () => {
      cluster = await createPrivateCluster();
      await underLoad(cluster.url);
      const started = performance.now();
      await cluster.restart();
      const ended = performance.now();
      await expectRecovery(
        `pg_ctlcluster ${cluster.id} restart, ${Math.round(ended - started)} ms`,
        started,
        ended,
      );
    },
  );
});
