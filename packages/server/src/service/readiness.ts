/**
 * Readiness (`/readyz`): the node can answer only when its database does. A round trip to the
 * database is the proof; an unreachable one throws, and the route answers as for any outage.
 */
import type { MaintenanceStore } from '../storage/port/maintenance.js';

export async function checkReadiness(deps: {
  storage: Pick<MaintenanceStore, 'databaseTime'>;
}): Promise<void> {
  await deps.storage.databaseTime();
}
