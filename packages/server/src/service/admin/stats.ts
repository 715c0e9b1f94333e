/**
 * The dashboard's numbers for an environment (docs/operations.md, "Activity counters"): its live
 * sessions now, and per minute over the last `minutes` logins, login failures, refreshes and
 * refusals by code, oldest first, every minute present (zeros included).
 */
import { TesseraError } from '../../errors.js';
import type { ActivityCount } from '../../storage/port/activity.js';
import type { ServiceDeps } from '../deps.js';
import { isoTime } from './iso-time.js';
import { requireEnvironment } from './lookups.js';

export const STATS_MINUTES = Object.freeze({ default: 60, max: 1440 });

export interface ActivityMinute {
  /** The minute's start, ISO 8601. */
  at: string;
  logins: number;
  loginFailures: number;
  refreshes: number;
  /** Refused refreshes by the code sent to the client; only codes that occurred. */
  refusals: Record<string, number>;
}

export interface EnvironmentStats {
  /** Sessions of the environment not ended (one that lapsed counts until the sweep ends it). */
  liveSessions: number;
  minutes: ActivityMinute[];
}

const REFUSAL_PREFIX = 'refusal:';

/** @throws TesseraError `invalid_request` (field `minutes`), `not_found`. */
export async function environmentStats(
  deps: ServiceDeps,
  envId: string,
  query: { minutes?: string | undefined } = {},
): Promise<EnvironmentStats> {
  const minutes = minutesOf(query.minutes);
  await requireEnvironment(deps, envId);
  const now = deps.clock.now();
  const until = now - (now % 60);
  const from = until - (minutes - 1) * 60;
  const [liveSessions, counts] = await Promise.all([
    deps.storage.countLiveSessions(envId),
    deps.storage.listActivityCounts(envId, from, until),
  ]);
  const byMinute = new Map<number, ActivityMinute>();
  for (let minute = from; minute <= until; minute += 60) {
    byMinute.set(minute, { at: isoTime(minute), logins: 0, loginFailures: 0, refreshes: 0, refusals: {} });
  }
  for (const count of counts) {
    const minute = byMinute.get(count.minute);
    if (minute) addCount(minute, count);
  }
  return { liveSessions, minutes: [...byMinute.values()] };
}

function addCount(minute: ActivityMinute, { name, count }: ActivityCount): void {
  if (name === 'login') minute.logins += count;
  else if (name === 'login_failed') minute.loginFailures += count;
  else if (name === 'refresh') minute.refreshes += count;
  else if (name.startsWith(REFUSAL_PREFIX)) {
    const code = name.slice(REFUSAL_PREFIX.length);
    minute.refusals[code] = (minute.refusals[code] ?? 0) + count;
  }
}

function minutesOf(minutes: string | undefined): number {
  if (minutes === undefined) return STATS_MINUTES.default;
  const value = /^[1-9][0-9]{0,3}$/.test(minutes) ? Number(minutes) : Number.NaN;
  if (!(value <= STATS_MINUTES.max)) {
    throw new TesseraError('invalid_request', {
      message: `Invalid request: minutes must be an integer from 1 to ${STATS_MINUTES.max}.`,
      field: 'minutes',
    });
  }
  return value;
}
