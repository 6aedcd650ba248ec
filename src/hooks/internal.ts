import { useCallback, useEffect, useInsertionEffect, useMemo, useRef } from 'react';

/**
 * A ref that always holds the latest value, for callbacks read inside async work. Synced in an
 * insertion effect: before any other effect, silent on the server, no environment check at import.
 */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  useInsertionEffect(() => {
    ref.current = value;
  });
  return ref;
}

/**
 * Tracks whether the component is mounted and hands out AbortSignals that fire on unmount, so async
 * work started by a hook never sets state after the component is gone. StrictMode-safe: the remount
 * re-arms it.
 */
export function useLifecycle() {
  const mounted = useRef(false);
  const controllers = useRef(new Set<AbortController>());
  useEffect(() => {
    mounted.current = true;
    const active = controllers.current;
    return () => {
      mounted.current = false;
      for (const controller of active) controller.abort();
      active.clear();
    };
  }, []);
  const signal = useCallback(() => {
    const controller = new AbortController();
    controllers.current.add(controller);
    return {
      signal: controller.signal,
      done: () => controllers.current.delete(controller),
      abort: () => {
        controller.abort();
        controllers.current.delete(controller);
      },
    };
  }, []);
  const isMounted = useCallback(() => mounted.current, []);
  return { signal, isMounted };
}

/**
 * One run at a time: while a run is in flight, callers get its promise, so a double click or a repeated
 * call sends one request per intent. Each run's task gets an AbortSignal that fires on unmount.
 */
export function useSingleFlight<T>(signal: ReturnType<typeof useLifecycle>['signal']) {
  const current = useRef<Promise<T> | null>(null);
  return useMemo(
    () => ({
      /** The run in flight, if any. */
      get pending() {
        return current.current;
      },
      run(task: (signal: AbortSignal) => Promise<T>): Promise<T> {
        const req = signal();
        const run = task(req.signal).finally(() => {
          current.current = null;
          req.done();
        });
        current.current = run;
        return run;
      },
    }),
    [signal],
  );
}

/**
 * Calls a host callback without letting its exception break the kit's state machine: the error is
 * reported as uncaught (window `error` event, console), and the flow goes on.
 */
export function notify<A extends unknown[]>(callback: ((...args: A) => void) | undefined, ...args: A): void {
  if (!callback) return;
  try {
    callback(...args);
  } catch (error) {
    if (typeof reportError === 'function') reportError(error);
    else
      setTimeout(() => {
        throw error;
      });
  }
}
