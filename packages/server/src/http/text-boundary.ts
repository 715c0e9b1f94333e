/**
 * Applies the boundary rule for text (text-input.ts) to every request before any route sees it:
 * path parameters, query values, the body (every string and key, at any depth) and the stored
 * header values. One hook for every route, so no route can forget it; each surface answers in its
 * own way (JSON `invalid_request`, an OAuth error, the hosted login's error page).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TesseraError } from '../errors.js';
import { TEXT_PROBLEM_MESSAGES, type TextProblem, textInputProblem } from '../text-input.js';

/** Deeper than any body a route accepts; refused without walking further (and without recursion). */
export const MAX_BODY_DEPTH = 32;

/** Header values that are stored (sessions keep the user agent; a trusted proxy's address). */
const STORED_HEADERS = ['user-agent', 'x-forwarded-for'] as const;

const NAMEABLE = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * The URL and headers are checked as soon as the request is routed (CORS and other scoped
 * `onRequest` hooks read storage), the body once it is parsed.
 */
export function registerTextBoundary(app: FastifyInstance): void {
  const refusal = (problem: string | null) =>
    problem === null
      ? undefined
      : new TesseraError('invalid_request', { message: `Invalid request: ${problem}.` });
  // Callback hooks, not async ones: every request runs them, and a promise each is measurable.
  app.addHook('onRequest', (request, _reply, done) => done(refusal(findTextProblem(request))));
  app.addHook('preValidation', (request, _reply, done) => {
    const appliedByRoute = request.routeOptions.config.textRuleAppliedByRoute?.body === true;
    done(appliedByRoute ? undefined : refusal(bodyProblem(request.body)));
  });
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Where a route applies the text rule itself ({@link textInputProblem}) to every value it uses,
     * because its protocol prescribes the answer: the authorization endpoint's errors go back to a
     * verified redirect URI (RFC 6749 §4.1.2.1), the login form shows its own failure.
     */
    textRuleAppliedByRoute?: { query?: true; body?: true };
  }
}

/** Where the URL or headers break the rule, in words that name the place and never the value. */
export function findTextProblem(request: FastifyRequest): string | null {
  const params = request.params as Record<string, unknown> | undefined;
  for (const [name, value] of Object.entries(params ?? {})) {
    const problem = typeof value === 'string' ? textInputProblem(value) : null;
    if (problem !== null) return describe(`the path parameter ${name}`, problem);
  }
  const query =
    request.routeOptions.config.textRuleAppliedByRoute?.query === true
      ? {}
      : ((request.query as Record<string, unknown>) ?? {});
  for (const [name, value] of Object.entries(query)) {
    const problem = textInputProblem(name) ?? valuesProblem(value);
    if (problem !== null) return describe(`the query parameter ${label(name)}`, problem);
  }
  for (const name of STORED_HEADERS) {
    const value = request.headers[name];
    const problem = valuesProblem(value, { allowLineBreaks: false, allowTab: true });
    if (problem !== null) return describe(`the ${name} header`, problem);
  }
  return null;
}

function valuesProblem(
  value: unknown,
  options: { allowLineBreaks?: boolean; allowTab?: boolean } = {},
): TextProblem | null {
  for (const one of Array.isArray(value) ? value : [value]) {
    if (typeof one !== 'string') continue;
    // HTTP field values may hold a tab (RFC 9110 §5.5); nothing else below a space.
    const text = options.allowTab === true ? one.replaceAll('\t', ' ') : one;
    const problem = textInputProblem(text, { allowLineBreaks: options.allowLineBreaks === true });
    if (problem !== null) return problem;
  }
  return null;
}

/** Walks the parsed body breadth-first, so a deeply nested one cannot exhaust the stack. */
export function bodyProblem(body: unknown): string | null {
  if (typeof body === 'string') {
    const problem = textInputProblem(body, { allowLineBreaks: true });
    return problem === null ? null : describe('the body', problem);
  }
  let level: { value: unknown; path: string }[] = [{ value: body, path: 'body' }];
  for (let depth = 0; level.length > 0; depth++) {
    if (depth > MAX_BODY_DEPTH) return `the body nests more than ${MAX_BODY_DEPTH} levels deep`;
    const next: typeof level = [];
    for (const { value, path } of level) {
      if (typeof value === 'string') {
        const problem = textInputProblem(value, { allowLineBreaks: true });
        if (problem !== null) return describe(`the field ${path}`, problem);
      } else if (Array.isArray(value)) {
        for (const [index, item] of value.entries()) next.push({ value: item, path: `${path}[${index}]` });
      } else if (typeof value === 'object' && value !== null) {
        for (const [key, item] of Object.entries(value)) {
          const problem = textInputProblem(key);
          if (problem !== null) return describe(`a field name in ${path}`, problem);
          next.push({ value: item, path: `${path}.${label(key)}` });
        }
      }
    }
    level = next;
  }
  return null;
}

function label(name: string): string {
  return NAMEABLE.test(name) ? name : '…';
}

function describe(where: string, problem: TextProblem): string {
  const place = where.length > 120 ? `${where.slice(0, 119)}…` : where;
  return `${place} ${TEXT_PROBLEM_MESSAGES[problem]}`;
}
