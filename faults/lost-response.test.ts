/**
 * A response lost after commit (issue #12, item 5; DESIGN §4.2 and ADR 0001): a proxy lets the
 * refresh reach the server and loses the answer — the rotation is committed, the browser never
 * saw the successor. Its retry with the same cookie gets that same successor, which then works,
 * and the session is one session throughout.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cookieOf, describe as describeAnswer, refresh } from './support/http.js';
import { createFaultDatabase, type FaultDatabase } from './support/postgres.js';
import {
  cookieInRawAnswer,
  type ResponseDroppingProxy,
  startResponseDroppingProxy,
} from './support/response-dropping-proxy.js';
import { createDeployment, type Deployment } from './support/server-process.js';
import { liveSessionCount, logInAll, seedUsers } from './support/world.js';

const ROUNDS = 20;

describe.each(['sqlite', 'postgres'] as const)('a refresh response lost after commit, on %s', (backend) => {
  let deployment: Deployment | undefined;
  let database: FaultDatabase | undefined;
  let proxy: ResponseDroppingProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    await deployment?.dispose();
    await database?.drop();
  });

  it('the retry with the same cookie gets the same successor', async () => {
    database = backend === 'postgres' ? await createFaultDatabase() : undefined;
    deployment = await createDeployment(database ? { databaseUrl: database.url } : {});
    await deployment.start();
    let [cookie] = await logInAll(deployment.url, await seedUsers(deployment, 1));
    proxy = await startResponseDroppingProxy(Number(new URL(deployment.url).port));
    proxy.dropping = true;

    for (let round = 0; round < ROUNDS; round++) {
      const lost = await refresh(proxy.url, cookie!);
      expect(lost.kind, 'the browser hears nothing').toBe('network');
      const committed = cookieInRawAnswer(proxy.dropped[round]!);
      expect(proxy.dropped[round]).toMatch(/^HTTP\/1\.1 200 /);
      expect(committed).not.toBeNull();
      expect(committed).not.toBe(cookie);

      const retry = await refresh(deployment.url, cookie!);
      expect(retry.kind === 'response' && retry.status, describeAnswer(retry)).toBe(200);
      expect(cookieOf(retry)).toBe(committed);
      cookie = committed!;
    }
    const next = await refresh(deployment.url, cookie!);
    expect(next.kind === 'response' && next.status, describeAnswer(next)).toBe(200);
    expect(await liveSessionCount(deployment)).toBe(1);
  });
});
