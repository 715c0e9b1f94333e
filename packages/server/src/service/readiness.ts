/**
 * Readiness (`/readyz`): the node can answer only when its database does. A round trip to the
 * database is the proof; an unreachable one throws, and the route answers as for any outage.
 */
import type { ServiceDeps } from './deps.js';

export async function checkReadiness(deps: Pick<ServiceDeps, 'storage'>): Promise<void> {
  await deps.storage.databaseTime();
}
