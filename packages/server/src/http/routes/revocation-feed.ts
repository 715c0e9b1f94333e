/**
 * `GET {base}/auth/v1/revocations`: the revocation feed as server-sent events
 * (docs/revocation-feed.md). For resource servers, authenticated as a confidential client of the
 * environment; resumable with `Last-Event-ID`; a backlog, then `ready`, then live endings and ticks.
 */
import type { FastifyInstance } from 'fastify';
import { TOKEN_ERROR_STATUS, tokenRefusal } from '../../oauth/errors.js';
import { parseClientCredentials } from '../../oauth/token-request.js';
import type { SharedDeps } from '../../service/deps.js';
import { authenticateFeedSubscriber } from '../../service/oauth/client-authentication.js';
import { readRevocationBacklog, replayStart } from '../../service/revocations/backlog.js';
import type { RevocationHub } from '../../service/revocations/revocation-hub.js';
import { SentEndings } from '../../service/revocations/sent-endings.js';
import type { SessionEnding } from '../../storage/records.js';
import { requireEnvironment } from '../environment.js';
import { allowOnly } from '../methods.js';

const TICK_MS = 5000;
const CURSOR = /^\d{1,12}$/;

export async function revocationFeedRoutes(
  app: FastifyInstance,
  deps: SharedDeps,
  hub: RevocationHub,
): Promise<void> {
  app.get('/revocations', async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    const environment = await requireEnvironment(deps, request);
    const credentials = parseClientCredentials({}, request.headers.authorization ?? '');
    const subscriber =
      'error' in credentials
        ? tokenRefusal('invalid_client', credentials.description)
        : await authenticateFeedSubscriber(request.deps, environment.id, credentials);
    if (!subscriber.ok)
      return reply
        .status(TOKEN_ERROR_STATUS[subscriber.error])
        .header('www-authenticate', 'Basic realm="tessera", charset="UTF-8"')
        .send({ error: subscriber.error, error_description: subscriber.description });

    const lastEventId = request.headers['last-event-id'];
    const cursor = typeof lastEventId === 'string' && CURSOR.test(lastEventId) ? Number(lastEventId) : null;
    const replayFrom = replayStart({
      now: deps.clock.now(),
      accessTokenTtlSeconds: environment.tokenSettings.accessTokenTtlSeconds,
      cursor,
    });

    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    const sent = new SentEndings();
    let live = false;
    const queued: SessionEnding[] = [];
    const write = (event: string, id: number, data: object) => {
      raw.write(`event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const announce = (endings: readonly SessionEnding[]) => {
      const now = deps.clock.now();
      for (const ending of endings) {
        if (!sent.firstTime(ending, now)) continue;
        write('revoked', ending.endedAt, {
          sid: ending.sessionId,
          reason: ending.reason,
          endedAt: ending.endedAt,
        });
      }
      lastWrite = Date.now();
    };
    let lastWrite = Date.now();

    // Subscribe before reading the backlog, so nothing that ends in between is lost.
    const unsubscribe = hub.subscribe(environment.id, (endings) => {
      if (live) announce(endings);
      else queued.push(...endings);
    });
    const tick = setInterval(() => {
      sent.forget(deps.clock.now());
      if (Date.now() - lastWrite < TICK_MS) return;
      const serverTime = deps.clock.now();
      write('tick', serverTime, { serverTime });
      lastWrite = Date.now();
    }, 1000);
    let closed = false;
    const end = () => {
      if (closed) return;
      closed = true;
      clearInterval(tick);
      unsubscribe();
      forget();
      raw.end();
    };
    const forget = hub.onClose(end);
    raw.on('close', end);

    raw.write('retry: 1000\n\n');
    try {
      announce(await readRevocationBacklog(deps, environment.id, replayFrom));
      live = true;
      announce(queued.splice(0));
      const serverTime = deps.clock.now();
      write('ready', serverTime, { replayedFrom: replayFrom, serverTime });
    } catch (error) {
      request.log.warn({ err: error }, 'the revocation feed could not read its backlog');
      end();
    }
  });

  allowOnly(app, { '/revocations': ['GET'] });
}
