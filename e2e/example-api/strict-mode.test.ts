/**
 * Issue #5, proof: strict mode across processes. Tessera runs as `npm start` does, in its own
 * process; the example API (examples/api) runs in another, following Tessera's revocation feed as
 * a confidential client. A session signs in through the session API and the API serves its token;
 * after a logout the API refuses that token — which has minutes left to live — within 2 s, and
 * still refuses it after the API process restarts (it replays the feed's backlog).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Child, freePort, until } from '../support/processes.js';
import { startTessera, type Tessera } from '../support/tessera.js';
import { claimsOf } from '../support/tokens.js';
import {
  callApi,
  feedState,
  login,
  logout,
  type Session,
  setUpWorld,
  startExampleApi,
  type World,
} from './world.js';

const PROJECTS = '/tenants/acme/projects';

describe('the example API in strict mode, across processes', () => {
  let tessera: Tessera;
  let api: Child & { url: string };
  let world: World;
  let apiPort: number;
  let ada: Session;
  let other: Session;

  beforeAll(async () => {
    tessera = await startTessera();
    world = await setUpWorld(tessera);
    apiPort = await freePort();
    api = await startExampleApi({ issuer: tessera.url, clientSecret: world.apiClientSecret, port: apiPort });
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
    await tessera?.stop();
  });

  it("refuses a signed-out session's unexpired token within 2 s of the logout", async () => {
    await until(async () => (await feedState(api.url)) === 'live', 'the feed to be live', 10_000);
    ada = await login(tessera.url, 'ada@example.com');
    other = await login(tessera.url, world.users[1] ?? '');
    expect(await callApi(api.url, PROJECTS, ada.accessToken)).toMatchObject({ status: 200 });
    expect(await callApi(api.url, PROJECTS, other.accessToken)).toMatchObject({ status: 200 });

    const sentAt = performance.now();
    expect(await logout(tessera.url, ada)).toBe(204);
    const loggedOutAt = performance.now();
    let requests = 0;
    let refusal: Awaited<ReturnType<typeof callApi>> | null = null;
    while (performance.now() - sentAt < 3000) {
      requests++;
      const answer = await callApi(api.url, PROJECTS, ada.accessToken);
      if (answer.status !== 200) {
        refusal = answer;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const refusedAt = performance.now();
    const latency = refusedAt - loggedOutAt;
    const secondsLeft = (claimsOf(ada.accessToken).exp as number) - Date.now() / 1000;
    console.info(
      `[strict mode] the example API refused the signed-out session's token ${latency.toFixed(0)} ms after ` +
        `the logout answered (${(refusedAt - sentAt).toFixed(0)} ms after it was sent; the logout took ` +
        `${(loggedOutAt - sentAt).toFixed(0)} ms), on request ${requests}; the token had ` +
        `${secondsLeft.toFixed(0)} s left to live.`,
    );
    expect(refusal).toEqual({
      status: 401,
      error: 'invalid_token',
      wwwAuthenticate: 'Bearer error="invalid_token"',
    });
    expect(refusedAt - sentAt).toBeLessThan(2000);
    expect(secondsLeft).toBeGreaterThan(60);
    // Only that session: another one goes on.
    expect(await callApi(api.url, PROJECTS, other.accessToken)).toMatchObject({ status: 200 });
  });

  it('still refuses it after the example API restarts: the feed replays its backlog', async () => {
    expect(ada, 'the previous test signs ada out').toBeDefined();
    expect(await api.stop()).toBe(0);
    const startedAt = performance.now();
    api = await startExampleApi({ issuer: tessera.url, clientSecret: world.apiClientSecret, port: apiPort });
    // No waiting for the feed: the first verification waits for its `ready` (startupWaitSeconds).
    const first = await callApi(api.url, PROJECTS, ada.accessToken);
    const answeredAt = performance.now();
    console.info(
      `[strict mode] after a restart of the example API (a new process), its first answer to the ` +
        `signed-out token was ${first.status} ${first.error}, ${(answeredAt - startedAt).toFixed(0)} ms after the spawn.`,
    );
    expect(first).toMatchObject({ status: 401, error: 'invalid_token' });
    expect(await callApi(api.url, PROJECTS, other.accessToken)).toMatchObject({ status: 200 });
    expect(await feedState(api.url)).toBe('live');
    expect((claimsOf(ada.accessToken).exp as number) * 1000).toBeGreaterThan(Date.now());
  });
});
