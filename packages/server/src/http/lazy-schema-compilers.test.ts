import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createLazySchemaCompilers, type LazySchemaCompilers } from './lazy-schema-compilers.js';

const bodySchema = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: { name: { type: 'string', minLength: 2 } },
};
const responseSchema = {
  200: { type: 'object', properties: { greeting: { type: 'string' } } },
};

function appWith(lazy: LazySchemaCompilers | null): FastifyInstance {
  const app = Fastify({
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
    const lazy = appWith(createLazySchemaCompilers());
    apps.push(eager, lazy);
    const expected = await answers(eager);
    // Valid, three kinds of invalid body (each a 400 naming the rule), and the response filtered.
    expect(expected.map((r) => r.status)).toEqual([200, 400, 400, 400, 400]);
    expect(expected[0]!.body).toEqual({ greeting: 'hello Ada' });
    expect(await answers(lazy)).toEqual(expected);
  });

  it('compile the rest in the background once asked, with the same answers', async () => {
    const compilers = createLazySchemaCompilers();
    const eager = appWith(null);
    const lazy = appWith(compilers);
    apps.push(eager, lazy);
    await lazy.ready();
    compilers.compileInBackground();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await answers(lazy)).toEqual(await answers(eager));
  });
});
