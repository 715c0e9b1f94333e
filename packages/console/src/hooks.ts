/** Data loading for the pages: one request per dependency change, aborted when it is stale. */
import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';
import { adminPage, type Page } from './api';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  /** Replaces the data in place (after a change the page already knows the result of). */
  set: (data: T) => void;
}

/** Runs `load` now and whenever `deps` change; `reload()` runs it again. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    loadRef.current(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setError(failure);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { data, error, loading, reload, set: setData };
}

export interface Paged<T> {
  items: T[];
  error: unknown;
  loading: boolean;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
  /** Puts items the page learnt of another way (a live tail) in front, or edits the list. */
  update: (change: (items: T[]) => T[]) => void;
}

/** A cursor-paged admin list: the first page at once, the next on `loadMore()`. */
export function usePaged<T>(path: string | null): Paged<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(path !== null);
  const [generation, setGeneration] = useState(0);
  const controller = useRef<AbortController | null>(null);
  const shownPath = useRef<string | null>(null);

  const fetchPage = useCallback(
    (after: string | null, append: boolean) => {
      if (path === null) return;
      controller.current?.abort();
      const current = new AbortController();
      controller.current = current;
      setLoading(true);
      const separator = path.includes('?') ? '&' : '?';
      const url = after === null ? path : `${path}${separator}cursor=${encodeURIComponent(after)}`;
      adminPage<T>(url, current.signal).then(
        (page: Page<T>) => {
          if (current.signal.aborted) return;
          setItems((before) => (append ? [...before, ...page.items] : page.items));
          setCursor(page.nextCursor);
          setError(null);
          setLoading(false);
        },
        (failure: unknown) => {
          if (current.signal.aborted) return;
          setError(failure);
          setLoading(false);
        },
      );
    },
    [path],
  );

  useEffect(() => {
    // A new list starts empty; a reload of the same list keeps its rows until the page arrives.
    if (shownPath.current !== path) {
      shownPath.current = path;
      setItems([]);
      setCursor(null);
    }
    fetchPage(null, false);
    return () => controller.current?.abort();
  }, [fetchPage, generation]);

  return {
    items,
    error,
    loading,
    hasMore: cursor !== null,
    loadMore: () => fetchPage(cursor, true),
    reload: () => setGeneration((n) => n + 1),
    update: (change) => setItems((before) => change(before)),
  };
}

/** Calls `tick` every `ms` while the tab is visible (and once when it becomes visible again). */
export function useInterval(tick: () => void, ms: number, enabled = true): void {
  const tickRef = useRef(tick);
  tickRef.current = tick;
  useEffect(() => {
    if (!enabled) return;
    const run = () => {
      if (document.visibilityState === 'visible') tickRef.current();
    };
    const timer = window.setInterval(run, ms);
    document.addEventListener('visibilitychange', run);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', run);
    };
  }, [ms, enabled]);
}

/** The current time, refreshed every `ms`, for relative times ("3 min ago"). */
export function useNow(ms = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useInterval(() => setNow(Date.now()), ms);
  return now;
}
