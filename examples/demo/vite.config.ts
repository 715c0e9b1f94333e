/**
 * The demo app's build: static files in dist/ (index.html, hashed files under /assets/), served by
 * `npm start` on the demo port (packages/server/src/demo/page-server.ts).
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  // Use the workspace packages' TypeScript sources, as the tests do: no build order to get wrong.
  resolve: { conditions: ['source', 'module', 'browser', 'development|production'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The CSP has no 'unsafe-inline': nothing may be inlined into index.html.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
