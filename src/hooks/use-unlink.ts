import { useCallback, useRef, useState } from 'react';
import { toBillPayError, type BillPayError, type Connection } from '../core/index.js';
import { useCodatContext, type HookClientOptions } from './codat-provider.js';
import { notify, useLatest, useLifecycle, useSingleFlight } from './internal.js';

/** Options of `useUnlink`. */
export interface UseUnlinkOptions extends HookClientOptions {
  /** The company that owns the connection. @default the provider's companyId */
  companyId?: string | undefined;
  /** The connection to unlink. */
  connectionId: string;
  /** Fires once when the connection is unlinked. */
  onUnlinked?: ((connection: Connection) => void) | undefined;
  /** Fires once per failed attempt. */
  onError?: ((error: BillPayError) => void) | undefined;
}

/** Where the unlink confirmation stands. */
export type UnlinkStatus = 'idle' | 'confirming' | 'unlinking' | 'unlinked' | 'error';

/** State of `useUnlink`, a union on `status`. */
export type UnlinkState =
  | { status: 'idle'; connection: undefined; error: undefined }
  | { status: 'confirming'; connection: undefined; error: undefined }
  | { status: 'unlinking'; connection: undefined; error: undefined }
  | { status: 'unlinked'; connection: Connection; error: undefined }
  | { status: 'error'; connection: undefined; error: BillPayError };

/** Result of `useUnlink`: the state plus the machine's events. */
export type UseUnlinkResult = UnlinkState & {
  /** True while a confirmation UI should be shown (confirming, unlinking or error). */
  open: boolean;
  /** idle | unlinked -> confirming: ask the user. */
  request: () => void;
  /** confirming | error -> idle: the user changed their mind. Ignored while unlinking. */
  cancel: () => void;
  /**
   * confirming | error -> unlinking -> unlinked | error. One PATCH per confirmation; repeated calls while
   * unlinking share it. Never rejects.
   */
  confirm: () => Promise<Connection | undefined>;
  /** Back to idle. */
  reset: () => void;
};

const idle: UnlinkState = { status: 'idle', connection: undefined, error: undefined };

/**
 * The unlink confirmation as a state machine (idle -> confirming -> unlinking -> unlinked | error),
 * separate from any dialog so a host can render its own confirmation.
 */
export function useUnlink(options: UseUnlinkOptions): UseUnlinkResult {
  const context = useCodatContext('useUnlink', options);
  const companyId = options.companyId ?? context.companyId;
  const { connectionId } = options;
  const { client, store } = context;
  if (!companyId) {
    throw new Error('billpay-connect: useUnlink needs a companyId, as an option or from <CodatProvider companyId>.');
  }
  const [state, setStateOnly] = useState<UnlinkState>(idle);
  // The ref moves with every transition so an event fired right after another sees the new state.
  const stateRef = useRef(state);
  const setState = useCallback((next: UnlinkState) => {
    stateRef.current = next;
    setStateOnly(next);
  }, []);
  const callbacks = useLatest({ onUnlinked: options.onUnlinked, onError: options.onError });
  const { signal, isMounted } = useLifecycle();
  const flight = useSingleFlight<Connection | undefined>(signal);

  const request = useCallback(() => {
    const from = stateRef.current.status;
    if (from === 'idle' || from === 'unlinked') setState({ status: 'confirming', connection: undefined, error: undefined });
  }, [setState]);
  const cancel = useCallback(() => {
    const from = stateRef.current.status;
    if (from === 'confirming' || from === 'error') setState(idle);
  }, [setState]);
  const reset = useCallback(() => setState(idle), [setState]);

  const confirm = useCallback((): Promise<Connection | undefined> => {
    if (flight.pending) return flight.pending;
    const from = stateRef.current.status;
    if (from !== 'confirming' && from !== 'error') return Promise.resolve(undefined);
    setState({ status: 'unlinking', connection: undefined, error: undefined });
    return flight.run(async (s) => {
      try {
        const connection = await client.unlinkConnection(companyId, connectionId, { signal: s });
        store.upsertConnection(companyId, connection);
        if (isMounted()) {
          setState({ status: 'unlinked', connection, error: undefined });
          notify(callbacks.current.onUnlinked, connection);
        }
        return connection;
      } catch (cause) {
        const error = toBillPayError(cause, 'unlinkConnection');
        if (isMounted() && !s.aborted) {
          setState({ status: 'error', connection: undefined, error });
          notify(callbacks.current.onError, error);
        }
        return undefined;
      }
    });
  }, [client, store, companyId, connectionId, flight, isMounted, callbacks, setState]);

  const open = state.status === 'confirming' || state.status === 'unlinking' || state.status === 'error';
  return { ...state, open, request, cancel, confirm, reset };
}
