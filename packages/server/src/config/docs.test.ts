import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { documentedDefault, VARIABLE_NAMES } from './variables.js';

const DOC_PATH = new URL('../../../../docs/configuration.md', import.meta.url);

/** The `| \`NAME\` | default | rule |` rows of every table in docs/configuration.md. */
function documentedVariables(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of readFileSync(DOC_PATH, 'utf8').split('\n')) {
    const match = /^\|\s*`([A-Z0-9_]+)`\s*\|\s*(.*?)\s*\|/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) rows.set(match[1], match[2]);
  }
  return rows;
}

describe('docs/configuration.md', () => {
  const documented = documentedVariables();

  it.each(VARIABLE_NAMES)('documents %s with the default the schema applies', (name) => {
    expect(documented.has(name), `${name} is missing from docs/configuration.md`).toBe(true);
    expect(documented.get(name)).toBe(documentedDefault(name));
  });

  it('documents no variable the schema does not have', () => {
    expect([...documented.keys()].filter((name) => !(VARIABLE_NAMES as string[]).includes(name))).toEqual([]);
  });
});
