import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../api/client';

/** Loads on mount and whenever `deps` change; `reload` fetches again in place (live updates). */
export function useLoad<T>(load: () => Promise<{ data?: T; error?: unknown }>, deps: unknown[]): { data: T | null; error: string | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    void load().then((r) => {
      if (!live) return;
      if (r.data !== undefined) {
        setData(r.data);
        setError(null);
      } else setError(errorText(r.error));
    });
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { data, error, reload: () => setTick((t) => t + 1) };
}
