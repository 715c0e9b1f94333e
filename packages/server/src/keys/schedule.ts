/**
 * Which of an environment's keys signs, which the JWKS publishes, and which can be deleted, at a
 * given instant. Pure: `(keys, now, settings) → schedule`, no clock, no I/O.
 *
 * A key's life: published as "next" (before `activatesAt`, so verifiers that cached the JWKS
 * already know it), signing (from `activatesAt` until `retiredAt`), retired but still published
 * while a token it signed can be valid, then prunable.
 */
import { MAX_VERIFIER_LEEWAY_SECONDS } from '@tessera/protocol';
import type { SigningKeyRecord } from '../storage/records.js';

/**
 * How far past `exp` a verifier may still accept a token: the `@tessera/node` verifier's leeway is
 * at most 60 s (DESIGN §7). The keyring's reload interval must not exceed it (see keyring.ts).
 */
export const DEFAULT_CLOCK_SKEW_SECONDS = MAX_VERIFIER_LEEWAY_SECONDS;

export interface KeyScheduleInput {
  /** Epoch seconds. */
  now: number;
  /** The environment's access-token lifetime: how long a token outlives its key's retirement. */
  accessTokenTtlSeconds: number;
  clockSkewSeconds: number;
}

/**
 * A published key's role at `now`: `current` signs, `next` is published and signs from its
 * `activatesAt`, `retired` no longer signs and stays published while a token it signed can be valid.
 */
export type KeyStatus = 'current' | 'next' | 'retired';

export interface ScheduledKey extends SigningKeyRecord {
  status: KeyStatus;
}

export interface KeySchedule {
  /** The key that signs at `now`; `null` when no key has activated yet. */
  signingKey: SigningKeyRecord | null;
  /** What the JWKS publishes, with each key's role: the signing key first, then the others, newest first. */
  publishedKeys: ScheduledKey[];
  /** Keys retired before this instant verify no live token and can be deleted. */
  prunableBefore: number;
}

/**
 * Decides the signing key and the published keys of one environment at `now`.
 *
 * The signing key is the newest key that has activated and not retired; a key that has not
 * activated yet is next, any other has stopped signing (retired). Every key is published
 * except those retired for longer than an access token lives (plus clock skew): a retired key
 * stays until the last token it signed has expired, and a next key is published before it signs.
 *
 * @example
 * const { signingKey, publishedKeys } = scheduleSigningKeys(records, {
 *   now, accessTokenTtlSeconds: 300, clockSkewSeconds: DEFAULT_CLOCK_SKEW_SECONDS,
 * });
 */
export function scheduleSigningKeys(keys: readonly SigningKeyRecord[], input: KeyScheduleInput): KeySchedule {
  const { now, accessTokenTtlSeconds, clockSkewSeconds } = input;
  const newestFirst = [...keys].sort(byNewestFirst);
  // `retiredAt` counts, not just `activatesAt`: when two nodes race to create an environment's
  // first key, both keys have the same activation, and the store has retired one of them.
  const signingKey =
    newestFirst.find((key) => key.activatesAt <= now && (key.retiredAt === null || key.retiredAt > now)) ??
    null;
  const validityAfterRetirement = accessTokenTtlSeconds + clockSkewSeconds;
  const others = newestFirst.filter(
    (key) => key !== signingKey && (key.retiredAt === null || key.retiredAt + validityAfterRetirement > now),
  );
  const published = signingKey === null ? others : [signingKey, ...others];
  return {
    signingKey,
    publishedKeys: published.map((key) => ({ ...key, status: statusOf(key, signingKey, now) })),
    // A key retired exactly at this instant is unpublished too, but the store deletes strictly
    // before it; it goes at the next prune.
    prunableBefore: now - validityAfterRetirement,
  };
}

function statusOf(key: SigningKeyRecord, signingKey: SigningKeyRecord | null, now: number): KeyStatus {
  if (key === signingKey) return 'current';
  return key.activatesAt > now ? 'next' : 'retired';
}

/** Latest activation first; ties (a first-key race) broken the same way on every node. */
function byNewestFirst(a: SigningKeyRecord, b: SigningKeyRecord): number {
  return (
    b.activatesAt - a.activatesAt || b.createdAt - a.createdAt || (a.kid < b.kid ? 1 : a.kid > b.kid ? -1 : 0)
  );
}
