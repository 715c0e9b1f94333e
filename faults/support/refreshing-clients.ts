/**
 * Browsers refreshing in a closed loop, each with its own session and rotating cookie, as the SDK
 * does: a 200 moves the browser to the successor; anything else (a 503, a connection refused or
 * cut) keeps the cookie it has and tries again — so a browser whose response was lost retries with
 * the predecessor, inside the rotation grace window (DESIGN §4.2). A 401 is a browser logged out.
 */
import { Agent } from 'node:http';
import { sleep } from '../../e2e/support/processes.js';
import { type Answer, cookieOf, refresh } from './http.js';

export interface Outcome {
  at: number;
  /** The status, or the socket error's code. */
  result: number | string;
  retryAfter?: string | undefined;
  latencyMs: number;
}

export interface RefreshingClient {
  cookie: string;
  outcomes: Outcome[];
}

export interface RefreshLoad {
  clients: RefreshingClient[];
  /** Every outcome of every client, in no particular order. */
  outcomes(): Outcome[];
  /** The first 200 any client got at or after `since` (performance.now()), or null. */
  firstSuccessAfter(since: number): number | null;
  /** When every client has had a 200 at or after `since`, or null if one has not yet. */
  allSucceededAfter(since: number): number | null;
  stop(): Promise<void>;
}

export interface RefreshLoadOptions {
  /** Pause after a failure before the next try [100 ms]: a client waiting out an outage. */
  backoffMs?: number;
  /** Keep-alive connections (one agent per client) instead of one connection per request. */
  keepAlive?: boolean;
}

export function startRefreshLoad(
  baseUrl: () => string,
  cookies: string[],
  options: RefreshLoadOptions = {},
): RefreshLoad {
  const clients: RefreshingClient[] = cookies.map((cookie) => ({ cookie, outcomes: [] }));
  let running = true;
  const loops = clients.map(async (client) => {
    const agent = options.keepAlive ? new Agent({ keepAlive: true, maxSockets: 1 }) : false;
    while (running) {
      const started = performance.now();
      const answer: Answer = await refresh(baseUrl(), client.cookie, { agent });
      const at = performance.now();
      client.outcomes.push({
        at,
        result: answer.kind === 'response' ? answer.status : answer.code,
        retryAfter:
          answer.kind === 'response' ? (answer.headers['retry-after'] as string | undefined) : undefined,
        latencyMs: at - started,
      });
      const successor = answer.kind === 'response' && answer.status === 200 ? cookieOf(answer) : null;
      if (successor) client.cookie = successor;
      else await sleep(options.backoffMs ?? 100);
    }
    if (agent) agent.destroy();
  });
  const firstOkAfter = (client: RefreshingClient, since: number) =>
    client.outcomes.find((o) => o.at >= since && o.result === 200)?.at ?? null;
  return {
    clients,
    outcomes: () => clients.flatMap((client) => client.outcomes),
    firstSuccessAfter(since) {
      const times = clients.map((c) => firstOkAfter(c, since)).filter((t): t is number => t !== null);
      return times.length === 0 ? null : Math.min(...times);
    },
    allSucceededAfter(since) {
      const times = clients.map((c) => firstOkAfter(c, since));
      return times.some((t) => t === null) ? null : Math.max(...(times as number[]));
    },
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** How many outcomes of each kind: `{200: 812, 503: 4, ECONNREFUSED: 40}`. */
export function tally(outcomes: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { result } of outcomes) counts[result] = (counts[result] ?? 0) + 1;
  return counts;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
