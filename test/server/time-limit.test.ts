import { afterEach, describe, expect, it, vi } from 'vitest';
import { settleWithin } from '../../src/server/time-limit.js';
import { deferred } from '../support/deferred.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('settleWithin', () => {
  it('gives the answer of a callback, sync or async', async () => {
    expect(await settleWithin(() => 'a', 1000)).toEqual({ status: 'answered', value: 'a' });
    expect(await settleWithin(async () => 'b', 1000)).toEqual({ status: 'answered', value: 'b' });
  });

  it('starts no timer for a callback that answers at once', async () => {
    vi.useFakeTimers();
    expect(await settleWithin(() => true, 1000, new AbortController().signal)).toEqual({ status: 'answered', value: true });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reports a throw, at once or later, without rejecting', async () => {
    const now = new Error('now');
    const later = new Error('later');
    expect(await settleWithin(() => { throw now; }, 1000)).toEqual({ status: 'threw', error: now });
    expect(await settleWithin(() => Promise.reject(later), 1000)).toEqual({ status: 'threw', error: later });
  });

  it('stops waiting after ms for a callback that never answers', async () => {
    vi.useFakeTimers();
    const pending = settleWithin(() => new Promise(() => undefined), 1000);
    await vi.advanceTimersByTimeAsync(999);
    let outcome: unknown;
    void pending.then((value) => (outcome = value));
    await vi.advanceTimersByTimeAsync(0);
    expect(outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(await pending).toEqual({ status: 'timed-out' });
  });

  it('stops waiting as soon as the signal aborts, and does not call the callback for a signal already aborted', async () => {
    const answer = deferred<string>();
    const client = new AbortController();
    const pending = settleWithin(() => answer.promise, 60_000, client.signal);
    client.abort();
    expect(await pending).toEqual({ status: 'aborted' });
    answer.resolve('late');
    const call = vi.fn(() => 'x');
    expect(await settleWithin(call, 1000, client.signal)).toEqual({ status: 'aborted' });
    expect(call).not.toHaveBeenCalled();
  });
});
