/**
 * `createAuthClient` (DESIGN §6): the tab's session state, kept by refreshing through the server's
 * refresh cookie. The decisions are one pure state machine (`session-machine.ts`); this file wires
 * it to its effects — the tab's timer (`session-timer.ts`), the other tabs (`tab-sync.ts`), the
 * refresh under the cross-tab lock (`session-refresh.ts`) — and offers the public methods.
 */
import { type ActivityTracker, trackActivity } from './activity.js';
import { crossTabLock } from './cross-tab-lock.js';
import { TesseraAuthError } from './errors.js';
import { startTransaction } from './hosted-login.js';
import { browserPlatform, type Platform } from './platform.js';
import { refreshMarks } from './refresh-marks.js';
import { defaultRedirectUri, restoreSession } from './restore-session.js';
import { createSessionApi, isTransient } from './session-api.js';
import {
  authStateOf,
  heldToken,
  type Session,
  type SessionEffect,
  type SessionEvent,
  STARTING,
  transition,
} from './session-machine.js';
import { sessionRefresh } from './session-refresh.js';
import { listenForWakeUps, sessionTimer } from './session-timer.js';
import { syncTabs } from './tab-sync.js';
import { minimumValidityMs } from './timing.js';
import { expiresAt, tokenSetFromResponse } from './token-set.js';
import type { AuthClient, AuthClientOptions, AuthListener, AuthState } from './types.js';
import { validateOptions } from './validate-options.js';

/**
 * Creates the client for one environment and client id. Call `init()` once on page load.
 *
 * @example
 * const auth = createAuthClient({ baseUrl: 'https://auth.example.com', clientId: 'web',
 *   authOptions: { keepSessionAlive: true, enableSessionPerTenant: true } });
 * await auth.init();
 */
export function createAuthClient(options: AuthClientOptions): AuthClient {
  return createAuthClientOn(browserPlatform(), options);
}

/** {@link createAuthClient} on a given platform (tests: a simulated browser on a virtual clock). */
export function createAuthClientOn(platform: Platform, rawOptions: AuthClientOptions): AuthClient {
  const options = validateOptions(rawOptions);
  const { baseUrl, clientId, keepSessionAlive, perTenant } = options;
  const { clock } = platform;
  const api = createSessionApi(platform, baseUrl, clientId);
  const withLock = crossTabLock(platform, `tessera:${baseUrl}:refresh`);
  const config = { keepSessionAlive, perTenant };

  let session: Session = STARTING;
  let state: AuthState = authStateOf(session);
  const listeners = new Set<AuthListener>();
  let initPromise: Promise<AuthState> | null = null;
  let activity: ActivityTracker | null = null;
  let destroyed = false;

  const timer = sessionTimer(clock, () => dispatch({ type: 'timerFired' }));
  const tabs = syncTabs(platform, {
    clientId,
    perTenant,
    onEvent: (event) => {
      if (!destroyed) dispatch(event);
    },
  });
  const marks = refreshMarks(platform, baseUrl);
  const refresher = sessionRefresh({
    platform,
    api,
    withLock,
    tabs,
    marks,
    perTenant,
    session: () => session,
    activity: () => activity,
    dispatch,
    isDestroyed: () => destroyed,
  });
  const stopWakeUps = keepSessionAlive
    ? listenForWakeUps(platform, () => dispatch({ type: 'woke', visible: platform.isVisible() }))
    : () => undefined;

  function dispatch(event: SessionEvent): void {
    const next = transition(session, event, { now: clock.now(), random: platform.random() }, config);
    session = next.session;
    for (const effect of next.effects) apply(effect);
  }

  function apply(effect: SessionEffect): void {
    switch (effect.type) {
      case 'publish':
        state = authStateOf(session);
        for (const listener of listeners) listener(state);
        return;
      case 'setTimer':
        if (!destroyed) timer.set(effect.at);
        return;
      case 'clearTimer':
        timer.clear();
        return;
      case 'refreshInBackground':
        void refresher.refresh().catch((error: unknown) =>
          dispatch({
            type: 'backgroundRefreshFailed',
            transient: isTransient(error),
            retryAt: marks.retryAt(),
          }),
        );
        return;
      case 'joinSession':
        void refresher.refresh().catch(() => undefined);
        return;
      case 'dropQueuedRefreshes':
        refresher.dropQueued();
        return;
      case 'shareToken':
        tabs.share(effect.token);
        return;
      case 'tellOtherTabs':
        tabs.tell(effect.signal);
        return;
      case 'rememberTenant':
        tabs.rememberTenant(effect.tenantId);
        return;
      case 'forgetTenant':
        tabs.forgetTenant();
        return;
      case 'trackActivity':
        activity ??= trackActivity(platform, clientId);
        return;
      case 'noteOutage':
        marks.noteOutage(effect.failedAt, effect.retryAt);
        return;
    }
  }

  const client: AuthClient = {
    accountUrl: `${baseUrl}/account`,

    init() {
      initPromise ??= restoreSession({
        platform,
        options,
        api,
        status: () => state.status,
        dispatch,
        refresh: () => refresher.refresh(),
        loginWithRedirect: () => client.loginWithRedirect(),
      }).then(() => state);
      return initPromise;
    },

    getState: () => state,

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async getAccessToken() {
      if (state.status === 'loading' && initPromise) await initPromise;
      const token = heldToken(session);
      if (token === null) return null;
      const left = expiresAt(token) - clock.now();
      if (left > minimumValidityMs(token.expiresIn)) return token.accessToken;
      try {
        await refresher.refresh({ explicit: true });
      } catch (error) {
        // A transient failure with a still-valid token: hand it out; the background retry goes on.
        const still = heldToken(session);
        if (isTransient(error) && still !== null && expiresAt(still) > clock.now()) return still.accessToken;
        if (isTransient(error)) throw error;
        return null;
      }
      return heldToken(session)?.accessToken ?? null;
    },

    async login(credentials) {
      const requested = credentials.tenantId ?? tabs.ownTenant();
      const response = await withLock(() =>
        api.login({
          email: credentials.email,
          password: credentials.password,
          ...(requested !== undefined && { tenantId: requested }),
        }),
      );
      const token = tokenSetFromResponse(response, clock.now());
      if (token === null) throw new TesseraAuthError('network_error', 'The server sent an unreadable token.');
      dispatch({ type: 'tokenReceived', token, from: 'login' });
      return state;
    },

    async loginWithRedirect(redirectOptions = {}) {
      const url = await startTransaction(platform, {
        baseUrl,
        clientId,
        redirectUri: options.redirectUri ?? defaultRedirectUri(platform),
        tenantId: redirectOptions.tenantId ?? tabs.ownTenant(),
        loginHint: redirectOptions.loginHint,
        prompt: redirectOptions.prompt,
      });
      platform.assign(url);
    },

    async switchTenant(tenantId) {
      if (heldToken(session) === null) throw new TesseraAuthError('no_session', 'Sign in first.');
      await refresher.refresh({ tenantId, switching: true });
      return state;
    },

    async logout() {
      try {
        await api.logout();
      } catch {
        // SDK-03: signed out here even when the server cannot be reached.
      }
      dispatch({ type: 'loggedOut' });
    },

    destroy() {
      destroyed = true;
      timer.clear();
      tabs.close();
      activity?.stop();
      stopWakeUps();
      listeners.clear();
    },
  };
  return client;
}
