/**
 * The verifier against a real Tessera server listening on a port (packages/server's test harness):
 * its real tokens, its JWKS, its other JWTs (JWT-06), a key rotation through the admin API
 * (JWT-16, F-06) and strict mode over its revocation feed across a restart (MW-04).
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '@tessera/server';
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import { insertConfidentialClient } from '@tessera/testing/hosted-login';
import { signIdToken } from '@tessera/testing/id-tokens';
import { cookieFrom, json, seedWorld, sessionApi } from '@tessera/testing/world';
import { addUser } from '@tessera/testing/world-per-file';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { TesseraVerifyError, type VerifyErrorCode } from './errors.js';
import type { VerifierOptions } from './options.js';
import { recordingFetch, sleep } from './testing/local-issuer.js';
import { ManualTimers } from './testing/manual-timers.js';
import { createVerifierWithTimers, type Verifier } from './verifier.js';

const FEED_SECRET = randomBytes(32).toString('base64url');
const quiet = { info() {}, warn() {}, error() {} };

let port: number;
let base: string;
let t: TestServer;
/** The verifiers' waits (feed ticks, backoff, start-up wait); the server keeps its real timers. */
let timers: ManualTimers;
const verifiers: Verifier[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: free } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return free;
}

async function startServer(env: Record<string, string> = {}, storageUrl?: string): Promise<TestServer> {
  const server = await createTestServer({
    env: { TESSERA_PUBLIC_URL: base, ...env },
    ...(storageUrl && { storage: await openStorage(storageUrl) }),
  });
  await server.app.listen({ port, host: '127.0.0.1' });
  return server;
}

function verifierFor(options: Partial<VerifierOptions> = {}): Verifier {
  const verifier = createVerifierWithTimers(
    { issuer: base, audience: 'app', clock: t.clock, logger: quiet, ...options },
    timers,
  );
  verifiers.push(verifier);
  return verifier;
}

async function outcome(verifier: Verifier, token: string): Promise<VerifyErrorCode | 'accepted'> {
  try {
    await verifier.verify(token);
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(TesseraVerifyError);
    return (error as TesseraVerifyError).code;
  }
}

async function login(server: TestServer, email = 'ada@example.com') {
  const response = await sessionApi(server).login({ email });
  expect(response.statusCode).toBe(200);
  const accessToken = json<{ accessToken: string }>(response).accessToken;
  return { accessToken, cookie: cookieFrom(response), sid: decode(accessToken).sid as string };
}

const decode = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
const kidOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid as string;

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** A seeded server listening on a port of its own (`port`, `base`). */
async function startSeededServer(): Promise<TestServer> {
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const server = await startServer();
  await seedWorld(server);
  await insertConfidentialClient(server, FEED_SECRET);
  return server;
}

// One server for the file (starting and closing one costs about a second): the tests only read the
// seeded users, or end sessions of their own, or use a user of their own; the restart test runs a
// server of its own.
beforeAll(async () => {
  t = await startSeededServer();
});
afterAll(async () => {
  await t.close();
});

beforeEach(() => {
  timers = new ManualTimers();
});

afterEach(async () => {
  vi.useRealTimers();
  for (const verifier of verifiers.splice(0)) await verifier.close();
});

