/**
 * An incremental parser for `text/event-stream` (WHATWG HTML §9.2.6), for Node 20, which has no
 * EventSource: lines end in CRLF, LF or CR (also split across chunks), `:` starts a comment, an
 * empty line dispatches, `id` sets the last event id (kept across events), `retry` the reconnect
 * delay. A line longer than `maxLineLength` is refused: a broken or hostile server cannot make the
 * verifier buffer without bound.
 */

export interface SseEvent {
  /** `event:` or `message`. */
  type: string;
  /** The `data:` lines joined by `\n`. */
  data: string;
  /** The last `id:` seen on the stream so far, as EventSource's `lastEventId`. */
  lastEventId: string;
}

export interface SseParserOptions {
  onEvent: (event: SseEvent) => void;
  /** A valid `retry:` field, in milliseconds. */
  onRetry?: (milliseconds: number) => void;
  maxLineLength?: number;
}

const LF = 0x0a;
const CR = 0x0d;

export class SseLineTooLongError extends Error {
  override readonly name = 'SseLineTooLongError';
}

export class SseParser {
  readonly #onEvent: SseParserOptions['onEvent'];
  readonly #onRetry: SseParserOptions['onRetry'];
  readonly #maxLineLength: number;
  #pending = '';
  #skipLeadingLf = false;
  #type = '';
  #data: string[] = [];
  #lastEventId = '';

  constructor(options: SseParserOptions) {
    this.#onEvent = options.onEvent;
    this.#onRetry = options.onRetry;
    this.#maxLineLength = options.maxLineLength ?? 65_536;
  }

  /** Feeds decoded text; dispatches every event it completes. */
  push(chunk: string): void {
    const text = this.#pending + chunk;
    let start = 0;
    if (this.#skipLeadingLf && text.charCodeAt(0) === LF) start = 1;
    this.#skipLeadingLf = false;
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== LF && c !== CR) continue;
      this.#line(text.slice(start, i));
      if (c === CR) {
        if (i + 1 === text.length) this.#skipLeadingLf = true;
        else if (text.charCodeAt(i + 1) === LF) i++;
      }
      start = i + 1;
    }
    this.#pending = text.slice(start);
    if (this.#pending.length > this.#maxLineLength) {
      this.#pending = '';
      throw new SseLineTooLongError(`An event-stream line exceeded ${this.#maxLineLength} characters.`);
    }
  }

  #line(line: string): void {
    if (line === '') {
      this.#dispatch();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.#type = value;
        break;
      case 'data':
        this.#data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.#lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.#onRetry?.(Number(value));
        break;
      default:
        break;
    }
  }

  #dispatch(): void {
    if (this.#data.length === 0) {
      this.#type = '';
      return;
    }
    const event: SseEvent = {
      type: this.#type === '' ? 'message' : this.#type,
      data: this.#data.join('\n'),
      lastEventId: this.#lastEventId,
    };
    this.#type = '';
    this.#data = [];
    this.#onEvent(event);
  }
}
