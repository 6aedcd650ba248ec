import { toBillPayError, type BillPayError } from './errors.js';
import type { OperationName } from './types.js';

/**
 * Where a confirm-then-act flow stands. `Busy` and `Done` are named by the flow that uses it (`unlinking` /
 * `unlinked`, `removing` / `removed`); `connection` is what the action answered.
 */
export type ConfirmState<Busy extends string, Done extends string, T> =
  | { status: 'idle' | 'confirming' | Busy; connection: undefined; error: undefined }
  | { status: Done; connection: T; error: undefined }
  | { status: 'error'; connection: undefined; error: BillPayError };

/** One confirmed action: its I/O and what to call when it settles. */
export interface ConfirmTask<T> {
  /** The operation, named in errors that do not name one. */
  operation: OperationName;
  /**
   * Performs the action (the signal fires on `abort()`) and resolves to its commit step, which the machine
   * calls synchronously before changing state: effects on shared state (a cache update that unmounts the
   * caller) happen after the abort check, and happen even when aborted meanwhile, as the server acted.
   */
  run: (signal: AbortSignal) => Promise<() => T>;
  /** Called once when the action succeeds, unless aborted. */
  onDone: (value: T) => void;
  /** Called once when the action fails, unless aborted. */
  onError: (error: BillPayError) => void;
}

/** A confirm-then-act state machine: idle -> confirming -> busy -> done | error, with a plain store interface. */
export interface ConfirmMachine<Busy extends string, Done extends string, T> {
  /** The current state; the same object until it changes. */
  getSnapshot(): ConfirmState<Busy, Done, T>;
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** idle | done -> confirming. */
  request(): void;
  /** confirming | error -> idle. Ignored while busy. */
  cancel(): void;
  /** Back to idle. */
  reset(): void;
  /**
   * confirming | error -> busy -> done | error. While busy, calls share the first call's promise, so one
   * confirmation runs one action. Never rejects; resolves to undefined on failure or when not confirming.
   */
  confirm(task: ConfirmTask<T>): Promise<T | undefined>;
  /** Aborts the action in flight: it then changes no state and calls neither callback (an answer that still arrives is committed). */
  abort(): void;
}

/** Creates a confirm-then-act machine whose busy and done states are called `busy` and `done`. */
export function createConfirmMachine<Busy extends string, Done extends string, T>(busy: Busy, done: Done): ConfirmMachine<Busy, Done, T> {
  type State = ConfirmState<Busy, Done, T>;
  const listeners = new Set<() => void>();
  let state = { status: 'idle', connection: undefined, error: undefined } as State;
  let flight: Promise<T | undefined> | undefined;
  let controller: AbortController | undefined;
  const set = (status: State['status'], connection?: T, error?: BillPayError) => {
    state = { status, connection, error } as State;
    for (const listener of [...listeners]) listener();
  };
  const from = (a: string, b: string) => state.status === a || state.status === b;
  return {
    getSnapshot: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    request: () => {
      if (from('idle', done)) set('confirming');
    },
    cancel: () => {
      if (from('confirming', 'error')) set('idle');
    },
    reset: () => set('idle'),
    confirm(task) {
      if (flight) return flight;
      if (!from('confirming', 'error')) return Promise.resolve(undefined);
      const { signal } = (controller = new AbortController());
      set(busy);
      flight = task.run(signal).then(
        (commit) => {
          const live = !signal.aborted;
          const value = commit();
          if (live) {
            set(done, value);
            task.onDone(value);
          }
          return value;
        },
        (cause: unknown) => {
          if (!signal.aborted) {
            const error = toBillPayError(cause, task.operation);
            set('error', undefined, error);
            task.onError(error);
          }
          return undefined;
        },
      );
      void flight.finally(() => (flight = undefined));
      return flight;
    },
    abort: () => controller?.abort(),
  };
}
