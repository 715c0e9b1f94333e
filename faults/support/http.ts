/**
 * A browser's requests to the session API over node:http, so that a test sees what the network
 * did: a status, or the socket error (ECONNREFUSED: never sent; ECONNRESET: cut) — fetch hides both
 * behind "fetch failed".
 */
import { type Agent, request } from 'node:http';

export const ORIGIN = 'http://localhost:5173';
export const PASSWORD = 'fault tolerance, proven 12';

export type Answer =
  | { kind: 'response'; status: number; headers: Record<string, string | string[] | undefined>; body: string }
  | { kind: 'network'; code: string };

export interface PostOptions {
  cookie?: string;
  /** A new connection per request (`agent: false`) unless given one. */
  agent?: Agent | false;
  headers?: Record<string, string>;
}

export function post(
  baseUrl: string,
  path: string,
  body: unknown,
  options: PostOptions = {},
): Promise<Answer> {
  const payload = JSON.stringify(body);
  return new Promise((resolve) => {
    const req = request(
      `${baseUrl.replace('localhost', '127.0.0.1')}${path}`,
      {
        method: 'POST',
        agent: options.agent ?? false,
        headers: {
          host: new URL(baseUrl).host,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          'x-tessera-request': '1',
          origin: ORIGIN,
          ...(options.cookie && { cookie: options.cookie }),
          ...options.headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({ kind: 'response', status: res.statusCode ?? 0, headers: res.headers, body: text }),
        );
        res.on('error', (error: NodeJS.ErrnoException) =>
          resolve({ kind: 'network', code: error.code ?? error.message }),
        );
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ kind: 'network', code: error.code ?? error.message }),
    );
    req.end(payload);
  });
}

/** The refresh cookie a response sets (`name=value`), or null. */
export function cookieOf(answer: Answer): string | null {
  if (answer.kind !== 'response') return null;
  const header = answer.headers['set-cookie'];
  const first = Array.isArray(header) ? header[0] : header;
  const pair = first?.split(';')[0];
  return pair && !pair.endsWith('=') ? pair : null;
}

export function describe(answer: Answer): string {
  return answer.kind === 'response' ? `${answer.status} ${answer.body.slice(0, 120)}` : answer.code;
}

export const login = (baseUrl: string, email: string, options: PostOptions = {}) =>
  post(baseUrl, '/auth/v1/login', { email, password: PASSWORD, clientId: 'app' }, options);

export const refresh = (baseUrl: string, cookie: string, options: PostOptions = {}) =>
  post(baseUrl, '/auth/v1/refresh', { clientId: 'app' }, { ...options, cookie });
