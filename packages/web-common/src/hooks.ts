import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText } from './api.ts';

export interface AsyncState<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload(): void;
}

/** Loads something once per `deps` change; the error is the API's message in words. */
export function useAsync<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: unknown[],
): AsyncState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const ctrl = new AbortController();
    setLoading(true);
    setError(null);
    loadRef
      .current(ctrl.signal)
      .then((d) => {
        if (!ctrl.signal.aborted) setData(d);
      })
      .catch((e: unknown) => {
        if (!ctrl.signal.aborted) setError(errorText(e));
      })
      .finally(() => {
        if (!ctrl.signal.aborted) setLoading(false);
      });
    return () => ctrl.abort();
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

export interface PagedList<T> {
  items: T[];
  total: number;
  loading: boolean;
  error: string | null;
  done: boolean;
  /** Loads the next page; resolves when it is in (antd-mobile's InfiniteScroll awaits it). */
  loadMore(): Promise<void>;
  /** Starts again from page 1; resolves when it is in (PullToRefresh awaits it). */
  reset(): Promise<void>;
}

/**
 * Page-by-page list for infinite scroll: `fetchPage(page)` returns one API page;
 * changing `deps` starts again from page 1 and drops answers of the old query. While a
 * page is on its way, `loadMore` returns that same request instead of starting another.
 */
export function usePagedList<T>(
  fetchPage: (page: number, signal: AbortSignal) => Promise<{ items: T[]; total: number }>,
  deps: unknown[],
): PagedList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(0);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const inFlight = useRef<Promise<void> | null>(null);
  const ctrl = useRef<AbortController | null>(null);
  const pageRef = useRef(0);
  const doneRef = useRef(false);

  const load = useCallback((nextPage: number): Promise<void> => {
    if (inFlight.current) return inFlight.current;
    setLoading(true);
    setError(null);
    const c = new AbortController();
    ctrl.current = c;
    const p = fetchRef
      .current(nextPage, c.signal)
      .then((res) => {
        if (c.signal.aborted) return;
        setItems((prev) => {
          const next = nextPage === 1 ? res.items : [...prev, ...res.items];
          doneRef.current = next.length >= res.total || res.items.length === 0;
          return next;
        });
        setTotal(res.total);
        setPage(nextPage);
        pageRef.current = nextPage;
      })
      .catch((e: unknown) => {
        if (c.signal.aborted) return;
        setError(errorText(e));
        throw e;
      })
      .finally(() => {
        if (ctrl.current === c) {
          inFlight.current = null;
          setLoading(false);
        }
      });
    inFlight.current = p;
    return p;
  }, []);

  const start = useCallback(() => {
    ctrl.current?.abort();
    inFlight.current = null;
    pageRef.current = 0;
    doneRef.current = false;
    setPage(0);
    return load(1);
  }, [load]);

  useEffect(() => {
    setItems([]);
    setTotal(0);
    start().catch(() => undefined);
    return () => ctrl.current?.abort();
  }, deps);

  const done = page > 0 && (items.length >= total || doneRef.current);
  const loadMore = useCallback((): Promise<void> => {
    if (inFlight.current) return inFlight.current;
    if (pageRef.current === 0) return load(1);
    if (doneRef.current) return Promise.resolve();
    return load(pageRef.current + 1);
  }, [load]);
  return { items, total, loading, error, done, loadMore, reset: start };
}
