import { describe, expect, it } from 'vitest';
import { type SseEvent, SseLineTooLongError, SseParser } from './sse-parser.js';

function parse(chunks: string[]) {
  const events: SseEvent[] = [];
  const retries: number[] = [];
  const parser = new SseParser({ onEvent: (e) => events.push(e), onRetry: (ms) => retries.push(ms) });
  for (const chunk of chunks) parser.push(chunk);
  return { events, retries };
}

describe('SseParser', () => {
  it('parses event, id, data and retry, and keeps the last id across events', () => {
    const { events, retries } = parse([
      'retry: 1000\n\n',
      'event: revoked\nid: 17\ndata: {"sid":"a"}\n\n',
      'data: plain\n\n',
      ': a comment\n',
      'event: tick\nid: 18\ndata: {}\n\n',
    ]);
    expect(retries).toEqual([1000]);
    expect(events).toEqual([
      { type: 'revoked', data: '{"sid":"a"}', lastEventId: '17' },
      { type: 'message', data: 'plain', lastEventId: '17' },
      { type: 'tick', data: '{}', lastEventId: '18' },
    ]);
  });

  it('accepts CRLF, CR and LF line ends, also split across chunks', () => {
    const { events } = parse(['event: a\r', '\ndata: 1\r', '\r', 'event: b\rdata: 2\r\r', 'data: 3\n', '\n']);
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['message', '3'],
    ]);
  });

  it('joins data lines, strips one leading space only, and dispatches nothing without data', () => {
    const { events } = parse(['data:  two spaces\ndata:x\n\n', 'event: empty\n\n', 'data\n\n']);
    expect(events.map((e) => e.data)).toEqual([' two spaces\nx', '']);
    expect(events[1]!.type).toBe('message');
  });

  it('waits for the blank line: an event cut by the end of a chunk is not dispatched early', () => {
    const { events } = parse(['event: revoked\nid: 1\nda', 'ta: {"sid":"a"}\n']);
    expect(events).toEqual([]);
  });

  it('ignores a retry that is not digits and an id with NUL', () => {
    const { events, retries } = parse(['retry: 10s\nid: a\0b\ndata: x\n\n']);
    expect(retries).toEqual([]);
    expect(events[0]!.lastEventId).toBe('');
  });

  it('refuses a line longer than its limit', () => {
    const parser = new SseParser({ onEvent: () => {}, maxLineLength: 100 });
    expect(() => parser.push(`data: ${'x'.repeat(200)}`)).toThrow(SseLineTooLongError);
  });
});
