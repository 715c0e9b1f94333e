/**
 * The suite tests the sources, never a stale build: a workspace package imported by name must be
 * the very module its `src/` holds (the `source` export condition, vitest.config.ts). The browser packages
 * resolve by the same rule; they are left out here only because this file is typechecked without the
 * DOM library. On a fresh
 * clone without `dist/`, or a tree built before the last edit, resolving to `dist/` would either
 * fail to load or test yesterday's code.
 */
import * as nodeByName from '@tessera/node';
import * as protocolByName from '@tessera/protocol';
import { describe, expect, it } from 'vitest';
import * as nodeSource from '../../node/src/index.js';
import * as protocolSource from '../../protocol/src/index.js';

describe('workspace packages resolve to their sources in tests', () => {
  it('@tessera/protocol and @tessera/node are their src/ modules', () => {
    expect(protocolByName.ERROR_STATUS).toBe(protocolSource.ERROR_STATUS);
    expect(nodeByName.createVerifier).toBe(nodeSource.createVerifier);
  });
});
