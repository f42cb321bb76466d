import { useCallback, useEffect, useState } from 'react';

/** What a page loaded: the data, or the error, while `loading` says a request is out. */
export interface Loaded<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  /** Loads again (after an action changed what the page shows). */
  reload(): void;
}

/**
 * Runs `load` (memoise it with useCallback: a new function loads again) and keeps its
 * latest answer; an answer that comes after a newer load started is dropped.
 */
export function useLoad<T>(load: () => Promise<T>): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: Error | null; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => current && setState({ data, error: null, loading: false }),
      (err: unknown) =>
        current &&
        setState((s) => ({
          data: s.data,
          error: err instanceof Error ? err : new Error(String(err)),
          loading: false,
        })),
    );
    return () => {
      current = false;
    };
  }, [load, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { ...state, reload };
}
