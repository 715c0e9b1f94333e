import { capturingLogger } from '@tessera/testing/log-capture';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ActivityCount } from '../storage/port/activity.js';
import { ACTIVITY_COUNTS, createActivityCounter } from './activity-counter.js';
import { ManualClock } from './clock.js';

const M0 = 1_700_000_040; // a minute's start

function recordingStore() {
  const calls: ActivityCount[][] = [];
  let failing = false;
  return {
    calls,
    fail(value: boolean) {
      failing = value;
    },
    storage: {
      async addActivityCounts(counts: readonly ActivityCount[]) {
        if (failing) throw new Error('database unavailable');
        calls.push(counts.map((c) => ({ ...c })));
      },
    },
  };
}

describe('activity counter', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function setUp() {
    const clock = new ManualClock(M0);
    const store = recordingStore();
    const logs = capturingLogger();
    const counter = createActivityCounter({ storage: store.storage, clock, logger: logs.logger });
    return { clock, store, logs, counter };
  }

  it('adds up per environment, minute and name, and stores each sum once', async () => {
    const { clock, store, counter } = setUp();
    counter.count('env-a', 'login');
    counter.count('env-a', 'login');
    counter.count('env-b', 'login');
    clock.advance(59);
    counter.count('env-a', 'refusal:idle_timeout');
    clock.advance(1);
    counter.count('env-a', 'login');
    await counter.flush();
    expect(store.calls).toEqual([
      [
        { envId: 'env-a', minute: M0, name: 'login', count: 2 },
        { envId: 'env-b', minute: M0, name: 'login', count: 1 },
        { envId: 'env-a', minute: M0, name: 'refusal:idle_timeout', count: 1 },
        { envId: 'env-a', minute: M0 + 60, name: 'login', count: 1 },
      ],
    ]);
    await counter.flush();
    expect(store.calls).toHaveLength(1);
    await counter.stop();
  });

  it('keeps what could not be stored and stores it at the next flush, never twice', async () => {
    const { store, logs, counter } = setUp();
    counter.count('env-a', 'refresh');
    store.fail(true);
    await counter.flush();
    expect(store.calls).toEqual([]);
    expect(logs.lines.some((line) => line.includes('storing activity counts failed'))).toBe(true);
    counter.count('env-a', 'refresh');
    store.fail(false);
    await counter.flush();
    await counter.flush();
    expect(store.calls).toEqual([[{ envId: 'env-a', minute: M0, name: 'refresh', count: 2 }]]);
    await counter.stop();
  });

  it(`flushes every ${ACTIVITY_COUNTS.flushSeconds} s, and once more when stopped`, async () => {
    vi.useFakeTimers();
    const { store, counter } = setUp();
    counter.count('env-a', 'login');
    await vi.advanceTimersByTimeAsync(ACTIVITY_COUNTS.flushSeconds * 1000 - 1);
    expect(store.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.calls).toHaveLength(1);
    counter.count('env-a', 'login_failed');
    await counter.stop();
    expect(store.calls).toHaveLength(2);
    counter.count('env-a', 'login');
    await vi.advanceTimersByTimeAsync(ACTIVITY_COUNTS.flushSeconds * 1000 * 3);
    expect(store.calls).toHaveLength(2);
  });
});
