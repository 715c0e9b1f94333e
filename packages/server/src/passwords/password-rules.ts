/**
 * What a new password must satisfy (security checklist AUTH-07, AUTH-08, AUTH-10; NIST SP 800-63B
 * §5.1.1.2). Length is the rule, plus a list of the most common and breached passwords: no
 * composition rules, no truncation, no case folding of what is stored.
 */
import { createRequire } from 'node:module';

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
  if (isCommonPassword(password)) return COMMON_PASSWORD_MESSAGE;
  return null;
}

export const COMMON_PASSWORD_MESSAGE =
  'This password is one of the most common or breached passwords; choose another.';

let commonPasswords: ReadonlySet<string> | undefined;

/**
 * AUTH-08: whether the password, in any letter case, is on zxcvbn's list of common passwords
 * (about 49,000, ranked by frequency in public breach corpora). Built on first use: the list is
 * decompressed when the package loads, so the package is loaded then (its CommonJS build, with
 * `require`: this stays synchronous), not with the server, and kept once as a set.
 */
export function isCommonPassword(password: string): boolean {
  commonPasswords ??= new Set(loadDictionary()['passwords-common']);
  return commonPasswords.has(password.toLowerCase());
}

function loadDictionary(): typeof import('@zxcvbn-ts/language-common').dictionary {
  const require = createRequire(import.meta.url);
  return (require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common')).dictionary;
}
