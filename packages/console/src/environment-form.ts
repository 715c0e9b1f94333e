/**
 * The environment settings form as plain values, and the PATCH body of what changed. Pure, so the
 * mapping between the form and the API's shape is tested without a browser.
 */
import { parseSeconds } from './format';
import type { Environment, OnLimit, SameSite, SigningAlgorithm } from './types';

export type EnvironmentFormValues = Record<
  | 'name'
  | 'accessTokenTtlSeconds'
  | 'refreshTokenTtlSeconds'
  | 'rotationGraceSeconds'
  | 'signingAlgorithm'
  | 'cookieName'
  | 'cookieSameSite'
  | 'idleTimeoutSeconds'
  | 'absoluteTimeoutSeconds'
  | 'maxConcurrentSessions'
  | 'onLimit',
  string
> & { cookieSecure: boolean; allowPrivateTargets: boolean };

const text = (value: number | null): string => (value === null ? '' : String(value));

export function environmentFormValues(environment: Environment): EnvironmentFormValues {
  const { tokenSettings: tokens, sessionPolicy: policy } = environment;
  return {
    name: environment.name,
    accessTokenTtlSeconds: text(tokens.accessTokenTtlSeconds),
    refreshTokenTtlSeconds: text(tokens.refreshTokenTtlSeconds),
    rotationGraceSeconds: text(tokens.rotationGraceSeconds),
    signingAlgorithm: tokens.signingAlgorithm,
    cookieName: tokens.cookie.name,
    cookieSameSite: tokens.cookie.sameSite,
    cookieSecure: tokens.cookie.secure,
    idleTimeoutSeconds: text(policy.idleTimeoutSeconds),
    absoluteTimeoutSeconds: text(policy.absoluteTimeoutSeconds),
    maxConcurrentSessions: text(policy.maxConcurrentSessions),
    onLimit: policy.onLimit,
    allowPrivateTargets: environment.webhookSettings?.allowPrivateTargets ?? false,
  };
}

export interface EnvironmentPatch {
  name?: string;
  tokenSettings?: Partial<Omit<Environment['tokenSettings'], 'cookie'>> & {
    cookie?: Partial<Environment['tokenSettings']['cookie']>;
  };
  sessionPolicy?: Partial<Environment['sessionPolicy']>;
  webhookSettings?: { allowPrivateTargets: boolean };
}

export interface EnvironmentPatchResult {
  /** Only what changed; empty when nothing did. */
  patch: EnvironmentPatch;
  /** Form keys whose text is not a whole number (or empty where the setting cannot be off). */
  problems: Partial<Record<keyof EnvironmentFormValues, string>>;
}

const REQUIRED = ['accessTokenTtlSeconds', 'refreshTokenTtlSeconds', 'rotationGraceSeconds'] as const;
const NULLABLE = ['idleTimeoutSeconds', 'absoluteTimeoutSeconds', 'maxConcurrentSessions'] as const;

export function environmentPatch(
  environment: Environment,
  values: EnvironmentFormValues,
): EnvironmentPatchResult {
  const problems: EnvironmentPatchResult['problems'] = {};
  const numbers: Record<string, number | null> = {};
  for (const key of [...REQUIRED, ...NULLABLE]) {
    const value = parseSeconds(values[key]);
    const required = (REQUIRED as readonly string[]).includes(key);
    if (value === 'invalid') problems[key] = 'Enter a whole number.';
    else if (value === null && required) problems[key] = 'Enter a whole number; this setting cannot be off.';
    else numbers[key] = value;
  }

  const before = environment.tokenSettings;
  const tokens: NonNullable<EnvironmentPatch['tokenSettings']> = {};
  for (const key of REQUIRED) {
    const value = numbers[key];
    if (typeof value === 'number' && value !== before[key]) tokens[key] = value;
  }
  if (values.signingAlgorithm !== before.signingAlgorithm)
    tokens.signingAlgorithm = values.signingAlgorithm as SigningAlgorithm;
  const cookie: NonNullable<NonNullable<EnvironmentPatch['tokenSettings']>['cookie']> = {};
  if (values.cookieName.trim() !== before.cookie.name) cookie.name = values.cookieName.trim();
  if (values.cookieSameSite !== before.cookie.sameSite) cookie.sameSite = values.cookieSameSite as SameSite;
  if (values.cookieSecure !== before.cookie.secure) cookie.secure = values.cookieSecure;
  if (Object.keys(cookie).length > 0) tokens.cookie = cookie;

  const policyBefore = environment.sessionPolicy;
  const policy: NonNullable<EnvironmentPatch['sessionPolicy']> = {};
  for (const key of NULLABLE) {
    const value = numbers[key];
    if (value !== undefined && value !== policyBefore[key]) policy[key] = value;
  }
  if (values.onLimit !== policyBefore.onLimit) policy.onLimit = values.onLimit as OnLimit;

  const patch: EnvironmentPatch = {};
  if (values.name.trim() !== environment.name) patch.name = values.name.trim();
  if (Object.keys(tokens).length > 0) patch.tokenSettings = tokens;
  if (Object.keys(policy).length > 0) patch.sessionPolicy = policy;
  const webhooks = environment.webhookSettings;
  if (webhooks && values.allowPrivateTargets !== webhooks.allowPrivateTargets) {
    patch.webhookSettings = { allowPrivateTargets: values.allowPrivateTargets };
  }
  return { patch, problems };
}