describe('a real Tessera server as the issuer', () => {
  it('its access tokens verify, with the claims of DESIGN §5', async () => {
    const { accessToken, sid } = await login(t);
    const claims = await verifierFor().verify(accessToken);
    expect(claims).toMatchObject({
      iss: base,
      aud: 'app',
      sub: 'user-ada',
      sid,
      tenantId: 'acme',
      tenantIds: ['acme', 'globex'],
      roles: ['admin'],
      permissions: ['users:read', 'users:write'],
      email: 'ada@example.com',
      client_id: 'app',
    });
  });

  it('JWT-06: an ID token signed with the same key is refused; so is the access token at another audience', async () => {
    const verifier = verifierFor();
    const now = t.clock.now();
    const idToken = signIdToken(await t.deps.keyring.signer('default'), {
      iss: base,
      sub: 'user-ada',
      aud: 'app',
      exp: now + 300,
      iat: now,
      auth_time: now,
      sid: 'sid-1',
    });
    expect(await outcome(verifier, idToken)).toBe('token_invalid');
    const { accessToken } = await login(t);
    expect(await outcome(verifierFor({ audience: 'billing-api' }), accessToken)).toBe('audience_mismatch');
    const otherIssuer = verifierFor({ issuer: `${base}/tenant`, jwksUri: `${base}/.well-known/jwks.json` });
    expect(await outcome(otherIssuer, accessToken)).toBe('issuer_mismatch');
  });

  it('JWT-16 / F-06: a key rotation through the admin API causes zero failed verifications', async () => {
    const fetched = recordingFetch();
    const verifier = verifierFor({ fetch: fetched.fetch, jwksCacheMaxAgeSeconds: 1 });
    let current = (await login(t)).accessToken;
    const oldKid = kidOf(current);
    const failures: string[] = [];
    let verified = 0;
    let running = true;
    // The test jumps the server's clock by minutes; the load pauses over the jump so that it does
    // not verify a token that the jump alone expired (in real time, the client refreshes).
    let gate: Promise<void> | null = null;
    let batch: Promise<unknown> = Promise.resolve();
    const load = (async () => {
      while (running) {
        if (gate) await gate;
        const pending = Promise.all(Array.from({ length: 20 }, () => outcome(verifier, current)));
        batch = pending;
        const codes = await pending;
        for (const code of codes) if (code !== 'accepted') failures.push(code);
        verified += codes.length;
        await sleep(5);
      }
    })();

    let open = () => {};
    try {
      // The verifier has cached the JWKS of the current key only before the rotation publishes the next.
      await until(() => verified >= 60, 'the load on the current key', 5000);
      const rotate = await t.app.inject({
        method: 'POST',
        url: '/admin/v1/environments/default/keys/rotate',
        headers: { authorization: `Bearer ${t.adminKey}` },
      });
      expect(rotate.statusCode, rotate.body).toBe(200);
      const next = rotate.json<{ kid: string; activatesAt: string }>();
      const activatesAt = Math.floor(Date.parse(next.activatesAt) / 1000);
      // The verifier's cache (1 s here, 300 s by default) expires before the next key signs. jose
      // times its cache with Date, so Date alone jumps 1.2 s ahead (and runs on from there) instead
      // of the test waiting 1.2 s: the server runs on its ManualClock, every timer stays real.
      vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
      vi.setSystemTime(Date.now() + 1200);
      gate = new Promise((resolve) => {
        open = resolve;
      });
      await batch;
      t.clock.set(activatesAt + 31);
      await until(
        async () => {
          current = (await login(t)).accessToken;
          return kidOf(current) === next.kid;
        },
        'the next key',
        5000,
      );
      gate = null;
      open();
      expect(next.kid).not.toBe(oldKid);
      const verifiedAtOpen = verified;
      await until(() => verified >= verifiedAtOpen + 60, 'the load on the next key', 5000);
    } finally {
      running = false;
      gate = null;
      open();
      await load;
      vi.useRealTimers();
    }
    expect(failures).toEqual([]);
    expect(verified).toBeGreaterThan(100);
    // Rotation cost refetches on the cache's schedule, never one per token.
    expect(fetched.urls.length).toBeLessThan(10);
  });

  it('JWT-16: once the retired key is unpublished, a token it signed is refused', async () => {
    const { accessToken } = await login(t);
    const issuedAt = t.clock.now();
    const rotate = await t.app.inject({
      method: 'POST',
      url: '/admin/v1/environments/default/keys/rotate',
      headers: { authorization: `Bearer ${t.adminKey}` },
    });
    const activatesAt = Math.floor(Date.parse(rotate.json<{ activatesAt: string }>().activatesAt) / 1000);
    t.clock.set(activatesAt + 31);
    await login(t);
    // Retired at activation; published while its tokens can live (300 s) plus the leeway (60 s).
    t.clock.set(activatesAt + 31 + 300 + 60 + 31);
    await login(t);
    // A verifier whose clock still finds the token unexpired, with a fresh JWKS: the key is gone.
    const verifier = verifierFor({ clock: { now: () => issuedAt } });
    expect(await outcome(verifier, accessToken)).toBe('token_invalid');
  });
});

