import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { toBillPayError, type BillPayError, type Connection } from '../core/index.js';
import { useCodatContext, type HookClientOptions } from './codat-provider.js';
import { useLifecycle } from './internal.js';

/** Options of `useConnections`. */
export interface UseConnectionsOptions extends HookClientOptions {
  /** The company whose connections to list. @default the provider's companyId */
  companyId?: string | undefined;
  /** Codat query filter, e.g. `sourceType=Accounting`. */
  query?: string | undefined;
}

/** Status of `useConnections`. */
export type ConnectionsStatus = 'idle' | 'loading' | 'success' | 'error';

/** State of `useConnections`, a union on `status`. */
export type ConnectionsState =
  /** No company id yet. */
  | { status: 'idle'; error: undefined }
  | { status: 'loading'; error: undefined }
  | { status: 'success'; error: undefined }
  /** The last read failed; `connections` keeps whatever was read before. */
  | { status: 'error'; error: BillPayError };

const empty: readonly Connection[] = Object.freeze([]);

/** Result of `useConnections`. */
export type UseConnectionsResult = ConnectionsState & {
  /** The company's connections, kept in step with connects and unlinks made through the kit. */
  connections: readonly Connection[];
  /** True while a read is in flight (first load or refresh). */
  isFetching: boolean;
  /** Reads the list again. */
  refresh: () => void;
};

/** The company's connections with status, platform, last sync and errors. */
export function useConnections(options: UseConnectionsOptions = {}): UseConnectionsResult {
  const context = useCodatContext('useConnections', options);
  const { client, store } = context;
  const companyId = options.companyId ?? context.companyId;
  const query = options.query;
  const { signal, isMounted } = useLifecycle();
  const [fetching, setFetching] = useState(false);
  const [error, setError] = useState<BillPayError | undefined>(undefined);
  const [version, setVersion] = useState(0);

  const subscribe = useCallback((listener: () => void) => store.subscribe(listener), [store]);
  const connections = useSyncExternalStore(
    subscribe,
    () => (companyId ? store.getConnections(companyId) : empty),
    () => (companyId ? store.getConnections(companyId) : empty),
  );

  useEffect(() => {
    if (!companyId) return;
    const req = signal();
    setFetching(true);
    store
      .dedupe(
        `listConnections:${companyId}:${query ?? ''}:${version}`,
        (s) => {
          const ticket = store.ticket();
          return client.listAllConnections(companyId, query ? { query } : {}, { signal: s }).then((list) => {
            store.setConnections(companyId, list, ticket);
          });
        },
        req.signal,
      )
      .then(
        () => {
          if (isMounted()) setError(undefined);
        },
        (cause: unknown) => {
          const e = toBillPayError(cause, 'listConnections');
          if (isMounted() && !req.signal.aborted) setError(e);
        },
      )
      .finally(() => {
        req.done();
        // An aborted caller (StrictMode's first mount, a superseded read) leaves the flag to its successor.
        if (!req.signal.aborted && isMounted()) setFetching(false);
      });
    return req.abort;
  }, [client, store, companyId, query, version, signal, isMounted]);

  const refresh = useCallback(() => setVersion((v) => v + 1), []);

  const state: ConnectionsState = !companyId
    ? { status: 'idle', error: undefined }
    : error
      ? { status: 'error', error }
      : connections === undefined
        ? { status: 'loading', error: undefined }
        : { status: 'success', error: undefined };
  // Losing the company id aborts the read without clearing the flag; without a company nothing is fetching.
  return { ...state, connections: connections ?? empty, isFetching: companyId ? fetching : false, refresh };
}
