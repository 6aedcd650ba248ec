import { useSyncExternalStore } from 'react';
import type { BillPayError } from '../core/index.js';
import { createCountdown, type Clock, type Countdown } from '../core/countdown.js';

// One countdown per error object, so every part showing the same error (a notice and the button it
// gates) counts the same seconds from the same start.
const countdowns = new WeakMap<BillPayError, Countdown>();
const none: Countdown = { subscribe: () => () => {}, getSnapshot: () => 0 };

/**
 * Seconds left before a retryable `error` may be retried: its `retryAfter`, counted down once per second
 * from the first time the kit shows it; 0 when there is no wait or the error is not retryable.
 */
export function useRetryWait(error: BillPayError | undefined, clock?: Clock): number {
  let countdown = none;
  if (error?.retryable && error.retryAfter) {
    countdown = countdowns.get(error) ?? createCountdown(error.retryAfter, clock);
    countdowns.set(error, countdown);
  }
  return useSyncExternalStore(countdown.subscribe, countdown.getSnapshot, countdown.getSnapshot);
}
