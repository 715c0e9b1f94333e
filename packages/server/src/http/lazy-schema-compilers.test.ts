import { capturingLogger } from '@tessera/testing/log-capture';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { handleError } from './errors.js';
import { createLazySchemaCompilers, type LazySchemaCompilers } from './lazy-schema-compilers.js';

const quiet = () => createLazySchemaCompilers({ logger: capturingLogger().logger });

const bodySchema = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: { name: { type: 'string', minLength: 2 } },
};
const responseSchema = {
  200: { type: 'object', properties: { greeting: { type: 'string' } } },
};

function appWith(lazy: LazySchemaCompilers | null, logger?: Logger): FastifyInstance {
  const app = Fastify({
    ...(logger && { loggerInstance: logger as FastifyBaseLogger }),
    ...(lazy && { schemaController: { compilersFactory: lazy.compilers } }),
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false } },
  });
  app.post<{ Body: { name: string } }>(
    '/greet',
    { schema: { body: bodySchema, response: responseSchema } },
    async (request) => ({ greeting: `hello ${request.body.name}`, secret: 'not in the schema' }),
  );
  return app;
}

async function answers(app: FastifyInstance) {
  const results = [];
  for (const payload of [{ name: 'Ada' }, { name: 'A' }, { name: 'Ada', extra: 1 }, { other: 'x' }, [1]]) {
    const response = await app.inject({ method: 'POST', url: '/greet', payload });
    results.push({ status: response.statusCode, body: response.json() });
  }
  return results;
}

describe('lazy schema compilers', () => {
  let apps: FastifyInstance[] = [];
  afterEach(async () => {
    await Promise.all(apps.map((app) => app.close()));
    apps = [];
  });

  it("answer every request as Fastify's own compilers do, compiled on first use", async () => {
    const eager = appWith(null);
    const lazy = appWith(quiet());
    apps.push(eager, lazy);
    const expected = await answers(eager);
    // Valid, three kinds of invalid body (each a 400 naming the rule), and the response filtered.
    expect(expected.map((r) => r.status)).toEqual([200, 400, 400, 400, 400]);
    expect(expected[0]!.body).toEqual({ greeting: 'hello Ada' });
    expect(await answers(lazy)).toEqual(expected);
  });

  it('compile the rest in the background once asked, with the same answers', async () => {
    const compilers = quiet();
    const eager = appWith(null);
    const lazy = appWith(compilers);
    apps.push(eager, lazy);
    await lazy.ready();
    // The body's validator and the 200 response's serializer.
    expect(await compilers.compileInBackground()).toEqual({ compiled: 2, failed: [] });
    expect(await answers(lazy)).toEqual(await answers(eager));
  });

  it('log a schema that does not compile, naming it, and fail its requests with a 500 that names it', async () => {
    const { logger, lines } = capturingLogger();
    const compilers = createLazySchemaCompilers({ logger });
    const app = appWith(compilers, logger);
    app.post(
      '/broken',
      { schema: { body: { type: 'object', properties: { name: { type: 'no-such-type' } } } } },
      async () => ({ ok: true }),
    );
    app.get(
      '/broken-answer',
      { schema: { response: { 200: { type: 'object', properties: { ok: { type: 'no-such-type' } } } } } },
      async () => ({ ok: true }),
    );
    // The server's own error handler: what a real route's request would be answered.
    app.setErrorHandler(handleError);
    apps.push(app);
    // Fastify's own compilers refuse to start with it; these start, and report it once listening.
    await expect(
      appWith(null)
        .post('/broken', { schema: { body: { type: 'no-such-type' } } }, async () => ({}))
        .ready(),
    ).rejects.toThrow();
    await app.ready();
    expect(await compilers.compileInBackground()).toEqual({
      compiled: 2,
      // Fastify's HEAD route for the GET has the same response schema.
      failed: ['POST /broken body', 'GET /broken-answer response 200', 'HEAD /broken-answer response 200'],
    });
    const logged = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const warnings = logged().filter((line) => line.level === 40);
    expect(warnings.map((line) => line.schema)).toEqual([
      'POST /broken body',
      'GET /broken-answer response 200',
      'HEAD /broken-answer response 200',
    ]);
    expect(warnings[0]!.msg).toMatch(/did not compile/);
    expect(JSON.stringify(warnings[0]!.err)).toMatch(/schema is invalid: data\/properties\/name\/type/);

    // Its requests: a 500 internal_error (not a 400: the request is not at fault), logged with
    // the schema's name; the request's values are in neither.
    const secret = 'a-request-value-never-logged';
    const broken = await app.inject({ method: 'POST', url: '/broken', payload: { name: secret } });
    expect(broken.statusCode).toBe(500);
    expect(broken.json()).toMatchObject({ error: 'internal_error' });
    const brokenAnswer = await app.inject({ method: 'GET', url: '/broken-answer' });
    expect(brokenAnswer.statusCode).toBe(500);
    const failures = logged().filter((line) => line.level === 50);
    expect(failures.map((line) => (line.err as { message: string }).message)).toEqual([
      expect.stringMatching(/^the POST \/broken body schema does not compile/),
      expect.stringMatching(/^the GET \/broken-answer response 200 schema does not compile/),
    ]);
    expect(lines.join('') + broken.body).not.toContain(secret);
    // The other route is unaffected.
    expect((await app.inject({ method: 'POST', url: '/greet', payload: { name: 'Ada' } })).json()).toEqual({
      greeting: 'hello Ada',
    });
  });

  it('compile on first use a schema whose background compile failed once', async () => {
    let failures = 1;
    const { logger, lines } = capturingLogger();
    const compilers = createLazySchemaCompilers({ logger });
    const app = Fastify({
      schemaController: { compilersFactory: compilers.compilers },
      ajv: {
        plugins: [
          (ajv) =>
            ajv.addKeyword({
              keyword: 'flaky',
              compile() {
                if (failures-- > 0) throw new Error('flaky keyword: not this time');
                return () => true;
              },
            }),
        ],
      },
    });
    app.post('/flaky', { schema: { body: { type: 'object', flaky: true, required: ['a'] } } }, async () => ({
      ok: true,
    }));
    apps.push(app);
    await app.ready();
    expect(await compilers.compileInBackground()).toEqual({ compiled: 0, failed: ['POST /flaky body'] });
    expect(lines).toHaveLength(1);
    expect((await app.inject({ method: 'POST', url: '/flaky', payload: { a: 1 } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/flaky', payload: {} })).statusCode).toBe(400);
  });
});
