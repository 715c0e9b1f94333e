/**
 * What a new password must satisfy (security checklist AUTH-07, AUTH-10; NIST SP 800-63B §5.1.1).
 * Length is the rule: no composition rules, no truncation, no case folding.
 */

/** NIST SP 800-63B's floor for a memorized secret chosen by the user. */
export const MIN_PASSWORD_LENGTH = 8;

/**
 * A cap that keeps the KDF's input bounded (AUTH-10) while allowing passphrases far beyond the 64
 * characters NIST asks verifiers to accept. Counted in Unicode code points, like the minimum.
 */
export const MAX_PASSWORD_LENGTH = 1024;

/**
 * Whether a password is short enough to be hashed. Cheap on any input: a 1 MB string is refused
 * by its UTF-16 length before its code points are counted.
 */
export function isWithinMaxPasswordLength(password: string): boolean {
  // A code point takes at most two UTF-16 units.
  if (password.length > MAX_PASSWORD_LENGTH * 2) return false;
  return password.length <= MAX_PASSWORD_LENGTH || [...password].length <= MAX_PASSWORD_LENGTH;
}

/**
 * Checks a password someone is about to set. Returns a message fit to show the user (it never
 * repeats the password), or `null` when the password is acceptable.
 *
 * @example
 * checkNewPassword('hunter2') // 'Use at least 8 characters.'
 * checkNewPassword('correct horse battery staple') // null
 */
export function checkNewPassword(password: string): string | null {
  if (!isWithinMaxPasswordLength(password)) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  if ([...password].length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  return null;
}
