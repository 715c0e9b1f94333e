/**
 * The token settings and session policy a new environment starts with (DESIGN §2), before the
 * admin API's `tokenSettings` / `sessionPolicy` override them.
 */
import { DEFAULT_ENVIRONMENT_ID } from '@tessera/protocol';
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from '../engine/policy.js';
import type { Config } from './load-config.js';
import { isPlainHttpLoopbackUrl } from './loopback.js';
import type { TokenSettings } from './token-settings.js';

/** The refresh cookie's base name in the default environment. */
export const DEFAULT_REFRESH_COOKIE_NAME = 'tessera_refresh';

export interface TokenSettingsDefaultsOptions {
  envId: string;
  /** The environment's base URL; plain http on localhost turns the `Secure` cookie off. */
  baseUrl: string;
}

/**
 * A new environment's token settings: lifetimes and algorithm from the `TESSERA_*` defaults,
 * a `SameSite=Lax` cookie that is `Secure` except on plain-http localhost (where Safari would not
 * store a `Secure` cookie at all).
 *
 * @example
 * defaultTokenSettings(config, { envId: 'staging', baseUrl: 'https://auth.example.com/env/staging' })
 * // → { accessTokenTtlSeconds: 300, …, cookie: { name: 'tessera_refresh_staging', sameSite: 'lax', secure: true } }
 */
export function defaultTokenSettings(
  config: Pick<Config, 'tokenDefaults'>,
  options: TokenSettingsDefaultsOptions,
): TokenSettings {
  return {
    ...config.tokenDefaults,
    cookie: {
      // Environments share one host, and a `__Host-` cookie must have `Path=/` (RFC 6265bis
      // §4.1.3.2), so two environments' cookies cannot be told apart by path: each needs its own
      // name, or logging in to one would overwrite the other's session.
      name:
        options.envId === DEFAULT_ENVIRONMENT_ID
          ? DEFAULT_REFRESH_COOKIE_NAME
          : `${DEFAULT_REFRESH_COOKIE_NAME}_${options.envId}`,
      sameSite: 'lax',
      secure: !isPlainHttpLoopbackUrl(options.baseUrl),
    },
  };
}

/** A new environment's session policy: every limit off, and `evict_oldest` should one be set. */
export function defaultSessionPolicy(): SessionPolicy {
  return { ...DEFAULT_SESSION_POLICY };
}
