import { describe } from 'vitest';
import { runStorageConformance } from '../conformance/suite.js';
import { openStorage } from '../open.js';
import { createTestSchema, postgresTestAvailability } from './test-database.js';

const available = await postgresTestAvailability();

describe.skipIf(!available)('postgres', () => {
  runStorageConformance('postgres', async () => {
    const schema = await createTestSchema();
    const options = { schema: schema.name };
    return {
      storage: await openStorage(schema.url, options),
      connection: { url: schema.url, options },
      cleanup: schema.drop,
    };
  });
});
