import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { createConfirmMachine, type ConfirmState } from '../core/confirm.js';
import type { BillPayError, CodatClient, Connection, KitStore, OperationName } from '../core/index.js';
import { useCodatContext, type HookClientOptions } from './codat-provider.js';
import { notify, useLatest } from './internal.js';

/** Options every confirm-then-act hook on one connection takes. */
export interface ConnectionActionOptions extends HookClientOptions {
  /** The company that owns the connection. @default the provider's companyId */
  companyId?: string | undefined;
  /** The connection to act on. */
  connectionId: string;
  /** Fires once per failed attempt. */
  onError?: ((error: BillPayError) => void) | undefined;
}

/** The events of a confirm-then-act hook. */
export interface ConfirmActions<T> {
  /** True while a confirmation UI should be shown (confirming, busy or error). */
  open: boolean;
  /** idle | done -> confirming: ask the user. */
  request: () => void;
  /** confirming | error -> idle: the user changed their mind. Ignored while busy. */
  cancel: () => void;
  /** confirming | error -> busy -> done | error. One request per confirmation; repeated calls while busy share it. Never rejects. */
  confirm: () => Promise<T | undefined>;
  /** Back to idle. */
  reset: () => void;
}

/**
 * The React glue of a confirm-then-act flow on one connection (`useUnlink`, `useRemove`): the machine from
 * core, the action's request aborted on unmount, and on settling the host's callback and the analytics event,
 * named after the done state (`unlinked`, `removed`) or `error`. `act` sends the request and resolves to its
 * store update, which runs after the callbacks are due: a removal unmounts the row that asked for it.
 */
export function useConfirmAction<Busy extends string, Done extends 'unlinked' | 'removed', T extends Connection | undefined>(
  hookName: string,
  options: ConnectionActionOptions,
  busy: Busy,
  done: Done,
  operation: OperationName,
  act: (client: CodatClient, store: KitStore, companyId: string, connectionId: string, signal: AbortSignal) => Promise<() => T>,
  onDone: ((value: T) => void) | undefined,
): ConfirmState<Busy, Done, T> & ConfirmActions<T> {
  const context = useCodatContext(hookName, options);
  const companyId = options.companyId ?? context.companyId;
  if (!companyId) {
    throw new Error(`billpay-connect: ${hookName} needs a companyId, as an option or from <CodatProvider companyId>.`);
  }
  const [machine] = useState(() => createConfirmMachine<Busy, Done, T>(busy, done));
  const state = useSyncExternalStore(machine.subscribe, machine.getSnapshot, machine.getSnapshot);
  // An action in flight when the component goes is aborted and reports nothing; StrictMode's remount finds none.
  useEffect(() => machine.abort, [machine]);
  const latest = useLatest({ context, companyId, options, act, onDone });

  const confirm = useCallback(() => {
    const { context: { client, store, emit }, companyId: cid, options: opts, act: run, onDone: callback } = latest.current;
    const { connectionId } = opts;
    // Read before acting: a removed connection is gone from the store, and an answer may lack the key.
    const platformKey = store.getConnection(cid, connectionId)?.integrationKey;
    return machine.confirm({
      operation,
      run: (signal) => run(client, store, cid, connectionId, signal),
      onDone: (value) => {
        emit({ type: done as 'removed', platformKey: platformKey ?? value?.integrationKey ?? '', companyId: cid, connectionId });
        notify(callback, value);
      },
      onError: (error) => {
        emit({ type: 'error', error, platformKey });
        notify(opts.onError, error);
      },
    });
  }, [machine, latest, operation, done]);

  return { ...state, open: state.status !== 'idle' && state.status !== done, request: machine.request, cancel: machine.cancel, reset: machine.reset, confirm };
}
