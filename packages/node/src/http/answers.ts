/**
 * What a resource server answers when it refuses a request: a status, RFC 6750 §3 headers and a
 * generic JSON body. The reason stays on the server (security.md MW-05): every refused token is
 * `invalid_token`, whether it expired, was forged or belongs to an ended session.
 */
import type { ServerResponse } from 'node:http';
import type { TesseraVerifyError } from '../errors.js';

export interface Answer {
  status: 401 | 403 | 500 | 503;
  headers: Record<string, string>;
  body: { error: 'invalid_token' | 'insufficient_scope' | 'temporarily_unavailable' | 'server_error' };
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/** The answer to a refused token; 401 for the token, 503/500 when the verifier could not decide. */
export function refusal(error: TesseraVerifyError): Answer {
  switch (error.status) {
    case 401:
      return {
        status: 401,
        headers: {
          ...JSON_HEADERS,
          // RFC 6750 §3.1: a request without credentials gets no error code.
          'www-authenticate': error.code === 'token_missing' ? 'Bearer' : 'Bearer error="invalid_token"',
        },
        body: { error: 'invalid_token' },
      };
    case 503:
      return {
        status: 503,
        headers: { ...JSON_HEADERS, 'retry-after': '5' },
        body: { error: 'temporarily_unavailable' },
      };
    case 500:
      return { status: 500, headers: JSON_HEADERS, body: { error: 'server_error' } };
  }
}

/** A guard's refusal: the token is fine, it just does not grant this (RFC 6750 §3.1). */
export const INSUFFICIENT_SCOPE: Answer = {
  status: 403,
  headers: { ...JSON_HEADERS, 'www-authenticate': 'Bearer error="insufficient_scope"' },
  body: { error: 'insufficient_scope' },
};

/** Writes `answer` on a Node response (Express's `res` is one). */
export function writeAnswer(response: ServerResponse, answer: Answer): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers)) response.setHeader(name, value);
  response.end(JSON.stringify(answer.body));
}

/** The part of a Fastify reply the adapters use. */
export interface ReplyLike {
  code(status: number): ReplyLike;
  headers(values: Record<string, string>): ReplyLike;
  send(body: unknown): unknown;
}

export function isReplyLike(value: unknown): value is ReplyLike {
  const reply = value as Partial<ReplyLike> | null;
  return (
    typeof reply === 'object' &&
    reply !== null &&
    typeof reply.code === 'function' &&
    typeof reply.headers === 'function' &&
    typeof reply.send === 'function'
  );
}
