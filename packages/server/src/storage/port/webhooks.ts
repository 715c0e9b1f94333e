/**
 * The webhook role of the storage port: an environment's endpoints, and the delivery queue the
 * dispatcher (`service/webhooks/dispatcher.ts`) works from. The queue lives in the database so that
 * a restart or a second node loses nothing (docs/webhooks.md).
 */
import type { WebhookDeliveryRecord, WebhookEndpointRecord } from '../records.js';
import type { PruneOptions } from './maintenance.js';
import type { Page, PageRequest } from './paging.js';

/** The fields an update may change; absent fields keep their value. */
export type WebhookEndpointPatch = Partial<
  Pick<WebhookEndpointRecord, 'url' | 'eventTypes' | 'description' | 'enabled' | 'secretEncrypted'>
>;

/** An event as the queue takes it: one delivery per endpoint it goes to. */
export interface WebhookEventToDeliver {
  envId: string;
  eventId: string;
  eventType: string;
  /** The session it is about: deliveries of one session to one endpoint go out in order. */
  sid: string | null;
  /** The JSON body to send (`{ type, timestamp, data }`). */
  payload: unknown;
  /** When it was enqueued; the first attempt is due at once. */
  now: number;
}

/** A delivery the dispatcher claimed, with what it needs to send it. */
export interface ClaimedWebhookDelivery extends WebhookDeliveryRecord {
  url: string;
  secretEncrypted: string;
}

export interface ClaimWebhookDeliveriesInput {
  now: number;
  /** At most this many in all. */
  limit: number;
  /** At most this many per endpoint, so that one slow endpoint cannot take every slot. */
  perEndpointLimit: number;
  /** Endpoints to leave alone (the caller is already sending to them as much as it will). */
  excludeEndpointIds: readonly string[];
  /** How long the claim holds: no other claim takes the delivery before `now + lockSeconds`. */
  lockSeconds: number;
}

/** The outcome of one attempt, as the dispatcher decided it. */
export interface WebhookAttemptResult {
  deliveryId: string;
  now: number;
  status: WebhookDeliveryRecord['status'];
  /** When `status` is `pending`: when to try again. */
  nextAttemptAt: number | null;
  responseStatus: number | null;
  /** A short description of a failure (never a response body); `null` on success. */
  error: string | null;
}

export interface WebhookStore {
  /**
   * Inserts the endpoint and its event types atomically. `false` when the id is taken or the
   * environment does not exist.
   */
  insertWebhookEndpoint(endpoint: WebhookEndpointRecord): Promise<boolean>;
  getWebhookEndpoint(envId: string, id: string): Promise<WebhookEndpointRecord | null>;
  /** In creation order. */
  listWebhookEndpointsPage(envId: string, request: PageRequest): Promise<Page<WebhookEndpointRecord>>;
  /** Updates the fields present, event types replaced whole, atomically. `false` when not found. */
  updateWebhookEndpoint(envId: string, id: string, patch: WebhookEndpointPatch): Promise<boolean>;
  /** Deletes the endpoint and its deliveries. */
  deleteWebhookEndpoint(envId: string, id: string): Promise<boolean>;
  /**
   * Enqueues one delivery per enabled endpoint of the event's environment whose event types match
   * the event's (exactly, `*`, or a `prefix.*` pattern); the number enqueued. The adapters also
   * run this inside the transaction that stores an event, so an event and its deliveries are
   * stored together or not at all.
   */
  enqueueWebhookDeliveries(event: WebhookEventToDeliver): Promise<number>;
  /**
   * Enqueues one delivery of `event` to one endpoint of its environment, whatever its event types
   * (the "send test event" action). `false` when there is no such endpoint.
   */
  enqueueWebhookDelivery(
    endpointId: string,
    deliveryId: string,
    event: WebhookEventToDeliver,
  ): Promise<boolean>;
  /**
   * Claims deliveries that are due: pending, `nextAttemptAt <= now`, not claimed by a claim that
   * still holds, of an enabled endpoint, and with no earlier pending delivery of the same endpoint
   * and session. Atomic across processes: two concurrent claims never return the same delivery
   * (until the first claim's `lockSeconds` have passed). Earliest due first.
   */
  claimWebhookDeliveries(input: ClaimWebhookDeliveriesInput): Promise<ClaimedWebhookDelivery[]>;
  /**
   * Records an attempt: counts it, stores its outcome and releases the claim. `false` (nothing
   * written) when the delivery is no longer pending.
   */
  finishWebhookAttempt(result: WebhookAttemptResult): Promise<boolean>;
  getWebhookDelivery(envId: string, id: string): Promise<WebhookDeliveryRecord | null>;
  /**
   * Deletes deliveries that are done (succeeded or failed) and were created before `before`, in
   * small batches; how many. Pending deliveries stay, however old.
   */
  pruneWebhookDeliveries(before: number, options?: PruneOptions): Promise<number>;
  /** An endpoint's deliveries, newest first; the page key is `[seq, id]`. */
  listWebhookDeliveriesPage(
    envId: string,
    endpointId: string,
    request: PageRequest,
  ): Promise<Page<WebhookDeliveryRecord>>;
}
