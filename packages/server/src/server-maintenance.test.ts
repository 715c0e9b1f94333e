/**
 * `createTesseraServer({ maintenance })`: a server runs the periodic maintenance — the history
 * pruning and the lapse sweep — unless told not to, as every worker but one of several is
 * (start-cluster.ts; docs/deployment.md, "Several processes on one machine").
 */
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import { cookieFrom, seedWorld, sessionApi } from '@tessera/testing/world';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LAPSE_SWEEP_INTERVAL_SECONDS } from './service/revocations/lapse-sweep.js';

const DAY = 86_400;

describe('the periodic maintenance of a server', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    vi.useRealTimers();
    await t?.close();
  });

  /** An ended session old enough to prune and a live one long lapsed, then the maintenance's intervals. */
  async function afterTheIntervals(maintenance: boolean | undefined) {
    // Only the intervals are fake: the server's own work (SQLite, argon2) runs as it does.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    t = await createTestServer({ env: { TESSERA_PRUNE_INTERVAL_SECONDS: '1' }, maintenance });
    const world = await seedWorld(t);
    const api = sessionApi(t);
    const ended = cookieFrom(await api.login());
    const [endedSession] = await t.deps.storage.listLiveSessions('default', world.users.ada.id);
    await api.logout(ended);
    cookieFrom(await api.login());
    const [liveSession] = await t.deps.storage.listLiveSessions('default', world.users.ada.id);
    t.clock.advance(400 * DAY);
    return {
      storage: t.deps.storage,
      endedId: endedSession!.id,
      liveId: liveSession!.id,
    };
  }

  it.each([true, undefined])(
    'maintenance: %s prunes the old ended session and ends the lapsed one',
    async (maintenance) => {
      const { storage, endedId, liveId } = await afterTheIntervals(maintenance);
      await vi.waitFor(
        async () => {
          vi.advanceTimersByTime(LAPSE_SWEEP_INTERVAL_SECONDS * 1000);
          expect(await storage.getSession(endedId)).toBeNull();
          expect((await storage.getSession(liveId))?.endedAt).not.toBeNull();
        },
        { timeout: 5000, interval: 50 },
      );
    },
  );

  it('maintenance: false leaves both to another process', async () => {
    const { storage, endedId, liveId } = await afterTheIntervals(false);
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(LAPSE_SWEEP_INTERVAL_SECONDS * 1000);
      await new Promise((done) => setTimeout(done, 30));
    }
    expect((await storage.getSession(endedId))?.endedAt).not.toBeNull();
    expect((await storage.getSession(liveId))?.endedAt).toBeNull();
  });
});
