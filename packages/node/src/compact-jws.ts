/**
 * Everything a token must be before any key lookup or crypto (security.md JWT-13…15, §2.1): a
 * compact JWS of a sane size, three canonical unpadded base64url segments, UTF-8 JSON objects with
 * no duplicate names, and a header that asks for nothing we do not do. Refusing here costs
 * microseconds, and a hostile token (a JWE, a PBES2 count of 2^31, a `zip` bomb, a 1 MB header)
 * never reaches a key fetch or a signature check.
 */
import { TesseraVerifyError } from './errors.js';
import { parseStrictJson, strictJsonProblem } from './strict-json.js';

/** A Tessera access token is under 2 KB; 8 KB leaves room for many tenants and roles. */
export const MAX_TOKEN_LENGTH = 8192;

/** Longer than any `kid` a key store makes; a 10 KB `kid` is an attack, not a key id. */
const MAX_KID_LENGTH = 256;

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Header members we refuse outright. `crit` (RFC 7515 §4.1.11): we understand no extension, so any
 * is unknown; `b64` (RFC 7797) changes what the signature covers; `zip` and `enc` belong to JWE;
 * `p2c`/`p2s` to PBES2; `cty` announces a nested token. `jku`, `x5u`, `jwk` and `x5c` are merely
 * ignored: keys come only from the configured JWKS (JWT-03).
 */
const REFUSED_HEADER_MEMBERS = ['crit', 'b64', 'zip', 'enc', 'p2c', 'p2s', 'cty'] as const;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export interface JoseHeader {
  alg: string;
  kid: string;
  typ: string;
  [member: string]: unknown;
}

export interface InspectedToken {
  header: JoseHeader;
}

/**
 * Checks the shape of `token` and returns its decoded header and payload, not yet trusted.
 *
 * @throws TesseraVerifyError `token_malformed` for the shape, `token_invalid` for a header we refuse.
 */
export function inspectCompactJws(token: string, algorithms: readonly string[]): InspectedToken {
  if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) throw malformed();
  const [encodedHeader, encodedPayload, encodedSignature] = token.split('.') as [string, string, string];
  const header = decodeObject(encodedHeader);
  // The payload is parsed by jose after the signature: here only what JSON.parse would hide.
  if (!isCanonicalBase64url(encodedPayload)) throw malformed();
  const payloadText = decodeUtf8(encodedPayload);
  if (!JSON_OBJECT_START.test(payloadText) || strictJsonProblem(payloadText) !== null) throw malformed();
  // Two encodings of one signature would both verify; only the canonical one is the token.
  if (!isCanonicalBase64url(encodedSignature)) throw malformed();
  if (typeof header.alg !== 'string' || !algorithms.includes(header.alg)) throw invalid();
  if (!isTypAccessToken(header.typ)) throw invalid();
  if (typeof header.kid !== 'string' || header.kid.length === 0 || header.kid.length > MAX_KID_LENGTH) {
    throw invalid();
  }
  for (const member of REFUSED_HEADER_MEMBERS) {
    if (Object.hasOwn(header, member)) throw invalid();
  }
  return { header: header as JoseHeader };
}

/** RFC 9068 §4: `at+jwt` or `application/at+jwt`; media types compare case-insensitively. */
function isTypAccessToken(typ: unknown): boolean {
  if (typeof typ !== 'string') return false;
  const normalized = typ.toLowerCase();
  return normalized === 'at+jwt' || normalized === 'application/at+jwt';
}

function decodeObject(segment: string): Record<string, unknown> {
  if (!isCanonicalBase64url(segment)) throw malformed();
  const text = decodeUtf8(segment);
  const parsed = parseStrictJson(text);
  if (!parsed.ok) throw malformed();
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformed();
  return value as Record<string, unknown>;
}

/**
 * Node's decoder skips what it does not know and ignores the spare bits of the last character, so
 * `eyJ...J9` and `eyJ...J8` can decode alike; only the encoding that round-trips is accepted.
 */
function decodeUtf8(segment: string): string {
  try {
    return utf8.decode(Buffer.from(segment, 'base64url'));
  } catch {
    throw malformed();
  }
}

/**
 * Whether a base64url segment (already known to hold only the alphabet) is the one canonical
 * encoding of its bytes: no length that leaves 6 spare bits, and zero padding bits in the last
 * character — so two encodings of one signature cannot both pass.
 */
function isCanonicalBase64url(segment: string): boolean {
  const last = segment.charCodeAt(segment.length - 1);
  switch (segment.length % 4) {
    case 0:
      return true;
    case 2: // 4 spare bits: the last character's index is a multiple of 16 (A, Q, g, w).
      return last === 0x41 || last === 0x51 || last === 0x67 || last === 0x77;
    case 3: // 2 spare bits: a multiple of 4.
      return CANONICAL_LAST_OF_THREE.has(last);
    default:
      return false;
  }
}

/** JSON whitespace only (RFC 8259 §2): a BOM or any other character before `{` is refused. */
const JSON_OBJECT_START = /^[ \t\n\r]*\{/;

const CANONICAL_LAST_OF_THREE = new Set(Array.from('AEIMQUYcgkosw048', (c) => c.charCodeAt(0)));

function malformed(): TesseraVerifyError {
  return new TesseraVerifyError('token_malformed');
}

function invalid(): TesseraVerifyError {
  return new TesseraVerifyError('token_invalid');
}
