/**
 * A browser for SDK tests in Node, around a real Tessera server (`inject`, SQLite): tabs with their
 * own sessionStorage and events, sharing what a browser's tabs share — one cookie jar, one
 * localStorage, Web Locks and BroadcastChannel — and one virtual clock that drives the SDK's timers
 * and the server's clock together. Real-browser behaviour is proven again in Chromium (e2e/).
 */
import type { TestServer } from '@tessera/testing/harness';
import type { Platform } from '../platform.js';
import { VirtualClock } from './virtual-clock.js';

export const APP_ORIGIN = 'http://localhost:5173';
export const AUTH_BASE = 'http://localhost:4000';

class MemoryStorage implements Storage {
  readonly #items = new Map<string, string>();
  get length() {
    return this.#items.size;
  }
  clear() {
    this.#items.clear();
  }
  getItem(key: string) {
    return this.#items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.#items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.#items.delete(key);
  }
  setItem(key: string, value: string) {
    this.#items.set(key, String(value));
  }
  /** Everything stored, for SDK-01 scans. */
  values(): string[] {
    return [...this.#items.values()];
  }
}

/** Web Locks: exclusive, first come first served, per name; `ifAvailable` gets `null` when held. */
function memoryLocks(): LockManager {
  const tails = new Map<string, Promise<unknown>>();
  const held = new Map<string, number>();
  return {
    request(name: string, ...args: unknown[]) {
      const callback = args[args.length - 1] as (lock: Lock | null) => Promise<unknown>;
      const options = (args.length > 1 ? args[0] : {}) as LockOptions;
      const busy = (held.get(name) ?? 0) > 0 || tails.has(name);
      if (options.ifAvailable && busy) return Promise.resolve().then(() => callback(null));
      const previous = tails.get(name) ?? Promise.resolve();
      const result = previous.then(async () => {
        held.set(name, (held.get(name) ?? 0) + 1);
        try {
          return await callback({ name, mode: 'exclusive' } as Lock);
        } finally {
          held.set(name, (held.get(name) ?? 1) - 1);
        }
      });
      const tail = result.catch(() => undefined);
      tails.set(name, tail);
      void tail.then(() => {
        if (tails.get(name) === tail) tails.delete(name);
      });
      return result;
    },
    query: async () => ({ held: [], pending: [] }),
  } as unknown as LockManager;
}

export interface SimulatedTab {
  platform: Platform;
  sessionStorage: MemoryStorage;
  /** Navigations the SDK asked for (`location.assign`). */
  navigations: string[];
  url: URL;
  /** Fires a window or document event in this tab. */
  dispatch(type: string): void;
  setVisible(visible: boolean): void;
  /** Closes the tab: its channel stops receiving. */
  close(): void;
}

export interface SimulatedBrowserOptions {
  /** Where the pages live [APP_ORIGIN]. */
  origin?: string;
  /** `false`: a browser without Web Locks, so the SDK falls back to its localStorage lease [true]. */
  webLocks?: boolean;
}

export class SimulatedBrowser {
  readonly cookies = new Map<string, string>();
  readonly localStorage = new MemoryStorage();
  readonly locks = memoryLocks();
  /** Every request the tabs sent, in order: `METHOD path`. */
  readonly requests: string[] = [];
  /** While set, the server answers every request with this (503) or the network fails (`offline`). */
  outage: 'offline' | 503 | null = null;
  /** The one clock of every tab, and of the server. */
  readonly clock: VirtualClock;
  #pending = 0;
  readonly #channels = new Map<string, Set<{ deliver(data: unknown): void; closed: boolean }>>();
  readonly #origin: string;

  constructor(
    readonly server: TestServer,
    options: SimulatedBrowserOptions = {},
  ) {
    this.clock = new VirtualClock(server.clock.now() * 1000, (ms) => server.clock.set(Math.floor(ms / 1000)));
    this.#origin = options.origin ?? APP_ORIGIN;
    this.#webLocks = options.webLocks ?? true;
  }
  readonly #webLocks: boolean;

  now(): number {
    return this.clock.now();
  }

  /** Moves the virtual clock, running due timers in order and letting their work finish. */
  async advance(ms: number): Promise<void> {
    const target = this.clock.now() + ms;
    do await this.settle();
    while (this.clock.runNext(target));
    this.clock.moveTo(target);
    await this.settle();
  }

  /** Jumps the clock without running timers (a laptop asleep: timers fire late, after waking). */
  async sleep(ms: number): Promise<void> {
    this.clock.moveTo(this.clock.now() + ms);
    this.clock.delayOverdueTimers();
    await this.settle();
  }

