import type { Keyring } from '../keys/keyring.js';
import type { DerivedSecrets } from '../keys/secret.js';
import { type Logger, withRequestId } from '../logger.js';
import type { Lookups } from '../storage/lookup-cache.js';
import type { Storage } from '../storage/port.js';
import type { LoginThrottle } from '../throttle/throttle.js';
import type { ActivityCounter } from './activity-counter.js';
import type { Clock } from './clock.js';
import type { ServiceMetrics } from './metrics.js';

/**
 * What the use cases need, wired once by the composition root (`server.ts`); a use case serving an
 * HTTP request gets that request's copy (`depsForRequest`), its logger stamping the request's id.
 */
export interface ServiceDeps {
  storage: Storage;
  /** Cached environment and client reads, for the HTTP layer's request gating only. */
  lookups: Lookups;
  keyring: Keyring;
  secrets: DerivedSecrets;
  clock: Clock;
  throttle: LoginThrottle;
  logger: Logger;
  /** Per-minute activity counts of this node, flushed to storage (the console's dashboard). */
  activity: ActivityCounter;
  /** The base URL (and issuer) of an environment. */
  baseUrl(envId: string): string;
  /** This node's webhook dispatcher, told when an event may have queued deliveries (absent in unit tests). */
  webhooks?: { nudge(): void };
  /** This node's metrics, when they are on (TESSERA_METRICS_TOKEN). */
  metrics?: ServiceMetrics | undefined;
}

/**
 * What the HTTP layer holds between requests: the use cases' dependencies without a logger. A
 * route passes the use case its request's own (`request.deps`, `depsForRequest`), whose log lines
 * carry the request's id; this type makes passing the shared ones a compile error.
 */
export type SharedDeps = Omit<ServiceDeps, 'logger'>;

/**
 * The dependencies of the use cases serving request `requestId`: the same, with a logger that puts
 * `reqId` on every line (docs/operations.md, "Request ids"). Made per request, so that the id is
 * an explicit value and no async context has to carry it.
 */
export function depsForRequest(deps: ServiceDeps, requestId: string): ServiceDeps {
  return { ...deps, logger: withRequestId(deps.logger, requestId) };
}