describe('MW-04: strict mode over the real revocation feed', () => {
  const strict = { clientId: 'server-app', clientSecret: FEED_SECRET };

  // A fresh verifier hears the endings of the last access-token lifetime plus the leeway (300 s +
  // 60 s): start each test past them, so that it hears no ending of an earlier test on this server.
  beforeEach(() => {
    t.clock.set(t.clock.now() + 300 + 60 + 1);
  });

  it('a logout makes the verifier refuse that session within 2 s; other sessions go on', async () => {
    const verifier = verifierFor({ strict });
    const ada = await login(t);
    const bob = await login(t, 'bob@example.com');
    expect(await outcome(verifier, ada.accessToken)).toBe('accepted');
    expect(verifier.status()).toMatchObject({ state: 'live' });

    expect((await sessionApi(t).logout(ada.cookie)).statusCode).toBe(204);
    // Pushed: no time passes on the verifier's side, only the server polls its storage (500 ms).
    await until(
      async () => (await outcome(verifier, ada.accessToken)) === 'session_revoked',
      'the refusal',
      2000,
    );
    expect(await outcome(verifier, bob.accessToken)).toBe('accepted');
    expect(verifier.status().revokedSessions).toBe(1);
  });

  it('an admin ending a session and a disabled user are announced too', async () => {
    const verifier = verifierFor({ strict });
    const ada = await login(t);
    // Disabled below: a user of this test's own, not the file's seeded Bob.
    const bobUser = await addUser(t, 'bob', [['acme', 'member']]);
    const bob = await login(t, bobUser.email);
    expect(await outcome(verifier, ada.accessToken)).toBe('accepted');
    const admin = { authorization: `Bearer ${t.adminKey}` };
    const ended = await t.app.inject({
      method: 'DELETE',
      url: `/admin/v1/environments/default/sessions/${ada.sid}`,
      headers: admin,
    });
    expect(ended.statusCode).toBe(204);
    const disabled = await t.app.inject({
      method: 'PATCH',
      url: `/admin/v1/environments/default/users/${bobUser.id}`,
      headers: admin,
      payload: { status: 'disabled' },
    });
    expect(disabled.statusCode).toBe(200);
    await until(
      async () =>
        (await outcome(verifier, ada.accessToken)) === 'session_revoked' &&
        (await outcome(verifier, bob.accessToken)) === 'session_revoked',
      'both refusals',
      3000,
    );
  });

  it('wrong feed credentials: every token is refused with revocation_feed_stale', async () => {
    const refusals: string[] = [];
    const logger = { ...quiet, error: (message: string) => refusals.push(message) };
    const verifier = verifierFor({
      logger,
      strict: { clientId: 'server-app', clientSecret: 'wrong', startupWaitSeconds: 1 },
    });
    const spa = verifierFor({
      logger,
      strict: { clientId: 'app', clientSecret: 'x', startupWaitSeconds: 1 },
    });
    const outcomes = Promise.all([
      outcome(verifier, (await login(t)).accessToken),
      outcome(spa, (await login(t)).accessToken),
    ]);
    await until(() => refusals.length === 2, 'both refusals', 5000);
    expect(refusals.every((line) => line.includes('refused the client credentials (401)'))).toBe(true);
    await timers.advance(1000);
    expect(await outcomes).toEqual(['revocation_feed_stale', 'revocation_feed_stale']);
  });

  it('survives a server restart: resumes from its cursor and learns what ended meanwhile', async () => {
    const file = join(tmpdir(), `tessera-node-${randomBytes(6).toString('hex')}.db`);
    const secret = randomBytes(32).toString('base64url');
    const env = { TESSERA_SECRET: secret };
    // A server of its own on a port of its own, restarted on one file; the file's server waits.
    const shared = { t, port, base };
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await startServer(env, `sqlite:${file}`);
    await seedWorld(t);
    await insertConfidentialClient(t, FEED_SECRET);
    try {
      const verifier = verifierFor({ strict, clock: { now: () => Date.now() / 1000 } });
      const ada = await login(t);
      const bob = await login(t, 'bob@example.com');
      expect(await outcome(verifier, ada.accessToken)).toBe('accepted');
      const cursorBefore = verifier.status().cursor;
      expect(cursorBefore).toMatch(/^\d+$/);

      await t.close();
      await until(() => verifier.status().state !== 'live', 'the feed to notice', 3000);
      expect(verifier.status().state).toBe('behind');
      // Still checked against what is known while behind.
      expect(await outcome(verifier, ada.accessToken)).toBe('accepted');

      t = await startServer(env, `sqlite:${file}`);
      // Ended while this verifier was disconnected: it must come through the replay.
      expect((await sessionApi(t).logout(ada.cookie)).statusCode).toBe(204);
      // Its reconnect waits out the backoff (from the server's `retry: 1000`) on the manual timers.
      await timers.advanceUntil(() => verifier.status().state === 'live', 'the feed to resume', {
        stepMilliseconds: 250,
        maxMilliseconds: 12_000,
      });
      await until(
        async () => (await outcome(verifier, ada.accessToken)) === 'session_revoked',
        'the replayed ending',
        3000,
      );
      expect(await outcome(verifier, bob.accessToken)).toBe('accepted');
    } finally {
      await t.close();
      ({ t, port, base } = shared);
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    }
  });
});
