// The size a browser downloads: @tessera/browser bundled and minified by esbuild, then gzipped.
// Run: node packages/browser/scripts/measure-size.mjs
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const result = await build({
  entryPoints: [new URL('../src/index.ts', import.meta.url).pathname],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  platform: 'browser',
  write: false,
});
const code = result.outputFiles[0].contents;
const gzip = gzipSync(code, { level: 9 });
console.log(`@tessera/browser: ${code.length} B minified, ${gzip.length} B min+gzip`);
