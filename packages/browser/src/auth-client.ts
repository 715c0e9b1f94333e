/**
 * `createAuthClient` (DESIGN §6): the tab's session state, kept by refreshing through the server's
 * refresh cookie. Every call that rotates the cookie runs under one cross-tab lock, and a token one
 * tab gets is offered to the others on the same tenant, so the tabs of a browser make about one
 * refresh per token lifetime between them and never race one another into reuse detection.
 */
import { type ActivityTracker, trackActivity } from './activity.js';
import { crossTabLock } from './cross-tab-lock.js';
import { TesseraAuthError } from './errors.js';
import { readCallback, startTransaction, takeTransaction, withoutCallbackParams } from './hosted-login.js';
import { browserPlatform, type Platform } from './platform.js';
import { createSessionApi, isTransient } from './session-api.js';
import { openTabChannel, type TabMessage } from './tab-channel.js';
import { tabTenant } from './tab-tenant.js';
import { backoffDelayMs, FIRST_BACKOFF_MS, minimumValidityMs, refreshDelayMs } from './timing.js';
import {
  decodeJwtPayload,
  expiresAt,
  isNewerThan,
  isNotOlder,
  orderOf,
  type TokenOrder,
  type TokenSet,
  tokenSetFromOAuth,
  tokenSetFromResponse,
} from './token-set.js';
import type { AuthClient, AuthClientOptions, AuthListener, AuthState } from './types.js';
import { validateOptions } from './validate-options.js';

/** The key of tokens for "the session's tenant" (tabs that have not chosen one, shared mode). */
const SESSION_TENANT = '*';
/** After another tab's refresh, wait this long for its token before refreshing again. */
const ADOPTION_WAIT_MS = 500;
/** Attempts at restoring the session on load before giving up on an unreachable server. */
const INIT_ATTEMPTS = 3;
/**
 * How long after a transient failure (in any tab) an application's explicit `getAccessToken()`
 * is answered from that failure instead of asking the server again: a moment, not the backoff.
 */
const EXPLICIT_RETRY_AFTER_MS = 1000;

interface RefreshRequest {
  tenantId?: string;
  /** A tenant switch: always asks the server, never adopts another tab's token. */
  switching?: boolean;
  /** The application asked (getAccessToken), not the background timer. */
  explicit?: boolean;
}

const SIGNED_OUT: AuthState = Object.freeze({
  status: 'unauthenticated',
  user: null,
  tenantId: null,
  tenantIds: [],
  expiresAt: null,
  endReason: null,
}) as AuthState;

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

