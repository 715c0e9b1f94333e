/**
 * Fastify's own schema compilers (Ajv for requests, fast-json-stringify for responses), each
 * route's function compiled on its first use instead of before the server listens — and the rest
 * compiled in the background once it listens, one per turn of the event loop.
 *
 * Why: compiling every route's schemas (and loading Ajv) was a third of the time from start to
 * serving (docs/reliability.md, "Restart to serving"); a node restarted after a crash should answer
 * its first refreshes at once, and compile the admin API's schemas while it does. What a route
 * validates and answers is unchanged: the same compilers with the same options, only later.
 * (Fastify treats a compilers factory as custom and does not lower-case `headers` schemas: no route
 * here has one.)
 *
 * What the start no longer catches — a schema that does not compile — the background compile logs
 * (a warning naming the route's schema, never a request), and the route tries again on each use:
 * its requests fail with a 500 whose logged error names the schema. A test compiles every route's
 * schemas this way (lazy-schema-compilers.routes.test.ts).
 */
import type { Logger } from 'pino';
import {
  type CompiledSchema,
  describeRouteSchema,
  loadFastifySchemaBuilder,
  type RouteSchema,
  type SchemaBuilder,
  type SchemaCompilerKind,
  type SchemaCompilers,
  schemaCompilersOf,
} from './fastify-schema-compilers.js';

export interface LazySchemaCompilersOptions {
  logger: Pick<Logger, 'warn'>;
}

/** What a background compile did: how many schemas it compiled, and those that did not compile. */
export interface BackgroundCompileResult {
  compiled: number;
  /** Each as `describeRouteSchema` names it (`POST /auth/v1/login body`). */
  failed: string[];
}

export interface LazySchemaCompilers {
  /** Pass as Fastify's `schemaController.compilersFactory`. */
  compilers: SchemaCompilers;
  /**
   * Compiles what is not compiled yet, one function per macrotask, never holding the loop;
   * resolves once nothing is left. Each failure is logged as it happens.
   */
  compileInBackground(): Promise<BackgroundCompileResult>;
}

/** A schema that does not compile, named: what its route's requests fail with (a 500). */
export class RouteSchemaCompileError extends Error {
  override readonly name = 'RouteSchemaCompileError';
  // Fastify labels an error a validator throws `FST_ERR_VALIDATION` (a 400) unless it has a code
  // and a status: the request is not at fault, the server is (http/errors.ts answers it `500`).
  readonly code = 'TESSERA_ROUTE_SCHEMA_COMPILE';
  readonly statusCode = 500;
  constructor(
    readonly schema: string,
    options: { cause: unknown },
  ) {
    super(`the ${schema} schema does not compile`, options);
  }
}

interface PendingSchema {
  route: string;
  compile(): CompiledSchema;
}

export function createLazySchemaCompilers(options: LazySchemaCompilersOptions): LazySchemaCompilers {
  const pending = new Set<PendingSchema>();
  const lazily = (kind: SchemaCompilerKind): SchemaBuilder => {
    // One selector per server, as Fastify makes it (it keeps one Ajv per set of shared schemas).
    let builder: SchemaBuilder | undefined;
    return (externalSchemas, compilerOptions) => {
      let compileRoute: ((route: RouteSchema) => CompiledSchema) | undefined;
      return (route) => {
        let compiled: CompiledSchema | undefined;
        const entry: PendingSchema = {
          route: describeRouteSchema(route),
          compile() {
            if (compiled) return compiled;
            // Out of the background's queue either way: a failure is tried again at the next use.
            pending.delete(entry);
            try {
              builder ??= loadFastifySchemaBuilder(kind);
              compileRoute ??= builder(externalSchemas, compilerOptions);
              compiled = compileRoute(route);
            } catch (error) {
              throw new RouteSchemaCompileError(entry.route, { cause: error });
            }
            return compiled;
          },
        };
        pending.add(entry);
        // Fastify reads a validator's `errors` after a call that returned false (Ajv's way).
        const run: CompiledSchema = (...args: unknown[]) => {
          const fn = entry.compile();
          const result = fn(...args);
          run.errors = fn.errors;
          return result;
        };
        return run;
      };
    };
  };
  return {
    compilers: schemaCompilersOf({ validator: lazily('validator'), serializer: lazily('serializer') }),
    compileInBackground() {
      const result: BackgroundCompileResult = { compiled: 0, failed: [] };
      return new Promise((resolve) => {
        const next = () => {
          const [entry] = pending;
          if (!entry) {
            resolve(result);
            return;
          }
          try {
            entry.compile();
            result.compiled += 1;
          } catch (error) {
            result.failed.push(entry.route);
            options.logger.warn(
              { err: error, schema: entry.route },
              'a route schema did not compile: its route tries again on each request, and fails',
            );
          }
          setImmediate(next).unref();
        };
        setImmediate(next).unref();
      });
    },
  };
}
