/**
 * Opaque refresh tokens (DESIGN §1, §4): 256 bits from the CSPRNG, base64url, stored only as a
 * SHA-256 hash, rotated on every use.
 */
import { createHmac, hash, type KeyObject, randomBytes } from 'node:crypto';

const REFRESH_TOKEN_BYTES = 32;

/**
 * 43 base64url characters: 42 carry 6 bits each, the last carries the remaining 4 (its low 2
 * bits are zero), so only the strings `generateRefreshToken` can produce match.
 */
const REFRESH_TOKEN_PATTERN = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

/**
 * A new refresh token: 32 bytes (256 bits) from the CSPRNG, base64url without padding (43 chars).
 *
 * @example
 * const token = generateRefreshToken(); // 'mF3k…' (43 chars), goes in the cookie
 * await storage.createSession({ …, token: { hash: hashRefreshToken(token), … } });
 */
export function generateRefreshToken(): string {
  return randomBytes(REFRESH_TOKEN_BYTES).toString('base64url');
}

/**
 * The form a refresh token is stored and looked up in: SHA-256, base64url. A plain hash suffices
 * (no salt, no slow KDF): the token has 256 bits of entropy, so it cannot be guessed from its hash.
 */
export function hashRefreshToken(token: string): string {
  return hash('sha256', token, 'base64url');
}

/**
 * The successor of a refresh token: HMAC-SHA256 of the presented token under
 * `refreshSuccessorKey`, base64url (itself a well-formed refresh token).
 *
 * Why deterministic: a request that presents the immediate predecessor within the grace window
 * must get the same successor as the request that rotated it (DESIGN §4.2: two tabs racing, a
 * retry after a lost response). Only hashes are stored, so the successor cannot be read back;
 * deriving it from the presented token lets the server compute it again, and its hash matches the
 * stored successor hash. The key keeps successors unpredictable: unkeyed, a successor would be a
 * public function of its predecessor (a plain SHA-256 would even equal the predecessor's stored
 * hash, handing live tokens to anyone who can read the database).
 *
 * @example
 * const successor = deriveSuccessorToken(presented, secrets.refreshSuccessorKey);
 */
export function deriveSuccessorToken(presented: string, refreshSuccessorKey: KeyObject): string {
  return createHmac('sha256', refreshSuccessorKey).update(presented, 'utf8').digest('base64url');
}

/**
 * Whether `value` has the exact shape of a refresh token (43 base64url characters, canonical).
 * A cheap check to answer garbage with `no_session` before hashing or touching the database.
 */
export function isWellFormedRefreshToken(value: unknown): value is string {
  return typeof value === 'string' && REFRESH_TOKEN_PATTERN.test(value);
}
