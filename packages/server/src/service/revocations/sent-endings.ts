/**
 * What one revocation-feed connection has announced, so an ending is not sent twice when the
 * backlog and the live side overlap (docs/revocation-feed.md). Only recent endings can come again
 * (the hub looks {@link OVERLAP_SECONDS} back, and drops what it has already handed out), so an
 * ending older than the remembered window is forgotten: a days-long stream holds a few seconds of
 * endings, not every one since it opened. Forgetting can only cause a repeat, never a miss, and a
 * verifier treats a repeated `revoked` as the no-op it is.
 */
import type { SessionEnding } from '../../storage/records.js';
import { OVERLAP_SECONDS } from './revocation-hub.js';

/** How far back (seconds before `now`) endings are remembered: twice the hub's overlap. */
export const REMEMBERED_SECONDS = 2 * OVERLAP_SECONDS;

export class SentEndings {
  /** Session id → when it ended; in the order announced, which is roughly `endedAt` order. */
  readonly #sent = new Map<string, number>();

  get size(): number {
    return this.#sent.size;
  }

  /**
   * Whether `ending` is new to this connection (then it is remembered). `now` is epoch seconds;
   * what ended more than {@link REMEMBERED_SECONDS} before it is forgotten first.
   */
  firstTime(ending: Pick<SessionEnding, 'sessionId' | 'endedAt'>, now: number): boolean {
    this.forget(now);
    if (this.#sent.has(ending.sessionId)) return false;
    if (ending.endedAt >= now - REMEMBERED_SECONDS) this.#sent.set(ending.sessionId, ending.endedAt);
    return true;
  }

  /**
   * Forgets what ended before the window, from the front. An entry announced out of order (a late
   * commit) waits behind a younger one for at most the window.
   */
  forget(now: number): void {
    const before = now - REMEMBERED_SECONDS;
    for (const [sessionId, endedAt] of this.#sent) {
      if (endedAt >= before) return;
      this.#sent.delete(sessionId);
    }
  }
}
