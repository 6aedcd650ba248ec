import type { AbortLike } from './upstream.js';

/** How a call bounded by `settleWithin` ended. */
export type Settled<T> =
  | { status: 'answered'; value: T }
  | { status: 'threw'; error: unknown }
  | { status: 'timed-out' }
  | { status: 'aborted' };

/**
 * Calls a host callback (`authorize`, `idempotencyScope`, a store) and waits for it at most `ms`, and only while
 * `signal` (the client's request) is not aborted: how it ended, never a rejection, so the caller answers each case
 * (a throw at once or later is 'threw'). A callback cannot be cancelled: past the limit it is simply no longer
 * waited for. A signal already aborted ends the call before it starts: nothing is asked for a client that left.
 */
export function settleWithin<T>(call: () => T | Promise<T>, ms: number, signal?: AbortLike): Promise<Settled<T>> {
  if (signal?.aborted) return Promise.resolve({ status: 'aborted' });
  let result: T | Promise<T>;
  try {
    result = call();
  } catch (error) {
    return Promise.resolve({ status: 'threw', error });
  }
  // A plain answer (a synchronous authorize) needs no timer.
  if (!isThenable(result)) return Promise.resolve({ status: 'answered', value: result });
  const pending = result;
  return new Promise((resolve) => {
    const finish = (outcome: Settled<T>) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const onAbort = () => finish({ status: 'aborted' });
    const timer = setTimeout(() => finish({ status: 'timed-out' }), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
    Promise.resolve(pending).then(
      (value) => finish({ status: 'answered', value }),
      (error: unknown) => finish({ status: 'threw', error }),
    );
  });
}

function isThenable<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * `settleWithin` for calls whose failure is all alike (the store, `onCompanyCreated`, a keyed run): the answer, or
 * a rejection when the call throws (at once or later) or has not answered after `ms`, so nothing that hangs holds
 * a request or a key forever.
 */
export async function within<T>(call: () => T | Promise<T>, ms: number): Promise<T> {
  const settled = await settleWithin(call, ms);
  if (settled.status === 'answered') return settled.value;
  throw settled.status === 'threw' ? settled.error : new Error('No answer in time.');
}

