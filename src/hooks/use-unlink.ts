import type { BillPayError, Connection } from '../core/index.js';
import { useConfirmAction, type ConnectionActionOptions } from './use-confirm-action.js';

/** Options of `useUnlink`. */
export interface UseUnlinkOptions extends ConnectionActionOptions {
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

/**
 * The unlink confirmation as a state machine (idle -> confirming -> unlinking -> unlinked | error),
 * separate from any dialog so a host can render its own confirmation. Unlinking is reversible: the
 * connection and its synced data stay, and Reconnect authorises it again.
 */
export function useUnlink(options: UseUnlinkOptions): UseUnlinkResult {
  return useConfirmAction(
    'useUnlink',
    options,
    'unlinking',
    'unlinked',
    'unlinkConnection',
    async (client, store, companyId, connectionId, signal) => {
      const connection = await client.unlinkConnection(companyId, connectionId, { signal });
      return () => store.upsertConnection(companyId, connection);
    },
    options.onUnlinked,
  );
}
