/**
 * Fastify's own schema compilers — Ajv for requests (`@fastify/ajv-compiler`), fast-json-stringify
 * for responses (`@fastify/fast-json-stringify-compiler`) — loaded as Fastify itself loads them,
 * from Fastify's own folder (they are its dependencies, not this package's). The one place that
 * loads them: production's lazy compilers (lazy-schema-compilers.ts) and the tests' shared ones
 * (packages/testing/src/schema-compilers.ts) wrap these.
 */
import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

/** Fastify's `schemaController.compilersFactory`: what compiles route schemas into functions. */
export type SchemaCompilers = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;

/** One schema of one route, as Fastify hands it to a compiler (fastify/lib/validation.js). */
export interface RouteSchema {
  schema: unknown;
  method?: string | string[];
  url?: string;
  /** A request schema's part: `body`, `querystring`, `params`, `headers`. */
  httpPart?: string;
  /** A response schema's status (`200`, `4xx`). */
  httpStatus?: string;
  contentType?: string;
}

/** A validator (Fastify reads its `errors` after it returns false) or a serializer. */
export type CompiledSchema = ((...args: unknown[]) => unknown) & { errors?: unknown };

/** Per server (its shared schemas and compiler options), per route schema, a compiled function. */
export type SchemaBuilder = (
  externalSchemas: unknown,
  options: unknown,
) => (route: RouteSchema) => CompiledSchema;

export type SchemaCompilerKind = 'validator' | 'serializer';

const COMPILER_PACKAGES: Record<SchemaCompilerKind, string> = {
  validator: '@fastify/ajv-compiler',
  serializer: '@fastify/fast-json-stringify-compiler',
};

/** A fresh builder of Fastify's compiler of that kind (loading the module is most of its cost). */
export function loadFastifySchemaBuilder(kind: SchemaCompilerKind): SchemaBuilder {
  const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
  return (fromFastify(COMPILER_PACKAGES[kind]) as () => SchemaBuilder)();
}

/** The compilers factory Fastify takes, from a validator builder and a serializer builder. */
export function schemaCompilersOf(builders: {
  validator: SchemaBuilder;
  serializer: SchemaBuilder;
}): SchemaCompilers {
  return {
    buildValidator: builders.validator as unknown as SchemaCompilers['buildValidator'],
    buildSerializer: builders.serializer as unknown as SchemaCompilers['buildSerializer'],
  };
}

/** `POST /auth/v1/login body`, `GET /admin/v1/users response 200`: names a schema in a log line. */
export function describeRouteSchema(route: RouteSchema): string {
  const method = Array.isArray(route.method) ? route.method.join(',') : (route.method ?? '?');
  const part = route.httpPart ?? (route.httpStatus !== undefined ? `response ${route.httpStatus}` : 'schema');
  return [method, route.url ?? '?', part, route.contentType].filter(Boolean).join(' ');
}
