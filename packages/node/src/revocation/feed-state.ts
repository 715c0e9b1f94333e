/**
 * The revocation feed's state machine, pure: where the follower is (`FeedPhase`, moved only by
 * {@link nextPhase}) and what that means at a given instant (`FeedState`, from {@link stateAt}).
 *
 * Freshness is earned only on a connection that has sent `ready` (its backlog is complete): an
 * ending replayed before that proves nothing about now, so it does not count as hearing the feed.
 *
 *   connecting ──ready──▶ caught-up ──disconnected──▶ reconnecting ──ready──▶ caught-up
 *        └───────────────────┴──────────close / failure──────┴──────────────▶ closed
 */

/** What `verifier.status().state` says (besides `off`). */
export type FeedState = 'connecting' | 'live' | 'behind' | 'stale';

export type FeedPhase =
  /** No `ready` yet since start: nothing is known. */
  | { name: 'connecting' }
  /** On a connection that has sent `ready`: every ending up to `lastEventAt` is known. */
  | { name: 'caught-up'; lastEventAt: number }
  /** The connection dropped after a `ready`, or a new one has not sent its `ready` yet. */
  | { name: 'reconnecting'; lastEventAt: number }
  /** Stopped, on purpose or by a failure: fails closed. */
  | { name: 'closed'; lastEventAt: number | null };

export type FeedTransition =
  /** A `ready` arrived: the connection's backlog is complete. */
  | { type: 'ready'; now: number }
  /** Any other event applied (an ending or a tick). */
  | { type: 'heard'; now: number }
  /** The connection ended, whatever the reason. */
  | { type: 'disconnected' }
  | { type: 'closed' };

export interface FeedLimits {
  /** Behind after this long without an event. */
  behindAfterSeconds: number;
  /** Stale (every token refused) after this long without an event. */
  maxStalenessSeconds: number;
}

export const INITIAL_PHASE: FeedPhase = { name: 'connecting' };

export function nextPhase(phase: FeedPhase, transition: FeedTransition): FeedPhase {
  if (phase.name === 'closed') return phase;
  switch (transition.type) {
    case 'ready':
      return { name: 'caught-up', lastEventAt: transition.now };
    case 'heard':
      return phase.name === 'caught-up' ? { name: 'caught-up', lastEventAt: transition.now } : phase;
    case 'disconnected':
      return phase.name === 'caught-up' ? { name: 'reconnecting', lastEventAt: phase.lastEventAt } : phase;
    case 'closed':
      return { name: 'closed', lastEventAt: lastEventAt(phase) };
  }
}

export function stateAt(phase: FeedPhase, now: number, limits: FeedLimits): FeedState {
  switch (phase.name) {
    case 'closed':
      return 'stale';
    case 'connecting':
      return 'connecting';
    case 'caught-up':
    case 'reconnecting': {
      const silence = now - phase.lastEventAt;
      if (silence > limits.maxStalenessSeconds) return 'stale';
      if (phase.name === 'reconnecting' || silence > limits.behindAfterSeconds) return 'behind';
      return 'live';
    }
  }
}

/** Local epoch seconds of the last event heard on a caught-up connection; `null` before any. */
export function lastEventAt(phase: FeedPhase): number | null {
  return phase.name === 'connecting' ? null : phase.lastEventAt;
}
