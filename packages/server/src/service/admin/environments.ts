/** Admin use cases for environments (DESIGN §3.3). */
import { randomBytes } from 'node:crypto';
import { DEFAULT_ENVIRONMENT_ID } from '@tessera/protocol';
import type { TokenSettings } from '../../config/token-settings.js';
import type { SessionPolicy } from '../../engine/policy.js';
import { TesseraError } from '../../errors.js';
import type { EnvironmentBranding, EnvironmentRecord, WebhookSettings } from '../../storage/records.js';
import type { ServiceDeps } from '../deps.js';
import type { RequestOrigin } from '../events.js';
import type { AdminActor } from './actor.js';
import { changedFields, recordAdminChange } from './admin-events.js';
import { applyBrandingPatch, type BrandingPatch } from './environment-branding.js';
import {
  type AdminEnvironmentDefaults,
  applySessionPolicyPatch,
  applyTokenSettingsPatch,
  type SessionPolicyPatch,
  type TokenSettingsPatch,
} from './environment-settings.js';
import { isoTime } from './iso-time.js';
import { requireEnvironment } from './lookups.js';
import { assertNoProblems } from './problems.js';
import { DEFAULT_WEBHOOK_SETTINGS } from './webhook-settings.js';

export interface EnvironmentView {
  id: string;
  name: string;
  baseUrl: string;
  tokenSettings: TokenSettings;
  sessionPolicy: SessionPolicy;
  /** `{}` when none is set. */
  branding: EnvironmentBranding;
  webhookSettings: WebhookSettings;
  createdAt: string;
}

export interface CreateEnvironmentInput {
  id?: string;
  name: string;
  tokenSettings?: TokenSettingsPatch;
  sessionPolicy?: SessionPolicyPatch;
  branding?: EnvironmentBranding;
  webhookSettings?: Partial<WebhookSettings>;
}

export interface UpdateEnvironmentInput {
  name?: string;
  tokenSettings?: TokenSettingsPatch;
  sessionPolicy?: SessionPolicyPatch;
  branding?: BrandingPatch;
  webhookSettings?: Partial<WebhookSettings>;
}

export async function listEnvironments(deps: ServiceDeps): Promise<EnvironmentView[]> {
  return (await deps.storage.listEnvironments()).map((environment) => environmentView(deps, environment));
}

export async function getEnvironment(deps: ServiceDeps, envId: string): Promise<EnvironmentView> {
  return environmentView(deps, await requireEnvironment(deps, envId));
}

/** Creates an environment from the defaults overlaid with `input`, and its first signing key. */
export async function createEnvironment(
  deps: ServiceDeps,
  defaults: AdminEnvironmentDefaults,
  input: CreateEnvironmentInput,
  actor: AdminActor,
  origin: RequestOrigin,
): Promise<EnvironmentView> {
  const id = input.id ?? `env-${randomBytes(8).toString('hex')}`;
  const { branding, problems: brandingProblems } = applyBrandingPatch({}, input.branding ?? {});
  const environment: EnvironmentRecord = {
    id,
    name: input.name,
    tokenSettings: applyTokenSettingsPatch(defaults.tokenSettings(id), input.tokenSettings ?? {}),
    sessionPolicy: applySessionPolicyPatch(defaults.sessionPolicy(), input.sessionPolicy ?? {}),
    branding,
    webhookSettings: { ...DEFAULT_WEBHOOK_SETTINGS, ...input.webhookSettings },
    createdAt: deps.clock.now(),
  };
  await assertValidSettings(deps, defaults, environment, brandingProblems);
  if (!(await deps.storage.insertEnvironment(environment))) throw new TesseraError('conflict');
  try {
    await deps.keyring.ensureKey(id, environment.tokenSettings.signingAlgorithm, deps.logger);
  } catch (error) {
    // An environment that cannot sign would fail every login: undo it, let the caller retry.
    await deps.storage.deleteEnvironment(id);
    throw error;
  }
  await recordAdminChange(
    deps,
    { actor, ...origin },
    {
      envId: id,
      entity: 'environment',
      verb: 'created',
      target: { envId: id },
      after: settingsOf(environment),
    },
  );
  return environmentView(deps, environment);
}

/**
 * Applies a partial update. A policy change needs nothing more: every refresh reads the policy
 * from storage. A new signing algorithm is a key rotation to a key of that algorithm.
 */
