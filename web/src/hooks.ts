/** The URL hash as the app's state (view, position, moment, zone), and data loading. */
import { useCallback, useEffect, useRef, useState } from 'react';

export type View = 'positions' | 'position' | 'backfill';

export interface Route {
  view: View;
  /** Position id in the detail view. */
  id: string | null;
  /** The selected moment, UTC text; null: the newest snapshot. */
  at: string | null;
  tz: string;
}

function parseHash(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(search);
  const parts = path.split('/').filter((part) => part !== '');
  const view: View =
    parts[0] === 'position' ? 'position' : parts[0] === 'backfill' ? 'backfill' : 'positions';
  return {
    view,
    id: view === 'position' && parts[1] !== undefined ? decodeURIComponent(parts[1]) : null,
    at: params.get('at'),
    tz: params.get('tz') ?? 'UTC',
  };
}

export function routeHash(route: Route): string {
  const params = new URLSearchParams();
  if (route.at !== null) params.set('at', route.at);
  if (route.tz !== 'UTC') params.set('tz', route.tz);
  const path =
    route.view === 'position' ? `position/${encodeURIComponent(route.id ?? '')}` : route.view;
  const search = params.toString();
  return `#/${path}${search === '' ? '' : `?${search}`}`;
}

export function useRoute(): [Route, (change: Partial<Route>) => void] {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const navigate = useCallback((change: Partial<Route>) => {
    window.location.hash = routeHash({ ...parseHash(window.location.hash), ...change });
  }, []);
  return [route, navigate];
}

export interface Loaded<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` whenever `key` changes (and on reload); stale answers are dropped. */
export function useLoad<T>(key: string | null, load: () => Promise<T>): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: Error | null; loading: boolean }>({
    data: null,
    error: null,
    loading: key !== null,
  });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    if (key === null) return;
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    loadRef.current().then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error: unknown) =>
        current &&
        setState((previous) => ({
          data: previous.data,
          error: error instanceof Error ? error : new Error(String(error)),
          loading: false,
        })),
    );
    return () => {
      current = false;
    };
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}
