/**
 * The names both throttle implementations count under, so that the memory and the Redis throttle
 * apply one rule (throttle.ts).
 */
import { ipThrottleSubject } from './ip-subject.js';
import type { LoginThrottlePolicy, ThrottleKey } from './throttle.js';

/** What makes a source known for an account: a device cookie or an address that logged in. */
export interface KnownSourceMarks {
  /** Absent when the browser sent no device cookie. */
  device: string | undefined;
  address: string;
}

// The account (an email) can hold any character, so it always comes last, after a '|' that the
// device id (base64url) and the address cannot contain: no two keys spell the same name.
export function knownSourceMarks(key: ThrottleKey): KnownSourceMarks {
  return {
    device: key.device === undefined ? undefined : `known-device:${key.device}|${key.account}`,
    address: `known-ip:${ipThrottleSubject(key.ip)}|${key.account}`,
  };
}

export interface ThrottleSubject {
  id: string;
  limit: number;
}

/**
 * The account budget an attempt counts in, given which of its marks exist, then the address's.
 * A known device comes before a known address.
 */
export function throttleSubjects(
  key: ThrottleKey,
  policy: LoginThrottlePolicy,
  known: { device: boolean; address: boolean },
): readonly [account: ThrottleSubject, address: ThrottleSubject] {
  const account =
    known.device && key.device !== undefined
      ? { id: `account-device:${key.device}|${key.account}`, limit: policy.maxFailuresPerKnownSource }
      : known.address
        ? {
            id: `account-ip:${ipThrottleSubject(key.ip)}|${key.account}`,
            limit: policy.maxFailuresPerKnownSource,
          }
        : { id: `account:${key.account}`, limit: policy.maxFailuresPerAccount };
  return [account, { id: `ip:${ipThrottleSubject(key.ip)}`, limit: policy.maxFailuresPerIp }];
}
