/**
 * Fastify's own schema compilers (Ajv for requests, fast-json-stringify for responses, loaded as
 * the server loads them: http/fastify-schema-compilers.ts), with each compiled function kept while
 * this module lives: in vitest, for one test file.
 *
 * Why: compiling the routes' JSON schemas is most of what building a server costs — about a second
 * on the 2-core development machine — and a test file builds up to dozens of servers from the very
 * same schemas. A compiled validator or serializer is a pure function of the schema, the
 * external schemas and the compiler options (the compilers ignore the route's method, URL and
 * part), so the same function serves every server. Production builds one server per process and
 * compiles each route's schemas on its first use, the rest in the background once it listens
 * (http/lazy-schema-compilers.ts); `createTestServer({ lazySchemaCompilers: true })` builds a
 * server that does the same.
 */
import {
  type CompiledSchema,
  loadFastifySchemaBuilder,
  type SchemaBuilder,
  type SchemaCompilers,
  schemaCompilersOf,
} from '../../server/src/http/fastify-schema-compilers.js';

function keepCompiled(build: SchemaBuilder): SchemaBuilder {
  const compiled = new Map<string, CompiledSchema>();
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
export const sharedSchemaCompilers: SchemaCompilers = schemaCompilersOf({
  validator: keepCompiled(loadFastifySchemaBuilder('validator')),
  serializer: keepCompiled(loadFastifySchemaBuilder('serializer')),
});
