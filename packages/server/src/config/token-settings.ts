/**
 * An environment's token settings (DESIGN §2): lifetimes, the signing algorithm and the refresh
 * cookie. They are settings, not decisions, so they live beside their defaults and rules
 * (environment-defaults.ts, settings-rules.ts); the engine takes only the two lifetimes it decides
 * with, and never sees a cookie.
 */
import type { SigningAlgorithm } from '@tessera/protocol';

export const SAME_SITE_VALUES = ['lax', 'strict', 'none'] as const;
export type SameSite = (typeof SAME_SITE_VALUES)[number];

export interface CookieSettings {
  /** Base name; the `__Host-` prefix is added whenever `secure` is true. */
  name: string;
  sameSite: SameSite;
  secure: boolean;
}

export interface TokenSettings {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  rotationGraceSeconds: number;
  signingAlgorithm: SigningAlgorithm;
  cookie: CookieSettings;
}