  /** Waits until no request, lock or message is in flight. */
  async settle(): Promise<void> {
    for (let idle = 0; idle < 5; ) {
      await new Promise((done) => setImmediate(done));
      idle = this.#pending === 0 ? idle + 1 : 0;
    }
  }

  /** Opens a tab at `path`; pass a `sessionStorage` to reload a tab (it survives a reload). */
  openTab(path = '/', sessionStorage = new MemoryStorage()): SimulatedTab {
    const listeners = new Map<string, Set<() => void>>();
    let visible = true;
    const ownChannels: { closed: boolean }[] = [];
    const tab: SimulatedTab = {
      sessionStorage,
      navigations: [],
      url: new URL(path, this.#origin),
      dispatch: (type) => {
        for (const listener of listeners.get(type) ?? []) listener();
      },
      setVisible: (value) => {
        visible = value;
        tab.dispatch('visibilitychange');
      },
      close: () => {
        for (const channel of ownChannels) channel.closed = true;
        listeners.clear();
      },
      platform: {
        fetch: (input, init) => this.#fetch(String(input), init ?? {}),
        clock: this.clock,
        random: () => Math.random(),
        randomBytes: (bytes) => crypto.getRandomValues(bytes),
        sha256: (data) => crypto.subtle.digest('SHA-256', data),
        sessionStorage,
        localStorage: this.localStorage,
        createChannel: (name) => {
          const channel = this.#channel(name);
          ownChannels.push(channel.handle);
          return channel.port;
        },
        locks: this.#webLocks ? this.locks : null,
        location: () => new URL(tab.url.href),
        assign: (url) => {
          tab.navigations.push(url);
        },
        replaceUrl: (url) => {
          tab.url = new URL(url, tab.url);
        },
        isVisible: () => visible,
        listen: (_target, type, listener) => {
          const set = listeners.get(type) ?? new Set();
          set.add(listener);
          listeners.set(type, set);
          return () => set.delete(listener);
        },
      },
    };
    return tab;
  }

  #channel(name: string) {
    const members = this.#channels.get(name) ?? new Set();
    this.#channels.set(name, members);
    const port = { onmessage: null as ((event: MessageEvent) => void) | null } as unknown as BroadcastChannel;
    const handle = {
      closed: false,
      deliver: (data: unknown) => {
        if (handle.closed) return;
        port.onmessage?.call(port, { data } as MessageEvent);
      },
    };
    members.add(handle);
    Object.assign(port, {
      postMessage: (message: unknown) => {
        for (const member of members) {
          if (member === handle || member.closed) continue;
          const copy = structuredClone(message);
          this.#pending++;
          setImmediate(() => {
            this.#pending--;
            member.deliver(copy);
          });
        }
      },
      close: () => {
        handle.closed = true;
      },
    });
    return { port, handle };
  }

  async #fetch(url: string, init: RequestInit): Promise<Response> {
    const target = new URL(url);
    const method = init.method ?? 'GET';
    this.requests.push(`${method} ${target.pathname}`);
    this.#pending++;
    try {
      await new Promise((done) => setImmediate(done));
      if (this.outage === 'offline') throw new TypeError('Failed to fetch');
      if (this.outage === 503)
        return new Response(JSON.stringify({ error: 'service_unavailable', message: 'Down.' }), {
          status: 503,
          headers: { 'content-type': 'application/json', 'retry-after': '5' },
        });
      const headers: Record<string, string> = { origin: this.#origin };
      new Headers(init.headers).forEach((value, name) => {
        headers[name] = value;
      });
      if (init.credentials === 'include' && this.cookies.size > 0)
        headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
      const response = await this.server.app.inject({
        method: method as 'GET',
        url: `${target.pathname}${target.search}`,
        headers,
        ...(init.body !== undefined && init.body !== null && { payload: String(init.body) }),
      });
      if (init.credentials === 'include') this.#remember(response.headers['set-cookie']);
      const body = response.statusCode === 204 ? null : response.body;
      const responseHeaders = new Headers();
      for (const name of ['content-type', 'retry-after']) {
        const value = response.headers[name];
        if (typeof value === 'string') responseHeaders.set(name, value);
      }
      return new Response(body, { status: response.statusCode, headers: responseHeaders });
    } finally {
      this.#pending--;
    }
  }

  #remember(header: string | string[] | number | undefined) {
    for (const line of Array.isArray(header) ? header : typeof header === 'string' ? [header] : []) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** How many requests went to `path` so far. */
  count(path: string): number {
    return this.requests.filter((request) => request.endsWith(` ${path}`)).length;
  }
}
