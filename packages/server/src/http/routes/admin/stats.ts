/** `/admin/v1/environments/{envId}/stats`: the console dashboard's numbers (docs/operations.md). */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { environmentStats, STATS_MINUTES } from '../../../service/admin/stats.js';
import { allowOnly } from '../../methods.js';
import type { AdminRoutesOptions } from './options.js';
import { EnvParams, errorResponses, Timestamp } from './schemas/common.js';

const StatsQuery = Type.Object(
  {
    minutes: Type.Optional(
      Type.String({
        maxLength: 5,
        pattern: '^[0-9]+$',
        description: `How many minutes, the current one included, from 1 to ${STATS_MINUTES.max} [${STATS_MINUTES.default}].`,
      }),
    ),
  },
  { additionalProperties: false },
);
type StatsQuery = Static<typeof StatsQuery>;

const Count = Type.Integer({ minimum: 0 });

const Stats = Type.Object(
  {
    liveSessions: Type.Integer({
      minimum: 0,
      description: 'Sessions not ended; one that lapsed counts until the lapse sweep ends it (seconds).',
    }),
    minutes: Type.Array(
      Type.Object(
        {
          at: { ...Timestamp, description: "The minute's start." },
          logins: Count,
          loginFailures: Count,
          refreshes: Count,
          refusals: Type.Record(Type.String(), Count, {
            description: 'Refused refreshes by the error code sent to the client; only codes that occurred.',
          }),
        },
        { additionalProperties: false },
      ),
      {
        description:
          'One item per minute, oldest first, zeros included. Each node stores its counts every 5 seconds, so the last seconds may not show yet.',
      },
    ),
  },
  { additionalProperties: false },
);

export async function statsRoutes(app: FastifyInstance, _options: AdminRoutesOptions) {
  app.get<{ Params: EnvParams; Querystring: StatsQuery }>(
    '/environments/:envId/stats',
    {
      schema: {
        tags: ['stats'],
        summary: 'Live sessions, and logins, refreshes and refusals per minute',
        params: EnvParams,
        querystring: StatsQuery,
        response: { 200: Stats, ...errorResponses('invalid_request', 'not_found') },
      },
    },
    async (request) => environmentStats(request.deps, request.params.envId, request.query),
  );

  allowOnly(app, { '/environments/:envId/stats': ['GET'] });
}
