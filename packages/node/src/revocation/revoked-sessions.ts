/**
 * What the revocation feed remembers: the ended session ids, each until no token of it can still
 * verify, so the set stays bounded however long the verifier runs.
 *
 * How long that is comes from the server: without a cursor it replays exactly the endings whose
 * tokens can still verify (the access-token lifetime plus the largest leeway), and says from when
 * in `ready`; that window, plus this verifier's own leeway, is how long an ending is kept.
 */
import { MAX_ACCESS_TOKEN_TTL_SECONDS, MAX_VERIFIER_LEEWAY_SECONDS } from '@tessera/protocol';

/** Tessera's longest access-token lifetime plus the largest leeway: the retention before `ready` says. */
export const DEFAULT_WINDOW_SECONDS = MAX_ACCESS_TOKEN_TTL_SECONDS + MAX_VERIFIER_LEEWAY_SECONDS;
/** Forgetting is a walk over the whole set: not on every tick. */
const SWEEP_EVERY_SECONDS = 30;

export interface RevokedSessionsOptions {
  /** The verifier's leeway on `exp`: a token is accepted this long past it. */
  clockToleranceSeconds: number;
  /** Epoch seconds of the start: the first sweep is due 30 s after. */
  now: number;
}

/** The `ready` event's fields that announce the replay window. */
export interface ReadyWindow {
  serverTime?: unknown;
  replayedFrom?: unknown;
}

export class RevokedSessions {
  readonly #clockToleranceSeconds: number;
  /** sid → local epoch seconds after which no token of it can still verify. */
  readonly #forgetAt = new Map<string, number>();
  #windowSeconds = DEFAULT_WINDOW_SECONDS;
  #lastSweep: number;

  constructor(options: RevokedSessionsOptions) {
    this.#clockToleranceSeconds = options.clockToleranceSeconds;
    this.#lastSweep = options.now;
  }

  get size(): number {
    return this.#forgetAt.size;
  }

  has(sid: string): boolean {
    return this.#forgetAt.has(sid);
  }

  /** A session ended (again, perhaps: the feed is a set). */
  add(sid: string, now: number): void {
    this.#forgetAt.set(sid, now + this.#windowSeconds + this.#clockToleranceSeconds);
  }

  /**
   * Learns the window from a `ready` on a connection opened without a cursor; after a resume the
   * server replays from the cursor instead, which says nothing about the window.
   */
  learnWindow(ready: ReadyWindow): void {
    if (typeof ready.serverTime !== 'number' || typeof ready.replayedFrom !== 'number') return;
    const window = ready.serverTime - ready.replayedFrom;
    if (window > 0 && window <= DEFAULT_WINDOW_SECONDS) this.#windowSeconds = window;
  }

  /** Forgets the endings nobody can use any more, at most every 30 s. */
  sweep(now: number): void {
    if (now - this.#lastSweep < SWEEP_EVERY_SECONDS) return;
    this.#lastSweep = now;
    for (const [sid, forgetAt] of this.#forgetAt) if (forgetAt < now) this.#forgetAt.delete(sid);
  }
}
