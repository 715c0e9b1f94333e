/**
 * Email addresses as lookup keys (DESIGN §1: "normalised NFKC + lower-case for lookup").
 */

/** RFC 5321 §4.5.3.1.3: a forward path is at most 256 octets including the angle brackets. */
export const MAX_EMAIL_LENGTH = 254;

/**
 * The form an email is stored and looked up under: NFKC, trimmed, lower-cased.
 *
 * NFKC runs first so that look-alike forms meet the same account: fullwidth `ＡＤＡ＠ｅｘａｍｐｌｅ．ｃｏｍ`
 * becomes `ada@example.com`, a decomposed `é` (NFD, as macOS keyboards send it) equals the
 * composed one, and an ideographic space becomes a space that `trim` removes. Lower-casing the
 * local part is technically lossy (RFC 5321 lets it be case-sensitive), but no real mail provider
 * distinguishes case, and treating `Ada@` and `ada@` as two accounts is a worse surprise.
 *
 * @example
 * normalizeEmail(' Ada＠Example.COM ') // 'ada@example.com'
 */
export function normalizeEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}

// Whitespace, separators, control and format characters (zero-width joiners, bidi overrides),
// lone surrogates and unassigned code points: none belongs in an address a user typed.
const FORBIDDEN_CHARACTER = /[\s\p{Z}\p{C}]/u;

/**
 * A cheap sanity check of an email's normalized form — exactly one `@`, non-empty parts, at most
 * {@link MAX_EMAIL_LENGTH} characters, no whitespace or control characters. It is deliberately not
 * an RFC 5322 parser: the only real proof of an address is a message that arrives.
 *
 * @example
 * isPlausibleEmail('ada＠example.com') // true (the fullwidth ＠ normalizes to @)
 * isPlausibleEmail('ada@@example.com') // false
 */
export function isPlausibleEmail(email: string): boolean {
  // NFKC can lengthen a string, so bound the work before normalizing attacker input.
  if (email.length > MAX_EMAIL_LENGTH * 4) return false;
  const normalized = normalizeEmail(email);
  if (normalized.length > MAX_EMAIL_LENGTH || FORBIDDEN_CHARACTER.test(normalized)) return false;
  const parts = normalized.split('@');
  return parts.length === 2 && parts[0] !== '' && parts[1] !== '';
}
