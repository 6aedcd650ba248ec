import type { Clock } from '../../src/core/index.js';

/** A clock that moves only when told: `advance(ms)` runs the timers that fall due, in order, at their own time. */
export function manualClock(start = 1_700_000_000_000) {
  let now = start;
  let lastId = 0;
  const timers = new Map<number, { at: number; run: () => void }>();
  const clock: Clock = {
    now: () => now,
    setTimeout: (run, ms) => {
      timers.set(++lastId, { at: now + ms, run });
      return lastId;
    },
    clearTimeout: (handle) => {
      timers.delete(handle as number);
    },
  };
  const advance = (ms: number) => {
    const target = now + ms;
    for (;;) {
      const [id, next] = [...timers].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
      if (id === undefined || !next || next.at > target) break;
      timers.delete(id);
      now = next.at;
      next.run();
    }
    now = target;
  };
  return { clock, advance, pending: () => timers.size };
}
