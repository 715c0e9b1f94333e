/**
 * Strict mode (security.md MW-04, docs/revocation-feed.md) against a local feed that a test drives
 * event by event: the SSE client over fetch, resume with Last-Event-ID, backoff, staleness, startup.
 * The same verifier against the real server's feed is in ../tessera-server.test.ts.
 *
 * The verifier's waits (ticks, silence, backoff, the start-up wait) run on {@link ManualTimers}:
 * time passes only when a test moves it, while every event crosses a real socket.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TesseraVerifyError, type VerifyErrorCode } from '../errors.js';
import type { StrictOptions } from '../options.js';
import { type LocalIssuer, recordingFetch, sleep, startLocalIssuer } from '../testing/local-issuer.js';
import { ManualTimers, track, withoutWaiting } from '../testing/manual-timers.js';
import { createVerifierWithTimers, type Verifier } from '../verifier.js';
import { type FeedStatus, followRevocationFeed, type RevocationFeed } from './revocation-feed.js';

const START = Math.floor(Date.now() / 1000);
let issuer: LocalIssuer;
let clock: { t: number; now(): number };
let timers: ManualTimers;
let logs: { level: string; message: string }[];
const closers: { close(): Promise<void> }[] = [];

const logger = {
  info: (message: string) => logs.push({ level: 'info', message }),
  warn: (message: string) => logs.push({ level: 'warn', message }),
  error: (message: string) => logs.push({ level: 'error', message }),
};

function strictVerifier(strict: Partial<StrictOptions> = {}, fetchImpl: typeof fetch = fetch): Verifier {
  const verifier = createVerifierWithTimers(
    {
      issuer: issuer.url,
      audience: 'app',
      clock,
      logger,
      fetch: fetchImpl,
      strict: { clientId: issuer.feed.clientId, clientSecret: issuer.feed.clientSecret, ...strict },
    },
    timers,
  );
  closers.push(verifier);
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

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

const sidOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sid as string;

beforeEach(async () => {
  issuer = await startLocalIssuer();
  clock = {
    t: START,
    now() {
      return this.t;
    },
  };
  logs = [];
  timers = new ManualTimers();
});

afterEach(async () => {
  for (const closer of closers.splice(0)) await closer.close();
  await issuer.close();
});

describe('MW-04: strict mode refuses the tokens of ended sessions', () => {
  it('a session announced as ended is refused within the push, without a call per request', async () => {
    const verifier = strictVerifier();
    const token = issuer.token({ now: START });
    expect(await outcome(verifier, token)).toBe('accepted');
    expect(verifier.status()).toMatchObject({ state: 'live', revokedSessions: 0, lastEventAt: START });
    const requestsBefore = issuer.requests.length;
    for (let i = 0; i < 20; i++) expect(await outcome(verifier, token)).toBe('accepted');
    expect(issuer.requests.length).toBe(requestsBefore);

    issuer.feed.revoke(sidOf(token), START + 1);
    await until(() => verifier.status().revokedSessions === 1, 'the revoked event');
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'session_revoked', status: 401 });
    expect(verifier.status().cursor).toBe(String(START + 1));
    // Another session of the same user is unaffected.
    expect(await outcome(verifier, issuer.token({ now: START }))).toBe('accepted');
  });

  it('§2.1: a high-S copy of a revoked token is refused too (revocation is by sid)', async () => {
    const verifier = strictVerifier();
    const token = issuer.token({ now: START });
    expect(await outcome(verifier, token)).toBe('accepted');
    issuer.feed.revoke(sidOf(token));
    await until(() => verifier.status().revokedSessions === 1, 'the revoked event');
    const [h, p, s] = token.split('.') as [string, string, string];
    const signature = Buffer.from(s, 'base64url');
    const n = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
    const high = (n - BigInt(`0x${signature.subarray(32).toString('hex')}`)).toString(16).padStart(64, '0');
    const malleated = `${h}.${p}.${Buffer.concat([signature.subarray(0, 32), Buffer.from(high, 'hex')]).toString('base64url')}`;
    expect(malleated).not.toBe(token);
    expect(await outcome(verifier, malleated)).toBe('session_revoked');
  });

  it('sessions in the backlog are refused from the first request on', async () => {
    const ended = issuer.token({ now: START });
    issuer.feed.backlog = [{ sid: sidOf(ended), endedAt: START - 100 }];
    const verifier = strictVerifier();
    expect(await outcome(verifier, ended)).toBe('session_revoked');
    expect(await outcome(verifier, issuer.token({ now: START }))).toBe('accepted');
  });

  it('a duplicate announcement changes nothing (the feed is a set)', async () => {
    const verifier = strictVerifier();
    const token = issuer.token({ now: START });
    await verifier.verify(token);
    issuer.feed.revoke(sidOf(token), START);
    issuer.feed.revoke(sidOf(token), START);
    // Events arrive in order: once this tick is in, both announcements are.
    issuer.feed.tick(START + 100_000);
    await until(() => verifier.status().cursor === String(START + 100_000), 'the events');
    expect(verifier.status().revokedSessions).toBe(1);
  });

  it('an invalid token is refused for what it is, whatever the feed says', async () => {
    issuer.feed.sendReady = false;
    const verifier = strictVerifier({ startupWaitSeconds: 0 });
    expect(await outcome(verifier, issuer.token({ now: START, claims: { aud: 'other' } }))).toBe(
      'audience_mismatch',
    );
  });
});

describe('strict mode before the first ready', () => {
  it('verify waits for ready up to startupWaitSeconds after start, then refuses with revocation_feed_stale (503)', async () => {
    issuer.feed.sendReady = false;
    const verifier = strictVerifier({ startupWaitSeconds: 2 });
    const pending = track(verifier.verify(issuer.token({ now: START })));
    await until(() => timers.pendingDelays().includes(2000), 'verify to wait');
    await timers.advance(1999);
    expect(pending.settled()).toBe(false);
    await timers.advance(1);
    await expect(pending.promise).rejects.toMatchObject({ code: 'revocation_feed_stale', status: 503 });
    expect(verifier.status().state).toBe('connecting');
    // The wait is the first moments after start, not a delay added to every request after them.
    expect(await withoutWaiting(outcome(verifier, issuer.token({ now: START })))).toBe(
      'revocation_feed_stale',
    );
  });

  it('with startupWaitSeconds 0 it refuses at once', async () => {
    issuer.feed.sendReady = false;
    const verifier = strictVerifier({ startupWaitSeconds: 0 });
    expect(await withoutWaiting(outcome(verifier, issuer.token({ now: START })))).toBe(
      'revocation_feed_stale',
    );
  });

  it('a waiting verify resolves as soon as ready arrives', async () => {
    issuer.feed.sendReady = false;
    const verifier = strictVerifier({ startupWaitSeconds: 5 });
    const pending = outcome(verifier, issuer.token({ now: START }));
    await issuer.feed.waitForConnections(1);
    await until(() => issuer.feed.connections.length === 1, 'the stream');
    issuer.feed.write(
      `event: ready\nid: ${START}\ndata: {"replayedFrom":${START - 360},"serverTime":${START}}\n\n`,
    );
    expect(await pending).toBe('accepted');
    expect(verifier.status().state).toBe('live');
  });

  it('refused credentials are logged, never retried in a loop, and every token is refused', async () => {
    const recorder = recordingFetch();
    const verifier = strictVerifier({ clientSecret: 'wrong', startupWaitSeconds: 1 }, recorder.fetch);
    const pending = outcome(verifier, issuer.token({ now: START }));
    await until(() => logs.some((l) => l.level === 'error'), 'the refusal');
    await timers.advance(1000);
    expect(await pending).toBe('revocation_feed_stale');
    expect(logs.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([
      expect.stringContaining('refused the client credentials (401)'),
    ]);
    expect(logs.some((l) => l.message.includes('wrong'))).toBe(false);
    // Not before the 30 s pause.
    await timers.advance(28_000);
    expect(recorder.urls.filter((u) => u.endsWith('/auth/v1/revocations'))).toHaveLength(1);
  });

  it('sends the credentials as HTTP Basic, form-urlencoded (RFC 6749 §2.3.1), and asks for an event stream', async () => {
    issuer.feed.clientSecret = 'a secret:with/odd+chars';
    const verifier = strictVerifier({ clientSecret: 'a secret:with/odd+chars', startupWaitSeconds: 1 });
    const pending = outcome(verifier, issuer.token({ now: START }));
    await until(() => issuer.requests.some((r) => r.path === '/auth/v1/revocations'), 'the request');
    await timers.advance(1000);
    await pending;
    const request = issuer.requests.find((r) => r.path === '/auth/v1/revocations')!;
    const decoded = Buffer.from(String(request.headers.authorization).slice(6), 'base64').toString();
    expect(decoded).toBe(`${issuer.feed.clientId}:a+secret%3Awith%2Fodd%2Bchars`);
    expect(request.headers.accept).toBe('text/event-stream');
  });
});

describe('reconnects, resume and staleness', () => {
  it('a dropped stream is reopened with Last-Event-ID; endings during the outage arrive in the replay', async () => {
    const verifier = strictVerifier();
    const token = issuer.token({ now: START });
    expect(await outcome(verifier, token)).toBe('accepted');
    issuer.feed.tick(START + 5);
    await until(() => verifier.status().cursor === String(START + 5), 'the tick');

    issuer.feed.backlog = [{ sid: sidOf(token), endedAt: START + 6 }];
    issuer.feed.dropAll();
    await timers.advanceUntil(() => issuer.feed.lastEventIds.length === 2, 'the reconnect');
    expect(issuer.feed.lastEventIds).toEqual([undefined, String(START + 5)]);
    await until(() => verifier.status().revokedSessions === 1, 'the replay');
    expect(await outcome(verifier, token)).toBe('session_revoked');
    await until(() => verifier.status().state === 'live', 'live again');
  });

  it('survives a server restart: refused connections back off, then it resumes', async () => {
    const verifier = strictVerifier();
    expect(await outcome(verifier, issuer.token({ now: START }))).toBe('accepted');
    const cursor = verifier.status().cursor;
    expect(cursor).toMatch(/^\d+$/);
    issuer.feed.status = 503;
    issuer.feed.dropAll();
    await timers.advanceUntil(() => issuer.feed.lastEventIds.length >= 3, 'two refused reconnects');
    expect(verifier.status().state).toBe('behind');
    issuer.feed.status = 200;
    await timers.advanceUntil(() => verifier.status().state === 'live', 'live again', {
      maxMilliseconds: 14_000,
    });
    expect(issuer.feed.lastEventIds.slice(1).every((id) => id === cursor)).toBe(true);
  });

  it('says when it is behind (log + onStatus), refuses everything once stale, and recovers', async () => {
    const statuses: FeedStatus['state'][] = [];
    const verifier = strictVerifier({ maxStalenessSeconds: 30, onStatus: (s) => statuses.push(s.state) });
    const token = issuer.token({ now: START });
    expect(await outcome(verifier, token)).toBe('accepted');

    clock.t = START + 10;
    expect(verifier.status().state).toBe('live');
    clock.t = START + 11;
    expect(verifier.status().state).toBe('behind');
    expect(await outcome(verifier, token)).toBe('accepted');
    // The next tick notices.
    expect(logs.some((l) => l.level === 'warn')).toBe(false);
    await timers.advance(1000);
    expect(logs.find((l) => l.level === 'warn')!.message).toMatch(
      /revocation feed is behind .*refused after 30 s/,
    );

    clock.t = START + 30;
    expect(await outcome(verifier, token)).toBe('accepted');
    clock.t = START + 31;
    expect(verifier.status().state).toBe('stale');
    await expect(verifier.verify(token)).rejects.toMatchObject({
      code: 'revocation_feed_stale',
      status: 503,
    });
    await timers.advance(1000);
    expect(logs.filter((l) => l.level === 'error')).toHaveLength(1);

    issuer.feed.tick(START + 31);
    await until(() => verifier.status().state === 'live', 'live again');
    expect(await outcome(verifier, token)).toBe('accepted');
    await until(() => statuses.at(-1) === 'live', 'onStatus live');
    expect(statuses).toEqual(['live', 'behind', 'stale', 'live']);
    expect(logs.at(-1)).toEqual({ level: 'info', message: 'tessera: the revocation feed has caught up.' });
  });

  it('forgets an ending after the window the server announced plus the leeway, not before', async () => {
    issuer.feed.windowSeconds = 360;
    const verifier = strictVerifier({ maxStalenessSeconds: 3600 });
    const token = issuer.token({ now: START });
    await verifier.verify(token);
    issuer.feed.revoke(sidOf(token), START);
    await until(() => verifier.status().revokedSessions === 1, 'the revoked event');
    clock.t = START + 360 + 30;
    await timers.advance(1000);
    expect(verifier.status().revokedSessions).toBe(1);
    clock.t = START + 360 + 30 + 31;
    await timers.advance(1000);
    expect(verifier.status().revokedSessions).toBe(0);
  });

  it('close() stops following: no more connections, and a strict verifier refuses every token', async () => {
    const verifier = strictVerifier();
    const token = issuer.token({ now: START });
    expect(await outcome(verifier, token)).toBe('accepted');
    await verifier.close();
    await until(() => issuer.feed.connections.length === 0, 'the stream to close');
    expect(await outcome(verifier, token)).toBe('revocation_feed_stale');
    // Nothing left to wake it up.
    expect(timers.pendingDelays()).toEqual([]);
    await timers.advance(60_000);
    expect(issuer.feed.lastEventIds).toHaveLength(1);
  });

  it('a clean close() logs no warning or error (a shutdown is not an outage)', async () => {
    const verifier = strictVerifier();
    expect(await outcome(verifier, issuer.token({ now: START }))).toBe('accepted');
    logs.length = 0;
    await verifier.close();
    await timers.advance(60_000);
    await sleep(20);
    expect(logs.filter((line) => line.level !== 'info')).toEqual([]);
  });
});

describe('MW-03 in strict mode', () => {
  it('a clock that breaks stops the feed, not the process, and every token is refused from then on', async () => {
    let broken = false;
    const verifier = createVerifierWithTimers(
      {
        issuer: issuer.url,
        audience: 'app',
        logger,
        clock: {
          now: () => {
            if (broken) throw new Error('the clock broke');
            return START;
          },
        },
        strict: { clientId: issuer.feed.clientId, clientSecret: issuer.feed.clientSecret },
      },
      timers,
    );
    closers.push(verifier);
    const token = issuer.token({ now: START });
    expect(await outcome(verifier, token)).toBe('accepted');
    broken = true;
    issuer.feed.tick();
    await until(
      () => logs.some((l) => l.message.includes('the revocation feed stopped')),
      'the feed to stop',
    );
    expect(await outcome(verifier, token)).toBe('internal_error');
    broken = false;
    expect(verifier.status().state).toBe('stale');
    expect(await outcome(verifier, token)).toBe('revocation_feed_stale');
  });
});

describe('the SSE client over fetch', () => {
  const feeds: RevocationFeed[] = [];
  afterEach(async () => {
    for (const feed of feeds.splice(0)) await feed.close();
  });

  function follow(options: { silenceTimeoutMs?: number } = {}): RevocationFeed {
    const feed = followRevocationFeed({
      url: new URL(`${issuer.url}/auth/v1/revocations`),
      clientId: issuer.feed.clientId,
      clientSecret: issuer.feed.clientSecret,
      fetch,
      now: () => clock.now(),
      timers,
      maxStalenessSeconds: 30,
      clockToleranceSeconds: 30,
      logger,
      ...options,
    });
    feeds.push(feed);
    return feed;
  }

  it('a silent connection (half-open) is dropped and reopened', async () => {
    const feed = follow({ silenceTimeoutMs: 300 });
    expect(await feed.waitForReady(2000)).toBe(true);
    const cursor = feed.status().cursor;
    expect(cursor).toMatch(/^\d+$/);
    await timers.advance(299);
    expect(issuer.feed.lastEventIds).toHaveLength(1);
    await timers.advanceUntil(() => issuer.feed.lastEventIds.length === 2, 'the reconnect');
    expect(issuer.feed.lastEventIds[1]).toBe(cursor);
  });

  it('ignores events it does not know and data that is not a JSON object', async () => {
    const feed = follow();
    expect(await feed.waitForReady(2000)).toBe(true);
    issuer.feed.write('event: revoked\ndata: not json\n\n');
    issuer.feed.write('event: revoked\ndata: ["a"]\n\n');
    issuer.feed.write('event: revoked\ndata: {"sid":42}\n\n');
    issuer.feed.write('event: surprise\nid: 999\ndata: {"sid":"x"}\n\n');
    issuer.feed.write('event: revoked\nid: 1000\ndata: {"sid":"kept"}\n\n');
    await until(() => feed.isRevoked('kept'), 'the good event');
    expect(feed.status().revokedSessions).toBe(1);
    expect(feed.status().cursor).toBe('1000');
  });

  it('an endless line is refused and the stream reopened', async () => {
    const feed = follow();
    expect(await feed.waitForReady(2000)).toBe(true);
    issuer.feed.write(`data: ${'x'.repeat(70_000)}`);
    await timers.advanceUntil(() => issuer.feed.lastEventIds.length === 2, 'the reconnect');
    expect(await feed.waitForReady(10)).toBe(true);
  });

  it('an answer that is not an event stream is a failure, retried with backoff', async () => {
    issuer.feed.status = 500;
    const feed = follow();
    const first = feed.waitForReady(300);
    await until(() => logs.some((l) => l.message.includes('answered 500')), 'the failure');
    await timers.advance(300);
    expect(await first).toBe(false);
    issuer.feed.status = 200;
    const second = track(feed.waitForReady(5000));
    await timers.advanceUntil(second.settled, 'ready', { maxMilliseconds: 4000 });
    expect(await second.promise).toBe(true);
    expect(logs.some((l) => l.level === 'warn' && l.message.includes('answered 500'))).toBe(true);
  });
});
