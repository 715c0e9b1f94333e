/**
 * Partial updates of token settings and session policies (DESIGN §2, §3.3), and the defaults and
 * validation rules they are checked against (owned by config/, passed in by the composition root).
 */
import type { SigningAlgorithm } from '@tessera/protocol';
import type { CookieSettings, TokenSettings } from '../../config/token-settings.js';
import type { OnLimit, SessionPolicy, TenantPolicyOverride } from '../../engine/policy.js';
import type { EnvironmentDefaults } from '../bootstrap.js';

/**
 * New environments' settings, and the rules every stored setting must satisfy (config/'s
 * `defaultTokenSettings`, `defaultSessionPolicy`, `validateTokenSettings`, `validateSessionPolicy`).
 */
export interface AdminEnvironmentDefaults extends EnvironmentDefaults {
  /** Every problem of `settings`, as messages naming the field; empty when valid. */
  validateTokenSettings(settings: TokenSettings, context: { baseUrl: string }): string[];
  /** Every problem of the fields present (a tenant's override is partial); empty when valid. */
  validateSessionPolicy(policy: Partial<SessionPolicy>): string[];
}

export interface TokenSettingsPatch {
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  rotationGraceSeconds?: number;
  signingAlgorithm?: SigningAlgorithm;
  cookie?: Partial<CookieSettings>;
}

/** For an environment, `null` turns a limit off. */
export type SessionPolicyPatch = Partial<SessionPolicy>;

/** For a tenant, `null` clears an override: the field inherits the environment's value again. */
export interface TenantPolicyPatch {
  idleTimeoutSeconds?: number | null;
  absoluteTimeoutSeconds?: number | null;
  maxConcurrentSessions?: number | null;
  onLimit?: OnLimit | null;
}

export function applyTokenSettingsPatch(current: TokenSettings, patch: TokenSettingsPatch): TokenSettings {
  const { cookie, ...rest } = patch;
  return { ...assignDefined(current, rest), cookie: assignDefined(current.cookie, cookie ?? {}) };
}

export function applySessionPolicyPatch(current: SessionPolicy, patch: SessionPolicyPatch): SessionPolicy {
  return assignDefined(current, patch);
}

export function applyTenantPolicyPatch(
  current: TenantPolicyOverride,
  patch: TenantPolicyPatch,
): TenantPolicyOverride {
  const result: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else if (value !== undefined) result[key] = value;
  }
  return result as TenantPolicyOverride;
}

function assignDefined<T extends object>(current: T, patch: Partial<T>): T {
  const result = { ...current };
  for (const key of Object.keys(patch) as (keyof T)[]) {
    const value = patch[key];
    if (value !== undefined) result[key] = value as T[keyof T];
  }
  return result;
}
