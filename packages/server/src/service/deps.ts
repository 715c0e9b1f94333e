import type { Keyring } from '../keys/keyring.js';
import type { DerivedSecrets } from '../keys/secret.js';
import type { Logger } from '../logger.js';
import type { Lookups } from '../storage/lookup-cache.js';
import type { Storage } from '../storage/port.js';
import type { LoginThrottle } from '../throttle/throttle.js';
import type { ActivityCounter } from './activity-counter.js';
import type { Clock } from './clock.js';
import type { ServiceMetrics } from './metrics.js';

/** What the use cases need, wired once by the composition root (`server.ts`). */
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
