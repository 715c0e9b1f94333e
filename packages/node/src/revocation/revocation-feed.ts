/**
 * Follows `GET {base}/auth/v1/revocations` (docs/revocation-feed.md) and keeps the set of ended
 * session ids, so a strict verifier refuses their tokens with no call per request.
 *
 * The feed is treated as a set: an event may arrive twice (the server replays with some overlap
 * after a reconnect), never not at all. Freshness is earned only on a connection that has sent
 * `ready` (its backlog is complete); a replayed ending before that proves nothing about now.
 */
import { type SseEvent, SseParser } from './sse-parser.js';

export type FeedState = 'connecting' | 'live' | 'behind' | 'stale';

/** What `verifier.status()` reports. */
export interface FeedStatus {
  /**
   * `off`: not strict. `connecting`: no `ready` yet since start. `live`: following. `behind`: the
   * connection dropped or has been silent, tokens are still checked against what is known.
   * `stale`: silent for more than `maxStalenessSeconds`: every token is refused.
   */
  state: FeedState | 'off';
  /** Local epoch seconds of the last event heard on a caught-up connection; `null` before. */
  lastEventAt: number | null;
  /** The last event id, sent as `Last-Event-ID` on a reconnect. */
  cursor: string | null;
  /** How many ended sessions are remembered now. */
  revokedSessions: number;
}

export interface FeedLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface RevocationFeedOptions {
  url: URL;
  clientId: string;
  clientSecret: string;
  fetch: typeof fetch;
  /** Epoch seconds. */
  now: () => number;
  maxStalenessSeconds: number;
  /** Added to the feed's window when forgetting an ended session (the verifier's leeway). */
  clockToleranceSeconds: number;
  logger: FeedLogger;
  onStatus?: (status: FeedStatus) => void;
  /** Behind after this long without an event: two missed ticks [10]. */
  behindAfterSeconds?: number;
  /** A connection silent this long is dropped and reopened: three missed ticks [15000]. */
  silenceTimeoutMs?: number;
  /** The longest pause between reconnects [30000]. */
  maxReconnectDelayMs?: number;
  /** The pause after the server refused the credentials [30000]. */
  unauthorizedDelayMs?: number;
}

