import { createHash, createHmac, type KeyObject } from 'node:crypto';
import type { Redis } from 'ioredis';
import { knownSourceMarks, throttleSubjects } from './subjects.js';
import {
  LOGIN_THROTTLE_POLICY,
  type LoginThrottle,
  type LoginThrottlePolicy,
  type ThrottleKey,
  type ThrottleVerdict,
} from './throttle.js';

export interface RedisThrottleOptions {
  /** A client of a single Redis server (not Redis Cluster: each script touches several keys). */
  redis: Redis;
  /** Prepended to every key, e.g. `tessera:throttle:`. */
  prefix: string;
  /**
   * Keys the HMAC that turns a counter's name — which holds the account's email and the address —
   * into the opaque part of its Redis key: whoever reads Redis learns neither.
   */
  keyNameKey: KeyObject;
  policy?: LoginThrottlePolicy;
}

// KEYS: account failures, address failures, account in flight, address in flight (the account's
// budget is the one the attempt's source counts in: throttle.ts).
// ARGV: account limit, address limit, in-flight TTL (s), window (s).
// Returns 0 (allowed) or the milliseconds to wait.
const CHECK_SCRIPT = luaScript(`
local limits = { tonumber(ARGV[1]), tonumber(ARGV[2]) }
local wait = 0
for i = 1, 2 do
  if tonumber(redis.call('GET', KEYS[i]) or '0') >= limits[i] then
    local ttl = redis.call('PTTL', KEYS[i])
    if ttl < 0 then
      redis.call('EXPIRE', KEYS[i], ARGV[4])
      ttl = tonumber(ARGV[4]) * 1000
    end
    if ttl > wait then wait = ttl end
  end
end
if wait > 0 then return wait end
for i = 1, 2 do
  local failed = tonumber(redis.call('GET', KEYS[i]) or '0')
  local inFlight = tonumber(redis.call('GET', KEYS[i + 2]) or '0')
  if failed + inFlight >= limits[i] then return 1000 end
end
for i = 3, 4 do
  redis.call('INCR', KEYS[i])
  redis.call('EXPIRE', KEYS[i], ARGV[3])
end
return 0
`);

// KEYS: as for CHECK_SCRIPT. ARGV: window (s).
const RECORD_FAILURE_SCRIPT = luaScript(`
for i = 1, 2 do
  if redis.call('INCR', KEYS[i]) == 1 or redis.call('PTTL', KEYS[i]) < 0 then
    redis.call('EXPIRE', KEYS[i], ARGV[1])
  end
end
for i = 3, 4 do
  if redis.call('DECR', KEYS[i]) <= 0 then redis.call('DEL', KEYS[i]) end
end
return 0
`);

// KEYS: account failures, account in flight, address in flight, then the known-source marks to set.
// ARGV: how long a source stays known (s).
const RECORD_SUCCESS_SCRIPT = luaScript(`
redis.call('DEL', KEYS[1])
for i = 2, 3 do
  if redis.call('DECR', KEYS[i]) <= 0 then redis.call('DEL', KEYS[i]) end
end
for i = 4, #KEYS do
  redis.call('SET', KEYS[i], '1', 'EX', ARGV[1])
end
return 0
`);

/**
 * The login throttle shared by every server node through one Redis (`TESSERA_REDIS_URL`). Each
 * operation is one Lua script, so a check-and-reserve or a count-and-expire is atomic across
 * nodes, and no counter can be left without an expiry.
 *
 * Windows live in Redis key TTLs, so nodes whose clocks disagree still agree on when a lock ends
 * (which is why, unlike the in-memory throttle, this one takes no `now`). When Redis cannot be
 * reached the returned promises reject; the caller answers `503 service_unavailable` rather than
 * letting logins through unthrottled.
 *
 * @example
 * const throttle = createRedisThrottle({
 *   redis: new Redis(url),
 *   prefix: 'tessera:throttle:',
 *   keyNameKey: secrets.throttleKeyNameKey,
 * });
 */
export function createRedisThrottle(options: RedisThrottleOptions): LoginThrottle {
  const { redis, keyNameKey } = options;
  const policy = options.policy ?? LOGIN_THROTTLE_POLICY;
  const redisKey = (kind: string, name: string) =>
    `${options.prefix}${kind}:${createHmac('sha256', keyNameKey).update(name).digest('base64url')}`;
  const run = scriptRunner(redis);

  // Known-ness changes only by a success, so reading it before the script is no race that
  // matters: at worst one attempt in flight counts in the budget it started in.
  const keys = async (key: ThrottleKey) => {
    const marks = knownSourceMarks(key);
    const markKeys = [marks.address, ...(marks.device === undefined ? [] : [marks.device])].map((mark) =>
      redisKey('known', mark),
    );
    const [address, device] = await redis.mget(...markKeys);
    const [account, ip] = throttleSubjects(key, policy, {
      device: device !== undefined && device !== null,
      address: address !== null && address !== undefined,
    });
    return {
      accountFailures: redisKey('failures', account.id),
      ipFailures: redisKey('failures', ip.id),
      accountInFlight: redisKey('in-flight', account.id),
      ipInFlight: redisKey('in-flight', ip.id),
      accountLimit: account.limit,
      markKeys,
    };
  };

  return {
    async check(key: ThrottleKey): Promise<ThrottleVerdict> {
      const k = await keys(key);
      const waitMs = Number(
        await run(
          CHECK_SCRIPT,
          [k.accountFailures, k.ipFailures, k.accountInFlight, k.ipInFlight],
          [k.accountLimit, policy.maxFailuresPerIp, policy.pendingAttemptTtlSeconds, policy.windowSeconds],
        ),
      );
      return waitMs > 0
        ? { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) }
        : { allowed: true };
    },

    async recordFailure(key: ThrottleKey): Promise<void> {
      const k = await keys(key);
      await run(
        RECORD_FAILURE_SCRIPT,
        [k.accountFailures, k.ipFailures, k.accountInFlight, k.ipInFlight],
        [policy.windowSeconds],
      );
    },

    async recordSuccess(key: ThrottleKey): Promise<void> {
      const k = await keys(key);
      await run(
        RECORD_SUCCESS_SCRIPT,
        [k.accountFailures, k.accountInFlight, k.ipInFlight, ...k.markKeys],
        [policy.knownSourceTtlSeconds],
      );
    },
  };
}

interface LuaScript {
  text: string;
  sha1: string;
}

function luaScript(text: string): LuaScript {
  return { text, sha1: createHash('sha1').update(text).digest('hex') };
}

/** Runs a script by its SHA-1 (EVALSHA), sending its text only when Redis has not cached it. */
function scriptRunner(redis: Redis) {
  return async (script: LuaScript, keys: string[], args: number[]): Promise<unknown> => {
    try {
      return await redis.evalsha(script.sha1, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(script.text, keys.length, ...keys, ...args);
    }
  };
}
