/**
 * What a revocation-feed reader hears before the live endings (docs/revocation-feed.md): every
 * ending that may still have an unexpired access token out there to refuse, or, for a reader
 * resuming from an event id, those since that cursor (less the overlap, so a late commit is not
 * missed). The feed's route only parses the cursor and writes the events.
 */
import { MAX_VERIFIER_LEEWAY_SECONDS } from '@tessera/protocol';
import type { SessionEndingStore } from '../../storage/port/session-endings.js';
import type { SessionEnding } from '../../storage/records.js';
import { OVERLAP_SECONDS } from './revocation-hub.js';

const BACKLOG_LIMIT = 100_000;

export interface ReplayStartInput {
  now: number;
  /** The environment's access-token lifetime. */
  accessTokenTtlSeconds: number;
  /** The reader's `Last-Event-ID` (an ending's time), or `null` when it starts afresh. */
  cursor: number | null;
}

/** The time from which the backlog replays endings. */
export function replayStart({ now, accessTokenTtlSeconds, cursor }: ReplayStartInput): number {
  // An ending older than this has no unexpired access token left to refuse.
  const window = now - accessTokenTtlSeconds - MAX_VERIFIER_LEEWAY_SECONDS;
  return Math.max(window, cursor === null ? window : cursor - OVERLAP_SECONDS);
}

/** The environment's endings since `replayFrom`, oldest first. */
export function readRevocationBacklog(
  deps: { storage: Pick<SessionEndingStore, 'listSessionEndings'> },
  envId: string,
  replayFrom: number,
): Promise<SessionEnding[]> {
  return deps.storage.listSessionEndings(envId, replayFrom, BACKLOG_LIMIT);
}
