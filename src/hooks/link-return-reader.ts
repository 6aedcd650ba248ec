import { useCallback, useEffect, useMemo, useState } from 'react';
import { isLinkPopup, LINK_RETURN_PARAMS, parseLinkReturn, toBillPayError, type CodatClient, type KitStore, type LinkReturn } from '../core/index.js';
import { readLinkReturn, settleLinkReturn, startLinkReturn, type LinkReturnState } from '../core/link-return-check.js';
import { useLatest, useLifecycle } from './internal.js';

/** The validated return, where it stands, and a way to read the connection again. */
export type LinkReturnResult = LinkReturnState & {
  /** The validated redirect parameters. */
  link: LinkReturn;
  /** Reads the connection again. */
  refresh: () => void;
};

interface LinkReturnReaderOptions {
  /** Off: no reading, no requests, state `none`. */
  enabled: boolean;
  /** The URL to read; without it, the address bar, read once after mount (so SSR is safe). */
  url: string | undefined;
  expectedCompanyId: string | undefined;
  client: CodatClient;
  store: KitStore;
  /** Remove the kit's parameters from the address bar once the outcome is known (never for a given `url`). */
  clean: boolean;
  /** Close this window once the outcome is known, when it is the kit's Link popup. */
  closePopup: boolean;
}

const none: LinkReturnState = { status: 'none', connection: undefined, error: undefined };

/**
 * The reading of a Link return that `CodatProvider` and `useLinkReturn` share: parse and validate the URL,
 * re-read the connection into the store (one request per return, see `readLinkReturn`), then tidy the address
 * bar. Fires no callbacks; returns the result and the URL it read.
 */
export function useLinkReturnReader(options: LinkReturnReaderOptions): { result: LinkReturnResult; url: string | undefined } {
  const { enabled, client, store, expectedCompanyId } = options;
  const [url, setUrl] = useState<string | undefined>(options.url);
  const [state, setState] = useState<LinkReturnState>(none);
  const [version, setVersion] = useState(0);
  const { signal, isMounted } = useLifecycle();

  useEffect(() => {
    setUrl(enabled ? (options.url ?? (typeof window === 'undefined' ? undefined : window.location.href)) : undefined);
  }, [enabled, options.url]);

  // Read when the outcome is known, so changing them never sends another request.
  const tidy = useLatest({ clean: options.clean && options.url === undefined, closePopup: options.closePopup });
  const linkKey = JSON.stringify(!enabled || url === undefined ? { status: 'none' } : parseLinkReturn(url, { expectedCompanyId }));
  const link = useMemo(() => JSON.parse(linkKey) as LinkReturn, [linkKey]);
  // One start state per return, so a failure carries the same error object however often the effect runs.
  const start = useMemo(() => startLinkReturn(link), [link]);

  useEffect(() => {
    setState(start);
    if (link.status !== 'success') return;
    const req = signal();
    readLinkReturn(link, { client, store, signal: req.signal, attempt: version })
      .then(
        (connection) => {
          if (isMounted()) setState(settleLinkReturn(connection));
        },
        (cause: unknown) => {
          const error = toBillPayError(cause, 'getConnection');
          if (req.signal.aborted || !isMounted()) return;
          // The parameters stay in the address bar, so a reload retries.
          setState({ status: 'error', connection: undefined, error });
        },
      )
      .finally(req.done);
    return req.abort;
  }, [link, start, version, client, store, signal, isMounted]);

  // Tidied once the outcome is committed, in the same pass as the callbacks' effect, so a popup fires them before it closes.
  const settled = state.status === 'linked' || state.status === 'pending' || state.status === 'failed' || state.status === 'invalid';
  useEffect(() => {
    if (!settled || typeof window === 'undefined') return;
    const { clean, closePopup } = tidy.current;
    if (clean && typeof window.history?.replaceState === 'function') {
      const current = new URL(window.location.href);
      for (const name of LINK_RETURN_PARAMS) current.searchParams.delete(name);
      window.history.replaceState(window.history.state, '', current.href);
    }
    if (closePopup && isLinkPopup()) window.close();
  }, [settled, state, tidy]);

  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  const result = useMemo<LinkReturnResult>(() => ({ ...(enabled ? state : none), link, refresh }), [enabled, state, link, refresh]);
  return { result, url };
}
