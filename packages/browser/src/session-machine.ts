/**
 * What a tab holds of the session, and every way that changes, as one pure function: (session,
 * event, now, random) → (next session, effects). It decides; `auth-client.ts` and the modules
 * around it carry the effects out (timers, other tabs, storage) and turn answers into events.
 *
 * A refresh in flight is not a state: it changes neither what the tab holds nor what it shows, and
 * the refresh runner (`session-refresh.ts`) lets only one run at a time. `destroy()` is not one
 * either: it stops the effects and leaves the state as it was.
 */
import type { TabSignal } from './tab-channel.js';
import { backoffDelayMs, FIRST_BACKOFF_MS, refreshDelayMs } from './timing.js';
import { expiresAt, isNotOlder, type TokenSet } from './token-set.js';
import type { AuthState } from './types.js';

export type Session =
  /** `init()` has not settled yet (shown as `loading`). */
  | { readonly status: 'starting' }
  /** No session in this tab; `reason` is a Tessera error code or `logout`. */
  | { readonly status: 'signedOut'; readonly reason: string }
  /**
   * `dueAt`: when the timer fires — the next background refresh (keepSessionAlive; after a failure,
   * the next retry) or, without keepSessionAlive, the token's expiry. `failures`: transient
   * failures in a row, for the backoff.
   */
  | {
      readonly status: 'signedIn';
      readonly token: TokenSet;
      readonly dueAt: number;
      readonly failures: number;
    };

export type SessionEvent =
  /** A token from the server: a refresh, an embedded login, or a hosted-login callback. */
  | {
      readonly type: 'tokenReceived';
      readonly token: TokenSet;
      readonly from: 'refresh' | 'login' | 'callback';
    }
  /** A token another tab got, for this tab's tenant. */
  | { readonly type: 'tokenShared'; readonly token: TokenSet }
  /**
   * The server did not give a token for a refresh. `transient`: no answer, 429 or 5xx;
   * `retryAfterMs`: the server's `Retry-After` (0 when none).
   */
  | {
      readonly type: 'refreshRefused';
      readonly code: string;
      readonly transient: boolean;
      readonly retryAfterMs: number;
    }
  /** A background refresh failed; `retryAt`: the earliest any tab may ask again (0: any time). */
  | { readonly type: 'backgroundRefreshFailed'; readonly transient: boolean; readonly retryAt: number }
  /** The timer set by a `setTimer` effect fired. */
  | { readonly type: 'timerFired' }
  /** The tab woke from sleep, came online, into view or into focus. */
  | { readonly type: 'woke'; readonly visible: boolean }
  /** This tab found there is no session (none on load, a callback refused, init gave up). */
  | { readonly type: 'noSession'; readonly reason: string }
  /** This tab's `logout()` (sent after the server was asked, whatever it answered). */
  | { readonly type: 'loggedOut' }
  /** Another tab logged out. */
  | { readonly type: 'otherTabLoggedOut' }
  /** Another tab heard from the server that the session ended. */
  | { readonly type: 'otherTabSessionEnded'; readonly reason: string }
  /** Another tab signed in. */
  | { readonly type: 'otherTabLoggedIn' };

export type SessionEffect =
  /** Tell the subscribers: the public state changed. */
  | { readonly type: 'publish' }
  /** (Re)set the tab's one timer to fire at `at`, replacing any other. */
  | { readonly type: 'setTimer'; readonly at: number }
  | { readonly type: 'clearTimer' }
  /** Refresh now; on a transient failure, send `backgroundRefreshFailed`. */
  | { readonly type: 'refreshInBackground' }
  /** Refresh now to join a session another tab started; a failure changes nothing. */
  | { readonly type: 'joinSession' }
  /** A refresh waiting for the lock must not run: the session it was for has ended. */
  | { readonly type: 'dropQueuedRefreshes' }
  /** Offer a token from the server to the other tabs (those on its tenant take it). */
  | { readonly type: 'shareToken'; readonly token: TokenSet }
  | { readonly type: 'tellOtherTabs'; readonly signal: TabSignal }
  /** Remember the tab's tenant (enableSessionPerTenant). */
  | { readonly type: 'rememberTenant'; readonly tenantId: string }
  | { readonly type: 'forgetTenant' }
  /** Start watching for user interaction (once the tab first holds a session). */
  | { readonly type: 'trackActivity' }
  /** Every tab: do not ask the server before `retryAt`; `failedAt` is when it failed. */
  | { readonly type: 'noteOutage'; readonly failedAt: number; readonly retryAt: number };

export interface SessionConfig {
  keepSessionAlive: boolean;
  perTenant: boolean;
}

/** What the transition may read besides the state and the event: time and jitter, as values. */
export interface SessionInputs {
  /** Epoch milliseconds. */
  now: number;
  /** A number in [0, 1) for jitter. */
  random: number;
}

export interface Transition {
  session: Session;
  effects: SessionEffect[];
}

export const STARTING: Session = Object.freeze({ status: 'starting' });

/**
 * The next session and what to do about it. Only the server ends a session (DESIGN §6): a
 * transient failure never does, and a refused tenant leaves the session as it was.
 */
