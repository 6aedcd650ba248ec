import type { CodatClient } from './client.js';
import { BillPayError } from './errors.js';
import type { LinkReturn } from './link-return.js';
import type { KitStore } from './store.js';
import type { Connection } from './types.js';

/** Where the return from the Link flow stands. */
export type LinkReturnStatus = 'none' | 'checking' | 'linked' | 'pending' | 'failed' | 'invalid' | 'error';

/** Where the return from the Link flow stands, a union on `status`. */
export type LinkReturnState =
  /** The URL carries no Codat parameters (a normal page load). */
  | { status: 'none'; connection: undefined; error: undefined }
  /** Re-reading the connection from the API. */
  | { status: 'checking'; connection: undefined; error: undefined }
  /** The API confirms the connection is Linked. */
  | { status: 'linked'; connection: Connection; error: undefined }
  /** The redirect claimed success but the API does not show Linked (yet). */
  | { status: 'pending'; connection: Connection | undefined; error: undefined }
  /** Codat reported that authorisation did not happen: `error.code` is `link-cancelled` (403) or `link-failed` (500, 501). */
  | { status: 'failed'; connection: undefined; error: BillPayError }
  /** The parameters were malformed or forged and were ignored. */
  | { status: 'invalid'; connection: undefined; error: undefined }
  /** Re-reading the connection failed. */
  | { status: 'error'; connection: undefined; error: BillPayError };

const none: LinkReturnState = { status: 'none', connection: undefined, error: undefined };
const checking: LinkReturnState = { status: 'checking', connection: undefined, error: undefined };
const invalid: LinkReturnState = { status: 'invalid', connection: undefined, error: undefined };

/**
 * The state a parsed return starts in, before any request: `none`, `invalid`, `failed` (Codat reported a
 * failure; its texts stay in the link, the user reads the kit's message) or `checking` (a re-read is due).
 */
export function startLinkReturn(link: LinkReturn): LinkReturnState {
  switch (link.status) {
    case 'none':
      return none;
    case 'invalid':
      return invalid;
    case 'success':
      return checking;
    case 'error': {
      const error =
        link.outcome === 'cancelled'
          ? new BillPayError('link-cancelled', { status: link.statusCode, message: 'Access was not granted: the sign-in was cancelled.' })
          : new BillPayError('link-failed', {
              status: link.statusCode,
              message: link.outcome === 'not-supported' ? 'This accounting software cannot be connected here. Choose another.' : undefined,
            });
      return { status: 'failed', connection: undefined, error };
    }
  }
}

/** What the kit needs to re-read a returned connection. */
export interface LinkReturnReadOptions {
  client: CodatClient;
  store: KitStore;
  signal?: AbortSignal | undefined;
  /** Bumped by a refresh, so a new read is sent rather than joining the last one. @default 0 */
  attempt?: number | undefined;
}

/**
 * Re-reads the connection a successful return names (or, without a connection id, the company's connections,
 * taking the Linked one) into the store. Every reader of the same return on the same store shares one request
 * while it is in flight (the provider and a `useLinkReturn` on the same page send one GET). Rejects on failure.
 */
export function readLinkReturn(link: Extract<LinkReturn, { status: 'success' }>, options: LinkReturnReadOptions): Promise<Connection | undefined> {
  const { client, store } = options;
  const { companyId, connectionId } = link;
  const key = `linkReturn:${companyId.toLowerCase()}:${connectionId?.toLowerCase() ?? ''}:${options.attempt ?? 0}`;
  return store.dedupe(
    key,
    (signal) => {
      const ticket = store.ticket();
      return connectionId
        ? client.getConnection(companyId, connectionId, { signal }).then((c) => store.upsertConnection(companyId, c, ticket))
        : client.listAllConnections(companyId, {}, { signal }).then((list) => {
            store.setConnections(companyId, list, ticket);
            const linked = list.find((c) => c.status === 'Linked') ?? list[list.length - 1];
            return linked && store.getConnection(companyId, linked.id);
          });
    },
    options.signal,
  );
}

/** The state once the re-read answered: `linked` only when the API says so. */
export function settleLinkReturn(connection: Connection | undefined): LinkReturnState {
  return connection?.status === 'Linked'
    ? { status: 'linked', connection, error: undefined }
    : { status: 'pending', connection, error: undefined };
}
