import { describe, expect, it } from 'vitest';
import {
  deviceLabel,
  formatDuration,
  formatRelative,
  localInputToIso,
  parseSeconds,
  placeLabel,
} from './format';

describe('formatDuration', () => {
  it.each([
    [null, 'Off'],
    [0, '0 s'],
    [59, '59 s'],
    [60, '1 min'],
    [90, '1 min 30 s'],
    [3600, '1 h'],
    [3660, '1 h 1 min'],
    [3601, '1 h'],
    [3661, '1 h 1 min'],
    [90_061, '1 d 1 h'],
    [86_400, '1 d'],
    [93_600, '1 d 2 h'],
    [2_592_000, '30 d'],
    [-5, '—'],
    [Number.NaN, '—'],
  ])('%s → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('formatRelative', () => {
  const now = Date.parse('2026-12-05T12:00:00Z');
  it.each([
    ['2026-12-05T12:00:00Z', 'just now'],
    ['2026-12-05T11:59:16Z', 'just now'],
    ['2026-12-05T11:59:15Z', '1 min ago'],
    ['2026-12-05T11:55:00Z', '5 min ago'],
    ['2026-12-05T09:00:00Z', '3 h ago'],
    ['2026-12-03T12:00:00Z', '2 d ago'],
    ['2026-12-05T12:00:30Z', 'in a few seconds'],
    ['2026-12-05T12:20:00Z', 'in 20 min'],
    ['2026-12-06T12:00:00Z', 'in 1 d'],
  ])('%s → %s', (iso, text) => {
    expect(formatRelative(iso, now)).toBe(text);
  });
  it('has a dash for no time or an unreadable one', () => {
    expect(formatRelative(null, now)).toBe('—');
    expect(formatRelative('yesterday', now)).toBe('—');
  });
});

describe('deviceLabel', () => {
  it('prefers the server’s parsed label', () => {
    const device = {
      browser: 'Chrome',
      browserVersion: '131',
      os: 'macOS',
      kind: 'desktop',
      label: 'Chrome 131 on macOS',
    };
    expect(deviceLabel({ device, userAgent: 'Mozilla/5.0 …' })).toBe('Chrome 131 on macOS');
  });
  it('falls back to the user agent, cut short, and keeps hostile text as it is', () => {
    expect(deviceLabel({ device: null, userAgent: '<img src=x onerror=alert(1)>' })).toBe(
      '<img src=x onerror=alert(1)>',
    );
    const long = `curl/8.0 ${'x'.repeat(100)}`;
    expect(deviceLabel({ userAgent: long })).toHaveLength(60);
    expect(deviceLabel({ userAgent: long }).endsWith('…')).toBe(true);
  });
  it('says unknown without either', () => {
    expect(deviceLabel({ device: null, userAgent: null })).toBe('Unknown device');
    expect(
      deviceLabel({
        device: { browser: null, browserVersion: null, os: null, kind: null, label: ' ' },
        userAgent: '',
      }),
    ).toBe('Unknown device');
  });
});

describe('placeLabel', () => {
  it.each([
    [{ ip: '203.0.113.7', lastIp: '198.51.100.2' }, '203.0.113.7 → 198.51.100.2'],
    [{ ip: '203.0.113.7', lastIp: '203.0.113.7' }, '203.0.113.7'],
    [{ ip: '203.0.113.7' }, '203.0.113.7'],
    [{ ip: null, lastIp: '::1' }, '::1'],
    [{ ip: null, lastIp: null }, '—'],
  ])('%o → %s', (session, text) => {
    expect(placeLabel(session)).toBe(text);
  });
});

describe('parseSeconds', () => {
  it.each([
    ['', null],
    ['  ', null],
    ['20', 20],
    [' 300 ', 300],
    ['1.5', 'invalid'],
    ['-1', 'invalid'],
    ['1e3', 'invalid'],
    ['99999999999999999999', 'invalid'],
  ])('%j → %j', (text, value) => {
    expect(parseSeconds(text)).toBe(value);
  });
});

describe('localInputToIso', () => {
  it('reads a datetime-local value as local time', () => {
    expect(localInputToIso('2026-12-05T12:00')).toBe(new Date(2026, 11, 5, 12, 0).toISOString());
    expect(localInputToIso('')).toBeNull();
    expect(localInputToIso('garbage')).toBeNull();
  });
});
