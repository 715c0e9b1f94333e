/**
 * The master secret everything else is derived from (`keys/secret.ts`): from `TESSERA_SECRET`, or
 * for a single SQLite node from `<dataDir>/secret.key`, created on first start.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { SQLITE_MEMORY } from './database-url.js';
import type { Config } from './load-config.js';

export const SECRET_FILE_NAME = 'secret.key';

/** 256 bits, the size a generated secret has and the least a configured one may have. */
export const MASTER_SECRET_BYTES = 32;

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/**
 * The master secret's bytes. In order: `TESSERA_SECRET`; with `sqlite::memory:`, fresh random
 * bytes (nothing they protect outlives the process); otherwise `<dataDir>/secret.key`, created
 * with 32 random bytes (base64url, mode 0600) if it does not exist yet. Creation is atomic: the
 * secret is written to a temporary file and hard-linked into place, which fails if the file
 * appeared meanwhile, so two processes starting together end up reading the same secret.
 *
 * Back this file up with the database: without it, stored signing keys cannot be decrypted.
 *
 * @throws ConfigError when the file exists but does not hold a valid secret (its content is not shown).
 *
 * @example
 * const secrets = deriveSecrets(await resolveMasterSecret(config));
 */
export async function resolveMasterSecret(
  config: Pick<Config, 'masterSecret' | 'dataDir' | 'database'>,
): Promise<Buffer> {
  if (config.masterSecret !== null) return Buffer.from(config.masterSecret.reveal(), 'base64url');
  if (config.database.kind === 'postgres') {
    throw new ConfigError([
      'TESSERA_SECRET is required with PostgreSQL: every node must share one master secret',
    ]);
  }
  if (config.database.filename === SQLITE_MEMORY) return randomBytes(MASTER_SECRET_BYTES);
  const path = join(config.dataDir, SECRET_FILE_NAME);
  return (await readSecretFile(path)) ?? (await createSecretFileIfAbsent(path));
}

async function readSecretFile(path: string): Promise<Buffer | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return null;
    throw error;
  }
  const encoded = text.trim();
  const secret = Buffer.from(encoded, 'base64url');
  if (!BASE64URL.test(encoded) || secret.length < MASTER_SECRET_BYTES) {
    throw new ConfigError([
      `${path} must hold the base64url encoding of at least ${MASTER_SECRET_BYTES} bytes (its content is not shown)`,
    ]);
  }
  return secret;
}

/**
 * Creates a secret file with fresh random bytes unless one already exists, and returns the secret
 * the file holds afterwards: a process that lost the race to create it reads the winner's.
 */
export async function createSecretFileIfAbsent(path: string): Promise<Buffer> {
  const directory = join(path, '..');
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`;
  const file = await open(temporary, 'wx', 0o600);
  try {
    await file.writeFile(`${randomBytes(MASTER_SECRET_BYTES).toString('base64url')}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await link(temporary, path);
    await syncDirectory(directory);
  } catch (error) {
    if (!isErrorCode(error, 'EEXIST')) throw error;
  } finally {
    await unlink(temporary);
  }
  const secret = await readSecretFile(path);
  if (secret === null) throw new Error(`${path} disappeared while it was being created`);
  return secret;
}

/** Makes the new directory entry durable, so a crash cannot lose the secret after it was used. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r').catch(() => null);
  if (handle === null) return;
  try {
    await handle.sync();
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the file itself is already synced.
  } finally {
    await handle.close();
  }
}

function isErrorCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
