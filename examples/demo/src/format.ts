/** `m:ss` (or `h:mm:ss`) for a duration in milliseconds, never negative. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** "just now", "4 min ago", "3 h ago", "2 d ago". */
export function formatAgo(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} d ago`;
}

export function formatClock(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** A short name for a browser from its user agent: "Chrome 131 on Linux". */
export function describeUserAgent(userAgent: string | null): string {
  if (!userAgent) return 'Unknown browser';
  const browser =
    /(Edg|OPR|Firefox|HeadlessChrome|Chrome|Version)\/(\d+)/.exec(userAgent) ??
    /(curl|node|undici)[/ ]?(\d+)?/i.exec(userAgent);
  const names: Record<string, string> = {
    Edg: 'Edge',
    OPR: 'Opera',
    Version: 'Safari',
    HeadlessChrome: 'Headless Chrome',
  };
  const name = browser
    ? `${names[browser[1] ?? ''] ?? browser[1]}${browser[2] ? ` ${browser[2]}` : ''}`
    : 'Browser';
  const os = /Windows|Android|iPhone|iPad|Mac OS X|CrOS|Linux/.exec(userAgent)?.[0];
  const osNames: Record<string, string> = { 'Mac OS X': 'macOS', CrOS: 'ChromeOS' };
  return os ? `${name} on ${osNames[os] ?? os}` : name;
}
