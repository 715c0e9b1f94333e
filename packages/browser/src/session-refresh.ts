/**
 * The refresh: one at a time in this tab, and across tabs under the lock (SDK-02), so the tabs of
 * a browser make about one refresh per token lifetime between them and never race one another into
 * reuse detection. What the server answers goes to the state machine as an event; the refusal is
 * also thrown to the caller.
 */
import type { ActivityTracker } from './activity.js';
import { sleep } from './clock.js';
import type { WithLock } from './cross-tab-lock.js';
import { TesseraAuthError } from './errors.js';
import type { Platform } from './platform.js';
import type { RefreshMarks } from './refresh-marks.js';
import { isTransient, type SessionApi } from './session-api.js';
import { heldToken, type Session, type SessionEvent } from './session-machine.js';
import { SESSION_TENANT, type TabSync } from './tab-sync.js';
import { isNewerThan, orderOf, type TokenOrder, tokenSetFromResponse } from './token-set.js';

/** After another tab's refresh, wait this long for its token before refreshing again. */
const ADOPTION_WAIT_MS = 500;
/**
 * How long after a transient failure (in any tab) an application's explicit `getAccessToken()`
 * is answered from that failure instead of asking the server again: a moment, not the backoff.
 */
const EXPLICIT_RETRY_AFTER_MS = 1000;

export interface RefreshRequest {
  tenantId?: string;
  /** A tenant switch: always asks the server, never adopts another tab's token. */
  switching?: boolean;
  /** The application asked (getAccessToken), not the background timer. */
  explicit?: boolean;
}

export interface SessionRefresh {
  /** Refreshes (or adopts another tab's fresh token); rejects with the refusal. */
  refresh(request?: RefreshRequest): Promise<void>;
  /** The session ended: refreshes waiting for the lock give up (the effect `dropQueuedRefreshes`). */
  dropQueued(): void;
}

export interface SessionRefreshOptions {
  platform: Platform;
  api: SessionApi;
  withLock: WithLock;
  tabs: TabSync;
  marks: RefreshMarks;
  perTenant: boolean;
  session(): Session;
  activity(): ActivityTracker | null;
  dispatch(event: SessionEvent): void;
  isDestroyed(): boolean;
}

export function sessionRefresh(options: SessionRefreshOptions): SessionRefresh {
  const { platform, api, withLock, tabs, marks, perTenant, dispatch } = options;
  const { clock } = platform;
  let inFlight: Promise<void> | null = null;
  /** Counts sessions ended in this tab, so a refresh queued behind the lock can tell. */
  let endings = 0;
  const held = () => heldToken(options.session());

  function refresh(request: RefreshRequest = {}): Promise<void> {
    if (inFlight && !request.switching) return inFlight;
    const run = rotate(request).finally(() => {
      if (inFlight === run) inFlight = null;
    });
    inFlight = run;
    return run;
  }

  async function rotate(request: RefreshRequest): Promise<void> {
    const heldBefore = orderOf(held());
    const endingsBefore = endings;
    const askedAt = clock.now();
    await withLock(async (waited) => {
      if (options.isDestroyed()) return;
      // The session ended (here or in another tab) while this one waited for the lock.
      if (endings !== endingsBefore) return;
      // Another tab may have refreshed for this tenant meanwhile: its token serves this tab too.
      if (!request.switching && (await adoptedMeanwhile(heldBefore, askedAt, waited))) return;
      // Another tab just found the server unavailable: do not pile on. Background retries wait for
      // the server's Retry-After; an application's explicit call waits only a moment, so that it
      // is not refused while the server is healthy again (one request per moment at most).
      const holdUntil = request.explicit ? marks.failedAt() + EXPLICIT_RETRY_AFTER_MS : marks.retryAt();
      if (!request.switching && holdUntil > clock.now())
        throw new TesseraAuthError('network_error', 'The server is unavailable; retrying later.');
      const key = request.tenantId ?? tabs.tenantKey();
      const tenantId = key === SESSION_TENANT ? undefined : key;
      try {
        await exchange(tenantId, request.switching === true);
      } catch (error) {
        const code = error instanceof TesseraAuthError ? error.code : 'network_error';
        if (isTransient(error) || code !== 'tenant_forbidden' || request.switching || tenantId === undefined)
          throw error;
        // This tab's tenant is no longer the user's: fall back to the session's tenant.
        tabs.forgetTenant();
        await exchange(undefined, false);
      }
    });
  }

  /** One call that rotates the cookie (inside the lock); its answer goes to the state machine. */
  async function exchange(tenantId: string | undefined, switching: boolean): Promise<void> {
    const activity = options.activity();
    const active = switching || (activity?.sinceLastReport() ?? false);
    const startedAt = clock.now();
    try {
      const response =
        switching && !perTenant && tenantId !== undefined
          ? await api.switchTenant(tenantId)
          : await api.refresh({ ...(tenantId !== undefined && { tenantId }), active });
      const token = tokenSetFromResponse(response, clock.now());
      if (token === null) throw new TesseraAuthError('network_error', 'The server sent an unreadable token.');
      if (active) activity?.markReported(startedAt);
      marks.noteRefreshed(clock.now());
      dispatch({ type: 'tokenReceived', token, from: 'refresh' });
    } catch (error) {
      dispatch(refusal(error));
      throw error;
    }
  }

  /**
   * Whether a token newer than `before` arrived from another tab. When this tab had to wait for the
   * lock, or another tab refreshed since it asked, that token may still be on its way (tabs share
   * storage and messages asynchronously): wait for it briefly rather than refresh a second time.
   */
  async function adoptedMeanwhile(before: TokenOrder, askedAt: number, waited: boolean): Promise<boolean> {
    if (isNewerThan(held(), before)) return true;
    if (!waited && marks.lastRefreshAt() < askedAt - 2000) return false;
    const until = clock.now() + ADOPTION_WAIT_MS;
    while (clock.now() < until) {
      await sleep(clock, 25);
      if (isNewerThan(held(), before)) return true;
    }
    return false;
  }

  return {
    refresh,
    dropQueued: () => {
      endings++;
    },
  };
}

/** A failed refresh, as the state machine's event. */
export function refusal(error: unknown): SessionEvent {
  const known = error instanceof TesseraAuthError;
  return {
    type: 'refreshRefused',
    code: known ? error.code : 'network_error',
    transient: isTransient(error),
    retryAfterMs: known ? (error.retryAfterSeconds ?? 0) * 1000 : 0,
  };
}
