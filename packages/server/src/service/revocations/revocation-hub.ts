/**
 * The revocation feed's live side on one node (docs/revocation-feed.md): for each environment with
 * subscribers, one poll of the database every 500 ms for sessions that ended, handed to every
 * subscriber. Polling the database, not an in-process event, is what makes it see what other nodes
 * ended; with a few seconds of overlap, a slow transaction that commits late is still seen.
 */
import type { SessionEnding } from '../../storage/records.js';
import type { ServiceDeps } from '../deps.js';

export const POLL_INTERVAL_MS = 500;
/** Each poll and each replay looks this far back, so a late commit is not missed. */
export const OVERLAP_SECONDS = 5;
const POLL_LIMIT = 1000;

export type RevocationListener = (endings: readonly SessionEnding[]) => void;

export interface RevocationHub {
  /** Calls `listener` with every batch of endings from now on; returns the unsubscribe. */
  subscribe(envId: string, listener: RevocationListener): () => void;
  /** Stops polling and tells every subscriber's stream to end (server shutdown). */
  close(): void;
  /** How many listeners are subscribed now, over every environment (a metric). */
  subscriberCount(): number;
  /** Registers a stream to end on {@link close}. */
  onClose(end: () => void): () => void;
}

interface Poller {
  listeners: Set<RevocationListener>;
  timer: ReturnType<typeof setInterval>;
  since: number;
  /** Session ids already announced, with when they ended (forgotten once out of the overlap). */
  seen: Map<string, number>;
  polling: boolean;
}

export function createRevocationHub(deps: ServiceDeps): RevocationHub {
  const pollers = new Map<string, Poller>();
  const streams = new Set<() => void>();

  async function poll(envId: string, poller: Poller): Promise<void> {
    if (poller.polling) return;
    poller.polling = true;
    try {
      const now = deps.clock.now();
      const endings = await deps.storage.listSessionEndings(
        envId,
        poller.since - OVERLAP_SECONDS,
        POLL_LIMIT,
      );
      const fresh = endings.filter((ending) => !poller.seen.has(ending.sessionId));
      for (const ending of fresh) poller.seen.set(ending.sessionId, ending.endedAt);
      const newest = endings.at(-1)?.endedAt;
      // A full page means more wait: continue from its last time rather than from now.
      poller.since = endings.length === POLL_LIMIT && newest !== undefined ? newest : now;
      for (const [sid, endedAt] of poller.seen)
        if (endedAt < poller.since - 2 * OVERLAP_SECONDS) poller.seen.delete(sid);
      if (fresh.length > 0) for (const listener of poller.listeners) listener(fresh);
    } catch (error) {
      deps.logger.warn({ err: error, envId }, 'polling for ended sessions failed; retrying');
    } finally {
      poller.polling = false;
    }
  }

  return {
    subscribe(envId, listener) {
      let poller = pollers.get(envId);
      if (!poller) {
        const created: Poller = {
          listeners: new Set(),
          since: deps.clock.now(),
          seen: new Map(),
          polling: false,
          timer: setInterval(() => void poll(envId, created), POLL_INTERVAL_MS),
        };
        created.timer.unref();
        pollers.set(envId, created);
        poller = created;
      }
      poller.listeners.add(listener);
      const current = poller;
      return () => {
        current.listeners.delete(listener);
        if (current.listeners.size === 0) {
          clearInterval(current.timer);
          pollers.delete(envId);
        }
      };
    },
    subscriberCount() {
      let count = 0;
      for (const poller of pollers.values()) count += poller.listeners.size;
      return count;
    },
    close() {
      for (const poller of pollers.values()) clearInterval(poller.timer);
      pollers.clear();
      for (const end of [...streams]) end();
    },
    onClose(end) {
      streams.add(end);
      return () => streams.delete(end);
    },
  };
}
