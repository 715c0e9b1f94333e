/** Signing keys: adding retires the previous newest key; retired keys are deleted when expired. */
import { describe, expect, it } from 'vitest';
import { ENV, environment, signingKey, T0 } from './fixtures.js';
import type { ConformanceContext } from './suite.js';

export function keyCases(context: ConformanceContext): void {
  describe('signing keys', () => {
    it('retires the previously newest key when a key is added', async () => {
      const { storage } = context;
      await storage.insertEnvironment(environment(ENV));
      await storage.insertEnvironment(environment('env-b'));
      await storage.addSigningKey(signingKey('env-b', 'k-b', T0));
      await storage.addSigningKey(signingKey(ENV, 'k-1', T0));
      expect(await storage.listSigningKeys(ENV)).toEqual([signingKey(ENV, 'k-1', T0)]);

      await storage.addSigningKey(signingKey(ENV, 'k-2', T0 + 100, T0 + 10));
      await storage.addSigningKey(signingKey(ENV, 'k-3', T0 + 200, T0 + 20));
      expect(await storage.listSigningKeys(ENV)).toEqual([
        { ...signingKey(ENV, 'k-1', T0), retiredAt: T0 + 100 },
        { ...signingKey(ENV, 'k-2', T0 + 100, T0 + 10), retiredAt: T0 + 200 },
        signingKey(ENV, 'k-3', T0 + 200, T0 + 20),
      ]);
      expect(await storage.listSigningKeys('env-b')).toEqual([signingKey('env-b', 'k-b', T0)]);
    });

    it('refuses a taken kid and keeps the previous key current', async () => {
      const { storage } = context;
      await storage.insertEnvironment(environment(ENV));
      await storage.addSigningKey(signingKey(ENV, 'k-1', T0));
      await expect(storage.addSigningKey(signingKey(ENV, 'k-1', T0 + 100))).rejects.toThrow();
      expect(await storage.listSigningKeys(ENV)).toEqual([signingKey(ENV, 'k-1', T0)]);
    });

    it('adds a first key only to an environment without keys, and leaves a keyed one alone', async () => {
      const { storage } = context;
      await storage.insertEnvironment(environment(ENV));
      await storage.insertEnvironment(environment('env-b'));
      await storage.addSigningKey(signingKey('env-b', 'k-b', T0));
      expect(await storage.addFirstSigningKey(signingKey(ENV, 'k-1', T0))).toBe(true);
      expect(await storage.addFirstSigningKey(signingKey(ENV, 'k-2', T0 + 1))).toBe(false);
      expect(await storage.listSigningKeys(ENV)).toEqual([signingKey(ENV, 'k-1', T0)]);
      expect(await storage.listSigningKeys('env-b')).toEqual([signingKey('env-b', 'k-b', T0)]);
    });

    it('concurrent first keys on one storage: exactly one is stored', async () => {
      const { storage } = context;
      await storage.insertEnvironment(environment(ENV));
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => storage.addFirstSigningKey(signingKey(ENV, `k-${i}`, T0))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await storage.listSigningKeys(ENV)).map((key) => key.kid)).toEqual([
        `k-${results.indexOf(true)}`,
      ]);
    });

    it('deletes only the keys retired before the given time', async () => {
      const { storage } = context;
      await storage.insertEnvironment(environment(ENV));
      await storage.insertEnvironment(environment('env-b'));
      for (const [kid, at] of [
        ['k-1', T0],
        ['k-2', T0 + 100],
        ['k-3', T0 + 200],
      ] as const) {
        await storage.addSigningKey(signingKey(ENV, kid, at));
        await storage.addSigningKey(signingKey('env-b', kid, at));
      }
      expect(await storage.deleteRetiredSigningKeys(ENV, T0 + 200)).toBe(1);
      expect((await storage.listSigningKeys(ENV)).map((k) => k.kid)).toEqual(['k-2', 'k-3']);
      expect(await storage.deleteRetiredSigningKeys(ENV, T0 + 201)).toBe(1);
      expect(await storage.deleteRetiredSigningKeys(ENV, T0 + 10_000)).toBe(0);
      expect((await storage.listSigningKeys(ENV)).map((k) => k.kid)).toEqual(['k-3']);
      expect(await storage.listSigningKeys('env-b')).toHaveLength(3);
    });
  });
}