export function transition(
  session: Session,
  event: SessionEvent,
  inputs: SessionInputs,
  config: SessionConfig,
): Transition {
  switch (event.type) {
    case 'tokenReceived': {
      // A fresh sign-in replaces whatever the tab held; a refresh or a callback never takes an older token.
      const held = event.from === 'login' ? null : heldToken(session);
      const accepted = accept(session, held, event.token, inputs, config);
      if (accepted.session !== session) accepted.effects.push({ type: 'shareToken', token: event.token });
      if (event.from !== 'refresh')
        accepted.effects.push({ type: 'tellOtherTabs', signal: { type: 'login' } });
      return accepted;
    }
    case 'tokenShared':
      return accept(session, heldToken(session), event.token, inputs, config);
    case 'refreshRefused': {
      if (event.transient)
        return unchanged(session, {
          type: 'noteOutage',
          failedAt: inputs.now,
          retryAt: inputs.now + Math.max(event.retryAfterMs, FIRST_BACKOFF_MS),
        });
      // The user lost this tenant, not the session: the refresh runner falls back or throws.
      if (event.code === 'tenant_forbidden') return unchanged(session);
      const ended = end(session, event.code);
      // Only a tab that held the session tells the others it ended: a tab that never had one (a
      // load racing a login elsewhere) must not sign the others out.
      if (session.status === 'signedIn')
        ended.effects.push({ type: 'tellOtherTabs', signal: { type: 'ended', reason: event.code } });
      return ended;
    }
    case 'backgroundRefreshFailed': {
      if (!event.transient || session.status !== 'signedIn') return unchanged(session);
      // Keep the session and try again later, further apart each time, never before Retry-After.
      const wait = Math.max(backoffDelayMs(session.failures, inputs.random), event.retryAt - inputs.now);
      const dueAt = inputs.now + wait;
      return {
        session: { ...session, dueAt, failures: session.failures + 1 },
        effects: [{ type: 'setTimer', at: dueAt }],
      };
    }
    case 'timerFired':
      if (session.status !== 'signedIn') return unchanged(session);
      if (config.keepSessionAlive) return unchanged(session, { type: 'refreshInBackground' });
      // Without keepSessionAlive the user is signed out when the access token expires (DESIGN §6).
      return end(session, 'token_expired');
    case 'woke':
      if (
        config.keepSessionAlive &&
        session.status === 'signedIn' &&
        inputs.now >= session.dueAt &&
        event.visible
      )
        return unchanged(session, { type: 'refreshInBackground' });
      return unchanged(session);
    case 'noSession':
      return end(session, event.reason);
    case 'loggedOut': {
      // SDK-03: signed out here even when the server could not be reached.
      const ended = end(session, 'logout');
      return {
        session: ended.session,
        effects: [
          { type: 'forgetTenant' },
          ...ended.effects,
          { type: 'tellOtherTabs', signal: { type: 'logout' } },
        ],
      };
    }
    case 'otherTabLoggedOut':
      return end(session, 'logout');
    case 'otherTabSessionEnded':
      return session.status === 'signedIn' ? end(session, event.reason) : unchanged(session);
    case 'otherTabLoggedIn':
      return session.status === 'signedIn' ? unchanged(session) : unchanged(session, { type: 'joinSession' });
  }
}

/** The public state for a session. */
export function authStateOf(session: Session): AuthState {
  switch (session.status) {
    case 'starting':
      return { ...SIGNED_OUT, status: 'loading' };
    case 'signedOut':
      return { ...SIGNED_OUT, endReason: session.reason };
    case 'signedIn': {
      const { token } = session;
      return {
        status: 'authenticated',
        user: token.user,
        tenantId: token.tenantId,
        tenantIds: token.tenantIds,
        expiresAt: expiresAt(token),
        endReason: null,
      };
    }
  }
}

export function heldToken(session: Session): TokenSet | null {
  return session.status === 'signedIn' ? session.token : null;
}

const SIGNED_OUT: AuthState = Object.freeze({
  status: 'unauthenticated',
  user: null,
  tenantId: null,
  tenantIds: [],
  expiresAt: null,
  endReason: null,
}) as AuthState;

function unchanged(session: Session, ...effects: SessionEffect[]): Transition {
  return { session, effects };
}

/** Takes `token` unless it is older than `held`, and sets the timer for it. */
function accept(
  session: Session,
  held: TokenSet | null,
  token: TokenSet,
  inputs: SessionInputs,
  config: SessionConfig,
): Transition {
  if (!isNotOlder(token, held)) return unchanged(session);
  const dueAt = config.keepSessionAlive
    ? token.receivedAt + refreshDelayMs(token.expiresIn, inputs.random)
    : expiresAt(token);
  return {
    session: { status: 'signedIn', token, dueAt, failures: 0 },
    effects: [
      ...(config.perTenant ? [{ type: 'rememberTenant', tenantId: token.tenantId } as const] : []),
      { type: 'trackActivity' },
      { type: 'publish' },
      { type: 'setTimer', at: dueAt },
    ],
  };
}

/** Ends the session in this tab; subscribers hear of it unless they already know this reason. */
function end(session: Session, reason: string): Transition {
  const effects: SessionEffect[] = [{ type: 'dropQueuedRefreshes' }, { type: 'clearTimer' }];
  if (session.status === 'signedOut' && session.reason === reason) return { session, effects };
  return { session: { status: 'signedOut', reason }, effects: [...effects, { type: 'publish' }] };
}
