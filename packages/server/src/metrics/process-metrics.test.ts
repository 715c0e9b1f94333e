/**
 * The event-loop lag gauges sample the loop until `stop` (a server's close): afterwards a blocked
 * loop is no longer seen, and no sampler timer is left running.
 */
import { createTestServer } from '@tessera/testing/harness';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerProcessMetrics } from './process-metrics.js';

/** The longest lag the gauges saw since the previous read, in seconds. */
async function maxLagAfterABlockedLoop(read: () => Promise<string>): Promise<number> {
  await read();
  // The sampler records the time between two of its ticks, and a read starts over: a tick first.
  await new Promise((done) => setTimeout(done, 60));
  const until = Date.now() + 200;
  while (Date.now() < until) {
    // The event loop is blocked: the sampler's timer fires late, once the loop runs again.
  }
  await new Promise((done) => setTimeout(done, 60));
  const text = await read();
  const line = text.split('\n').find((l) => l.startsWith('nodejs_eventloop_lag_max_seconds '));
  return Number(line?.split(' ')[1]);
}

describe('the event-loop sampler', () => {
  it('sees a blocked loop until stopped, and nothing after', async () => {
    const registry = new Registry();
    const sampler = registerProcessMetrics(registry);
    const read = () => registry.metrics();
    expect(await maxLagAfterABlockedLoop(read)).toBeGreaterThan(0.1);
    sampler.stop();
    expect(await maxLagAfterABlockedLoop(read)).toBe(0);
  });

  it('is stopped by the close of the server that created it', async () => {
    const t = await createTestServer({ env: { TESSERA_METRICS_TOKEN: 'metrics-token-'.padEnd(40, 'm') } });
    const metrics = t.metrics!;
    expect(await maxLagAfterABlockedLoop(() => metrics.render())).toBeGreaterThan(0.1);
    await t.close();
    expect(await maxLagAfterABlockedLoop(() => metrics.render())).toBe(0);
  });
});
