import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  billPayPlatforms,
  filterPlatforms,
  findPlatform,
  toBillPayError,
  type BillPayError,
  type BillPayPlatformList,
  type Integration,
  type Platform,
} from '../core/index.js';
import { useCodatContext, type HookClientOptions } from './codat-provider.js';
import { useLifecycle } from './internal.js';

/** How long the search text must stay unchanged before it counts as a search (analytics). */
const searchSettleMs = 600;

/** Options of `usePlatforms`. */
export interface UsePlatformsOptions extends HookClientOptions {
  /**
   * Where the list comes from: the kit's built-in Bill Pay list (no request), or that list narrowed to what
   * the host's Codat client has enabled, read from Codat's integrations endpoint (with beta flags and logos),
   * falling back to the built-in list if the read fails.
   * @default 'builtin'
   */
  source?: 'builtin' | 'integrations' | undefined;
  /** Which Bill Pay list to offer: `sync` (current Bill Pay) or `async`. @default the provider's, else 'sync' */
  platformList?: BillPayPlatformList | undefined;
  /** Which platform keys to offer, in this order. @default the keys of `platformList` */
  platformKeys?: readonly string[] | undefined;
  /** Include platforms the integrations endpoint reports as disabled. @default false */
  includeDisabled?: boolean | undefined;
  /** Filter text (controlled). */
  query?: string | undefined;
  /** Initial filter text (uncontrolled). @default '' */
  defaultQuery?: string | undefined;
  /** Fires when `setQuery` is called. */
  onQueryChange?: ((query: string) => void) | undefined;
}

/** Status of `usePlatforms`. */
export type PlatformsStatus = 'loading' | 'success' | 'error';

/** State of `usePlatforms`, a union on `status`. */
export type PlatformsState =
  | { status: 'loading'; error: undefined }
  | { status: 'success'; error: undefined }
  /** The integrations request failed; `platforms` holds the built-in fallback. */
  | { status: 'error'; error: BillPayError };

/** Result of `usePlatforms`. */
export type UsePlatformsResult = PlatformsState & {
  /** Platforms matching the filter text, in display order (empty while loading). */
  platforms: Platform[];
  /** Every platform, unfiltered. */
  allPlatforms: Platform[];
  /** Current filter text. */
  query: string;
  /** Sets the filter text. */
  setQuery: (query: string) => void;
  /** Reloads from the integrations endpoint. */
  refetch: () => void;
};

function fromIntegration(integration: Integration): Platform {
  const builtin = findPlatform(integration.key);
  return {
    key: integration.key,
    name: integration.name || builtin?.name || integration.key,
    monogram: builtin?.monogram ?? integration.name.slice(0, 2).toUpperCase(),
    brandColor: builtin?.brandColor ?? '#747474',
    logoUrl: integration.logoUrl,
    isOfflineConnector: integration.isOfflineConnector ?? builtin?.isOfflineConnector ?? false,
    isBeta: integration.isBeta ?? false,
    enabled: integration.enabled,
  };
}

function pick(platforms: readonly Platform[], keys: readonly string[]): Platform[] {
  const order = keys;
  return order.map((key) => platforms.find((p) => p.key === key)).filter((p): p is Platform => p !== undefined);
}

/** The accounting platforms the customer can connect, with text filtering. */
export function usePlatforms(options: UsePlatformsOptions = {}): UsePlatformsResult {
  const source = options.source ?? 'builtin';
  const context = useCodatContext('usePlatforms', options);
  const { client, store } = context;
  const list = billPayPlatforms(options.platformList ?? context.platformList);
  const { signal, isMounted } = useLifecycle();
  const keysKey = options.platformKeys?.join(',');
  const [loaded, setLoaded] = useState<{ platforms: Platform[] } | { error: BillPayError } | null>(null);
  const [version, setVersion] = useState(0);
  const [innerQuery, setInnerQuery] = useState(options.defaultQuery ?? '');
  const query = options.query ?? innerQuery;
  const onQueryChange = options.onQueryChange;

  useEffect(() => {
    if (source !== 'integrations') return;
    const req = signal();
    store
      .dedupe(
        `listIntegrations:${version}`,
        (s) => client.listIntegrations({ pageSize: 500, query: 'sourceType=Accounting' }, { signal: s }),
        req.signal,
      )
      .then(
        (page) => {
          if (isMounted()) setLoaded({ platforms: page.results.map(fromIntegration) });
        },
        (cause: unknown) => {
          const error = toBillPayError(cause, 'listIntegrations');
          if (isMounted() && !req.signal.aborted) setLoaded({ error });
        },
      )
      .finally(req.done);
    return req.abort;
  }, [source, client, store, version, signal, isMounted]);

  const allPlatforms = useMemo(() => {
    const keys = keysKey === undefined ? list.map((p) => p.key) : keysKey.split(',').filter(Boolean);
    if (source === 'builtin' || (loaded && 'error' in loaded)) {
      return keys.map((key) => findPlatform(key)).filter((p): p is Platform => p !== undefined);
    }
    if (!loaded) return [];
    // The chosen list (or keys), in its order, narrowed to what this Codat client has enabled.
    return pick(loaded.platforms, keys).filter((p) => p.enabled || options.includeDisabled === true);
  }, [source, loaded, keysKey, list, options.includeDisabled]);
  const platforms = useMemo(() => filterPlatforms(allPlatforms, query), [allPlatforms, query]);

  // One analytics event per search, once typing has settled.
  const { emit } = context;
  const count = platforms.length;
  useEffect(() => {
    const text = query.trim();
    if (text === '') return;
    const timer = setTimeout(() => emit({ type: 'searched', query: text, resultCount: count }), searchSettleMs);
    return () => clearTimeout(timer);
  }, [query, count, emit]);

  const setQuery = useCallback(
    (next: string) => {
      setInnerQuery(next);
      onQueryChange?.(next);
    },
    [onQueryChange],
  );
  const refetch = useCallback(() => {
    setLoaded(null);
    setVersion((v) => v + 1);
  }, []);

  const state: PlatformsState =
    source === 'builtin'
      ? { status: 'success', error: undefined }
      : loaded === null
        ? { status: 'loading', error: undefined }
        : 'error' in loaded
          ? { status: 'error', error: loaded.error }
          : { status: 'success', error: undefined };
  return { ...state, platforms, allPlatforms, query, setQuery, refetch };
}
