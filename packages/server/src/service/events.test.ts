import { describe, expect, it } from 'vitest';
import { newEventId } from './events.js';

describe('newEventId', () => {
  it('sorts by time, then in recording order within a millisecond, and never repeats', () => {
    const at = 1_767_225_600_123;
    const ids = [
      newEventId(at),
      newEventId(at),
      newEventId(at),
      newEventId(at + 1),
      newEventId(at + 1_000_000),
    ];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(/^evt_019[0-9a-f]{9}000000[0-9a-f]{16}$/);
    expect(ids[1]!.slice(16, 22)).toBe('000001');
  });
});
