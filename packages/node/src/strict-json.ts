/**
 * JSON.parse lets the last of two equal member names win silently, so `{"alg":"ES256","alg":"none"}`
 * means whatever the parser says. RFC 7515 §5.2 and RFC 8725 §3.7 tell a verifier to refuse it: this
 * parser does, comparing names after unescaping (`"\u0061lg"` is `"alg"`), and bounds the nesting.
 */

export type StrictJsonResult =
  | { ok: true; value: unknown }
  | { ok: false; problem: 'syntax' | 'duplicate_name' | 'too_deep' };

/** Deeper than any Tessera token needs (claims are two levels deep); refused before JSON.parse. */
export const MAX_JSON_DEPTH = 16;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

/**
 * Parses `text` as JSON, refusing duplicate member names at any depth and nesting beyond `maxDepth`.
 *
 * @example
 * parseStrictJson('{"a":1,"a":2}') // → { ok: false, problem: 'duplicate_name' }
 */
export function parseStrictJson(text: string, maxDepth = MAX_JSON_DEPTH): StrictJsonResult {
  const problem = strictJsonProblem(text, maxDepth);
  if (problem !== null) return { ok: false, problem };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, problem: 'syntax' };
  }
}

/**
 * The scan of {@link parseStrictJson} without building the value: a duplicate name, too deep a
 * nesting, or an unterminated string; `null` otherwise. For text that is parsed afterwards anyway
 * (a JWT payload, which jose parses), so that it is not parsed twice.
 */
export function strictJsonProblem(
  text: string,
  maxDepth = MAX_JSON_DEPTH,
): Exclude<StrictJsonResult, { ok: true }>['problem'] | null {
  // One linear pass over the text, without recursion. It only has to be right for valid JSON:
  // anything it lets through that is not JSON, JSON.parse refuses later.
  const names: (Set<string> | null)[] = [];
  let expectName = false;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (names.length >= maxDepth) return 'too_deep';
      names.push(c === OPEN_OBJECT ? new Set() : null);
      expectName = c === OPEN_OBJECT;
      i++;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      names.pop();
      expectName = false;
      i++;
    } else if (c === COMMA) {
      expectName = names.at(-1) instanceof Set;
      i++;
    } else if (c === QUOTE) {
      let end = i + 1;
      let escaped = false;
      while (end < text.length) {
        const d = text.charCodeAt(end);
        if (d === BACKSLASH) {
          escaped = true;
          end += 2;
        } else if (d === QUOTE) {
          break;
        } else {
          end++;
        }
      }
      if (end >= text.length) return 'syntax';
      if (expectName) {
        const members = names.at(-1);
        let name = text.slice(i + 1, end);
        if (escaped) {
          try {
            name = JSON.parse(text.slice(i, end + 1)) as string;
          } catch {
            return 'syntax';
          }
        }
        if (members?.has(name)) return 'duplicate_name';
        members?.add(name);
        expectName = false;
      }
      i = end + 1;
    } else {
      i++;
    }
  }
  return null;
}
