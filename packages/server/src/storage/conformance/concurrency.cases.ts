/**
 * Atomicity across processes (DESIGN §4.5): each test starts child processes with their own
 * connections and releases their operations at one instant.
 */
import { describe, expect, it } from 'vitest';
import type { CreateSessionResult } from '../port/sessions.js';
import type { ClaimedWebhookDelivery } from '../port/webhooks.js';
import {
  ENV,
  environment,
  newSession,
  refreshToken,
  seedUser,
  signingKey,
  startSession,
  T0,
  USER,
} from './fixtures.js';
import type { ConformanceContext } from './suite.js';
import { claimInput, webhookEndpoint, webhookEvent } from './webhooks.cases.js';
import { runTogether, startWorkers, stopWorkers, type Worker } from './workers.js';

const ROTATION_ROUNDS = 50;
const FIRST_KEY_ROUNDS = 30;
const LOGINS_PER_PROCESS = 10;
const SESSION_LIMIT = 2;
const ACTIVITY_CALLS_PER_PROCESS = 10;
/** PostgreSQL: each process spreads its logins over several connections. */
const POOL_SIZE = 4;
const WEBHOOK_EVENTS = 30;

export function concurrencyCases(context: ConformanceContext): void {
  async function withWorkers<T>(count: number, work: (workers: Worker[]) => Promise<T>): Promise<T> {
    const { url, options } = context.target.connection;
    const workers = await startWorkers(count, { url, options: { ...options, poolSize: POOL_SIZE } });
    try {
      return await work(workers);
    } finally {
      await stopWorkers(workers);
    }
  }

  it('two processes migrating a fresh database at once both succeed', async () => {
    await withWorkers(2, (workers) => runTogether(workers, () => ({ kind: 'migrate' })));
    const { storage } = context;
    await storage.migrate();
    expect(await storage.insertEnvironment(environment(ENV))).toBe(true);
  });

  it('two processes racing to rotate one token: exactly one wins, every round', async () => {
    const { storage } = context;
    await storage.migrate();
    await seedUser(storage);
    await startSession(storage, 's-1', 'h-0', T0);

    const wins = [0, 0];
    await withWorkers(2, async (workers) => {
      let current = 'h-0';
      for (let round = 1; round <= ROTATION_ROUNDS; round++) {
        const successor = (index: number) => `h-${round}-${index}`;
        const results = await runTogether<boolean>(workers, (index) => ({
          kind: 'rotate',
          input: {
            sessionId: 's-1',
            presentedHash: current,
            successor: refreshToken(successor(index), T0 + round),
            now: T0 + round,
            activity: index === 0,
          },
        }));
        const winner = results.indexOf(true);
        expect(results.filter(Boolean), `round ${round}`).toHaveLength(1);
        expect((await storage.loadRefreshContext(current))?.successor?.hash).toBe(successor(winner));
        expect(await storage.loadRefreshContext(successor(1 - winner))).toBeNull();
        wins[winner] = (wins[winner] ?? 0) + 1;
        current = successor(winner);
      }
    });
    expect(wins[0]! + wins[1]!).toBe(ROTATION_ROUNDS);
    expect(await storage.getSession('s-1')).toMatchObject({
      lastRefreshAt: T0 + ROTATION_ROUNDS,
      endedAt: null,
    });
  });

  it('two processes creating the first signing key at once: exactly one key, every round', async () => {
    const { storage } = context;
    await storage.migrate();
    const wins = [0, 0];
    await withWorkers(2, async (workers) => {
      for (let round = 0; round < FIRST_KEY_ROUNDS; round++) {
        const envId = `env-key-${round}`;
        await storage.insertEnvironment(environment(envId));
        const kid = (index: number) => `k-${round}-${index}`;
        const results = await runTogether<boolean>(workers, (index) => ({
          kind: 'add-first-signing-key',
          key: signingKey(envId, kid(index), T0 + round),
        }));
        expect(results.filter(Boolean), `round ${round}`).toHaveLength(1);
        const winner = results.indexOf(true);
        expect((await storage.listSigningKeys(envId)).map((key) => key.kid)).toEqual([kid(winner)]);
        wins[winner] = (wins[winner] ?? 0) + 1;
      }
    });
    expect(wins[0]! + wins[1]!).toBe(FIRST_KEY_ROUNDS);
  });

  it('two nodes adding to the same minute at once: every count is summed, none lost', async () => {
    const { storage } = context;
    await storage.migrate();
    const minute = T0 - (T0 % 60);
    // Each process: 10 calls at once, each adding 1 login and its own number of refreshes.
    await withWorkers(2, (workers) =>
      runTogether(workers, (process) => ({
        kind: 'add-activity-counts',
        batches: Array.from({ length: ACTIVITY_CALLS_PER_PROCESS }, (_, i) => [
          { envId: ENV, minute, name: 'login', count: 1 },
          { envId: ENV, minute, name: 'refresh', count: process * 100 + i + 1 },
        ]),
      })),
    );
    const calls = Array.from({ length: ACTIVITY_CALLS_PER_PROCESS }, (_, i) => i + 1);
    const refreshes = calls.reduce((sum, n) => sum + n + (100 + n), 0);
    expect(await storage.listActivityCounts(ENV, minute, minute)).toEqual([
      { envId: ENV, minute, name: 'login', count: 2 * ACTIVITY_CALLS_PER_PROCESS },
      { envId: ENV, minute, name: 'refresh', count: refreshes },
    ]);
  });

  it('two processes claiming webhook deliveries at once: each delivery claimed once, none left', async () => {
    const { storage } = context;
    await storage.migrate();
    await storage.insertEnvironment(environment(ENV));
    for (const id of ['wh-1', 'wh-2', 'wh-3']) await storage.insertWebhookEndpoint(webhookEndpoint(id));
    for (let i = 0; i < WEBHOOK_EVENTS; i++) await storage.enqueueWebhookDeliveries(webhookEvent(`evt-${i}`));
    const claimed: string[] = [];
    await withWorkers(2, async (workers) => {
      for (let round = 0; round < WEBHOOK_EVENTS; round++) {
        const results = await runTogether<ClaimedWebhookDelivery[]>(workers, () => ({
          kind: 'claim-webhook-deliveries',
          input: claimInput({ limit: 4, perEndpointLimit: 2 }),
        }));
        const ids = results.flat().map((delivery) => delivery.id);
        if (ids.length === 0) break;
        claimed.push(...ids);
      }
    });
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed).toHaveLength(3 * WEBHOOK_EVENTS);
  });

  describe(`${2 * LOGINS_PER_PROCESS} concurrent logins from two processes at a limit of ${SESSION_LIMIT}`, () => {
    async function loginConcurrently(onLimit: 'evict_oldest' | 'reject'): Promise<CreateSessionResult[]> {
      const { storage } = context;
      await storage.migrate();
      await seedUser(storage);
      const results = await withWorkers(2, (workers) =>
        runTogether<CreateSessionResult[]>(workers, (process) => ({
          kind: 'create-sessions',
          limit: SESSION_LIMIT,
          onLimit,
          logins: Array.from({ length: LOGINS_PER_PROCESS }, (_, i) => ({
            session: newSession(ENV, USER, `s-${process}-${i}`, T0 + i),
            token: refreshToken(`h-${process}-${i}`, T0 + i),
          })),
        })),
      );
      return results.flat();
    }

    it('evict_oldest: every login succeeds and never more than the limit stay live', async () => {
      const results = await loginConcurrently('evict_oldest');
      const { storage } = context;
      expect(results.every((r) => r.created)).toBe(true);
      const live = await storage.listLiveSessions(ENV, USER);
      expect(live).toHaveLength(SESSION_LIMIT);

      const ended = results.flatMap((r) => (r.created ? r.ended : []));
      expect(ended).toHaveLength(2 * LOGINS_PER_PROCESS - SESSION_LIMIT);
      expect(new Set(ended.map((e) => e.sessionId)).size).toBe(ended.length);
      for (const { sessionId } of ended) {
        expect(await storage.getSession(sessionId)).toMatchObject({ endReason: 'evicted' });
      }
      expect(live.some((s) => ended.some((e) => e.sessionId === s.id))).toBe(false);
    });

    it('reject: exactly the limit of logins succeed', async () => {
      const results = await loginConcurrently('reject');
      expect(results.filter((r) => r.created)).toHaveLength(SESSION_LIMIT);
      expect(await context.storage.listLiveSessions(ENV, USER)).toHaveLength(SESSION_LIMIT);
    });
  });
}
