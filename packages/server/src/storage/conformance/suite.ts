/**
 * The storage conformance suite: every adapter runs it, against a fresh database per test.
 *
 * @example
 * runStorageConformance('sqlite', async () => {
 *   const url = `sqlite:${join(dir, `${randomUUID()}.db`)}`;
 *   return { storage: await openStorage(url), connection: { url }, cleanup: async () => {} };
 * });
 */
import { afterEach, beforeEach, describe } from 'vitest';
import type { OpenStorageOptions } from '../open.js';
import type { Storage } from '../port.js';
import { activityCases } from './activity.cases.js';
import { concurrencyCases } from './concurrency.cases.js';
import { directoryCases } from './directory.cases.js';
import { eventCases } from './events.cases.js';
import { grantCases } from './grants.cases.js';
import { keyCases } from './keys.cases.js';
import { migrationCases } from './migrations.cases.js';
import { pagingCases } from './paging.cases.js';
import { pruneCases } from './prune.cases.js';
import { refreshCases } from './refresh.cases.js';
import { sessionEndingCases } from './session-endings.cases.js';
import { sessionListingCases } from './session-listing.cases.js';
import { sessionCases } from './sessions.cases.js';
import { userCases } from './users.cases.js';
import { webhookCases } from './webhooks.cases.js';

export interface ConformanceTarget {
  /** Not yet migrated. */
  storage: Storage;
  /** How another process opens the same database: `openStorage(url, options)`. */
  connection: { url: string; options?: OpenStorageOptions };
  /** Runs after `storage.close()`. */
  cleanup(): Promise<void>;
}

export type OpenConformanceTarget = () => Promise<ConformanceTarget>;

/** What the cases see: the current test's storage, migrated, or the whole target. */
export interface ConformanceContext {
  readonly storage: Storage;
  readonly target: ConformanceTarget;
}

export function runStorageConformance(name: string, open: OpenConformanceTarget): void {
  describe(`storage conformance: ${name}`, () => {
    describe('with a migrated database', () => {
      const context = useTarget(open, { migrate: true });
      directoryCases(context);
      userCases(context);
      sessionCases(context);
      refreshCases(context);
      keyCases(context);
      pagingCases(context);
      pruneCases(context);
      grantCases(context);
      sessionEndingCases(context);
      sessionListingCases(context);
      activityCases(context);
      webhookCases(context);
      eventCases(context);
    });
    describe('with a fresh database', () => {
      migrationCases(useTarget(open, { migrate: false }));
    });
    describe('across processes', () => {
      concurrencyCases(useTarget(open, { migrate: false }));
    });
  });
}

function useTarget(open: OpenConformanceTarget, options: { migrate: boolean }): ConformanceContext {
  let current: ConformanceTarget | undefined;
  beforeEach(async () => {
    current = await open();
    if (options.migrate) await current.storage.migrate();
  });
  afterEach(async () => {
    const target = current;
    current = undefined;
    await target?.storage.close();
    await target?.cleanup();
  });
  const target = () => {
    if (!current) throw new Error('conformance: no storage outside a test');
    return current;
  };
  return {
    get storage() {
      return target().storage;
    },
    get target() {
      return target();
    },
  };
}
