/**
 * The admin console's session (DESIGN §3.7): a sealed, self-contained cookie value, so no table and
 * nothing to share between nodes. A JWE (`dir`, A256GCM) under a key derived from the server secret
 * carries a random console session id, when it was issued, when the session started and a hash of
 * the admin key it was opened with — never the key. Changing `TESSERA_ADMIN_KEY` changes the hash,
 * which ends every console session; a changed server secret does too (nothing decrypts).
 *
 * Sliding: a session lasts {@link CONSOLE_SESSION_POLICY.idleSeconds} from its last re-issue and is
 * re-issued once more than half of that is used, but never beyond
 * {@link CONSOLE_SESSION_POLICY.absoluteSeconds} from sign-in.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';
import type { ServiceDeps } from '../deps.js';
import { randomId } from '../ids.js';

export const CONSOLE_SESSION_POLICY = Object.freeze({
  idleSeconds: 30 * 60,
  absoluteSeconds: 12 * 60 * 60,
});

/** Longer values are refused before any decryption: ours are ~300 characters. */
const MAX_SEALED_LENGTH = 1024;
const AUDIENCE = 'tessera-console';
const FUTURE_TOLERANCE_SECONDS = 60;

export interface ConsoleSession {
  /** Non-secret: it names the session in events (`AdminActor`), it grants nothing. */
  id: string;
  /** Epoch seconds. */
  startedAt: number;
  issuedAt: number;
  expiresAt: number;
}

/** A sealed session, ready for its cookie. */
export interface SealedConsoleSession {
  session: ConsoleSession;
  value: string;
}

export type ConsoleSessionCheck =
  | {
      kind: 'valid';
      session: ConsoleSession;
      /** Present when the session was re-issued (sliding): set this as the new cookie. */
      renewed: SealedConsoleSession | null;
    }
  | { kind: 'invalid' };

type SessionDeps = Pick<ServiceDeps, 'secrets' | 'clock'>;

/** A new console session for an admin key that was just proven. */
export function startConsoleSession(deps: SessionDeps, adminKey: string): Promise<SealedConsoleSession> {
  const now = deps.clock.now();
  return seal(deps, adminKey, { id: randomId('cs_'), startedAt: now, issuedAt: now, expiresAt: 0 });
}

/**
 * Opens a console session cookie. `invalid` for anything but an intact, unexpired session opened
 * with this very admin key; the reason is not told (tampered, expired and foreign alike).
 */
export async function checkConsoleSession(
  deps: SessionDeps,
  adminKey: string,
  sealed: string | undefined,
): Promise<ConsoleSessionCheck> {
  if (sealed === undefined || sealed.length === 0 || sealed.length > MAX_SEALED_LENGTH) {
    return { kind: 'invalid' };
  }
  const now = deps.clock.now();
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtDecrypt(sealed, deps.secrets.consoleSessionKey, {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
      audience: AUDIENCE,
      currentDate: new Date(now * 1000),
      requiredClaims: ['jti', 'iat', 'exp'],
    }));
  } catch {
    return { kind: 'invalid' };
  }
  const { jti, iat, exp, sat, kh } = claims;
  if (
    typeof jti !== 'string' ||
    typeof iat !== 'number' ||
    typeof exp !== 'number' ||
    typeof sat !== 'number' ||
    typeof kh !== 'string' ||
    !sameKeyHash(kh, adminKeyHash(adminKey)) ||
    // jose checks `exp`; these are ours: the absolute limit, and a session from the future (beyond
    // the skew two nodes' clocks may have: one signs in, the next request reaches the other).
    now >= sat + CONSOLE_SESSION_POLICY.absoluteSeconds ||
    iat > now + FUTURE_TOLERANCE_SECONDS
  ) {
    return { kind: 'invalid' };
  }
  const session: ConsoleSession = { id: jti, startedAt: sat, issuedAt: iat, expiresAt: exp };
  const halfUsed = now - iat > CONSOLE_SESSION_POLICY.idleSeconds / 2;
  return {
    kind: 'valid',
    session,
    renewed: halfUsed ? await seal(deps, adminKey, { ...session, issuedAt: now }) : null,
  };
}

async function seal(
  deps: SessionDeps,
  adminKey: string,
  session: ConsoleSession,
): Promise<SealedConsoleSession> {
  const expiresAt = Math.min(
    session.issuedAt + CONSOLE_SESSION_POLICY.idleSeconds,
    session.startedAt + CONSOLE_SESSION_POLICY.absoluteSeconds,
  );
  const value = await new EncryptJWT({ sat: session.startedAt, kh: adminKeyHash(adminKey) })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setJti(session.id)
    .setAudience(AUDIENCE)
    .setIssuedAt(session.issuedAt)
    .setExpirationTime(expiresAt)
    .encrypt(deps.secrets.consoleSessionKey);
  return { session: { ...session, expiresAt }, value };
}

// Only ever inside the encrypted cookie; compared in constant time.
function adminKeyHash(adminKey: string): string {
  return createHash('sha256').update(adminKey, 'utf8').digest('base64url');
}

function sameKeyHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
