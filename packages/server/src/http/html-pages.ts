/**
 * Serving the hosted login's HTML: every page with its CSP (no script, no framing), `no-store`
 * (a page carries a CSRF token and a pending request), and errors as pages rather than JSON.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { genericMessage } from '../errors.js';
import { type LoginBranding, loginContentSecurityPolicy, renderErrorPage } from '../login-ui/index.js';
import { decodeFormComponent } from '../oauth/form-urlencoded.js';
import type { SharedDeps } from '../service/deps.js';
import type { EnvironmentRecord } from '../storage/records.js';
import { resolveError } from './errors.js';

export interface SendPageOptions {
  status?: number;
  /** Where the page's form ends up after the server's redirects (added to `form-action`). */
  redirectTargets?: readonly string[];
}

export function sendPage(reply: FastifyReply, html: string, options: SendPageOptions = {}): FastifyReply {
  // Referrer-Policy same-origin, not no-referrer: with no-referrer a browser sends `Origin: null` on
  // the page's own form posts, which must prove they are same-origin. Other origins get nothing.
  return reply
    .status(options.status ?? 200)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'same-origin')
    .header(
      'content-security-policy',
      loginContentSecurityPolicy({ redirectTargets: options.redirectTargets ?? [] }),
    )
    .send(html);
}

/** An error page; it never links or redirects anywhere (security.md §2.3). */
export function sendErrorPage(
  reply: FastifyReply,
  status: number,
  page: { title: string; message: string; branding?: LoginBranding | undefined },
): FastifyReply {
  return sendPage(reply, renderErrorPage(page), { status });
}

/** The branding of an environment's pages: its configured branding over its name. */
export function brandingOf(environment: EnvironmentRecord): LoginBranding {
  const { branding } = environment;
  return {
    name: branding.name ?? environment.name,
    primaryColor: branding.primaryColor,
    logoUrl: branding.logoUrl,
  };
}

/** The path of an environment's endpoint, for form actions and same-origin redirects. */
export function environmentPath(deps: SharedDeps, envId: string, path: string): string {
  return `${new URL(deps.baseUrl(envId)).pathname.replace(/\/$/, '')}${path}`;
}

/**
 * Registers, in one plugin scope: HTML error pages for every failure, and a parser for
 * `application/x-www-form-urlencoded` bodies into `Record<string, string | string[]>` (a repeated
 * name becomes an array, for the caller to refuse). The session API's scope never gets the parser:
 * there a form post is a CSRF vector.
 */
export function useHtmlErrorsAndForms(app: FastifyInstance): void {
  registerFormParser(app);
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const { status, code, message } = resolveError(error, request, reply);
    void sendErrorPage(reply, status, {
      title: status >= 500 ? 'Sign-in is unavailable right now' : 'This request cannot be completed',
      // A 5xx page says only what failed in general; its cause is in the log.
      message: status < 500 ? message : genericMessage(code),
    });
  });
}

export function registerFormParser(app: FastifyInstance): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      const form = decodeForm(body as string);
      if (form === null) {
        const error = new Error('The form body is malformed.') as Error & { statusCode: number };
        error.statusCode = 400;
        done(error, undefined);
        return;
      }
      done(null, form);
    },
  );
}

/** Decodes a form body; a repeated name becomes an array. `null` when an escape is malformed. */
export function decodeForm(body: string): Record<string, string | string[]> | null {
  const form: Record<string, string | string[]> = Object.create(null);
  for (const pair of body.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeFormComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = decodeFormComponent(eq === -1 ? '' : pair.slice(eq + 1));
    if (name === null || value === null) return null;
    const existing = form[name];
    form[name] =
      existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return form;
}

/** One string value of a decoded form, `undefined` when absent, repeated or not a string. */
export function formField(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}
