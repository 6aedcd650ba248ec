import { useCallback, useEffect, useRef, useState } from 'react';
import {
  BillPayError,
  isLinkPopup,
  LINK_RETURN_PARAMS,
  parseLinkReturn,
  toBillPayError,
  type Connection,
  type LinkReturn,
} from '../core/index.js';
import { useCodatContext, type HookClientOptions } from './codat-provider.js';
import { notify, useLatest, useLifecycle } from './internal.js';

/** Options of `useLinkReturn`. */
export interface UseLinkReturnOptions extends HookClientOptions {
  /** The URL Codat redirected to. @default window.location.href (read after mount, so SSR is safe) */
  url?: string | undefined;
  /** The company the signed-in user owns; a redirect naming another is `invalid`. @default the provider's companyId */
  companyId?: string | undefined;
  /**
   * Remove Codat's parameters from the address bar once the outcome is known (history.replaceState). They stay
   * while the re-read is failing, so a reload retries it. @default true
   */
  clean?: boolean | undefined;
  /** When this page is the kit's Link popup, close it once the outcome is read; the opener picks it up. @default true */
  closePopup?: boolean | undefined;
  /** Fires once when the re-read connection is Linked. */
  onConnected?: ((connection: Connection) => void) | undefined;
  /** Fires once when the redirect reports a failure, or the re-read fails. */
  onError?: ((error: BillPayError) => void) | undefined;
}

/** Where the return from the Link flow stands. */
export type LinkReturnStatus = 'none' | 'checking' | 'linked' | 'pending' | 'failed' | 'invalid' | 'error';

/** State of `useLinkReturn`, a union on `status`. */
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

/** Result of `useLinkReturn`. */
export type UseLinkReturnResult = LinkReturnState & {
  /** The validated redirect parameters. */
  link: LinkReturn;
  /** Reads the connection again. */
  refresh: () => void;
};

const none: LinkReturnState = { status: 'none', connection: undefined, error: undefined };

/**
 * Reads Codat's redirect parameters when the user comes back from the Link flow, validates them (never
 * trusting them for success) and re-reads the connection from the API before reporting `linked`.
 */
export function useLinkReturn(options: UseLinkReturnOptions = {}): UseLinkReturnResult {
  const context = useCodatContext('useLinkReturn', options);
  const { client, store } = context;
  const expectedCompanyId = options.companyId ?? context.companyId;
  const [url, setUrl] = useState<string | undefined>(options.url);
  const [state, setState] = useState<LinkReturnState>(none);
  const [version, setVersion] = useState(0);
  const { signal, isMounted } = useLifecycle();
  const latest = useLatest(options);
  const reported = useRef(new Set<string>());

  useEffect(() => {
    setUrl(options.url ?? (typeof window === 'undefined' ? undefined : window.location.href));
  }, [options.url]);

  const link = url === undefined ? ({ status: 'none' } as const) : parseLinkReturn(url, { expectedCompanyId });
  const linkKey = JSON.stringify(link);

  useEffect(() => {
    const parsed = JSON.parse(linkKey) as LinkReturn;
    const once = (key: string, fire: () => void) => {
      if (reported.current.has(key)) return;
      reported.current.add(key);
      fire();
    };
    const finish = () => {
      const opts = latest.current;
      if (typeof window === 'undefined' || parsed.status === 'none') return;
      if (opts.clean !== false && opts.url === undefined && typeof window.history?.replaceState === 'function') {
        const current = new URL(window.location.href);
        for (const name of LINK_RETURN_PARAMS) current.searchParams.delete(name);
        window.history.replaceState(window.history.state, '', current.href);
      }
      if (opts.closePopup !== false && isLinkPopup()) window.close();
    };
    if (parsed.status === 'none') {
      setState(none);
      return;
    }
    if (parsed.status === 'invalid') {
      setState({ status: 'invalid', connection: undefined, error: undefined });
      finish();
      return;
    }
    if (parsed.status === 'error') {
      // Codat's texts stay in `link` (for support); the user reads the kit's message for the outcome.
      const error =
        parsed.outcome === 'cancelled'
          ? new BillPayError('link-cancelled', { status: parsed.statusCode, message: 'Access was not granted: the sign-in was cancelled.' })
          : new BillPayError('link-failed', {
              status: parsed.statusCode,
              message: parsed.outcome === 'not-supported' ? 'This accounting software cannot be connected here. Choose another.' : undefined,
            });
      setState({ status: 'failed', connection: undefined, error });
      once(`failed:${linkKey}`, () => notify(latest.current.onError, error));
      finish();
      return;
    }
    const { companyId, connectionId } = parsed;
    const req = signal();
    setState({ status: 'checking', connection: undefined, error: undefined });
    const readConnection = (s: AbortSignal): Promise<Connection | undefined> => {
      const ticket = store.ticket();
      return connectionId
        ? client.getConnection(companyId, connectionId, { signal: s }).then((c) => store.upsertConnection(companyId, c, ticket))
        : client.listAllConnections(companyId, {}, { signal: s }).then((list) => {
            store.setConnections(companyId, list, ticket);
            const linked = list.find((c) => c.status === 'Linked') ?? list[list.length - 1];
            return linked && store.getConnection(companyId, linked.id);
          });
    };
    store
      .dedupe(`linkReturn:${companyId}:${connectionId ?? ''}:${version}`, readConnection, req.signal)
      .then(
        (connection) => {
          if (!isMounted()) return;
          if (connection?.status === 'Linked') {
            setState({ status: 'linked', connection, error: undefined });
            once(`linked:${connection.id}`, () => notify(latest.current.onConnected, connection));
          } else {
            setState({ status: 'pending', connection, error: undefined });
          }
          finish();
        },
        (cause: unknown) => {
          const error = toBillPayError(cause, 'getConnection');
          if (req.signal.aborted || !isMounted()) return;
          setState({ status: 'error', connection: undefined, error });
          once(`error:${linkKey}:${version}`, () => notify(latest.current.onError, error));
        },
      )
      .finally(req.done);
    return req.abort;
  }, [linkKey, version, client, store, signal, isMounted, latest]);

  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  return { ...state, link, refresh };
}
