/**
 * What the admin shortcuts print: `--json`, the API's answer as it came; otherwise lines for
 * people, in which every value from the server is shown as text — control characters (a terminal
 * escape in a user's name) are escaped, never written raw.
 */
import type { CliIo } from '../io.js';

export function printResult(
  io: CliIo,
  json: boolean | undefined,
  value: unknown,
  human: () => string[],
): void {
  if (json) {
    io.stdout.write(`${JSON.stringify(value ?? null, null, 2)}\n`);
    return;
  }
  io.stdout.write(`${human().join('\n')}\n`);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** `value` as one line of plain text. */
export function text(value: unknown): string {
  if (value === null || value === undefined) return '-';
  return String(value).replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
