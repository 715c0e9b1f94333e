/** Admin use cases for signing keys (DESIGN §3.3). */
import type { SigningAlgorithm } from '@tessera/protocol';
import type { PublicJwks } from '../../keys/keyring.js';
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
  const { kid, activatesAt } = await deps.keyring.rotate(envId, alg);
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

/** The public keys the environment publishes (its JWKS). */
export async function publishedKeys(deps: ServiceDeps, envId: string): Promise<PublicJwks> {
  await requireEnvironment(deps, envId);
  return deps.keyring.jwks(envId);
}
