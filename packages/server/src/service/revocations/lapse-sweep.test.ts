import { setTimeout as sleep } from 'node:timers/promises';
import { backendsUnderTest } from '@tessera/testing/backends';
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import { seedWorld, sessionApi } from '@tessera/testing/world';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LAPSE_SWEEP_INTERVAL_SECONDS, startLapseSweeping, sweepLapsedSessions } from './lapse-sweep.js';

const backends = await backendsUnderTest();

const IDLE_60_SECONDS = {
  idleTimeoutSeconds: 60,
  absoluteTimeoutSeconds: null,
  maxConcurrentSessions: null,
  onLimit: 'evict_oldest',
} as const;

describe.each(backends)('the lapse sweep (%s)', (backend) => {
  let t: TestServer;
  beforeEach(async () => {
    t = await createTestServer({ backend });
    await seedWorld(t);
  });
  afterEach(async () => t.close());

  it('stopping awaits the sweep in progress, which ends no session after it; no second sweep joins it', async () => {
    await t.deps.storage.updateEnvironment('default', { sessionPolicy: IDLE_60_SECONDS });
    const api = sessionApi(t);
    for (let i = 0; i < 3; i++) expect((await api.login()).statusCode).toBe(200);
    t.clock.advance(61);
    let endings = 0;
    let release = () => {};
    const held = new Promise<void>((done) => {
      release = done;
    });
    const storage = new Proxy(t.deps.storage, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'endSession') return value;
        return async (...args: unknown[]) => {
          endings++;
          await held;
          return (value as (...a: unknown[]) => unknown)(...args);
        };
      },
    });
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const sweeping = startLapseSweeping({ ...t.deps, storage });
      vi.advanceTimersByTime(LAPSE_SWEEP_INTERVAL_SECONDS * 1000);
      await vi.waitFor(() => expect(endings).toBe(1));
      vi.advanceTimersByTime(2 * LAPSE_SWEEP_INTERVAL_SECONDS * 1000);
      let stopped = false;
      const stopping = sweeping.stop().then(() => {
        stopped = true;
      });
      await sleep(50);
      expect(stopped).toBe(false);
      release();
      await stopping;
    } finally {
      release();
      vi.useRealTimers();
    }
    expect(endings).toBe(1);
    expect(await t.deps.storage.listLiveSessions('default', 'user-ada')).toHaveLength(2);
  });

  it("judges by the user's memberships alone: it reads no user, and reads each user's memberships once", async () => {
    await t.deps.storage.updateEnvironment('default', {
      sessionPolicy: {
        idleTimeoutSeconds: 60,
        absoluteTimeoutSeconds: null,
        maxConcurrentSessions: null,
        onLimit: 'evict_oldest',
      },
    });
    const api = sessionApi(t);
    for (let i = 0; i < 2; i++) expect((await api.login()).statusCode).toBe(200);
    const reads: string[] = [];
    const storage = new Proxy(t.deps.storage, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'getUser' && property !== 'listUserMemberships') return value;
        return (...args: unknown[]) => {
          reads.push(property);
          return (value as (...a: unknown[]) => unknown)(...args);
        };
      },
    });
    t.clock.advance(59);
    expect(await sweepLapsedSessions({ ...t.deps, storage })).toBe(0);
    // A candidate has been idle for longer than the timeout, so the sweep after the boundary ends it.
    t.clock.advance(2);
    expect(await sweepLapsedSessions({ ...t.deps, storage })).toBe(2);
    // One sweep found both of ada's sessions: one read of her memberships, none of her record.
    expect(reads).toEqual(['listUserMemberships']);
    expect(await t.deps.storage.listLiveSessions('default', 'user-ada')).toEqual([]);
  });
});
