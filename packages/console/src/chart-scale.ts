/** Axis arithmetic for the dashboard's charts. Pure. */

/** The smallest 1, 2 or 5 × 10ⁿ at or above `value` (at least 1): a round top for the y axis. */
export function niceCeiling(value: number): number {
  if (!Number.isFinite(value) || value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** Evenly spaced tick values from 0 to `top` (inclusive), `count` intervals, whole numbers only. */
export function ticks(top: number, count = 4): number[] {
  const step = top / count;
  const values: number[] = [];
  for (let index = 0; index <= count; index++) values.push(step * index);
  return values.filter((value) => Number.isInteger(value) || top < count);
}

/** The refusal codes seen in the minutes, most frequent first. */
export function refusalCodes(minutes: readonly { refusals: Record<string, number> }[]): string[] {
  const totals = new Map<string, number>();
  for (const minute of minutes) {
    for (const [code, count] of Object.entries(minute.refusals))
      totals.set(code, (totals.get(code) ?? 0) + count);
  }
  return [...totals.entries()]
    .filter(([, total]) => total > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([code]) => code);
}

export const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);
