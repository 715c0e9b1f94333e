/**
 * Which storage backends a test file runs on: SQLite always; PostgreSQL when a server answers at
 * TESSERA_TEST_PG_URL — skipped LOUDLY otherwise, and never skipped when CI=true.
 */
import { postgresTestAvailability } from '../../server/src/storage/postgres/test-database.js';
import type { Backend } from './harness.js';

export async function backendsUnderTest(): Promise<Backend[]> {
  return (await postgresTestAvailability()) ? ['sqlite', 'postgres'] : ['sqlite'];
}
