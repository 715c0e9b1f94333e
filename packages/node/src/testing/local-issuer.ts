/**
 * A stand-in issuer for the verifier's tests: real keys (node:crypto), a JWKS endpoint whose failures
 * a test chooses, a revocation feed it drives event by event, and a signer that writes any header
 * and payload bytes, so a test can forge exactly the token it means.
 */
import {
  createHmac,
  constants as cryptoConstants,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestKey {
  kid: string;
  alg: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

export function generateTestKey(
  alg: 'ES256' | 'ES384' | 'RS256' | 'PS256' | 'EdDSA',
  kid?: string,
  bits = 3072,
) {
  const pair =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : alg === 'ES384'
        ? generateKeyPairSync('ec', { namedCurve: 'P-384' })
        : alg === 'EdDSA'
          ? generateKeyPairSync('ed25519')
          : generateKeyPairSync('rsa', { modulusLength: bits });
  const key: TestKey = {
    kid: kid ?? `${alg.toLowerCase()}-${randomBytes(4).toString('hex')}`,
    alg,
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    publicJwk: {},
  };
  key.publicJwk = { ...pair.publicKey.export({ format: 'jwk' }), kid: key.kid, alg, use: 'sig' };
  return key;
}

export const b64url = (value: string | Buffer | Uint8Array): string =>
  Buffer.from(value).toString('base64url');

/**
 * Signs `header.payload` as given: objects are JSON-encoded, strings are taken as the exact JSON
 * text. `alg` picks the signature, independent of what the header claims.
 */
export function signJws(
  header: object | string,
  payload: object | string,
  key: KeyObject | Buffer | string,
  alg: string,
): string {
  const input = `${encodePart(header)}.${encodePart(payload)}`;
  return `${input}.${b64url(signBytes(input, key, alg))}`;
}

export function encodePart(part: object | string): string {
  return b64url(typeof part === 'string' ? part : JSON.stringify(part));
}

export function signBytes(input: string, key: KeyObject | Buffer | string, alg: string): Buffer {
  const data = Buffer.from(input);
  const hash = `sha${alg.slice(2)}`;
  if (alg.startsWith('HS'))
    return createHmac(hash, key as Buffer | string)
      .update(data)
      .digest();
  const k = key as KeyObject;
  if (alg.startsWith('ES')) return sign(hash, data, { key: k, dsaEncoding: 'ieee-p1363' });
  if (alg.startsWith('RS')) return sign(hash, data, k);
  if (alg.startsWith('PS')) {
    return sign(hash, data, {
      key: k,
      padding: cryptoConstants.RSA_PKCS1_PSS_PADDING,
      saltLength: Number(alg.slice(2)) / 8,
    });
  }
  if (alg === 'EdDSA') return sign(null, data, k);
  throw new Error(`signBytes: ${alg}?`);
}

export type JwksMode = 'ok' | 'down' | 'slow' | 'malformed' | 'html' | 'redirect';

interface FeedConnection {
  response: ServerResponse;
  lastEventId: string | undefined;
}

export interface RecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
}

export interface LocalIssuer {
  url: string;
  audience: string;
  key: TestKey;
  /** Keys in the JWKS (the signing key first). */
  published: TestKey[];
  jwksMode: JwksMode;
  requests: RecordedRequest[];
  jwksRequests(): number;
  /** Valid claims for now, with overrides (an `undefined` value deletes the claim). */
  claims(overrides?: Record<string, unknown>, now?: number): Record<string, unknown>;
  /** A valid token, with header and claim overrides, signed by `key` (the issuer's by default). */
  token(options?: {
    claims?: Record<string, unknown>;
    header?: Record<string, unknown>;
    key?: TestKey;
    now?: number;
  }): string;
  feed: LocalFeed;
  close(): Promise<void>;
}

export interface LocalFeed {
  clientId: string;
  clientSecret: string;
  /** What the feed answers: 200 (the stream), or an error status. */
  status: number;
  /** Endings replayed before `ready` on every connection. */
  backlog: { sid: string; endedAt: number }[];
  /** Whether a new connection gets `ready` after its backlog. */
  sendReady: boolean;
  /** `replayedFrom` and `serverTime` of `ready` on a connection without a cursor. */
  windowSeconds: number;
  connections: FeedConnection[];
  /** Every connection's `Last-Event-ID`, in order. */
  lastEventIds: (string | undefined)[];
  revoke(sid: string, id?: number): void;
  tick(id?: number): void;
  write(raw: string): void;
  /** Ends every open stream (a server restart). */
  dropAll(): void;
  waitForConnections(count: number): Promise<void>;
}

/** Starts an issuer on 127.0.0.1; `close()` stops it. */
export async function startLocalIssuer(
  options: { alg?: 'ES256' | 'RS256' | 'EdDSA' } = {},
): Promise<LocalIssuer> {
  const key = generateTestKey(options.alg ?? 'ES256');
  const requests: RecordedRequest[] = [];
  let url = '';
  const feed: LocalFeed = {
    clientId: 'orders-api',
    clientSecret: randomBytes(24).toString('base64url'),
    status: 200,
    backlog: [],
    sendReady: true,
    windowSeconds: 360,
    connections: [],
    lastEventIds: [],
    revoke(sid, id = Math.floor(Date.now() / 1000)) {
      broadcast(
        `event: revoked\nid: ${id}\ndata: ${JSON.stringify({ sid, reason: 'logout', endedAt: id })}\n\n`,
      );
    },
    tick(id = Math.floor(Date.now() / 1000)) {
      broadcast(`event: tick\nid: ${id}\ndata: ${JSON.stringify({ serverTime: id })}\n\n`);
    },
    write(raw) {
      broadcast(raw);
    },
    dropAll() {
      for (const connection of feed.connections.splice(0)) connection.response.destroy();
    },
    async waitForConnections(count) {
      for (let i = 0; i < 400 && feed.lastEventIds.length < count; i++) await sleep(25);
      if (feed.lastEventIds.length < count)
        throw new Error(`only ${feed.lastEventIds.length} feed connections`);
    },
  };
  const broadcast = (raw: string) => {
    for (const connection of feed.connections) connection.response.write(raw);
  };

  const issuer: LocalIssuer = {
    get url() {
      return url;
    },
    audience: 'app',
    key,
    published: [key],
    jwksMode: 'ok',
    requests,
    jwksRequests: () => requests.filter((r) => r.path === '/.well-known/jwks.json').length,
    claims(overrides = {}, now = Math.floor(Date.now() / 1000)) {
      const claims: Record<string, unknown> = {
        iss: url,
        aud: 'app',
        sub: 'user-ada',
        sid: `sid-${randomBytes(6).toString('hex')}`,
        tenantId: 'acme',
        tenantIds: ['acme', 'globex'],
        roles: ['admin'],
        permissions: ['users:read', 'users:write'],
        email: 'ada@example.com',
        name: 'Ada',
        auth_time: now,
        iat: now,
        exp: now + 300,
        jti: randomBytes(16).toString('base64url'),
        client_id: 'app',
      };
      for (const [name, value] of Object.entries(overrides)) {
        if (value === undefined) delete claims[name];
        else claims[name] = value;
      }
      return claims;
    },
    token({ claims = {}, header = {}, key: signer = key, now } = {}) {
      const fullHeader: Record<string, unknown> = { alg: signer.alg, kid: signer.kid, typ: 'at+jwt' };
      for (const [name, value] of Object.entries(header)) {
        if (value === undefined) delete fullHeader[name];
        else fullHeader[name] = value;
      }
      return signJws(fullHeader, issuer.claims(claims, now), signer.privateKey, signer.alg);
    },
    feed,
    async close() {
      feed.dropAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0]!;
    requests.push({ path, headers: request.headers });
    if (path === '/.well-known/jwks.json') return serveJwks(issuer, response);
    if (path === '/auth/v1/revocations') return serveFeed(issuer, request.headers, response);
    response.statusCode = 404;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return issuer;
}

function serveJwks(issuer: LocalIssuer, response: ServerResponse): void {
  const body = JSON.stringify({ keys: issuer.published.map((k) => k.publicJwk) });
  switch (issuer.jwksMode) {
    case 'ok':
      response.setHeader('content-type', 'application/json');
      response.end(body);
      return;
    case 'down':
      response.statusCode = 503;
      response.end();
      return;
    case 'slow':
      setTimeout(() => response.end(body), 10_000).unref();
      return;
    case 'malformed':
      response.setHeader('content-type', 'application/json');
      response.end('{"keys": [');
      return;
    case 'html':
      response.setHeader('content-type', 'text/html');
      response.end('<html>maintenance</html>');
      return;
    case 'redirect':
      response.statusCode = 302;
      response.setHeader('location', 'http://127.0.0.1:9/jwks.json');
      response.end();
      return;
  }
}

function serveFeed(issuer: LocalIssuer, headers: IncomingHttpHeaders, response: ServerResponse): void {
  const { feed } = issuer;
  const expected = `Basic ${Buffer.from(`${feed.clientId}:${feed.clientSecret}`).toString('base64')}`;
  const lastEventId = headers['last-event-id'] as string | undefined;
  feed.lastEventIds.push(lastEventId);
  if (headers.authorization !== expected) {
    response.statusCode = 401;
    response.setHeader('www-authenticate', 'Basic realm="tessera"');
    response.end('{"error":"invalid_client"}');
    return;
  }
  if (feed.status !== 200) {
    response.statusCode = feed.status;
    response.end();
    return;
  }
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
  });
  const connection = { response, lastEventId };
  feed.connections.push(connection);
  response.on('close', () => {
    const index = feed.connections.indexOf(connection);
    if (index !== -1) feed.connections.splice(index, 1);
  });
  // Fast reconnects in tests; the real server says 1000.
  response.write('retry: 50\n\n');
  for (const ending of feed.backlog) {
    response.write(
      `event: revoked\nid: ${ending.endedAt}\ndata: ${JSON.stringify({ ...ending, reason: 'logout' })}\n\n`,
    );
  }
  if (feed.sendReady) {
    const serverTime = Math.floor(Date.now() / 1000);
    const replayedFrom = lastEventId ? Number(lastEventId) - 5 : serverTime - feed.windowSeconds;
    response.write(
      `event: ready\nid: ${serverTime}\ndata: ${JSON.stringify({ replayedFrom, serverTime })}\n\n`,
    );
  }
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** A fetch that records every URL it is asked for, then fetches it. */
export function recordingFetch(): { fetch: typeof fetch; urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    fetch: (input, init) => {
      urls.push(input instanceof Request ? input.url : String(input));
      return fetch(input, init);
    },
  };
}
