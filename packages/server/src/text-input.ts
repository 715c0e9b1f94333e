/**
 * The boundary rule for text (docs/security-model.md, "Text at the boundary"): every string that
 * arrives from outside — path parameters, query values, body strings and keys, the header values
 * that are stored — is refused before it can reach storage when it holds a NUL or another C0
 * control where none makes sense, an unpaired UTF-16 surrogate (not representable in UTF-8), or
 * more than {@link MAX_TEXT_BYTES} bytes. PostgreSQL refuses NUL in `text` and a B-tree entry over
 * about 2.7 kB, SQLite would store either silently: one rule keeps both adapters equal, and turns
 * what would have been a database error (500) into `400 invalid_request`.
 */

/** The most UTF-8 bytes of one text value: below PostgreSQL's B-tree entry limit (~2704 bytes). */
export const MAX_TEXT_BYTES = 2048;

export type TextProblem = 'control_character' | 'unpaired_surrogate' | 'too_long';

export interface TextRuleOptions {
  /** Tab, line feed and carriage return are text in a body field; in a URL or header they are not. */
  allowLineBreaks?: boolean;
}

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why `value` may not cross the boundary, or `null`.
 *
 * @example
 * textInputProblem('ada@example.com\u0000') // 'control_character'
 * textInputProblem('line one\nline two', { allowLineBreaks: true }) // null
 */
export function textInputProblem(value: string, options: TextRuleOptions = {}): TextProblem | null {
  if (value.length > MAX_TEXT_BYTES) return 'too_long';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0x20) continue;
    if (options.allowLineBreaks === true && (code === 0x09 || code === 0x0a || code === 0x0d)) continue;
    return 'control_character';
  }
  if (UNPAIRED_SURROGATE.test(value)) return 'unpaired_surrogate';
  // Each UTF-16 unit is at most 3 UTF-8 bytes; count exactly only when that could exceed the limit.
  if (value.length * 3 > MAX_TEXT_BYTES && Buffer.byteLength(value, 'utf8') > MAX_TEXT_BYTES)
    return 'too_long';
  return null;
}

/** The words of an error message for a problem (never the value). */
export const TEXT_PROBLEM_MESSAGES: Record<TextProblem, string> = {
  control_character: 'contains a control character',
  unpaired_surrogate: 'is not valid Unicode',
  too_long: `is longer than ${MAX_TEXT_BYTES} bytes`,
};
