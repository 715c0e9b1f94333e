/** How the console writes durations, times, devices and places. Pure: `now` is a parameter. */
import type { AdminSession } from './types';

const UNITS: readonly [number, string][] = [
  [86_400, 'd'],
  [3600, 'h'],
  [60, 'min'],
  [1, 's'],
];

/**
 * A duration in seconds, in its two largest units: `90` → "1 min 30 s", `93_600` → "1 d 2 h",
 * `null` → "Off" (a limit turned off).
 */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return 'Off';
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds === 0) return '0 s';
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [size, unit] of UNITS) {
    if (parts.length === 2) break;
    const count = Math.floor(rest / size);
    if (count > 0) {
      parts.push(`${count} ${unit}`);
      rest -= count * size;
    } else if (parts.length > 0) {
      break;
    }
  }
  return parts.join(' ');
}

/** "just now", "5 min ago", "in 3 h", "2 d ago"; "—" for no time. */
export function formatRelative(iso: string | null | undefined, now: number): string {
  if (!iso) return '—';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '—';
  const seconds = Math.round((at - now) / 1000);
  const size = Math.abs(seconds);
  if (size < 45) return seconds > 0 ? 'in a few seconds' : 'just now';
  const [unitSeconds, unit] =
    size < 3600 ? [60, 'min'] : size < 86_400 ? [3600, 'h'] : ([86_400, 'd'] as const);
  const count = Math.round(size / unitSeconds);
  return seconds > 0 ? `in ${count} ${unit}` : `${count} ${unit} ago`;
}

/** A date and time in the reader's locale, with seconds: "5 Dec 2026, 21:30:05". */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '—';
  return at.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** "21:30:05". */
export function formatTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '—';
  return at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** "5 Dec 2026". */
export function formatDate(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '—';
  return at.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** "21:30" for a chart axis. */
export function formatClock(iso: string): string {
  const at = new Date(iso);
  return at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/**
 * What a person calls the session's device: the server's parsed label ("Chrome 131 on macOS"),
 * else the raw user agent cut short, else "Unknown device".
 */
export function deviceLabel(session: Pick<AdminSession, 'device' | 'userAgent'>): string {
  const label = session.device?.label?.trim();
  if (label) return label;
  const agent = session.userAgent?.trim();
  if (agent) return agent.length > 60 ? `${agent.slice(0, 59)}…` : agent;
  return 'Unknown device';
}

/** The login IP, and the latest refresh's IP when it differs: "203.0.113.7 → 198.51.100.2". */
export function placeLabel(session: Pick<AdminSession, 'ip' | 'lastIp'>): string {
  const first = session.ip ?? null;
  const last = session.lastIp ?? null;
  if (first && last && first !== last) return `${first} → ${last}`;
  return last ?? first ?? '—';
}

/** A count with thousands separators. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** Seconds typed into a form: "" is `null` (off), anything else must be a whole number. */
export function parseSeconds(text: string): number | null | 'invalid' {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (!/^\d+$/.test(trimmed)) return 'invalid';
  const value = Number(trimmed);
  return Number.isSafeInteger(value) ? value : 'invalid';
}

/** A `datetime-local` input's value (local time) as ISO 8601, or null when empty or unreadable. */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}
