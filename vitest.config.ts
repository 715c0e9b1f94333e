import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Tests run against the sources: every workspace package exports a `source` condition pointing at
// its `src/index.ts`, so a fresh clone needs no build and a built tree never tests stale `dist/`.
// Vite reads `resolve.conditions` for client code only; node tests resolve server-side (SSR), which
// reads `ssr.resolve.conditions` — both must name `source`.
export default defineConfig({
  resolve: { conditions: ['source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'examples/*/src/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