/** {@link createAuthClient} on a given platform (tests). */
export function createAuthClientOn(platform: Platform, rawOptions: AuthClientOptions): AuthClient {
  const options = validateOptions(rawOptions);
  const { baseUrl, clientId, keepSessionAlive, perTenant } = options;
  const api = createSessionApi(platform, baseUrl, clientId);
  const withLock = crossTabLock(platform, `tessera:${baseUrl}:refresh`);
  const tenant = tabTenant(platform, clientId);
  const lastRefreshKey = `tessera:${baseUrl}:last-refresh`;
  const retryAtKey = `tessera:${baseUrl}:retry-at`;
  const failedAtKey = `tessera:${baseUrl}:failed-at`;

  let state: AuthState = { ...SIGNED_OUT, status: 'loading' };
  let token: TokenSet | null = null;
  const listeners = new Set<AuthListener>();
  let initPromise: Promise<AuthState> | null = null;
  let inFlight: Promise<void> | null = null;
  let timer: unknown = null;
  let dueAt = Number.POSITIVE_INFINITY;
  let failures = 0;
  /** Counts sessions ended in this tab, so a refresh queued behind the lock can tell. */
  let endings = 0;
  let destroyed = false;

  let activity: ActivityTracker | null = null;
  const channel = openTabChannel(platform, clientId, onTabMessage);
  const stops: (() => void)[] = [];
  if (keepSessionAlive) {
    // A tab waking from sleep, coming back online or into view refreshes if one is due.
    for (const [target, type] of [
      ['document', 'visibilitychange'],
      ['window', 'online'],
      ['window', 'focus'],
      ['window', 'pageshow'],
    ] as const) {
      stops.push(platform.listen(target, type, () => void wake()));
    }
  }

  function publish(next: AuthState): void {
    state = next;
    for (const listener of listeners) listener(state);
  }

  function tenantKey(): string {
    return perTenant ? (tenant.get() ?? SESSION_TENANT) : SESSION_TENANT;
  }

  /** Takes a token unless it is older than the one held; shares it with the other tabs when asked. */
  function accept(next: TokenSet, share: { key: string } | null): boolean {
    if (!isNotOlder(next, token)) return false;
    token = next;
    if (perTenant) tenant.set(next.tenantId);
    activity ??= trackActivity(platform, clientId);
    publish({
      status: 'authenticated',
      user: next.user,
      tenantId: next.tenantId,
      tenantIds: next.tenantIds,
      expiresAt: expiresAt(next),
      endReason: null,
    });
    failures = 0;
    schedule();
    if (share) channel.post({ type: 'token', tenantKey: share.key, token: next });
    return true;
  }

  /** Ends the session in this tab (the server already has, or is told separately). */
  function end(reason: string): void {
    endings++;
    token = null;
    cancelTimer();
    if (state.status === 'unauthenticated' && state.endReason === reason) return;
    publish({ ...SIGNED_OUT, endReason: reason });
  }

  function cancelTimer(): void {
    if (timer !== null) platform.clearTimeout(timer);
    timer = null;
    dueAt = Number.POSITIVE_INFINITY;
  }

  function schedule(): void {
    cancelTimer();
    if (token === null || destroyed) return;
    const held = token;
    if (keepSessionAlive) {
      dueAt = held.receivedAt + refreshDelayMs(held.expiresIn, platform.random());
      timer = platform.setTimeout(() => void backgroundRefresh(), Math.max(0, dueAt - platform.now()));
    } else {
      // Without keepSessionAlive the user is signed out when the access token expires (DESIGN §6).
      dueAt = expiresAt(held);
      timer = platform.setTimeout(
        () => {
          if (token === held) end('token_expired');
        },
        Math.max(0, dueAt - platform.now()),
      );
    }
  }

  async function wake(): Promise<void> {
    if (token !== null && platform.now() >= dueAt && platform.isVisible()) await backgroundRefresh();
  }

  async function backgroundRefresh(): Promise<void> {
    try {
      await refresh();
    } catch (error) {
      if (!isTransient(error) || token === null) return;
      // Network, 429, 5xx: keep the session and try again later, further apart each time, and
      // never before the server's Retry-After.
      cancelTimer();
      const wait = Math.max(backoffDelayMs(failures++, platform.random()), retryAt() - platform.now());
      dueAt = platform.now() + wait;
      timer = platform.setTimeout(() => void backgroundRefresh(), wait);
    }
  }

  /** One refresh at a time in this tab; across tabs, the lock. */
  function refresh(request: RefreshRequest = {}): Promise<void> {
    if (inFlight && !request.switching) return inFlight;
    const run = rotate(request).finally(() => {
      if (inFlight === run) inFlight = null;
    });
    inFlight = run;
    return run;
  }

  async function rotate(request: RefreshRequest): Promise<void> {
    const heldBefore = orderOf(token);
    const endingsBefore = endings;
    const askedAt = platform.now();
    await withLock(async (waited) => {
      if (destroyed) return;
      // The session ended (here or in another tab) while this one waited for the lock.
      if (endings !== endingsBefore) return;
      // Another tab may have refreshed for this tenant meanwhile: its token serves this tab too.
      if (!request.switching && (await adoptedMeanwhile(heldBefore, askedAt, waited))) return;
      // Another tab just found the server unavailable: do not pile on. Background retries wait for
      // the server's Retry-After; an application's explicit call waits only a moment, so that it
      // is not refused while the server is healthy again (one request per moment at most).
      const holdUntil = request.explicit ? failedAt() + EXPLICIT_RETRY_AFTER_MS : retryAt();
      if (!request.switching && holdUntil > platform.now())
        throw new TesseraAuthError('network_error', 'The server is unavailable; retrying later.');
      const key = request.tenantId ?? tenantKey();
      const tenantId = key === SESSION_TENANT ? undefined : key;
      try {
        await exchange(tenantId, request.switching === true);
      } catch (error) {
        const code = error instanceof TesseraAuthError ? error.code : 'network_error';
        if (isTransient(error) || code !== 'tenant_forbidden' || request.switching || tenantId === undefined)
          throw error;
        // This tab's tenant is no longer the user's: fall back to the session's tenant.
        tenant.clear();
        await exchange(undefined, false);
      }
    });
  }

  /** One call that rotates the cookie (inside the lock); a refusal that ends the session ends it here. */
  async function exchange(tenantId: string | undefined, switching: boolean): Promise<void> {
    const active = switching || (activity?.sinceLastReport() ?? false);
    const startedAt = platform.now();
    try {
      const response =
        switching && !perTenant && tenantId !== undefined
          ? await api.switchTenant(tenantId)
          : await api.refresh({ ...(tenantId !== undefined && { tenantId }), active });
      const next = tokenSetFromResponse(response, platform.now());
      if (next === null) throw new TesseraAuthError('network_error', 'The server sent an unreadable token.');
      if (active) activity?.markReported(startedAt);
      platform.localStorage?.setItem(lastRefreshKey, String(platform.now()));
      accept(next, { key: perTenant ? next.tenantId : SESSION_TENANT });
    } catch (error) {
      const code = error instanceof TesseraAuthError ? error.code : 'network_error';
      if (isTransient(error)) {
        const after = error instanceof TesseraAuthError ? (error.retryAfterSeconds ?? 0) * 1000 : 0;
        platform.localStorage?.setItem(failedAtKey, String(platform.now()));
        platform.localStorage?.setItem(
          retryAtKey,
          String(platform.now() + Math.max(after, FIRST_BACKOFF_MS)),
        );
      }
      if (isTransient(error) || code === 'tenant_forbidden') throw error;
      // Only a tab that held the session tells the others it ended: a tab that never had one (a
      // load racing a login elsewhere) must not sign the others out.
      const held = token !== null;
      end(code);
      if (held) channel.post({ type: 'ended', reason: code });
      throw error;
    }
  }

  /**
   * Whether a token newer than `before` arrived from another tab. When this tab had to wait for the
   * lock, or another tab refreshed since it asked, that token may still be on its way (tabs share
   * storage and messages asynchronously): wait for it briefly rather than refresh a second time.
   */
  async function adoptedMeanwhile(before: TokenOrder, askedAt: number, waited: boolean): Promise<boolean> {
    if (isNewerThan(token, before)) return true;
    const last = Number(platform.localStorage?.getItem(lastRefreshKey) ?? 0);
    if (!waited && last < askedAt - 2000) return false;
    const until = platform.now() + ADOPTION_WAIT_MS;
    while (platform.now() < until) {
      await new Promise<void>((done) => platform.setTimeout(done, 25));
      if (isNewerThan(token, before)) return true;
    }
    return false;
  }

  /** When any tab last saw a transient failure (0: never). */
  function failedAt(): number {
    return Number(platform.localStorage?.getItem(failedAtKey) ?? 0) || 0;
  }

  /** When the server may be asked again, after the last transient failure any tab saw. */
  function retryAt(): number {
    return Number(platform.localStorage?.getItem(retryAtKey) ?? 0) || 0;
  }

  function onTabMessage(message: TabMessage): void {
    if (destroyed) return;
    switch (message.type) {
      case 'token':
        if (message.tenantKey === tenantKey()) accept(message.token, null);
        return;
      case 'logout':
        end('logout');
        return;
      case 'ended':
        if (token !== null) end(message.reason);
        return;
      case 'login':
        if (state.status !== 'authenticated') void refresh().catch(() => undefined);
        return;
    }
  }

  async function restore(): Promise<AuthState> {
    const redirectUri = options.redirectUri ?? (options.hostedLogin ? defaultRedirectUri(platform) : null);
    const callback = redirectUri === null ? null : readCallback(platform.location(), redirectUri);
    if (callback) return completeHostedLogin(callback);
    if (options.disableSilentRefresh) {
      if (options.hostedLogin) {
        await client.loginWithRedirect();
        return state;
      }
      end('no_session');
      return state;
    }
    for (let attempt = 0; ; attempt++) {
      try {
        await refresh();
        return state;
      } catch (error) {
        if (!isTransient(error)) {
          if (state.status === 'loading') end(error instanceof TesseraAuthError ? error.code : 'no_session');
          return state;
        }
        if (attempt + 1 >= INIT_ATTEMPTS) {
          end('network_error');
          return state;
        }
        await new Promise<void>((done) =>
          platform.setTimeout(done, backoffDelayMs(attempt, platform.random())),
        );
      }
    }
  }

  async function completeHostedLogin(
    callback: NonNullable<ReturnType<typeof readCallback>>,
  ): Promise<AuthState> {
    const here = platform.location();
    platform.replaceUrl(withoutCallbackParams(here));
    // CSRF-04: only a transaction this tab started, once; nothing is sent for any other.
    const transaction = takeTransaction(platform, clientId, callback.state);
    if (transaction === null) {
      end('invalid_callback');
      return state;
    }
    if (callback.kind === 'error') {
      end(callback.error);
      return state;
    }
    // AS-14: the response must come from the server this client talks to.
    if (callback.iss !== baseUrl) {
      end('invalid_callback');
      return state;
    }
    try {
      const tokens = await api.exchangeCode({
        code: callback.code,
        redirectUri: transaction.redirectUri,
        codeVerifier: transaction.verifier,
      });
      const idToken = tokens.id_token === undefined ? null : decodeJwtPayload(tokens.id_token);
      const next = tokenSetFromOAuth(tokens.access_token, tokens.expires_in, platform.now());
      if (next === null || idToken?.nonce !== transaction.nonce) {
        end('invalid_callback');
        return state;
      }
      accept(next, { key: perTenant ? next.tenantId : SESSION_TENANT });
      channel.post({ type: 'login' });
    } catch (error) {
      end(error instanceof TesseraAuthError ? error.code : 'network_error');
    }
    return state;
  }

  const client: AuthClient = {
    init() {
      initPromise ??= restore();
      return initPromise;
    },

    getState: () => state,

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async getAccessToken() {
      if (state.status === 'loading' && initPromise) await initPromise;
      if (token === null) return null;
      const left = expiresAt(token) - platform.now();
      if (left > minimumValidityMs(token.expiresIn)) return token.accessToken;
      try {
        await refresh({ explicit: true });
      } catch (error) {
        // A transient failure with a still-valid token: hand it out; the background retry goes on.
        if (isTransient(error) && token !== null && expiresAt(token) > platform.now())
          return token.accessToken;
        if (isTransient(error)) throw error;
        return null;
      }
      return token?.accessToken ?? null;
    },

    async login(credentials) {
      const requested = credentials.tenantId ?? (perTenant ? tenant.get() : undefined);
      const response = await withLock(() =>
        api.login({
          email: credentials.email,
          password: credentials.password,
          ...(requested !== undefined && { tenantId: requested }),
        }),
      );
      const next = tokenSetFromResponse(response, platform.now());
      if (next === null) throw new TesseraAuthError('network_error', 'The server sent an unreadable token.');
      token = null;
      accept(next, { key: perTenant ? next.tenantId : SESSION_TENANT });
      channel.post({ type: 'login' });
      return state;
    },

    async loginWithRedirect(redirectOptions = {}) {
      const url = await startTransaction(platform, {
        baseUrl,
        clientId,
        redirectUri: options.redirectUri ?? defaultRedirectUri(platform),
        tenantId: redirectOptions.tenantId ?? (perTenant ? tenant.get() : undefined),
        loginHint: redirectOptions.loginHint,
        prompt: redirectOptions.prompt,
      });
      platform.assign(url);
    },

    async switchTenant(tenantId) {
      if (token === null) throw new TesseraAuthError('no_session', 'Sign in first.');
      await refresh({ tenantId, switching: true });
      return state;
    },

    async logout() {
      try {
        await api.logout();
      } catch {
        // SDK-03: signed out here even when the server cannot be reached.
      }
      tenant.clear();
      end('logout');
      channel.post({ type: 'logout' });
    },

    destroy() {
      destroyed = true;
      cancelTimer();
      channel.close();
      activity?.stop();
      for (const stop of stops) stop();
      listeners.clear();
    },
  };
  return client;
}

/** Without a configured `redirectUri`, the hosted login returns to the current page. */
function defaultRedirectUri(platform: Platform): string {
  const here = platform.location();
  return `${here.origin}${here.pathname}`;
}
