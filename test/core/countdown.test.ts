import { describe, expect, it, vi } from 'vitest';
import { createCountdown } from '../../src/core/countdown.js';
import { manualClock } from '../support/manual-clock.js';

describe('createCountdown', () => {
  it('counts whole seconds down once per second to 0, then stops its timer', () => {
    const { clock, advance, pending } = manualClock();
    const countdown = createCountdown(3, clock);
    const seen: number[] = [];
    countdown.subscribe(() => seen.push(countdown.getSnapshot()));
    expect(countdown.getSnapshot()).toBe(3);
    advance(999);
    expect(seen).toEqual([]);
    advance(1);
    expect(seen).toEqual([2]);
    advance(2000);
    expect(seen).toEqual([2, 1, 0]);
    expect(pending()).toBe(0);
  });

  it('keeps its end fixed: a listener that comes late reads the true rest, and nothing ticks while nobody listens', () => {
    const { clock, advance, pending } = manualClock();
    const countdown = createCountdown(30, clock);
    advance(10_500);
    expect(pending()).toBe(0);
    const listener = vi.fn();
    const unsubscribe = countdown.subscribe(listener);
    expect(countdown.getSnapshot()).toBe(20);
    expect(listener).toHaveBeenCalledTimes(1);
    advance(500);
    expect(countdown.getSnapshot()).toBe(19);
    unsubscribe();
    expect(pending()).toBe(0);
  });

  it('is over at once for a wait of 0', () => {
    const { clock, pending } = manualClock();
    const countdown = createCountdown(0, clock);
    countdown.subscribe(() => {});
    expect(countdown.getSnapshot()).toBe(0);
    expect(pending()).toBe(0);
  });
});
