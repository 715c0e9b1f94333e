/**
 * A {@link Clock} that moves only when a test says so: timers run in order of their due time (then
 * of creation), each at its own instant, so a two-minute scenario takes no real time.
 */
import type { Clock, TimerHandle } from '../clock.js';

interface Timer {
  id: number;
  at: number;
  run: () => void;
}

export class VirtualClock implements Clock {
  #now: number;
  #timers: Timer[] = [];
  #nextId = 1;
  readonly #onMove: (ms: number) => void;

  /** `onMove` hears every new time (the simulated browser moves the server's clock with it). */
  constructor(startMs: number, onMove: (ms: number) => void = () => undefined) {
    this.#now = startMs;
    this.#onMove = onMove;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(run: () => void, ms: number): TimerHandle {
    const timer = { id: this.#nextId++, at: this.#now + Math.max(0, ms), run };
    this.#timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers = this.#timers.filter((timer) => timer.id !== handle);
  }

  /** Runs the earliest timer due by `target`, moving the time to it; `false` when none is due. */
  runNext(target: number): boolean {
    const next = this.#timers
      .filter((timer) => timer.at <= target)
      .sort((a, b) => a.at - b.at || a.id - b.id)[0];
    if (!next) return false;
    this.#timers = this.#timers.filter((timer) => timer !== next);
    this.moveTo(Math.max(this.#now, next.at));
    next.run();
    return true;
  }

  /** Sets the time without running timers. */
  moveTo(ms: number): void {
    this.#now = ms;
    this.#onMove(ms);
  }

  /** Timers due in the past fire now at the earliest (a laptop waking: its timers fire late). */
  delayOverdueTimers(): void {
    for (const timer of this.#timers) timer.at = Math.max(timer.at, this.#now);
  }
}
