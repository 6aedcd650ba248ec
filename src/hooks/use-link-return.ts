import { useEffect, useRef } from 'react';
import type { BillPayError, Connection } from '../core/index.js';
import { useCodatContext, type HookClientOptions } from './codat-provider.js';
import { notify, useLatest } from './internal.js';
import { useLinkReturnReader, type LinkReturnResult } from './link-return-reader.js';

export type { LinkReturnState, LinkReturnStatus } from '../core/link-return-check.js';

/** Options of `useLinkReturn`. */
export interface UseLinkReturnOptions extends HookClientOptions {
  /** The URL Codat redirected to. @default window.location.href (read after mount, so SSR is safe) */
  url?: string | undefined;
  /** The company the signed-in user owns; a redirect naming another is `invalid`. @default the provider's companyId */
  companyId?: string | undefined;
  /**
   * Remove Codat's parameters from the address bar once the outcome is known (history.replaceState). They stay
   * while the re-read is failing, so a reload retries it. Under a provider that handles the return, the
   * provider does this. @default true
   */
  clean?: boolean | undefined;
  /**
   * When this page is the kit's Link popup, close it once the outcome is read; the opener picks it up. Under a
   * provider that handles the return, the provider closes the popup at once. @default true
   */
  closePopup?: boolean | undefined;
  /** Fires once when the re-read connection is Linked. */
  onConnected?: ((connection: Connection) => void) | undefined;
  /** Fires once when the redirect reports a failure, or the re-read fails. */
  onError?: ((error: BillPayError) => void) | undefined;
}

/** Result of `useLinkReturn`. */
export type UseLinkReturnResult = LinkReturnResult;

/**
 * Reads Codat's redirect parameters when the user comes back from the Link flow, validates them (never
 * trusting them for success) and re-reads the connection from the API before reporting `linked`. Under a
 * `CodatProvider` that handles the return (its default), it reports the provider's reading of the address bar
 * instead of reading it again; given its own `url`, `companyId` or client, it reads by itself.
 */
export function useLinkReturn(options: UseLinkReturnOptions = {}): UseLinkReturnResult {
  const context = useCodatContext('useLinkReturn', options);
  const { client, store } = context;
  const expectedCompanyId = options.companyId ?? context.companyId;
  const provided = context.linkReturn;
  const sameCompany = options.companyId === undefined || options.companyId.toLowerCase() === context.companyId?.toLowerCase();
  const shared = provided !== undefined && options.url === undefined && sameCompany;
  const own = useLinkReturnReader({
    enabled: !shared,
    url: options.url,
    expectedCompanyId,
    client,
    store,
    clean: options.clean !== false,
    closePopup: options.closePopup !== false,
  }).result;
  const result = shared ? provided : own;
  const latest = useLatest(options);
  const reported = useRef({ linked: new Set<string>(), errors: new WeakSet<BillPayError>() });

  const { status, connection, error } = result;
  useEffect(() => {
    if (status === 'linked' && connection && !reported.current.linked.has(connection.id)) {
      reported.current.linked.add(connection.id);
      notify(latest.current.onConnected, connection);
    } else if ((status === 'failed' || status === 'error') && error && !reported.current.errors.has(error)) {
      reported.current.errors.add(error);
      notify(latest.current.onError, error);
    }
  }, [status, connection, error, latest]);

  return result;
}
