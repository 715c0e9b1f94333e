import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_API_SECRET_FILE, resolveDemoApiSecret, startDemoApi } from './example-api.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-demo-api-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the demo API secret', () => {
  it('is generated once into <dataDir>/demo-api.secret (0600), then reused', async () => {
    const dataDir = join(dir, 'data');
    const first = await resolveDemoApiSecret(dataDir);
    expect(first).toMatchObject({ file: join(dataDir, DEMO_API_SECRET_FILE), generated: true });
    expect(first.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    expect(await resolveDemoApiSecret(dataDir)).toEqual({ ...first, generated: false });
  });

  it('reads a secret written by hand, without its line break', async () => {
    const dataDir = join(dir, 'by-hand');
    await resolveDemoApiSecret(dataDir);
    writeFileSync(join(dataDir, DEMO_API_SECRET_FILE), 'chosen-secret\n');
    expect((await resolveDemoApiSecret(dataDir)).secret).toBe('chosen-secret');
  });
});

describe('startDemoApi', () => {
  it('is null when the example API is not built', async () => {
    const api = await startDemoApi({
      root: join(dir, 'no-dist'),
      issuer: 'http://localhost:4000',
      audience: 'demo',
      clientId: 'demo-api',
      clientSecret: 'secret',
      allowedOrigins: ['http://localhost:4001'],
      port: 0,
      host: '127.0.0.1',
      logger: pino({ level: 'silent' }),
    });
    expect(api).toBeNull();
  });
});
