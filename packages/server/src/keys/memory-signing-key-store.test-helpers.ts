import { DEFAULT_SESSION_POLICY } from '../engine/policy.js';
import type { EnvironmentRecord, SigningKeyRecord } from '../storage/records.js';
import type { SigningKeyStore } from './keyring.js';

/**
 * An in-memory stand-in for the slice of the storage port the keyring uses, with the port's
 * documented semantics. The real adapters are held to the same contract by the storage
 * conformance suite. Every environment exists, unless listed in `missingEnvironments`.
 */
export class MemorySigningKeyStore implements SigningKeyStore {
  readonly records: SigningKeyRecord[] = [];
  listCalls = 0;
  failNextList = false;
  accessTokenTtlSeconds = 300;
  readonly missingEnvironments = new Set<string>();

  async getEnvironment(envId: string): Promise<EnvironmentRecord | null> {
    if (this.missingEnvironments.has(envId)) return null;
    return {
      id: envId,
      name: envId,
      tokenSettings: {
        accessTokenTtlSeconds: this.accessTokenTtlSeconds,
        refreshTokenTtlSeconds: 2_592_000,
        rotationGraceSeconds: 10,
        signingAlgorithm: 'ES256',
        cookie: { name: 'tessera_refresh', sameSite: 'lax', secure: true },
      },
      sessionPolicy: DEFAULT_SESSION_POLICY,
      branding: {},
      webhookSettings: { allowPrivateTargets: false },
      createdAt: 0,
    };
  }

  async listSigningKeys(envId: string): Promise<SigningKeyRecord[]> {
    this.listCalls += 1;
    if (this.failNextList) {
      this.failNextList = false;
      throw new Error('database unavailable');
    }
    return this.records.filter((record) => record.envId === envId).map((record) => structuredClone(record));
  }

  async addSigningKey(key: SigningKeyRecord): Promise<void> {
    for (const record of this.records) {
      if (record.envId === key.envId && record.retiredAt === null) record.retiredAt = key.activatesAt;
    }
    this.records.push(structuredClone(key));
  }

  async addFirstSigningKey(key: SigningKeyRecord): Promise<boolean> {
    if (this.records.some((record) => record.envId === key.envId)) return false;
    this.records.push(structuredClone(key));
    return true;
  }

  async deleteRetiredSigningKeys(envId: string, before: number): Promise<number> {
    const doomed = this.records.filter(
      (r) => r.envId === envId && r.retiredAt !== null && r.retiredAt < before,
    );
    for (const record of doomed) this.records.splice(this.records.indexOf(record), 1);
    return doomed.length;
  }

  kids(envId = 'default'): string[] {
    return this.records.filter((record) => record.envId === envId).map((record) => record.kid);
  }
}
