/** Epoch seconds as the ISO 8601 timestamp the admin API answers with. */
export function isoTime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString();
}
