/** Reads a server-sent event stream in tests: events as they come, with a timeout per wait. */

export interface StreamEvent {
  event: string;
  id: string | undefined;
  data: Record<string, unknown>;
}

export interface EventStreamReader {
  /** The next event, or an error after `timeoutMs`. */
  next(timeoutMs?: number): Promise<StreamEvent>;
  /** Events until one of `type` arrives (it included). */
  until(type: string, timeoutMs?: number): Promise<StreamEvent[]>;
  close(): Promise<void>;
}

export function readEventStream(response: Response): EventStreamReader {
  if (!response.body) throw new Error('no body');
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const ready: StreamEvent[] = [];

  async function fill(deadline: number): Promise<void> {
    while (ready.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for an event');
      const chunk = await Promise.race([
        reader.read(),
        new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), left)),
      ]);
      if (chunk === 'timeout') throw new Error('timed out waiting for an event');
      if (chunk.done) throw new Error('the stream ended');
      buffer += decoder.decode(chunk.value, { stream: true });
      let split = buffer.indexOf('\n\n');
      while (split !== -1) {
        const block = buffer.slice(0, split);
        buffer = buffer.slice(split + 2);
        const fields = new Map<string, string>();
        for (const line of block.split('\n')) {
          const colon = line.indexOf(':');
          if (colon <= 0) continue;
          fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
        }
        const event = fields.get('event');
        if (event !== undefined)
          ready.push({ event, id: fields.get('id'), data: JSON.parse(fields.get('data') ?? '{}') });
        split = buffer.indexOf('\n\n');
      }
    }
  }

  return {
    async next(timeoutMs = 5000) {
      await fill(Date.now() + timeoutMs);
      return ready.shift()!;
    },
    async until(type, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      const seen: StreamEvent[] = [];
      for (;;) {
        await fill(deadline);
        const event = ready.shift()!;
        seen.push(event);
        if (event.event === type) return seen;
      }
    },
    async close() {
      await reader.cancel().catch(() => undefined);
    },
  };
}
