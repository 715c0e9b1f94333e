/**
 * Password hashing with argon2id (security checklist AUTH-09). `@node-rs/argon2` runs the KDF on
 * libuv's thread pool, so a login never blocks the event loop for the ~tens of milliseconds a hash
 * takes.
 */
import { randomBytes } from 'node:crypto';
import { type Algorithm, hash, type Options, verify } from '@node-rs/argon2';
import { isWithinMaxPasswordLength, MAX_PASSWORD_LENGTH } from './password-rules.js';

/**
 * The OWASP Password Storage Cheat Sheet's first argon2id configuration: 19 MiB of memory, two
 * passes, one lane. Raising them later is safe: a hash records its own parameters, so old hashes
 * still verify.
 */
export const ARGON2_PARAMETERS = Object.freeze({
  memoryCostKiB: 19456,
  timeCost: 2,
  parallelism: 1,
});

// `Algorithm` is an ambient const enum, which `isolatedModules` cannot read; 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

const OPTIONS: Options = {
  algorithm: ARGON2ID,
  memoryCost: ARGON2_PARAMETERS.memoryCostKiB,
  timeCost: ARGON2_PARAMETERS.timeCost,
  parallelism: ARGON2_PARAMETERS.parallelism,
};

/**
 * NIST SP 800-63B §5.1.1.2 asks verifiers to normalize Unicode passwords, so that the same
 * characters typed on two keyboards (composed `é` on one, `e` + combining accent on another)
 * produce the same hash. NFKC also folds fullwidth forms; it never folds case.
 */
function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/**
 * Hashes a password into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) for storage.
 *
 * @throws RangeError when the password is longer than {@link MAX_PASSWORD_LENGTH}: callers check
 * new passwords with `checkNewPassword` first, so this is a programmer error.
 *
 * @example
 * const passwordHash = await hashPassword('correct horse battery staple');
 */
export async function hashPassword(password: string): Promise<string> {
  if (!isWithinMaxPasswordLength(password)) {
    throw new RangeError(`A password must be at most ${MAX_PASSWORD_LENGTH} characters.`);
  }
  return hash(normalizePassword(password), OPTIONS);
}

/**
 * Whether `password` matches a stored hash. Never throws: a malformed or foreign hash, or an
 * over-long password (refused before any hashing, AUTH-10), is simply `false`.
 *
 * @example
 * if (!(await verifyPassword(user.passwordHash, input.password))) throw new TesseraError('invalid_credentials');
 */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  if (!isWithinMaxPasswordLength(password)) return false;
  try {
    return await verify(passwordHash, normalizePassword(password));
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time of one real verification and returns `false`. Call it when the email matches no
 * account, so that "unknown email" and "wrong password" take the same time (AUTH-06). The dummy
 * hash has {@link ARGON2_PARAMETERS}, like every new hash; it is computed on the first call, so a
 * server that wants even that first answer timed like the rest calls this once at start-up.
 *
 * @example
 * if (!user) { await verifyPasswordAgainstNobody(input.password); throw new TesseraError('invalid_credentials'); }
 */
export async function verifyPasswordAgainstNobody(password: string): Promise<false> {
  dummyHash ??= hash(randomBytes(32).toString('base64url'), OPTIONS).catch((error: unknown) => {
    dummyHash = undefined;
    throw error;
  });
  await verifyPassword(await dummyHash, password);
  return false;
}
