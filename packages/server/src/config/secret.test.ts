import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { loadConfig } from './load-config.js';
import { createSecretFileIfAbsent, resolveMasterSecret, SECRET_FILE_NAME } from './secret.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tessera-secret-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function configFor(env: Record<string, string>) {
  return loadConfig({ TESSERA_DATA_DIR: 'nested/data', ...env }, { cwd: root });
}

describe('resolveMasterSecret', () => {
  it('decodes TESSERA_SECRET and writes no file', async () => {
    const bytes = Buffer.alloc(32, 9);
    const secret = await resolveMasterSecret(configFor({ TESSERA_SECRET: bytes.toString('base64url') }));
    expect(secret.equals(bytes)).toBe(true);
    expect(await readdir(root)).toEqual([]);
  });

  it('creates <dataDir>/secret.key on first use: 32 random bytes, base64url, mode 0600', async () => {
    const config = configFor({});
    const secret = await resolveMasterSecret(config);
    expect(secret).toHaveLength(32);

    const path = join(root, 'nested/data', SECRET_FILE_NAME);
    expect(await readFile(path, 'utf8')).toBe(`${secret.toString('base64url')}\n`);
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(root, 'nested/data'))).toEqual([SECRET_FILE_NAME]);
  });

  it('reads the same secret on the next start', async () => {
    const first = await resolveMasterSecret(configFor({}));
    const second = await resolveMasterSecret(configFor({}));
    expect(second.equals(first)).toBe(true);
  });

  it('gives every one of many concurrent starts the same secret, leaving no temporary file', async () => {
    const secrets = await Promise.all(Array.from({ length: 20 }, () => resolveMasterSecret(configFor({}))));
    for (const secret of secrets) expect(secret.equals(secrets[0] as Buffer)).toBe(true);
    expect(await readdir(join(root, 'nested/data'))).toEqual([SECRET_FILE_NAME]);
  });

  it('never replaces a secret file that appeared after the first look (the losing process reads the winner’s)', async () => {
    const path = join(root, SECRET_FILE_NAME);
    const winner = await createSecretFileIfAbsent(path);
    const loser = await createSecretFileIfAbsent(path);
    expect(loser.equals(winner)).toBe(true);
    expect(await readdir(root)).toEqual([SECRET_FILE_NAME]);
  });

  it('refuses a secret file that is not a valid secret, without showing its content', async () => {
    const config = configFor({});
    await resolveMasterSecret(config);
    await writeFile(join(config.dataDir, SECRET_FILE_NAME), 'too-short-secret-content\n');

    const error = await resolveMasterSecret(config).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).not.toContain('too-short-secret-content');
  });

  it('uses a fresh secret for an in-memory database, writing nothing', async () => {
    const config = configFor({ TESSERA_DATABASE_URL: 'sqlite::memory:' });
    const [a, b] = [await resolveMasterSecret(config), await resolveMasterSecret(config)];
    expect(a).toHaveLength(32);
    expect(a.equals(b)).toBe(false);
    expect(await readdir(root)).toEqual([]);
  });

  it('refuses to invent a secret for PostgreSQL', async () => {
    const config = {
      masterSecret: null,
      dataDir: root,
      database: configFor({
        TESSERA_DATABASE_URL: 'postgres://db/x',
        TESSERA_SECRET: Buffer.alloc(32).toString('base64url'),
      }).database,
    };
    await expect(resolveMasterSecret(config)).rejects.toBeInstanceOf(ConfigError);
    expect(await readdir(root)).toEqual([]);
  });
});
