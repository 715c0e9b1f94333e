/**
 * Fastify's own schema compilers (Ajv for requests, fast-json-stringify for responses), with each
 * compiled function kept while this module lives: in vitest, for one test file.
 *
 * Why: compiling the routes' JSON schemas is most of what building a server costs — about a second
 * on the 2-core development machine — and a test file builds up to dozens of servers from the very
 * same schemas. A compiled validator or serializer is a pure function of the schema, the
 * external schemas and the compiler options (the compilers ignore the route's method, URL and
 * part), so the same function serves every server. Production builds one server per process and
 * leaves Fastify's compilers as they are.
 */
import { createRequire } from 'node:module';
import type { SchemaCompilers } from '../../server/src/http/app.js';

/** The shape both compilers share: per server, per route schema, a compiled function. */
type Builder = (externalSchemas: unknown, options: unknown) => (route: { schema: unknown }) => unknown;

// The compilers Fastify itself would load, resolved from Fastify's own folder.
const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
const fastifyValidators = (fromFastify('@fastify/ajv-compiler') as () => Builder)();
const fastifySerializers = (fromFastify('@fastify/fast-json-stringify-compiler') as () => Builder)();

function keepCompiled(build: Builder): Builder {
  const compiled = new Map<string, unknown>();
  return (externalSchemas, options) => {
    const compile = build(externalSchemas, options);
    // Options with functions in them (Ajv plugins) would not show in this key: the servers built
    // here all pass the same plain options (http/app.ts).
    const context = JSON.stringify([externalSchemas, options]);
    return (route) => {
      const key = `${context}${JSON.stringify(route.schema)}`;
      let found = compiled.get(key);
      if (found === undefined) {
        found = compile(route);
        compiled.set(key, found);
      }
      return found;
    };
  };
}

/** Pass as `createTesseraServer({ schemaCompilers })` (the harness does). */
export const sharedSchemaCompilers: SchemaCompilers = {
  buildValidator: keepCompiled(fastifyValidators) as unknown as SchemaCompilers['buildValidator'],
  buildSerializer: keepCompiled(fastifySerializers) as unknown as SchemaCompilers['buildSerializer'],
};
