/**
 * Issue #5, proof: a key rotation through the admin API while the example API is under load causes
 * zero failed verifications. Twenty loops call the example API with their session's access token
 * and refresh it about every second, as browser tabs do; meanwhile the signing key is rotated
 * (`POST /admin/v1/environments/default/keys/rotate`): the next key is published at once and signs
 * only later, so the API's cached JWKS has it before any token it signed arrives.
 *
 * Time is compressed, without changing the server: a rotated key signs 330 s after it is published
 * (the keyring's 30 s reload plus the 300 s JWKS cache window; no setting shortens it), so Tessera
 * runs in its own process with its clock 340 s behind real time (support/movable-clock-server.ts) and
 * catches up after the rotation; the API caches the JWKS for 2 s instead of 300 s. Access tokens
 * live 900 s here, so that the ones issued on the lagging clock are still valid in real time, where
 * the API verifies them. The example API runs in this process, to record its JWKS fetches.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExampleApi } from '../../examples/api/src/index.js';
import { sleep, until } from '../support/processes.js';
import { startTessera, type Tessera } from '../support/tessera.js';
import { kidOf } from '../support/tokens.js';
import {
  API_CLIENT_ID,
  APP_CLIENT_ID,
  APP_ORIGIN,
  feedState,
  login,
  refresh,
  rotateSigningKey,
  type Session,
  setUpWorld,
  type World,
} from './world.js';

const LAG_SECONDS = 340;
const LOOPS = 20;
const USERS = 5;
const PROJECTS = '/tenants/acme/projects';

describe('a key rotation while the example API is under load', () => {
  let tessera: Tessera;
  let world: World;
  let app: FastifyInstance;
  let apiUrl: string;
  const jwksFetches: { at: number; kids: string[] }[] = [];

  beforeAll(async () => {
    tessera = await startTessera({
      movableClock: { offsetSeconds: -LAG_SECONDS },
      env: {
        TESSERA_SECRET: randomBytes(32).toString('base64url'),
        TESSERA_DATABASE_URL: 'sqlite::memory:',
        TESSERA_ACCESS_TOKEN_TTL_SECONDS: '900',
      },
    });
    world = await setUpWorld(tessera, USERS);

    const recordingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(input).endsWith('/.well-known/jwks.json') && response.ok) {
        const { keys } = (await response.clone().json()) as { keys: { kid: string }[] };
        jwksFetches.push({ at: performance.now(), kids: keys.map((key) => key.kid) });
      }
      return response;
    };
    app = createExampleApi({
      issuer: tessera.url,
      audience: APP_CLIENT_ID,
      strict: { clientId: API_CLIENT_ID, clientSecret: world.apiClientSecret },
      allowedOrigins: [APP_ORIGIN],
      verifier: { jwksCacheMaxAgeSeconds: 2, fetch: recordingFetch },
    });
    apiUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    await until(async () => (await feedState(apiUrl)) === 'live', 'the feed to be live', 10_000);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await tessera?.stop();
  });

  it('causes zero failed verifications', async () => {
    const sessions: Session[] = [];
    for (let i = 0; i < LOOPS; i += 4) {
      sessions.push(
        ...(await Promise.all(
          [0, 1, 2, 3].map((j) => login(tessera.url, world.users[(i + j) % USERS] ?? '')),
        )),
      );
    }
    const oldKid = kidOf(sessions[0]?.accessToken ?? '');

    let running = true;
    let requests = 0;
    let refreshes = 0;
    const failures: string[] = [];
    const refreshFailures: string[] = [];
    const verifiedByKid = new Map<string, number>();
    const loop = async (index: number): Promise<Session> => {
      let session = sessions[index] as Session;
      let refreshAt = Date.now() + 200 + Math.random() * 800;
      while (running) {
        if (Date.now() >= refreshAt) {
          try {
            session = await refresh(tessera.url, session);
            refreshes++;
          } catch (error) {
            refreshFailures.push(String(error));
          }
          refreshAt = Date.now() + 500 + Math.random() * 1000;
        }
        const kid = kidOf(session.accessToken);
        const response = await fetch(`${apiUrl}${PROJECTS}`, {
          headers: { authorization: `Bearer ${session.accessToken}` },
        });
        const body = await response.text();
        requests++;
        if (response.status === 200) verifiedByKid.set(kid, (verifiedByKid.get(kid) ?? 0) + 1);
        else failures.push(`${response.status} ${body} (kid ${kid})`);
      }
      return session;
    };

    const startedAt = performance.now();
    const loops = Array.from({ length: LOOPS }, (_, index) => loop(index));
    let next: { kid: string; activatesAt: number };
    let rotatedAt: number;
    let caughtUpAt: number;
    try {
      await sleep(2500);
      next = await rotateSigningKey(tessera);
      rotatedAt = performance.now();
      const serverNow = Math.floor(Date.now() / 1000) - LAG_SECONDS;
      // Published now, signing in 330 s of the server's time.
      expect(next.activatesAt - serverNow).toBeGreaterThanOrEqual(329);
      expect(next.kid).not.toBe(oldKid);
      // The API's cache (300 s in production, 2 s here) expires before the next key signs.
      await sleep(3000);
      await tessera.setClockOffset(0);
      caughtUpAt = performance.now();
      await sleep(5000);
    } finally {
      running = false;
    }
    const finalSessions = await Promise.all(loops);
    const endedAt = performance.now();

    const newKidVerified = verifiedByKid.get(next.kid) ?? 0;
    const oldKidVerified = verifiedByKid.get(oldKid) ?? 0;
    const learnedAt = jwksFetches.find((fetched) => fetched.kids.includes(next.kid))?.at;
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.info(
      [
        `[key rotation] ${LOOPS} loops for ${seconds(endedAt - startedAt)}: ${requests} requests to the example API, ` +
          `${failures.length} failed verifications; ${refreshes} refreshes (${refreshFailures.length} failed).`,
        `  verified with the old key ${oldKid}: ${oldKidVerified}; with the new key ${next.kid}: ${newKidVerified}.`,
        `  rotated at ${seconds(rotatedAt - startedAt)}; the API's JWKS had the next key at ` +
          `${learnedAt === undefined ? 'never' : seconds(learnedAt - startedAt)}; it signed from ` +
          `${seconds(caughtUpAt - startedAt)} (the server's clock caught up ${LAG_SECONDS} s); ` +
          `${jwksFetches.length} JWKS fetches in all (2 s cache).`,
      ].join('\n'),
    );

    expect(failures).toEqual([]);
    expect(refreshFailures).toEqual([]);
    expect(requests).toBeGreaterThan(500);
    expect(oldKidVerified).toBeGreaterThan(0);
    expect(newKidVerified).toBeGreaterThan(0);
    // Every loop moved to the new key, by refreshing.
    expect(finalSessions.map((session) => kidOf(session.accessToken))).toEqual(Array(LOOPS).fill(next.kid));
    // The API knew the next key before it signed anything: no token waited on an unknown kid.
    expect(learnedAt).toBeDefined();
    expect(learnedAt as number).toBeLessThan(caughtUpAt);
    expect(await feedState(apiUrl)).toBe('live');
  }, 60_000);
});
