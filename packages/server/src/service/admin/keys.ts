/** Admin use cases for signing keys (DESIGN §3.3). */
import type { SigningAlgorithm } from '@tessera/protocol';
import type { KeyStatus } from '../../keys/schedule.js';
import type { ServiceDeps } from '../deps.js';
import type { RequestOrigin } from '../events.js';
import type { AdminActor } from './actor.js';
import { recordAdminChange } from './admin-events.js';
import { isoTime } from './iso-time.js';
import { requireEnvironment } from './lookups.js';

export interface RotatedKeyView {
  kid: string;
  alg: SigningAlgorithm;
  /** When the new key starts signing: after every verifier's cached JWKS has it. */
  activatesAt: string;
}

/** Publishes a next key of the environment's algorithm now; it signs after the JWKS cache window. */
export async function rotateSigningKey(
  deps: ServiceDeps,
  envId: string,
  actor: AdminActor,
  origin: RequestOrigin,
): Promise<RotatedKeyView> {
  const environment = await requireEnvironment(deps, envId);
  const alg = environment.tokenSettings.signingAlgorithm;
  const { kid, activatesAt } = await deps.keyring.rotate(envId, alg, deps.logger);
  const view = { kid, alg, activatesAt: isoTime(activatesAt) };
  await recordAdminChange(
    deps,
    { actor, ...origin },
    {
      envId,
      entity: 'key',
      verb: 'rotated',
      target: { kid },
      after: view,
    },
  );
  return view;
}

/** A published public JWK with its role now, as the keyring's schedule decides it. */
export type PublishedKeyView = Record<string, unknown> & {
  status: KeyStatus;
  createdAt: string;
  activatesAt: string;
  /** When it stopped signing; `null` while it has not. */
  retiredAt: string | null;
};

/** The keys the environment publishes (its JWKS, in its order), each with its role and times. */
export async function publishedKeys(deps: ServiceDeps, envId: string): Promise<{ keys: PublishedKeyView[] }> {
  await requireEnvironment(deps, envId);
  const keys = await deps.keyring.publishedKeys(envId);
  return {
    keys: keys.map((key) => ({
      ...key.publicJwk,
      status: key.status,
      createdAt: isoTime(key.createdAt),
      activatesAt: isoTime(key.activatesAt),
      retiredAt: key.retiredAt === null ? null : isoTime(key.retiredAt),
    })),
  };
}
