/**
 * A TCP proxy in front of a server that, while `dropping`, lets requests through but loses the
 * answers: the server's bytes are kept (for the test to read) and the browser's connection is cut
 * as soon as they arrive — a response lost after the server committed.
 */
import { once } from 'node:events';
import { createConnection, createServer, type Socket } from 'node:net';

export interface ResponseDroppingProxy {
  url: string;
  /** Whether answers are lost [false]. */
  dropping: boolean;
  /** The raw answers lost so far, oldest first. */
  dropped: string[];
  close(): Promise<void>;
}

export async function startResponseDroppingProxy(targetPort: number): Promise<ResponseDroppingProxy> {
  const sockets = new Set<Socket>();
  const proxy: ResponseDroppingProxy = {
    url: '',
    dropping: false,
    dropped: [],
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => server.close(done));
    },
  };
  const server = createServer((client) => {
    const upstream = createConnection(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream);
    const dropping = proxy.dropping;
    let answer = '';
    upstream.on('data', (chunk: Buffer) => {
      if (!dropping) {
        client.write(chunk);
        return;
      }
      answer += chunk.toString('latin1');
      // The whole head and body are in (Content-Length): the server is done; the browser never hears it.
      const head = answer.indexOf('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(answer)?.[1] ?? Number.NaN);
      if (head >= 0 && answer.length >= head + 4 + length) {
        proxy.dropped.push(answer);
        client.destroy();
        upstream.destroy();
      }
    });
    upstream.on('end', () => client.end());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  proxy.url = `http://localhost:${(server.address() as { port: number }).port}`;
  return proxy;
}

/** The refresh cookie (`name=value`) in a raw HTTP answer. */
export function cookieInRawAnswer(raw: string): string | null {
  return /^set-cookie: ([^;\r\n]+)/im.exec(raw)?.[1] ?? null;
}
