import { describe, expect, it } from 'vitest';
import { ExpiringCounters } from './expiring-counters.js';

describe('ExpiringCounters', () => {
  it('counts within the time to live and forgets at its end', () => {
    const counters = new ExpiringCounters(10);
    counters.increment('a', 100, { ttlSeconds: 60, extend: false });
    counters.increment('a', 159, { ttlSeconds: 60, extend: false });
    expect(counters.get('a', 159)).toEqual({ count: 2, expiresAt: 160 });
    expect(counters.get('a', 160)).toBeUndefined();
  });

  it('restarts the time to live on each increment when extending', () => {
    const counters = new ExpiringCounters(10);
    counters.increment('a', 100, { ttlSeconds: 60, extend: true });
    counters.increment('a', 150, { ttlSeconds: 60, extend: true });
    expect(counters.get('a', 209)).toEqual({ count: 2, expiresAt: 210 });
  });

  it('sweeps expired counters on every write', () => {
    const counters = new ExpiringCounters(10);
    for (const key of ['a', 'b', 'c']) counters.increment(key, 100, { ttlSeconds: 60, extend: false });
    counters.increment('d', 160, { ttlSeconds: 60, extend: false });
    expect(counters.size).toBe(1);
  });

  it('never holds more than its maximum, dropping the oldest', () => {
    const counters = new ExpiringCounters(3);
    for (let i = 0; i < 100; i++) counters.increment(`k${i}`, 100 + i, { ttlSeconds: 1000, extend: false });
    expect(counters.size).toBe(3);
    expect(counters.get('k99', 200)?.count).toBe(1);
    expect(counters.get('k96', 200)).toBeUndefined();
  });

  it('removes a counter that is decremented to zero', () => {
    const counters = new ExpiringCounters(3);
    counters.increment('a', 100, { ttlSeconds: 60, extend: true });
    counters.decrement('a', 101);
    counters.decrement('missing', 101);
    expect(counters.size).toBe(0);
  });
});
