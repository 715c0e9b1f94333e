/**
 * A real HTTP webhook receiver for tests: it records every request and answers as told — 204,
 * 500, a redirect, or never (it hangs). It can go down (connection refused) and come back on the
 * same port. Deliveries are verified with the `standardwebhooks` package, as a customer would.
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';

export type ReceiverMode = 'ok' | 'error' | 'redirect' | 'hang';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  mode: ReceiverMode;
  /** Every request verified with `secret`; throws on the first that does not verify. */
  verifiedPayloads(secret: string): { type: string; timestamp: string; data: Record<string, unknown> }[];
  /** Stops listening: connections are refused until `up()`. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export function verifyWebhook(secret: string, received: ReceivedWebhook): unknown {
  return new Webhook(secret).verify(received.body, {
    'webhook-id': String(received.headers['webhook-id']),
    'webhook-timestamp': String(received.headers['webhook-timestamp']),
    'webhook-signature': String(received.headers['webhook-signature']),
  });
}

export async function startWebhookReceiver(mode: ReceiverMode = 'ok'): Promise<WebhookReceiver> {
  const sockets = new Set<Socket>();
  let port = 0;
  let server: Server | null = null;
  const receiver: WebhookReceiver = {
    url: '',
    received: [],
    mode,
    verifiedPayloads(secret) {
      return receiver.received.map(
        (request) =>
          verifyWebhook(secret, request) as ReturnType<WebhookReceiver['verifiedPayloads']>[number],
      );
    },
    async down() {
      if (!server) return;
      const closing = server;
      server = null;
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => closing.close(resolve));
    },
    up: listen,
    async close() {
      await receiver.down();
    },
  };

  async function listen() {
    const next = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        receiver.received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        switch (receiver.mode) {
          case 'ok':
            response.writeHead(204).end();
            return;
          case 'error':
            response.writeHead(500, { 'content-type': 'text/plain' }).end('x'.repeat(100_000));
            return;
          case 'redirect':
            response.writeHead(307, { location: `${receiver.url}elsewhere` }).end();
            return;
          case 'hang':
            return;
        }
      });
    });
    next.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    next.listen(port, '127.0.0.1');
    await once(next, 'listening');
    port = (next.address() as { port: number }).port;
    receiver.url = `http://127.0.0.1:${port}/`;
    server = next;
  }

  await listen();
  return receiver;
}
