/** Follows a backfill run over server-sent events until it is done. */
import { useEffect, useRef, useState } from 'react';
import { api } from './api.js';
import type { RunState } from './api-types.js';

export function watchRun(
  id: string,
  onState: (state: RunState, done: boolean) => void,
): () => void {
  const source = new EventSource(api.eventsUrl(id));
  const handle = (done: boolean) => (event: MessageEvent<string>) => {
    onState(JSON.parse(event.data) as RunState, done);
    if (done) source.close();
  };
  source.addEventListener('state', handle(false));
  source.addEventListener('done', handle(true));
  return () => source.close();
}

/** The live state of a run (null id: none); `onDone` runs once when it ends. */
export function useRun(id: string | null, onDone?: (state: RunState) => void): RunState | null {
  const [state, setState] = useState<RunState | null>(null);
  // Read when the run ends, so that a new callback does not restart the stream.
  const doneRef = useRef(onDone);
  doneRef.current = onDone;
  useEffect(() => {
    if (id === null) return;
    return watchRun(id, (next, done) => {
      setState(next);
      if (done) doneRef.current?.(next);
    });
  }, [id]);
  return id === null ? null : state;
}
