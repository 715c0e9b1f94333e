/**
 * Readiness (`/readyz`, docs/operations.md): may a load balancer send this node traffic? Three
 * checks, each bounded by a timeout so that a hung database makes the probe answer "not ready"
 * rather than hang with it:
 *
 * - `database`: the database answers a query (its migration status) in time;
 * - `migrations`: every migration in this code is applied (a database behind the code, e.g. a new
 *   node started before `migrate` ran, would fail on the new columns);
 * - `signing_key`: a signing key of the default environment is loaded and decrypts.
 *
 * When the database does not answer, whether the migrations are applied is unknown: only
 * `database` is named for them.
 */
import { DEFAULT_ENVIRONMENT_ID } from '@tessera/protocol';
import type { Keyring } from '../keys/keyring.js';
import type { MaintenanceStore } from '../storage/port/maintenance.js';

export type ReadinessCheck = 'database' | 'migrations' | 'signing_key';

export type Readiness = { ready: true } | { ready: false; failed: ReadinessCheck[] };

export interface ReadinessDeps {
  storage: Pick<MaintenanceStore, 'migrationStatus'>;
  keyring: Pick<Keyring, 'signer'>;
}

/** How long each check may take before it counts as failed. */
export const READINESS_TIMEOUT_MS = 2000;

export async function checkReadiness(
  deps: ReadinessDeps,
  options: { timeoutMs?: number } = {},
): Promise<Readiness> {
  const timeoutMs = options.timeoutMs ?? READINESS_TIMEOUT_MS;
  const [migrations, signer] = await Promise.all([
    within(timeoutMs, deps.storage.migrationStatus()),
    within(timeoutMs, deps.keyring.signer(DEFAULT_ENVIRONMENT_ID)),
  ]);
  const failed: ReadinessCheck[] = [];
  if (migrations === undefined) failed.push('database');
  else if (migrations.pending.length > 0) failed.push('migrations');
  if (signer === undefined) failed.push('signing_key');
  return failed.length === 0 ? { ready: true } : { ready: false, failed };
}

/** The value, or `undefined` when the promise rejects or takes longer than `timeoutMs`. */
async function within<T>(timeoutMs: number, promise: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([promise.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
