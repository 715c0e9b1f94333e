/**
 * The admin console's build: static files the server serves at /console (index.html, hashed files
 * under /console/assets/), written into the server's dist so `npm run build` ships them together.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/console/',
  plugins: [react()],
  // The workspace packages' TypeScript sources, as the tests use: no build order to get wrong.
  resolve: { conditions: ['source', 'module', 'browser', 'development|production'] },
  server: {
    // `vite packages/console` during development: the API calls go to a server started with `npm start`.
    proxy: {
      '/admin': 'http://localhost:4000',
      '/console/api': 'http://localhost:4000',
    },
  },
  build: {
    outDir: '../server/dist/console',
    emptyOutDir: true,
    // The CSP has no 'unsafe-inline': nothing may be inlined into index.html.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
