/**
 * Building blocks of the admin API's schemas: closed objects, bounded strings and lists, no
 * coercion (the app's ajv neither coerces nor removes). The OpenAPI document is generated from
 * these same schemas.
 */
import { type Static, type TSchema, type TUnsafe, Type } from '@sinclair/typebox';
import { ERROR_STATUS, type ErrorCode } from '@tessera/protocol';
import { Id } from '../../../schemas.js';

/** A closed string enum, reported by ajv as "must be equal to one of the allowed values". */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: { description?: string } = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

export function Nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()]);
}

/** An id in a path, or one chosen by the caller for a tenant, client or user. */
export const EntityId = Id;

export const EnvironmentId = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
  description: 'Lower-case letters, digits and hyphens; generated when absent.',
});

/** A display name: no control characters. */
export const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\p{Cc}]+$' });

export const Timestamp = Type.String({ format: 'date-time' });

export const Seconds = Type.Integer({ minimum: 1, maximum: 315_360_000 });

export const ErrorBody = Type.Object(
  {
    error: Type.String({ description: 'A stable error code (docs/errors.md).' }),
    message: Type.String(),
    field: Type.Optional(
      Type.String({
        description:
          'invalid_request: the input at fault, a JSON Pointer into the body (`/redirectUris/0`) or the name of a path or query parameter (`envId`, `limit`).',
      }),
    ),
  },
  { additionalProperties: false },
);

/** Error responses of a route, with the documented code of each status. */
export function errorResponses(...codes: ErrorCode[]): Record<number, typeof ErrorBody> {
  const responses: Record<number, typeof ErrorBody> = {};
  for (const code of ['unauthorized', ...codes] as ErrorCode[]) {
    const status = ERROR_STATUS[code];
    const known = responses[status]?.description;
    responses[status] = { ...ErrorBody, description: known ? `${known}, ${code}` : code };
  }
  return responses;
}

export const NoContent = Type.Null({ description: 'No content.' });

export const EnvParams = Type.Object({ envId: EntityId });
export type EnvParams = Static<typeof EnvParams>;

/** What any route with a JSON body may answer besides its own errors. */
export const BODY_ERRORS: ErrorCode[] = ['invalid_request', 'payload_too_large', 'unsupported_media_type'];