export interface RevocationFeed {
  status(): FeedStatus;
  /** `live` or `behind`: tokens can be checked against the set. */
  isUsable(): boolean;
  isRevoked(sid: string): boolean;
  /** Resolves `true` once the first `ready` has arrived, or `false` after `timeoutMs`. */
  waitForReady(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Tessera's longest access-token lifetime plus the largest leeway: the retention before `ready` says. */
const DEFAULT_WINDOW_SECONDS = 86_400 + 60;
/** The server sends `retry: 1000`; this is the delay until it does. */
const DEFAULT_RETRY_MS = 1000;
const EVALUATE_EVERY_MS = 1000;
const SWEEP_EVERY_SECONDS = 30;

type ConnectOutcome = 'unauthorized' | 'failed' | 'ended';

/** Starts following the feed at once; `close()` stops it. */
export function followRevocationFeed(options: RevocationFeedOptions): RevocationFeed {
  return new FeedFollower(options);
}

class FeedFollower implements RevocationFeed {
  readonly #options: RevocationFeedOptions;
  readonly #behindAfterSeconds: number;
  readonly #startedAt: number;
  /** sid → local epoch seconds after which no token of it can still verify. */
  readonly #ended = new Map<string, number>();
  readonly #readyWaiters = new Set<() => void>();
  readonly #timer: ReturnType<typeof setInterval>;
  readonly #running: Promise<void>;
  #controller = new AbortController();
  #closed = false;
  #everReady = false;
  #caughtUp = false;
  #lastEventAt: number | null = null;
  #cursor: string | null = null;
  #retryMs = DEFAULT_RETRY_MS;
  #windowSeconds = DEFAULT_WINDOW_SECONDS;
  #lastState: FeedState = 'connecting';
  #lastSweep: number;
  #failuresLogged = 0;

  constructor(options: RevocationFeedOptions) {
    this.#options = options;
    this.#behindAfterSeconds = Math.min(options.behindAfterSeconds ?? 10, options.maxStalenessSeconds);
    this.#startedAt = options.now();
    this.#lastSweep = this.#startedAt;
    this.#timer = setInterval(() => {
      try {
        this.#evaluate();
      } catch {
        // A broken clock or logger must not take the process down; `verify` fails closed on it.
      }
    }, EVALUATE_EVERY_MS);
    this.#timer.unref();
    this.#running = this.#run().catch((error: unknown) => {
      // Only a broken clock or logger gets here. Stop, and fail closed: a closed feed is stale.
      this.#closed = true;
      clearInterval(this.#timer);
      try {
        options.logger.error(
          `tessera: the revocation feed stopped (${describe(error)}); every token is refused.`,
        );
      } catch {
        // Nothing left to tell.
      }
    });
  }

  status(): FeedStatus {
    return {
      state: this.#state(),
      lastEventAt: this.#lastEventAt,
      cursor: this.#cursor,
      revokedSessions: this.#ended.size,
    };
  }

  isUsable(): boolean {
    const state = this.#state();
    return state === 'live' || state === 'behind';
  }

  isRevoked(sid: string): boolean {
    return this.#ended.has(sid);
  }

  waitForReady(timeoutMs: number): Promise<boolean> {
    if (this.#everReady) return Promise.resolve(true);
    if (this.#closed || timeoutMs <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#readyWaiters.delete(done);
        resolve(this.#everReady);
      };
      const timer = setTimeout(done, timeoutMs);
      this.#readyWaiters.add(done);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    this.#controller.abort();
    for (const waiter of [...this.#readyWaiters]) waiter();
    await this.#running;
  }

  #state(): FeedState {
    if (this.#closed) return 'stale';
    if (!this.#everReady || this.#lastEventAt === null) return 'connecting';
    const silence = this.#options.now() - this.#lastEventAt;
    if (silence > this.#options.maxStalenessSeconds) return 'stale';
    if (!this.#caughtUp || silence > this.#behindAfterSeconds) return 'behind';
    return 'live';
  }

  /** Reports state changes (log line and `onStatus`) and forgets endings nobody can use any more. */
  #evaluate(): void {
    const now = this.#options.now();
    if (now - this.#lastSweep >= SWEEP_EVERY_SECONDS) {
      this.#lastSweep = now;
      for (const [sid, forgetAt] of this.#ended) if (forgetAt < now) this.#ended.delete(sid);
    }
    const state = this.#state();
    if (state === this.#lastState) return;
    const previous = this.#lastState;
    this.#lastState = state;
    const { logger, maxStalenessSeconds } = this.#options;
    const silence = this.#lastEventAt === null ? 0 : Math.round(now - this.#lastEventAt);
    if (state === 'behind') {
      logger.warn(
        `tessera: the revocation feed is behind (nothing heard for ${silence} s, cursor ${this.#cursor ?? 'none'}): ` +
          `sessions ended meanwhile are not known yet; every token is refused after ${maxStalenessSeconds} s.`,
      );
    } else if (state === 'stale') {
      logger.error(
        `tessera: the revocation feed is stale (nothing heard for ${silence} s): every token is refused with revocation_feed_stale until it is back.`,
      );
    } else if (state === 'live' && previous !== 'connecting') {
      logger.info('tessera: the revocation feed has caught up.');
    }
    try {
      this.#options.onStatus?.(this.status());
    } catch {
      // A throwing listener must not stop the feed.
    }
  }

  async #run(): Promise<void> {
    let attempt = 0;
    while (!this.#closed) {
      const { outcome, sawReady } = await this.#connectOnce();
      this.#caughtUp = false;
      // Closed on purpose: the feed is not stale, it is gone; nothing to report.
      if (this.#closed) break;
      this.#evaluate();
      attempt = sawReady ? 0 : attempt + 1;
      const delay =
        outcome === 'unauthorized'
          ? (this.#options.unauthorizedDelayMs ?? 30_000)
          : reconnectDelay(this.#retryMs, attempt, this.#options.maxReconnectDelayMs ?? 30_000);
      await sleep(delay, this.#controller.signal);
    }
  }

  async #connectOnce(): Promise<{ outcome: ConnectOutcome; sawReady: boolean }> {
    const controller = new AbortController();
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    // Aborting the fetch does not always end a pending read of its body (undici cancels a locked
    // stream in vain); cancelling through our own reader always does.
    const stop = () => {
      controller.abort();
      reader?.cancel().catch(() => {});
    };
    this.#controller.signal.addEventListener('abort', stop);
    let sawReady = false;
    const { url, clientId, clientSecret } = this.#options;
    const headers: Record<string, string> = {
      accept: 'text/event-stream',
      'cache-control': 'no-store',
      authorization: `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64')}`,
    };
    if (this.#cursor !== null) headers['last-event-id'] = this.#cursor;
    let silence: ReturnType<typeof setTimeout> | undefined;
    const armSilenceTimer = () => {
      clearTimeout(silence);
      silence = setTimeout(stop, this.#options.silenceTimeoutMs ?? 15_000);
      silence.unref();
    };
    try {
      armSilenceTimer();
      const response = await this.#options.fetch(url, {
        headers,
        signal: controller.signal,
        redirect: 'error',
      });
      if (response.status === 401 || response.status === 403) {
        await response.body?.cancel().catch(() => {});
        this.#options.logger.error(
          `tessera: the revocation feed refused the client credentials (${response.status}); check strict.clientId and strict.clientSecret (a confidential client of the environment).`,
        );
        return { outcome: 'unauthorized', sawReady };
      }
      const contentType = response.headers.get('content-type') ?? '';
      if (response.status !== 200 || !contentType.startsWith('text/event-stream') || !response.body) {
        await response.body?.cancel().catch(() => {});
        this.#logFailure(`answered ${response.status} ${contentType}`);
        return { outcome: 'failed', sawReady };
      }
      const decoder = new TextDecoder();
      const parser = new SseParser({
        onEvent: (event) => {
          if (this.#onEvent(event)) sawReady = true;
        },
        onRetry: (milliseconds) => {
          this.#retryMs = milliseconds;
        },
      });
      reader = response.body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          armSilenceTimer();
          parser.push(decoder.decode(value, { stream: true }));
        }
      } finally {
        reader.releaseLock();
        response.body.cancel().catch(() => {});
      }
      return { outcome: 'ended', sawReady };
    } catch (error) {
      if (!this.#closed && !sawReady) this.#logFailure(describe(error));
      return { outcome: 'failed', sawReady };
    } finally {
      clearTimeout(silence);
      this.#controller.signal.removeEventListener('abort', stop);
      controller.abort();
    }
  }

  /** Applies one event; `true` for `ready`. */
  #onEvent(event: SseEvent): boolean {
    let data: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(event.data);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return false;
      data = parsed as Record<string, unknown>;
    } catch {
      return false;
    }
    const now = this.#options.now();
    let ready = false;
    switch (event.type) {
      case 'revoked':
        if (typeof data.sid !== 'string' || data.sid === '') return false;
        this.#ended.set(data.sid, now + this.#windowSeconds + this.#options.clockToleranceSeconds);
        break;
      case 'ready':
        ready = true;
        // Without a cursor the server replays exactly the endings whose tokens can still verify:
        // the access-token lifetime plus the largest leeway. That window is also how long to keep one.
        if (
          this.#cursor === null &&
          typeof data.serverTime === 'number' &&
          typeof data.replayedFrom === 'number'
        ) {
          const window = data.serverTime - data.replayedFrom;
          if (window > 0 && window <= DEFAULT_WINDOW_SECONDS) this.#windowSeconds = window;
        }
        this.#caughtUp = true;
        this.#everReady = true;
        this.#failuresLogged = 0;
        break;
      case 'tick':
        break;
      default:
        return false;
    }
    if (event.lastEventId !== '') this.#cursor = event.lastEventId;
    if (this.#caughtUp) this.#lastEventAt = now;
    this.#evaluate();
    if (ready) for (const waiter of [...this.#readyWaiters]) waiter();
    return ready;
  }

  /** One line per outage, not one per reconnect attempt. */
  #logFailure(reason: string): void {
    if (this.#failuresLogged++ % 20 !== 0) return;
    this.#options.logger.warn(
      `tessera: could not follow the revocation feed (${reason}); retrying with backoff.`,
    );
  }
}

/** Exponential from the server's `retry`, capped, with jitter so a fleet does not reconnect in step. */
function reconnectDelay(baseMs: number, attempt: number, maxMs: number): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 10));
  return exponential / 2 + Math.random() * (exponential / 2);
}

function sleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, milliseconds);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/** RFC 6749 §2.3.1: the id and secret are form-urlencoded before Basic encoding. */
function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.name}: ${error.message}${cause}`;
  }
  return 'unknown error';
}
