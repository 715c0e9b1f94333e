import { describe, expect, it } from 'vitest';
import { closestName } from './closest-name.js';
import { VARIABLE_NAMES } from './variables.js';

describe('closestName', () => {
  it.each([
    ['TESSERA_ADMINKEY', 'TESSERA_ADMIN_KEY'],
    ['TESSERA_PUBLIC_URI', 'TESSERA_PUBLIC_URL'],
    ['TESSERA_ACCESS_TOKEN_TTL', 'TESSERA_ACCESS_TOKEN_TTL_SECONDS'],
    ['TESSERA_REDIS', 'TESSERA_REDIS_URL'],
    ['tessera_demo', 'TESSERA_DEMO'],
    ['TESSERA_FOO', undefined],
    ['TESSERA_PORT', undefined],
  ])('%s → %s', (name, expected) => {
    expect(closestName(name, VARIABLE_NAMES)).toBe(expected);
  });
});
