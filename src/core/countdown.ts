/** The time source a countdown reads and schedules with; tests and stories pass one they control. */
export interface Clock {
  /** The current time in milliseconds. */
  now: () => number;
  /** Calls `callback` after `ms` milliseconds; returns a handle for `clearTimeout`. */
  setTimeout: (callback: () => void, ms: number) => unknown;
  /** Cancels a call scheduled with `setTimeout`. */
  clearTimeout: (handle: unknown) => void;
}

/** The real clock: `Date.now` and the global timers, looked up on each call so fake timers apply. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Whole seconds left of a wait, as an external store (`subscribe` / `getSnapshot`). */
export interface Countdown {
  /** Listens for each change of the seconds left; the clock only runs while someone listens. */
  subscribe: (listener: () => void) => () => void;
  /** Whole seconds left, rounded up; 0 once the wait is over. */
  getSnapshot: () => number;
}

/**
 * Counts down `seconds` from now, changing once per whole second (30, 29, … 0) and never ticking while
 * nobody listens. The end is fixed at creation, so a listener that comes back late reads the true rest.
 */
export function createCountdown(seconds: number, clock: Clock = systemClock): Countdown {
  const end = clock.now() + seconds * 1000;
  const listeners = new Set<() => void>();
  let left = Math.max(0, Math.ceil(seconds));
  let timer: unknown;
  const tick = () => {
    const ms = end - clock.now();
    const next = Math.max(0, Math.ceil(ms / 1000));
    // Wake exactly when the whole seconds left drop by one; no timer once the wait is over.
    timer = next ? clock.setTimeout(tick, ms - (next - 1) * 1000) : undefined;
    if (next !== left) {
      left = next;
      listeners.forEach((listener) => listener());
    }
  };
  return {
    subscribe(listener) {
      listeners.add(listener);
      if (timer === undefined) tick();
      return () => {
        listeners.delete(listener);
        if (!listeners.size) {
          clock.clearTimeout(timer);
          timer = undefined;
        }
      };
    },
    getSnapshot: () => left,
  };
}
