/**
 * The feed's state machine on its own (docs/revocation-feed.md): every transition, and the state at
 * both sides of each silence limit. The feed over a socket is in revocation-feed.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { type FeedPhase, INITIAL_PHASE, lastEventAt, nextPhase, stateAt } from './feed-state.js';

const T = 1_000_000;
const limits = { behindAfterSeconds: 10, maxStalenessSeconds: 30 };
const caughtUp: FeedPhase = { name: 'caught-up', lastEventAt: T };
const reconnecting: FeedPhase = { name: 'reconnecting', lastEventAt: T };

describe('transitions', () => {
  it.each([
    ['connecting', INITIAL_PHASE, { type: 'ready', now: T }, { name: 'caught-up', lastEventAt: T }],
    ['connecting', INITIAL_PHASE, { type: 'heard', now: T }, INITIAL_PHASE],
    ['connecting', INITIAL_PHASE, { type: 'disconnected' }, INITIAL_PHASE],
    ['connecting', INITIAL_PHASE, { type: 'closed' }, { name: 'closed', lastEventAt: null }],
    ['caught-up', caughtUp, { type: 'heard', now: T + 5 }, { name: 'caught-up', lastEventAt: T + 5 }],
    ['caught-up', caughtUp, { type: 'ready', now: T + 5 }, { name: 'caught-up', lastEventAt: T + 5 }],
    ['caught-up', caughtUp, { type: 'disconnected' }, reconnecting],
    ['caught-up', caughtUp, { type: 'closed' }, { name: 'closed', lastEventAt: T }],
    // A replayed ending before the new connection's `ready` proves nothing about now.
    ['reconnecting', reconnecting, { type: 'heard', now: T + 5 }, reconnecting],
    ['reconnecting', reconnecting, { type: 'ready', now: T + 5 }, { name: 'caught-up', lastEventAt: T + 5 }],
    ['reconnecting', reconnecting, { type: 'disconnected' }, reconnecting],
    [
      'closed',
      { name: 'closed', lastEventAt: T },
      { type: 'ready', now: T + 5 },
      { name: 'closed', lastEventAt: T },
    ],
  ] as const)('%s + %j', (_name, phase, transition, expected) => {
    expect(nextPhase(phase, transition)).toEqual(expected);
  });
});

describe('the state at an instant', () => {
  it.each([
    [INITIAL_PHASE, T + 1000, 'connecting'],
    [caughtUp, T, 'live'],
    [caughtUp, T + 10, 'live'],
    [caughtUp, T + 11, 'behind'],
    [caughtUp, T + 30, 'behind'],
    [caughtUp, T + 31, 'stale'],
    [reconnecting, T, 'behind'],
    [reconnecting, T + 30, 'behind'],
    [reconnecting, T + 31, 'stale'],
    [{ name: 'closed', lastEventAt: T } as const, T, 'stale'],
    [{ name: 'closed', lastEventAt: null } as const, T, 'stale'],
  ] as const)('%j at %d is %s', (phase, now, expected) => {
    expect(stateAt(phase, now, limits)).toBe(expected);
  });

  it('lastEventAt is null until a ready, and survives a drop and a close', () => {
    expect(lastEventAt(INITIAL_PHASE)).toBeNull();
    expect(lastEventAt(reconnecting)).toBe(T);
    expect(lastEventAt(nextPhase(reconnecting, { type: 'closed' }))).toBe(T);
  });
});
