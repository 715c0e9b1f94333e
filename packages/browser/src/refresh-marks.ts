/**
 * What the tabs of a browser tell one another about refreshes through localStorage (times only,
 * nothing secret): when one last got a token, and when one last found the server unavailable.
 */
import type { Platform } from './platform.js';

export interface RefreshMarks {
  /** When any tab last got a token from a refresh (0: never). */
  lastRefreshAt(): number;
  noteRefreshed(at: number): void;
  /** When any tab last saw a transient failure (0: never). */
  failedAt(): number;
  /** When the server may be asked again, after the last transient failure any tab saw (0: now). */
  retryAt(): number;
  noteOutage(failedAt: number, retryAt: number): void;
}

export function refreshMarks(platform: Platform, baseUrl: string): RefreshMarks {
  const storage = platform.localStorage;
  const lastRefreshKey = `tessera:${baseUrl}:last-refresh`;
  const retryAtKey = `tessera:${baseUrl}:retry-at`;
  const failedAtKey = `tessera:${baseUrl}:failed-at`;
  const read = (key: string) => Number(storage?.getItem(key) ?? 0) || 0;
  return {
    lastRefreshAt: () => read(lastRefreshKey),
    noteRefreshed: (at) => storage?.setItem(lastRefreshKey, String(at)),
    failedAt: () => read(failedAtKey),
    retryAt: () => read(retryAtKey),
    noteOutage(failedAt, retryAt) {
      storage?.setItem(failedAtKey, String(failedAt));
      storage?.setItem(retryAtKey, String(retryAt));
    },
  };
}
