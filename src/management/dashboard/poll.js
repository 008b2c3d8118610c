// Reloading a view's data every few seconds, as RabbitMQ's UI refreshes its pages.
import { useEffect, useState, useCallback } from 'preact/hooks';

export const REFRESH_MS = 5000;

/**
 * Runs `load` now and every REFRESH_MS while the component is shown (and again when `deps`
 * change or `reload()` is called); gives the last result and the last error.
 */
export function usePoll(load, deps = [], ms = REFRESH_MS) {
  const [state, setState] = useState({ data: undefined, error: null });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    const run = () => load().then(
      (data) => live && setState({ data, error: null }),
      (e) => live && setState((s) => ({ data: s.data, error: e.message })),
    );
    run();
    const timer = setInterval(run, ms);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
