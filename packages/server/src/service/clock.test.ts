import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDatabaseClock } from './clock.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('createDatabaseClock', () => {
  it('applies the sampled offset, and stopping awaits a sample in flight (the storage closes after it)', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let samples = 0;
    let release = () => {};
    const databaseTime = async () => {
      samples++;
      if (samples > 1) {
        await new Promise<void>((done) => {
          release = done;
        });
      }
      return Date.now() / 1000 + 3600;
    };
    const clock = await createDatabaseClock({ databaseTime, resampleSeconds: 30 });
    expect(clock.offsetSeconds()).toBeCloseTo(3600, 0);
    expect(clock.now() - Math.floor(Date.now() / 1000)).toBeGreaterThanOrEqual(3599);

    vi.advanceTimersByTime(30_000);
    expect(samples).toBe(2);
    // A sample that outlasts the interval is not joined by another.
    vi.advanceTimersByTime(60_000);
    expect(samples).toBe(2);
    let stopped = false;
    const stopping = clock.stop().then(() => {
      stopped = true;
    });
    await sleep(20);
    expect(stopped).toBe(false);
    release();
    await stopping;
    vi.advanceTimersByTime(60_000);
    expect(samples).toBe(2);
  });
});
