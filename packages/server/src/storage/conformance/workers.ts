/**
 * Child processes with their own storage connection, for the cross-process races. Each task is
 * released at one shared instant (a barrier on the wall clock, which all processes share).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { OnLimit } from '../../engine/policy.js';
import type { OpenStorageOptions } from '../open.js';
import type { ActivityCount } from '../port/activity.js';
import type { RotateRefreshTokenInput } from '../port/sessions.js';
import type { ClaimWebhookDeliveriesInput } from '../port/webhooks.js';
import type { NewRefreshToken, NewSession, SigningKeyRecord } from '../records.js';

export type WorkerTask =
  | { kind: 'open'; url: string; options?: OpenStorageOptions | undefined }
  | { kind: 'migrate' }
  | { kind: 'rotate'; input: RotateRefreshTokenInput }
  | {
      kind: 'create-sessions';
      limit: number;
      onLimit: OnLimit;
      logins: { session: NewSession; token: NewRefreshToken }[];
    }
  | { kind: 'add-first-signing-key'; key: SigningKeyRecord }
  /** Each batch in its own call, all at once (several connections on PostgreSQL). */
  | { kind: 'add-activity-counts'; batches: ActivityCount[][] }
  | { kind: 'claim-webhook-deliveries'; input: ClaimWebhookDeliveriesInput }
  | { kind: 'close' };

export interface WorkerRequest {
  id: number;
  task: WorkerTask;
  /** Epoch milliseconds (high resolution) at which to start; absent: at once. */
  startAt?: number;
}

export type WorkerReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; message: string };

const WORKER_FILE = fileURLToPath(new URL('./race-worker.ts', import.meta.url));
/** Long enough for the task to reach every process before the release, even on a busy machine. */
const BARRIER_DELAY_MILLIS = 40;

export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

export class Worker {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  #nextId = 0;

  constructor() {
    this.#child = fork(WORKER_FILE, [], {
      execArgv: ['--conditions=source', '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#child.on('message', (reply: WorkerReply) => {
      const pending = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      if (reply.ok) pending?.resolve(reply.value);
      else pending?.reject(new Error(`worker: ${reply.message}`));
    });
    this.#child.on('exit', (code) => {
      for (const pending of this.#pending.values()) pending.reject(new Error(`worker exited with ${code}`));
      this.#pending.clear();
    });
  }

  run(task: WorkerTask, startAt?: number): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#child.send({ id, task, startAt } satisfies WorkerRequest);
    });
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    const killTimer = setTimeout(() => this.#child.kill('SIGKILL'), 5000);
    this.run({ kind: 'close' }).catch(() => {});
    await exited;
    clearTimeout(killTimer);
  }
}

/** Starts `count` workers, each with its own connection to the database. */
export async function startWorkers(
  count: number,
  connection: { url: string; options?: OpenStorageOptions | undefined },
): Promise<Worker[]> {
  const workers = Array.from({ length: count }, () => new Worker());
  try {
    await Promise.all(workers.map((worker) => worker.run({ kind: 'open', ...connection })));
  } catch (error) {
    await stopWorkers(workers);
    throw error;
  }
  return workers;
}

export async function stopWorkers(workers: readonly Worker[]): Promise<void> {
  await Promise.all(workers.map((worker) => worker.stop()));
}

/** Gives each worker its task and releases them all at the same instant; the results in order. */
export function runTogether<T>(
  workers: readonly Worker[],
  task: (index: number) => WorkerTask,
): Promise<T[]> {
  const startAt = preciseNow() + BARRIER_DELAY_MILLIS;
  return Promise.all(workers.map((worker, index) => worker.run(task(index), startAt) as Promise<T>));
}
