/**
 * `init()`: complete a hosted-login callback, or restore the session from the refresh cookie
 * (silent refresh), or — with `disableSilentRefresh` — neither. Whatever happens ends in an event
 * for the state machine, so `init()` never leaves the tab `loading`.
 */
import { sleep } from './clock.js';
import { TesseraAuthError } from './errors.js';
import { readCallback, takeTransaction, withoutCallbackParams } from './hosted-login.js';
import type { Platform } from './platform.js';
import { isTransient, type SessionApi } from './session-api.js';
import type { SessionEvent } from './session-machine.js';
import { backoffDelayMs } from './timing.js';
import { decodeJwtPayload, tokenSetFromOAuth } from './token-set.js';
import type { AuthStatus } from './types.js';
import type { ClientOptions } from './validate-options.js';

/** Attempts at restoring the session on load before giving up on an unreachable server. */
const INIT_ATTEMPTS = 3;

export interface RestoreSessionOptions {
  platform: Platform;
  options: ClientOptions;
  api: SessionApi;
  status(): AuthStatus;
  dispatch(event: SessionEvent): void;
  refresh(): Promise<void>;
  loginWithRedirect(): Promise<void>;
}

export async function restoreSession(restore: RestoreSessionOptions): Promise<void> {
  const { platform, options, dispatch } = restore;
  const redirectUri = options.redirectUri ?? (options.hostedLogin ? defaultRedirectUri(platform) : null);
  const callback = redirectUri === null ? null : readCallback(platform.location(), redirectUri);
  if (callback) return completeHostedLogin(restore, callback);
  if (options.disableSilentRefresh) {
    if (options.hostedLogin) return restore.loginWithRedirect();
    return dispatch({ type: 'noSession', reason: 'no_session' });
  }
  for (let attempt = 0; ; attempt++) {
    try {
      return await restore.refresh();
    } catch (error) {
      if (!isTransient(error)) {
        if (restore.status() === 'loading')
          dispatch({
            type: 'noSession',
            reason: error instanceof TesseraAuthError ? error.code : 'no_session',
          });
        return;
      }
      if (attempt + 1 >= INIT_ATTEMPTS) return dispatch({ type: 'noSession', reason: 'network_error' });
      await sleep(platform.clock, backoffDelayMs(attempt, platform.random()));
    }
  }
}

async function completeHostedLogin(
  { platform, options, api, dispatch }: RestoreSessionOptions,
  callback: NonNullable<ReturnType<typeof readCallback>>,
): Promise<void> {
  const refuse = (reason: string) => dispatch({ type: 'noSession', reason });
  platform.replaceUrl(withoutCallbackParams(platform.location()));
  // CSRF-04: only a transaction this tab started, once; nothing is sent for any other.
  const transaction = takeTransaction(platform, options.clientId, callback.state);
  if (transaction === null) return refuse('invalid_callback');
  if (callback.kind === 'error') return refuse(callback.error);
  // AS-14: the response must come from the server this client talks to.
  if (callback.iss !== options.baseUrl) return refuse('invalid_callback');
  try {
    const tokens = await api.exchangeCode({
      code: callback.code,
      redirectUri: transaction.redirectUri,
      codeVerifier: transaction.verifier,
    });
    const idToken = tokens.id_token === undefined ? null : decodeJwtPayload(tokens.id_token);
    const token = tokenSetFromOAuth(tokens.access_token, tokens.expires_in, platform.clock.now());
    if (token === null || idToken?.nonce !== transaction.nonce) return refuse('invalid_callback');
    dispatch({ type: 'tokenReceived', token, from: 'callback' });
  } catch (error) {
    refuse(error instanceof TesseraAuthError ? error.code : 'network_error');
  }
}

/** Without a configured `redirectUri`, the hosted login returns to the current page. */
export function defaultRedirectUri(platform: Platform): string {
  const here = platform.location();
  return `${here.origin}${here.pathname}`;
}
