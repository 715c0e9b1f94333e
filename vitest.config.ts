import { availableParallelism } from 'node:os';
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
    // One test file per core at a time (vitest's default is one fewer: a single file at a time on
    // 2 cores). Much of the suite waits on other processes — PostgreSQL, Chromium, servers started
    // as children — so two files on two cores keep the machine busy.
    maxWorkers: availableParallelism(),
    poolOptions: {
      // A worker keeps the modules it loaded from one test file to the next instead of loading
      // Fastify, Kysely, jose and the server again for each of 120 files (about 90 s of CPU on 2
      // cores). Every file builds its own servers, databases, clocks and browsers and restores the
      // fake timers it installs; none of these files replaces a module with `vi.mock`.
      forks: { isolate: false },
      // The files that do mock a module run here, each with a module registry of its own.
      threads: { isolate: true },
    },
    // Deprecated in vitest 3 (it prints a notice) but still the one per-file pool switch that keeps
    // one worker pool without isolation; packages/testing/src/test-isolation.test.ts guards it.
    poolMatchGlobs: [['packages/react/src/**/*.test.ts', 'threads']],
    reporters: ['default'],
  },
});
