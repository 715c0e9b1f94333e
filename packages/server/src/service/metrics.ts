/**
 * What the use cases tell the node's metrics (docs/operations.md, "Metrics"). The composition root
 * wires the Prometheus implementation (`metrics/prometheus-metrics.ts`) when metrics are on; absent,
 * nothing is counted.
 */
import type { SessionEvent } from './events.js';

export interface ServiceMetrics {
  /** Every recorded session event: logins, sessions started and ended (called by `recordEvent`). */
  eventRecorded(event: SessionEvent): void;
  /** Every refresh's outcome: `ok` or the refusal's code. */
  refreshed(outcome: string): void;
}
