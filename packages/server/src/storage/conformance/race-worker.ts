/**
 * A child process of the conformance suite (see workers.ts): opens its own storage connection
 * and runs the tasks it is sent, each at the instant it is told.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { SessionRecord } from '../../engine/records.js';
import { openStorage } from '../open.js';
import type { SessionLimitDecision } from '../port/sessions.js';
import type { Storage } from '../port.js';
import { preciseNow, type WorkerReply, type WorkerRequest, type WorkerTask } from './workers.js';

/** The last stretch before the release is spun, not slept, so that timers cannot skew the start. */
const SPIN_MILLIS = 3;

let storage: Storage | undefined;

process.on('message', (request: WorkerRequest) => {
  void handle(request);
});
process.on('disconnect', () => process.exit(0));

async function handle(request: WorkerRequest): Promise<void> {
  let reply: WorkerReply;
  try {
    if (request.startAt !== undefined) await waitUntil(request.startAt);
    reply = { id: request.id, ok: true, value: await perform(request.task) };
  } catch (error) {
    reply = { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  process.send?.(reply);
  if (request.task.kind === 'close') process.disconnect();
}

async function waitUntil(startAt: number): Promise<void> {
  const remaining = startAt - preciseNow() - SPIN_MILLIS;
  if (remaining > 0) await sleep(remaining);
  while (preciseNow() < startAt) {
    // spin
  }
}

async function perform(task: WorkerTask): Promise<unknown> {
  if (task.kind === 'open') {
    storage = await openStorage(task.url, task.options);
    // Connect now, so that the first raced task does not also race the connection set-up.
    await storage.databaseTime();
    return null;
  }
  if (!storage) throw new Error('no storage: send "open" first');
  switch (task.kind) {
    case 'migrate':
      return storage.migrate();
    case 'rotate':
      return storage.rotateRefreshToken(task.input);
    case 'create-sessions': {
      const decide = sessionLimit(task.limit, task.onLimit);
      const opened = storage;
      return Promise.all(
        task.logins.map(({ session, token }) => opened.createSession({ session, token, decide })),
      );
    }
    case 'add-first-signing-key':
      return storage.addFirstSigningKey(task.key);
    case 'add-activity-counts': {
      const opened = storage;
      return Promise.all(task.batches.map((batch) => opened.addActivityCounts(batch)));
    }
    case 'claim-webhook-deliveries':
      return storage.claimWebhookDeliveries(task.input);
    case 'close':
      await storage.close();
      return null;
  }
}

/** The limit as the engine applies it: evict the least recently active sessions, or refuse. */
function sessionLimit(limit: number, onLimit: 'evict_oldest' | 'reject') {
  return (live: readonly SessionRecord[]): SessionLimitDecision => {
    if (live.length < limit) return { kind: 'create', end: [] };
    if (onLimit === 'reject') return { kind: 'reject' };
    const oldestFirst = [...live].sort((a, b) => a.lastActiveAt - b.lastActiveAt || a.id.localeCompare(b.id));
    return {
      kind: 'create',
      end: oldestFirst
        .slice(0, live.length - limit + 1)
        .map((s) => ({ sessionId: s.id, reason: 'evicted' as const })),
    };
  };
}
