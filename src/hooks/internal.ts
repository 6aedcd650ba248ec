import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';

/** useLayoutEffect in the browser, useEffect on the server (no SSR warning). */
export const useIsomorphicLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

/** A ref that always holds the latest value, for callbacks read inside async work. */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  useIsomorphicLayoutEffect(() => {
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
