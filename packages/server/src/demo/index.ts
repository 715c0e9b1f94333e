/**
 * Everything `npm start`'s demo needs, loaded by main.ts only when the demo is on (see
 * ../demo-loader.ts): the published package leaves dist/demo/ out, so no install carries the demo
 * users' published password.
 */
export { type DemoApi, resolveDemoApiSecret, startDemoApi } from './example-api.js';
export { createDemoPageServer } from './page-server.js';
export { DEMO_API_CLIENT_ID, DEMO_CLIENT_ID, ensureDemoApiClient, seedDemo } from './seed.js';