export async function updateEnvironment(
  deps: ServiceDeps,
  defaults: AdminEnvironmentDefaults,
  envId: string,
  input: UpdateEnvironmentInput,
  actor: AdminActor,
  origin: RequestOrigin,
): Promise<EnvironmentView> {
  const current = await requireEnvironment(deps, envId);
  const { branding, problems: brandingProblems } = applyBrandingPatch(current.branding, input.branding ?? {});
  const updated: EnvironmentRecord = {
    ...current,
    name: input.name ?? current.name,
    tokenSettings: applyTokenSettingsPatch(current.tokenSettings, input.tokenSettings ?? {}),
    sessionPolicy: applySessionPolicyPatch(current.sessionPolicy, input.sessionPolicy ?? {}),
    branding,
    webhookSettings: { ...current.webhookSettings, ...input.webhookSettings },
  };
  await assertValidSettings(deps, defaults, updated, brandingProblems);
  const algorithm = updated.tokenSettings.signingAlgorithm;
  if (algorithm !== current.tokenSettings.signingAlgorithm)
    await deps.keyring.rotate(envId, algorithm, deps.logger);
  const { name, tokenSettings, sessionPolicy, webhookSettings } = updated;
  const patch = { name, tokenSettings, sessionPolicy, branding, webhookSettings };
  if (!(await deps.storage.updateEnvironment(envId, patch))) {
    throw new TesseraError('not_found');
  }
  const changed = changedFields(settingsOf(current), settingsOf(updated));
  if (changed) {
    await recordAdminChange(
      deps,
      { actor, ...origin },
      {
        envId,
        entity: 'environment',
        verb: 'updated',
        target: { envId },
        ...changed,
      },
    );
  }
  return environmentView(deps, updated);
}

/** Deletes an environment and everything in it. The default environment stays. */
export async function deleteEnvironment(
  deps: ServiceDeps,
  envId: string,
  actor: AdminActor,
  origin: RequestOrigin,
): Promise<void> {
  if (envId === DEFAULT_ENVIRONMENT_ID) {
    throw new TesseraError('forbidden', { message: 'The default environment cannot be deleted.' });
  }
  if (!(await deps.storage.deleteEnvironment(envId))) throw new TesseraError('not_found');
  // Kept after the environment: its events stay until retention prunes them (docs/events.md).
  await recordAdminChange(
    deps,
    { actor, ...origin },
    { envId, entity: 'environment', verb: 'deleted', target: { envId } },
  );
}

/** What an admin may change of an environment; none of it secret. */
function settingsOf(environment: EnvironmentRecord): Record<string, unknown> {
  const { name, tokenSettings, sessionPolicy, branding, webhookSettings } = environment;
  return { name, tokenSettings, sessionPolicy, branding, webhookSettings };
}

/**
 * The config rules, and one across environments: they share the server's host and a `__Host-`
 * cookie's path is always `/`, so two environments with one cookie name would overwrite each
 * other's sessions. `brandingProblems` are reported with them, all at once.
 */
async function assertValidSettings(
  deps: ServiceDeps,
  defaults: AdminEnvironmentDefaults,
  environment: EnvironmentRecord,
  brandingProblems: readonly string[],
): Promise<void> {
  const others = (await deps.storage.listEnvironments()).filter((other) => other.id !== environment.id);
  const cookieName = environment.tokenSettings.cookie.name;
  assertNoProblems([
    ...defaults
      .validateTokenSettings(environment.tokenSettings, { baseUrl: deps.baseUrl(environment.id) })
      .map((problem) => `tokenSettings.${problem}`),
    ...defaults.validateSessionPolicy(environment.sessionPolicy).map((problem) => `sessionPolicy.${problem}`),
    ...(others.some((other) => other.tokenSettings.cookie.name === cookieName)
      ? ['tokenSettings.cookie.name is used by another environment.']
      : []),
    ...brandingProblems,
  ]);
}

function environmentView(deps: ServiceDeps, environment: EnvironmentRecord): EnvironmentView {
  return {
    id: environment.id,
    name: environment.name,
    baseUrl: deps.baseUrl(environment.id),
    tokenSettings: environment.tokenSettings,
    sessionPolicy: environment.sessionPolicy,
    branding: environment.branding,
    webhookSettings: environment.webhookSettings,
    createdAt: isoTime(environment.createdAt),
  };
}
