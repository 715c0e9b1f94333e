import { createHmac, createSecretKey, randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisThrottle } from './redis-throttle.js';
import { LOGIN_THROTTLE_POLICY } from './throttle.js';
import { describeLoginThrottleContract } from './throttle-contract.test-helpers.js';

const redisUrl = process.env.TESSERA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const runPrefix = `tessera-test:throttle:${randomUUID()}:`;
const redis = await connectOrNull(redisUrl);

if (redis === null) {
  const message = `Redis is unreachable at ${new URL(redisUrl).host}: the Redis login throttle tests did NOT run.`;
  if (process.env.CI === 'true') throw new Error(`${message} CI requires them (set TESSERA_TEST_REDIS_URL).`);
  console.warn(`\n${'!'.repeat(message.length)}\n${message}\n${'!'.repeat(message.length)}\n`);
}

async function connectOrNull(url: string): Promise<Redis | null> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch {
    client.disconnect();
    return null;
  }
}

async function keysUnder(client: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

const keyNameKey = createSecretKey(randomBytes(32));

/** The Redis key of a counter: its kind in the clear, its name (email, address) an HMAC. */
function redisKey(prefix: string, kind: string, name: string): string {
  return `${prefix}${kind}:${createHmac('sha256', keyNameKey).update(name).digest('base64url')}`;
}

let throttles = 0;
function freshThrottle(client: Redis) {
  const prefix = `${runPrefix}${throttles++}:`;
  return { prefix, throttle: createRedisThrottle({ redis: client, prefix, keyNameKey }) };
}

describe.skipIf(redis === null)('redis throttle', () => {
  const client = redis as Redis;

  afterAll(async () => {
    const keys = await keysUnder(client, runPrefix);
    if (keys.length > 0) await client.del(...keys);
    await client.quit();
  });

  describeLoginThrottleContract('redis', () => freshThrottle(client).throttle);

  const key = { account: 'ada', ip: '192.0.2.1' };
  const { maxFailuresPerAccount, windowSeconds, pendingAttemptTtlSeconds } = LOGIN_THROTTLE_POLICY;

  it('gives every counter an expiry: failures the window, attempts in flight their time to live', async () => {
    const { prefix, throttle } = freshThrottle(client);
    await throttle.check(key);
    await throttle.recordFailure(key);
    await throttle.check({ account: 'grace', ip: '192.0.2.2' });

    const keys = await keysUnder(client, prefix);
    expect(keys.sort()).toEqual(
      [
        redisKey(prefix, 'failures', 'account:ada'),
        redisKey(prefix, 'failures', 'ip:192.0.2.1'),
        redisKey(prefix, 'in-flight', 'account:grace'),
        redisKey(prefix, 'in-flight', 'ip:192.0.2.2'),
      ].sort(),
    );
    for (const k of keys) {
      const ttl = await client.ttl(k);
      const max = k.includes(':failures:') ? windowSeconds : pendingAttemptTtlSeconds;
      expect(ttl).toBeGreaterThan(max - 5);
      expect(ttl).toBeLessThanOrEqual(max);
    }
  });

  it('takes the Retry-After from the lock key’s time to live in Redis', async () => {
    const { prefix, throttle } = freshThrottle(client);
    for (let i = 0; i < maxFailuresPerAccount; i++) {
      await throttle.check(key);
      await throttle.recordFailure(key);
    }
    await client.pexpire(redisKey(prefix, 'failures', 'account:ada'), 4200);
    expect(await throttle.check(key)).toEqual({ allowed: false, retryAfterSeconds: 5 });
  });

  it('gives a lock counter that somehow lost its expiry one again, so no lock is permanent', async () => {
    const { prefix, throttle } = freshThrottle(client);
    await client.set(redisKey(prefix, 'failures', 'account:ada'), String(maxFailuresPerAccount));
    expect(await throttle.check(key)).toEqual({ allowed: false, retryAfterSeconds: windowSeconds });
    expect(await client.ttl(redisKey(prefix, 'failures', 'account:ada'))).toBeGreaterThan(windowSeconds - 5);
  });

  it('lets the account in again once Redis expires the lock (AUTH-04)', async () => {
    const { prefix, throttle } = freshThrottle(client);
    for (let i = 0; i < maxFailuresPerAccount; i++) {
      await throttle.check(key);
      await throttle.recordFailure(key);
    }
    await client.pexpire(redisKey(prefix, 'failures', 'account:ada'), 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await throttle.check(key)).toEqual({ allowed: true });
  });

  it('leaves no account counts behind after a success, only the address marked known, with an expiry', async () => {
    const { prefix, throttle } = freshThrottle(client);
    await throttle.check(key);
    await throttle.recordFailure(key);
    await throttle.check(key);
    await throttle.recordSuccess(key);
    const mark = redisKey(prefix, 'known', 'known-ip:192.0.2.1|ada');
    expect((await keysUnder(client, prefix)).sort()).toEqual(
      [redisKey(prefix, 'failures', 'ip:192.0.2.1'), mark].sort(),
    );
    expect(await client.ttl(mark)).toBeGreaterThan(LOGIN_THROTTLE_POLICY.knownSourceTtlSeconds - 5);
  });

  it('names no account and no address in Redis: whoever reads its keys learns neither', async () => {
    const { prefix, throttle } = freshThrottle(client);
    const visitor = { account: 'ada.lovelace@example.com', ip: '198.51.100.23', device: 'device-7' };
    await throttle.check(visitor);
    await throttle.recordFailure(visitor);
    await throttle.check(visitor);
    await throttle.recordSuccess(visitor);
    await throttle.check(visitor);

    const keys = await keysUnder(client, prefix);
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) {
      for (const clear of ['ada', 'lovelace', 'example.com', '198.51.100', 'device-7']) {
        expect(k).not.toContain(clear);
      }
    }
  });

  it('shares counts between two nodes', async () => {
    const { prefix } = freshThrottle(client);
    const nodeA = createRedisThrottle({ redis: client, prefix, keyNameKey });
    const nodeB = createRedisThrottle({ redis: client, prefix, keyNameKey });
    for (let i = 0; i < maxFailuresPerAccount; i++) {
      const node = i % 2 === 0 ? nodeA : nodeB;
      await node.check(key);
      await node.recordFailure(key);
    }
    expect((await nodeA.check(key)).allowed).toBe(false);
    expect((await nodeB.check(key)).allowed).toBe(false);
  });

  it('sends a script’s text when Redis does not have it cached', async () => {
    const forgetful = {
      evalsha: async () => {
        throw new Error('NOSCRIPT No matching script. Please use EVAL.');
      },
      eval: (...args: Parameters<Redis['eval']>) => client.eval(...args),
      mget: (...keys: string[]) => client.mget(...keys),
    } as unknown as Redis;
    const throttle = createRedisThrottle({ redis: forgetful, prefix: `${runPrefix}forgetful:`, keyNameKey });
    expect(await throttle.check(key)).toEqual({ allowed: true });
  });
});
