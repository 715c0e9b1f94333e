import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { LOG_REDACT_PATHS } from '../../server/src/server.js';

/** A logger like production's (same redaction), writing every line into memory. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return {
    logger: pino({ level: 'debug', redact: { paths: LOG_REDACT_PATHS, remove: true } }, stream),
    lines,
  };
}
