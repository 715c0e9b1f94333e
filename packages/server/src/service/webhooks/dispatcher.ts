/**
 * Sends the queued webhook deliveries (docs/webhooks.md). Every node runs one: it polls the queue,
 * and is nudged when this node enqueues. Claims are atomic in the database, so nodes never send
 * the same delivery at once; a node that dies mid-send leaves its claim to lapse, and the delivery
 * is sent again (at least once). Concurrency is bounded in all and per endpoint, and every attempt
 * has a timeout, so a receiver that hangs holds its own deliveries only.
 */
import type { ClaimedWebhookDelivery } from '../../storage/port/webhooks.js';
import type { ServiceDeps } from '../deps.js';
import { afterFailure, DEFAULT_RETRY_SCHEDULE_SECONDS } from './schedule.js';
import { openWebhookSecret, signWebhook } from './secret.js';
import {
  type AttemptOutcome,
  createWebhookSender,
  WEBHOOK_TIMEOUT_MILLIS,
  type WebhookSender,
  type WebhookSenderOptions,
} from './sender.js';

export interface WebhookDispatcherOptions extends WebhookSenderOptions {
  /** Seconds to wait after each failed attempt; the delivery fails after the last. */
  retrySchedule?: readonly number[];
  /** How often the queue is polled [1 s]. */
  pollIntervalMillis?: number;
  /** Attempts in flight at once, in all [16] and per endpoint [4]. */
  concurrency?: number;
  perEndpointConcurrency?: number;
}

export interface WebhookDispatcher {
  /** Look at the queue now (something was enqueued on this node). */
  nudge(): void;
  /** Sends what is due and waits until nothing due is left and nothing is in flight (tests). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

type DispatcherDeps = Pick<ServiceDeps, 'storage' | 'clock' | 'secrets' | 'logger'>;

export function startWebhookDispatcher(
  deps: DispatcherDeps,
  options: WebhookDispatcherOptions = {},
): WebhookDispatcher {
  const schedule = options.retrySchedule ?? DEFAULT_RETRY_SCHEDULE_SECONDS;
  const pollMillis = options.pollIntervalMillis ?? 1000;
  const concurrency = options.concurrency ?? 16;
  const perEndpoint = options.perEndpointConcurrency ?? 4;
  // A claim outlives the longest attempt, so it lapses only when its node is gone.
  const lockSeconds = Math.ceil((options.timeoutMillis ?? WEBHOOK_TIMEOUT_MILLIS) / 1000) + 50;
  const sender: WebhookSender = createWebhookSender(options);

  const inFlight = new Map<string, number>();
  const sending = new Set<string>();
  const attempts = new Set<Promise<void>>();
  let active = 0;
  let ticking: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const schedulePoll = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void tick(), pollMillis);
    timer.unref();
  };

  async function claimAndStart(): Promise<number> {
    const free = concurrency - active;
    if (free <= 0) return 0;
    const claimed = await deps.storage.claimWebhookDeliveries({
      now: deps.clock.now(),
      limit: free,
      // One per endpoint per claim, and none for an endpoint at its limit: never more than the limit.
      perEndpointLimit: 1,
      excludeEndpointIds: [...inFlight].filter(([, count]) => count >= perEndpoint).map(([id]) => id),
      lockSeconds,
    });
    for (const delivery of claimed) {
      // Claimed again while this node still sends it (its claim lapsed, as a clock jump can make
      // it): the attempt in flight records the outcome.
      if (sending.has(delivery.id)) continue;
      sending.add(delivery.id);
      active++;
      inFlight.set(delivery.endpointId, (inFlight.get(delivery.endpointId) ?? 0) + 1);
      const attempt = attemptDelivery(delivery)
        .catch((error: unknown) =>
          deps.logger.warn({ err: error, deliveryId: delivery.id }, 'webhook attempt failed'),
        )
        .finally(() => {
          sending.delete(delivery.id);
          active--;
          const left = (inFlight.get(delivery.endpointId) ?? 1) - 1;
          if (left > 0) inFlight.set(delivery.endpointId, left);
          else inFlight.delete(delivery.endpointId);
          attempts.delete(attempt);
          void tick();
        });
      attempts.add(attempt);
    }
    return claimed.length;
  }

  function tick(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (ticking) {
      again = true;
      return ticking;
    }
    ticking = (async () => {
      try {
        do {
          again = false;
          while ((await claimAndStart()) > 0 && !stopped) {
            // claim until the slots are full or nothing is due
          }
        } while (again && !stopped);
      } catch (error) {
        deps.logger.warn({ err: error }, 'claiming webhook deliveries failed; retrying at the next poll');
      } finally {
        ticking = null;
        schedulePoll();
      }
    })();
    return ticking;
  }

  async function attemptDelivery(delivery: ClaimedWebhookDelivery) {
    const environment = await deps.storage.getEnvironment(delivery.envId);
    const outcome = await send(delivery, environment?.webhookSettings.allowPrivateTargets ?? false);
    const now = deps.clock.now();
    const next = outcome.ok
      ? { status: 'succeeded' as const, nextAttemptAt: null }
      : afterFailure({ attemptsBefore: delivery.attempts, now, schedule });
    await deps.storage.finishWebhookAttempt({
      deliveryId: delivery.id,
      now,
      ...next,
      responseStatus: outcome.status,
      error: outcome.ok ? null : outcome.error,
    });
    if (next.status === 'failed') {
      deps.logger.warn(
        {
          deliveryId: delivery.id,
          webhookId: delivery.endpointId,
          envId: delivery.envId,
          eventId: delivery.eventId,
          attempts: delivery.attempts + 1,
          error: outcome.ok ? null : outcome.error,
        },
        'webhook delivery failed: no attempts left',
      );
    }
  }

  async function send(
    delivery: ClaimedWebhookDelivery,
    allowPrivateTargets: boolean,
  ): Promise<AttemptOutcome> {
    let secret: string;
    try {
      secret = openWebhookSecret(delivery.secretEncrypted, deps.secrets.webhookSecretKey, {
        envId: delivery.envId,
        endpointId: delivery.endpointId,
      });
    } catch (error) {
      // Not sent unsigned: failed like any attempt, so the log says why (rotate the secret).
      deps.logger.error({ err: error, webhookId: delivery.endpointId }, 'webhook secret cannot be decrypted');
      return { ok: false, status: null, error: 'the signing secret cannot be decrypted: rotate it' };
    }
    const timestamp = deps.clock.now();
    const body = JSON.stringify(delivery.payload);
    return sender.send({
      url: delivery.url,
      body,
      headers: {
        'webhook-id': delivery.eventId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(secret, { id: delivery.eventId, timestamp, body }),
      },
      allowPrivateTargets,
    });
  }

  schedulePoll();

  return {
    nudge() {
      if (!stopped) setImmediate(() => void tick());
    },
    async drain() {
      do {
        await tick();
        await Promise.all([...attempts]);
      } while (attempts.size > 0 || ticking !== null);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await ticking;
      await sender.destroy();
      await Promise.allSettled([...attempts]);
    },
  };
}
