import { describe, expect, it } from 'vitest';
import { OVERLAP_SECONDS } from './revocation-hub.js';
import { REMEMBERED_SECONDS, SentEndings } from './sent-endings.js';

const T0 = 1_800_000_000;

describe('a revocation-feed connection remembers only recent endings (issue #9, item 11)', () => {
  it('a day of endings, each delivered twice within the overlap: every one announced, none twice, the set stays small', () => {
    const sent = new SentEndings();
    const announced = new Map<string, number>();
    let largest = 0;
    // One ending per second for a day; each also comes again OVERLAP_SECONDS later, as the hub's
    // look-back (or a backlog overlapping the live side) would hand it out.
    for (let now = T0; now < T0 + 86_400; now++) {
      const batch = [{ sessionId: `s${now}`, endedAt: now }];
      const again = now - OVERLAP_SECONDS;
      if (again >= T0) batch.push({ sessionId: `s${again}`, endedAt: again });
      for (const ending of batch)
        if (sent.firstTime(ending, now))
          announced.set(ending.sessionId, (announced.get(ending.sessionId) ?? 0) + 1);
      largest = Math.max(largest, sent.size);
    }
    expect(announced.size).toBe(86_400);
    expect([...announced.values()].every((count) => count === 1)).toBe(true);
    expect(largest).toBeLessThanOrEqual(REMEMBERED_SECONDS + 1);
  });

  it('shrinks as the clock moves on, even with nothing new', () => {
    const sent = new SentEndings();
    for (let i = 0; i < 1000; i++) sent.firstTime({ sessionId: `s${i}`, endedAt: T0 }, T0);
    expect(sent.size).toBe(1000);
    sent.forget(T0 + REMEMBERED_SECONDS);
    expect(sent.size).toBe(1000);
    sent.forget(T0 + REMEMBERED_SECONDS + 1);
    expect(sent.size).toBe(0);
  });

  it('a backlog older than the window is announced and not kept; a repeat of it is announced again (harmless)', () => {
    const sent = new SentEndings();
    const old = { sessionId: 'old', endedAt: T0 - 300 };
    expect(sent.firstTime(old, T0)).toBe(true);
    expect(sent.size).toBe(0);
    expect(sent.firstTime(old, T0)).toBe(true);
    const recent = { sessionId: 'recent', endedAt: T0 - 1 };
    expect(sent.firstTime(recent, T0)).toBe(true);
    expect(sent.firstTime(recent, T0 + OVERLAP_SECONDS)).toBe(false);
  });

  it('an ending announced out of order (a late commit) is forgotten once those before it are', () => {
    const sent = new SentEndings();
    sent.firstTime({ sessionId: 'young', endedAt: T0 }, T0);
    sent.firstTime({ sessionId: 'late', endedAt: T0 - 8 }, T0);
    sent.forget(T0 + 3);
    expect(sent.size).toBe(2);
    sent.forget(T0 + REMEMBERED_SECONDS + 1);
    expect(sent.size).toBe(0);
  });
});
