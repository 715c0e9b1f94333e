/**
 * Follows `GET {base}/auth/v1/revocations` (docs/revocation-feed.md) and keeps the set of ended
 * session ids, so a strict verifier refuses their tokens with no call per request.
 *
 * Three parts, composed here: the transport (feed-transport.ts: HTTP, SSE, reconnects), the state
 * machine (feed-state.ts: connecting, caught up, reconnecting, closed) and the retention
 * (revoked-sessions.ts: which sids, for how long). This file turns events into transitions, ticks
 * once a second to notice silence and forget old endings, and reports every change of state.
 *
 * The feed is treated as a set: an event may arrive twice (the server replays with some overlap
 * after a reconnect), never not at all.
 */
import { systemTimers, type TimerHandle, type Timers, unref } from '../timers.js';
import {
  type FeedLimits,
  type FeedPhase,
  type FeedState,
  type FeedTransition,
  INITIAL_PHASE,
  lastEventAt,
  nextPhase,
  stateAt,
} from './feed-state.js';
import { describeError, type FeedLogger, runFeedTransport } from './feed-transport.js';
import { RevokedSessions } from './revoked-sessions.js';
import type { SseEvent } from './sse-parser.js';

export type { FeedState } from './feed-state.js';
export type { FeedLogger } from './feed-transport.js';

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

export interface RevocationFeedOptions {
  url: URL;
  clientId: string;
  clientSecret: string;
  fetch: typeof fetch;
  /** Epoch seconds. */
  now: () => number;
  /** The ticks, the silence timeout, the backoff and `waitForReady` [the global timers]. */
  timers?: Timers;
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

const EVALUATE_EVERY_MS = 1000;

/** Starts following the feed at once; `close()` stops it. */
export function followRevocationFeed(options: RevocationFeedOptions): RevocationFeed {
  return new FeedFollower(options);
}

class FeedFollower implements RevocationFeed {
  readonly #options: RevocationFeedOptions;
  readonly #timers: Timers;
  readonly #limits: FeedLimits;
  readonly #revoked: RevokedSessions;
  readonly #readyWaiters = new Set<() => void>();
  readonly #stopping = new AbortController();
  readonly #running: Promise<void>;
  #phase: FeedPhase = INITIAL_PHASE;
  #ticker: TimerHandle;
  #cursor: string | null = null;
  /** The state last reported, to report only changes. */
  #reported: FeedState = 'connecting';

  constructor(options: RevocationFeedOptions) {
    this.#options = options;
    this.#timers = options.timers ?? systemTimers;
    this.#limits = {
      behindAfterSeconds: Math.min(options.behindAfterSeconds ?? 10, options.maxStalenessSeconds),
      maxStalenessSeconds: options.maxStalenessSeconds,
    };
    this.#revoked = new RevokedSessions({
      clockToleranceSeconds: options.clockToleranceSeconds,
      now: options.now(),
    });
    this.#scheduleTick();
    this.#running = runFeedTransport({
      url: options.url,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      fetch: options.fetch,
      timers: this.#timers,
      logger: options.logger,
      signal: this.#stopping.signal,
      silenceTimeoutMs: options.silenceTimeoutMs,
      maxReconnectDelayMs: options.maxReconnectDelayMs,
      unauthorizedDelayMs: options.unauthorizedDelayMs,
      cursor: () => this.#cursor,
      onEvent: (event) => this.#onEvent(event),
      onDisconnect: () => this.#move({ type: 'disconnected' }),
    }).catch((error: unknown) => {
      // Only a broken clock or logger gets here. Stop, and fail closed: a closed feed is stale.
      this.#phase = nextPhase(this.#phase, { type: 'closed' });
      this.#timers.clearTimeout(this.#ticker);
      try {
        options.logger.error(
          `tessera: the revocation feed stopped (${describeError(error)}); every token is refused.`,
        );
      } catch {
        // Nothing left to tell.
      }
    });
  }

  status(): FeedStatus {
    return {
      state: this.#state(),
      lastEventAt: lastEventAt(this.#phase),
      cursor: this.#cursor,
      revokedSessions: this.#revoked.size,
    };
  }

  isUsable(): boolean {
    const state = this.#state();
    return state === 'live' || state === 'behind';
  }

  isRevoked(sid: string): boolean {
    return this.#revoked.has(sid);
  }

  waitForReady(timeoutMs: number): Promise<boolean> {
    if (this.#everReady()) return Promise.resolve(true);
    if (this.#phase.name === 'closed' || timeoutMs <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = () => {
        this.#timers.clearTimeout(timer);
        this.#readyWaiters.delete(done);
        resolve(this.#everReady());
      };
      const timer = this.#timers.setTimeout(done, timeoutMs);
      this.#readyWaiters.add(done);
    });
  }

  async close(): Promise<void> {
    if (this.#phase.name === 'closed') return;
    this.#phase = nextPhase(this.#phase, { type: 'closed' });
    this.#timers.clearTimeout(this.#ticker);
    this.#stopping.abort();
    for (const waiter of [...this.#readyWaiters]) waiter();
    await this.#running;
  }

  /** A `ready` has arrived since start (the feed may have dropped, or closed, since). */
  #everReady(): boolean {
    return lastEventAt(this.#phase) !== null;
  }

  #state(): FeedState {
    return stateAt(this.#phase, this.#options.now(), this.#limits);
  }

  /** A chain of timeouts rather than an interval: one abstraction of timers is enough. */
  #scheduleTick(): void {
    this.#ticker = unref(
      this.#timers.setTimeout(() => {
        if (this.#phase.name === 'closed') return;
        this.#scheduleTick();
        try {
          this.#evaluate();
        } catch {
          // A broken clock or logger must not take the process down; `verify` fails closed on it.
        }
      }, EVALUATE_EVERY_MS),
    );
  }

  #move(transition: FeedTransition): void {
    this.#phase = nextPhase(this.#phase, transition);
    this.#evaluate();
  }

  /** Reports state changes (log line and `onStatus`) and forgets endings nobody can use any more. */
  #evaluate(): void {
    const now = this.#options.now();
    this.#revoked.sweep(now);
    const state = this.#state();
    if (state === this.#reported) return;
    const previous = this.#reported;
    this.#reported = state;
    const { logger, maxStalenessSeconds } = this.#options;
    const heardAt = lastEventAt(this.#phase);
    const silence = heardAt === null ? 0 : Math.round(now - heardAt);
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
    switch (event.type) {
      case 'revoked':
        if (typeof data.sid !== 'string' || data.sid === '') return false;
        this.#revoked.add(data.sid, now);
        break;
      case 'ready':
        if (this.#cursor === null) this.#revoked.learnWindow(data);
        break;
      case 'tick':
        break;
      default:
        return false;
    }
    if (event.lastEventId !== '') this.#cursor = event.lastEventId;
    const ready = event.type === 'ready';
    this.#move({ type: ready ? 'ready' : 'heard', now });
    if (ready) for (const waiter of [...this.#readyWaiters]) waiter();
    return ready;
  }
}
