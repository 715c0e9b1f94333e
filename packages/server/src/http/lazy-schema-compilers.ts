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
 */
import { createRequire } from 'node:module';
import type { SchemaCompilers } from './app.js';

/** The shape both compilers share: per server, per route schema, a compiled function. */
type Builder = (externalSchemas: unknown, options: unknown) => (route: { schema: unknown }) => Compiled;
type Compiled = ((...args: unknown[]) => unknown) & { errors?: unknown };

// The compilers Fastify itself would load, resolved from Fastify's own folder, loaded on first use.
const fromFastify = () => createRequire(createRequire(import.meta.url).resolve('fastify'));

export interface LazySchemaCompilers {
  /** Pass as Fastify's `schemaController.compilersFactory`. */
  compilers: SchemaCompilers;
  /** Compiles what is not compiled yet, one function per macrotask, never holding the loop. */
  compileInBackground(): void;
}

export function createLazySchemaCompilers(): LazySchemaCompilers {
  const pending = new Set<() => void>();
  const lazily = (load: () => () => Builder): Builder => {
    // One selector per server, as Fastify makes it (it keeps one Ajv per set of shared schemas).
    let builder: Builder | undefined;
    return (externalSchemas, options) => {
      let compileRoute: ((route: { schema: unknown }) => Compiled) | undefined;
      return (route) => {
        let compiled: Compiled | undefined;
        const compile = (): Compiled => {
          if (compiled) return compiled;
          pending.delete(compile);
          builder ??= load()();
          compileRoute ??= builder(externalSchemas, options);
          compiled = compileRoute(route);
          return compiled;
        };
        pending.add(compile);
        // Fastify reads a validator's `errors` after a call that returned false (Ajv's way).
        const run: Compiled = (...args: unknown[]) => {
          const fn = compile();
          const result = fn(...args);
          run.errors = fn.errors;
          return result;
        };
        return run;
      };
    };
  };
  return {
    compilers: {
      buildValidator: lazily(
        () => fromFastify()('@fastify/ajv-compiler') as () => Builder,
      ) as unknown as SchemaCompilers['buildValidator'],
      buildSerializer: lazily(
        () => fromFastify()('@fastify/fast-json-stringify-compiler') as () => Builder,
      ) as unknown as SchemaCompilers['buildSerializer'],
    },
    compileInBackground() {
      const next = () => {
        const [compile] = pending;
        if (!compile) return;
        try {
          compile();
        } catch {
          // A schema that does not compile fails its route's requests (a 500), as it would have
          // failed the start: not the process, from here.
        }
        setImmediate(next).unref();
      };
      setImmediate(next).unref();
    },
  };
}
