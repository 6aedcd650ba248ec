import type { BillPayError, Connection } from '../core/index.js';
import { useConfirmAction, type ConnectionActionOptions } from './use-confirm-action.js';

/** Options of `useRemove`. */
export interface UseRemoveOptions extends ConnectionActionOptions {
  /** The company that owns the connection. @default the provider's companyId */
  companyId?: string | undefined;
  /** The connection to remove (delete). */
  connectionId: string;
  /**
   * Fires once when the connection is deleted, with the connection as the kit last read it (undefined when no
   * hook under this provider has read it).
   */
  onRemoved?: ((connection: Connection | undefined) => void) | undefined;
  /** Fires once per failed attempt. */
  onError?: ((error: BillPayError) => void) | undefined;
}

/** Where the remove confirmation stands. */
export type RemoveStatus = 'idle' | 'confirming' | 'removing' | 'removed' | 'error';

/** State of `useRemove`, a union on `status`. */
export type RemoveState =
  | { status: 'idle'; connection: undefined; error: undefined }
  | { status: 'confirming'; connection: undefined; error: undefined }
  | { status: 'removing'; connection: undefined; error: undefined }
  /** Deleted; `connection` is the connection as the kit last read it, if it had. */
  | { status: 'removed'; connection: Connection | undefined; error: undefined }
  | { status: 'error'; connection: undefined; error: BillPayError };

/** Result of `useRemove`: the state plus the machine's events. */
export type UseRemoveResult = RemoveState & {
  /** True while a confirmation UI should be shown (confirming, removing or error). */
  open: boolean;
  /** idle | removed -> confirming: ask the user. */
  request: () => void;
  /** confirming | error -> idle: the user changed their mind. Ignored while removing. */
  cancel: () => void;
  /**
   * confirming | error -> removing -> removed | error. One DELETE per confirmation; repeated calls while
   * removing share it. Resolves to the connection as last read (undefined if never read, or on failure). Never rejects.
   */
  confirm: () => Promise<Connection | undefined>;
  /** Back to idle. */
  reset: () => void;
};

/**
 * The remove confirmation as a state machine (idle -> confirming -> removing -> removed | error), separate
 * from any dialog. Removing deletes the connection at Codat (`DELETE /companies/{id}/connections/{id}`): it
 * is permanent, its synced data goes with it, and connecting again means authorising a new connection. On
 * success the connection leaves every list under the same provider.
 */
export function useRemove(options: UseRemoveOptions): UseRemoveResult {
  return useConfirmAction(
    'useRemove',
    options,
    'removing',
    'removed',
    'deleteConnection',
    async (client, store, companyId, connectionId, signal) => {
      await client.deleteConnection(companyId, connectionId, { signal });
      return () => {
        const known = store.getConnection(companyId, connectionId);
        store.removeConnection(companyId, connectionId);
        return known;
      };
    },
    options.onRemoved,
  );
}
