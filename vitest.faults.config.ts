import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// `npm run test:faults`: fault injection against real server processes (docs/reliability.md).
// Not part of `npm test`: each case kills, restarts and floods servers for seconds at a time and
// measures latency, so the files run one at a time, and what they start is the built server.
export default defineConfig({
  resolve: { conditions: ['source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
  test: {
    include: ['faults/**/*.test.ts'],
    globalSetup: ['faults/support/build-server.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: ['default'],
  },
});
