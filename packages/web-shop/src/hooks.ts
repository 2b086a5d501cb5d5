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
  loadMore(): void;
  reset(): void;
}

/**
 * Page-by-page list for infinite scroll: `fetchPage(page)` returns one API page;
 * changing `deps` starts again from page 1 and drops answers of the old query.
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
  const [generation, setGeneration] = useState(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const busy = useRef(false);
  const ctrl = useRef<AbortController | null>(null);

  const load = useCallback((nextPage: number) => {
    if (busy.current) return;
    busy.current = true;
    setLoading(true);
    setError(null);
    const c = new AbortController();
    ctrl.current = c;
    fetchRef
      .current(nextPage, c.signal)
      .then((res) => {
        if (c.signal.aborted) return;
        setItems((prev) => (nextPage === 1 ? res.items : [...prev, ...res.items]));
        setTotal(res.total);
        setPage(nextPage);
      })
      .catch((e: unknown) => {
        if (!c.signal.aborted) setError(errorText(e));
      })
      .finally(() => {
        if (ctrl.current === c) {
          busy.current = false;
          setLoading(false);
        }
      });
  }, []);

  useEffect(() => {
    ctrl.current?.abort();
    busy.current = false;
    setItems([]);
    setTotal(0);
    setPage(0);
    load(1);
    return () => ctrl.current?.abort();
  }, [...deps, generation]);

  const done = page > 0 && items.length >= total;
  const loadMore = useCallback(() => {
    if (!done && page > 0) load(page + 1);
  }, [done, page, load]);
  const reset = useCallback(() => setGeneration((g) => g + 1), []);
  return { items, total, loading, error, done, loadMore, reset };
}
