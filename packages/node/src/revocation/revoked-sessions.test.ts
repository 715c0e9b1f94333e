/** The retention of ended sessions: kept for the announced window plus the leeway, swept every 30 s. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_SECONDS, RevokedSessions } from './revoked-sessions.js';

const T = 1_000_000;

describe('RevokedSessions', () => {
  it('keeps an ending for the window plus the leeway, and forgets it on the next sweep after', () => {
    const revoked = new RevokedSessions({ clockToleranceSeconds: 30, now: T });
    revoked.learnWindow({ serverTime: T, replayedFrom: T - 360 });
    revoked.add('sid-1', T);
    revoked.sweep(T + 390);
    expect(revoked.has('sid-1')).toBe(true);
    revoked.sweep(T + 391);
    // Swept at T + 390 already: the next sweep is 30 s later.
    expect(revoked.has('sid-1')).toBe(true);
    revoked.sweep(T + 420);
    expect(revoked.has('sid-1')).toBe(false);
    expect(revoked.size).toBe(0);
  });

  it('a duplicate ending is one entry (the feed is a set)', () => {
    const revoked = new RevokedSessions({ clockToleranceSeconds: 0, now: T });
    revoked.add('sid-1', T);
    revoked.add('sid-1', T + 1);
    expect(revoked.size).toBe(1);
  });

  it.each([
    ['no window', {}],
    ['a window of 0', { serverTime: T, replayedFrom: T }],
    ['a window longer than any token lives', { serverTime: T, replayedFrom: T - DEFAULT_WINDOW_SECONDS - 1 }],
    ['fields that are not numbers', { serverTime: String(T), replayedFrom: T - 360 }],
  ])('%s keeps the default window', (_name, ready) => {
    const revoked = new RevokedSessions({ clockToleranceSeconds: 0, now: T });
    revoked.learnWindow(ready);
    revoked.add('sid-1', T);
    revoked.sweep(T + DEFAULT_WINDOW_SECONDS);
    expect(revoked.has('sid-1')).toBe(true);
    revoked.sweep(T + DEFAULT_WINDOW_SECONDS + 30);
    expect(revoked.has('sid-1')).toBe(false);
  });
});
