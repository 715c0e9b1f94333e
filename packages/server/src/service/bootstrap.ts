import { DEFAULT_ENVIRONMENT_ID } from '@tessera/protocol';
import type { TokenSettings } from '../config/token-settings.js';
import type { SessionPolicy } from '../engine/policy.js';
import type { EnvironmentRecord } from '../storage/records.js';
import { DEFAULT_WEBHOOK_SETTINGS } from './admin/webhook-settings.js';
import type { ServiceDeps } from './deps.js';

export interface EnvironmentDefaults {
  tokenSettings(envId: string): TokenSettings;
  sessionPolicy(): SessionPolicy;
}

/** Creates the `default` environment on first start, and makes sure every environment can sign. */
export async function bootstrapEnvironments(deps: ServiceDeps, defaults: EnvironmentDefaults): Promise<void> {
  const existing = await deps.storage.getEnvironment(DEFAULT_ENVIRONMENT_ID);
  if (!existing) {
    const environment: EnvironmentRecord = {
      id: DEFAULT_ENVIRONMENT_ID,
      name: 'Default',
      tokenSettings: defaults.tokenSettings(DEFAULT_ENVIRONMENT_ID),
      sessionPolicy: defaults.sessionPolicy(),
      branding: {},
      webhookSettings: DEFAULT_WEBHOOK_SETTINGS,
      createdAt: deps.clock.now(),
    };
    // Another node may have created it first: that is fine.
    await deps.storage.insertEnvironment(environment);
  }
  for (const environment of await deps.storage.listEnvironments()) {
    await deps.keyring.ensureKey(environment.id, environment.tokenSettings.signingAlgorithm);
  }
}
