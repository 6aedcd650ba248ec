import { createContext, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { notify } from './internal.js';
import { useLinkReturnReader, type LinkReturnResult } from './link-return-reader.js';
import {
  announceLinkReturn,
  createCodatClient,
  createKitStore,
  isLinkPopup,
  LINK_RETURN_PARAMS,
  mergeMessages,
  parseLinkReturn,
  type BillPayEvent,
  type BillPayEventInput,
  type BillPayPlatformList,
  type CodatClient,
  type CodatClientOptions,
  type Fetcher,
  type KitStore,
  type LinkReturn,
  type LinkUrlPolicy,
  type MessagesOverride,
} from '../core/index.js';
import { devWarn } from '../core/dev-warn.js';
import { linkRedirectUrl } from '../core/redirect-url.js';

/** What the provider hands to every hook below it. */
export interface CodatContextValue {
  /** The client every hook calls. */
  client: CodatClient;
  /** Shared connection cache and in-flight dedupe. */
  store: KitStore;
  /** The customer's Codat company id, when the host knows it. */
  companyId: string | undefined;
  /** The text overrides of this provider and its ancestors, merged (the components add the defaults). */
  messages: MessagesOverride;
  /** Where linkUrls may point. */
  linkUrlPolicy: LinkUrlPolicy;
  /** Which Bill Pay platform list the kit offers. */
  platformList: BillPayPlatformList;
  /** Stamps and delivers an analytics event to this provider's `onEvent` and every enclosing provider's. */
  emit: (event: BillPayEventInput) => void;
  /**
   * The return from Codat's Link flow on this page, as the provider read it (state, validated `link`,
   * `refresh`), so the parts below can resume the flow; undefined when the provider does not handle returns.
   */
  linkReturn: LinkReturnResult | undefined;
}

/** Props of `CodatProvider`. Every prop left out is inherited from an enclosing provider. */
export interface CodatProviderProps {
  /** The transport the kit calls; it may change identity on every render. @default globalThis.fetch */
  fetcher?: Fetcher | undefined;
  /** The host backend's mount point for the Codat proxy. @default '/api/codat' */
  baseUrl?: string | undefined;
  /** A ready client; when given, `fetcher`, `baseUrl` and `clientOptions` are ignored. */
  client?: CodatClient | undefined;
  /** Retry, timeout and validation settings for the client. Read on the first render only. */
  clientOptions?: Omit<CodatClientOptions, 'fetcher' | 'baseUrl'> | undefined;
  /** The customer's Codat company id, when it already exists. */
  companyId?: string | undefined;
  /** Text overrides for every user-visible string. */
  messages?: MessagesOverride | undefined;
  /** Where linkUrls may point (e.g. loopback http for a local sandbox). */
  linkUrlPolicy?: LinkUrlPolicy | undefined;
  /**
   * Which of Codat's Bill Pay platform lists the pickers offer: `sync`, the current (synchronous) Bill Pay, or
   * `async`, the asynchronous Bill Pay (MYOB, QuickBooks Desktop). @default 'sync'
   */
  platformList?: BillPayPlatformList | undefined;
  /**
   * Receives one typed event per step of the flow (opened, platform selected, searched, connect started, Link
   * opened, cancelled, linked, unlinked, removed, error), for analytics. Enclosing providers receive them too.
   */
  onEvent?: ((event: BillPayEvent) => void) | undefined;
  /**
   * Handle the return from Codat's Link flow on this page. In the kit's Link popup the provider renders only a
   * short status instead of its children, tells the opener the outcome and closes the window; in a tab it
   * validates the redirect, re-reads the connection, offers the outcome to the parts below (and `useLinkReturn`),
   * tells the host's other tabs, and removes only the kit's parameters from the address bar. Turn it off to
   * handle the return yourself with `useLinkReturn`. Only the outermost handling provider reads the return. @default true
   */
  handleLinkReturn?: boolean | undefined;
  /** The kit's components and the host's own UI. */
  children?: ReactNode;
}

/** The provider's context; internal to the kit (components read it for messages). */
export const CodatContext = createContext<CodatContextValue | null>(null);

/** Supplies the Codat client, shared cache, messages and settings to every kit hook and component below it. */
export function CodatProvider(props: CodatProviderProps) {
  const parent = useContext(CodatContext);
  const fetcherRef = useRef(props.fetcher);
  fetcherRef.current = props.fetcher;
  const customFetcher = props.fetcher !== undefined;
  const hasOwnTransport = customFetcher || props.baseUrl !== undefined || props.clientOptions !== undefined;
  const [clientOptions] = useState(props.clientOptions);
  const ownClient = useMemo(
    () =>
      hasOwnTransport
        ? createCodatClient({
            ...clientOptions,
            baseUrl: props.baseUrl,
            // The client only sees the wrapper below: whether logos default on depends on the host's own fetcher.
            logos: clientOptions?.logos ?? !customFetcher,
            fetcher: (input, init) => {
              const fetcher = fetcherRef.current ?? ((i: string, n: RequestInit) => globalThis.fetch(i, n));
              return fetcher(input, init);
            },
          })
        : undefined,
    [hasOwnTransport, clientOptions, props.baseUrl, customFetcher],
  );
  const client = props.client ?? ownClient ?? parent?.client ?? createDefaultClient();
  // Keyed on the parent's client and store, not the whole parent value: a parent re-rendering with a new
  // companyId or messages must not wipe this provider's cache and in-flight dedupe.
  const parentClient = parent?.client;
  const parentStore = parent?.store;
  const store = useMemo(
    () => (parentStore && parentClient === client ? parentStore : createKitStore()),
    [parentClient, parentStore, client],
  );
  const messages = useMemo(
    () => mergeMessages(parent?.messages ?? {}, props.messages),
    // Messages are compared by content so an inline object does not churn every consumer.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [parent?.messages, stableKey(props.messages)],
  );
  const policy = props.linkUrlPolicy;
  const linkUrlPolicy = useMemo(
    () => policy ?? parent?.linkUrlPolicy ?? {},
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [parent?.linkUrlPolicy, policy?.allowInsecureLoopback, policy?.allowedHosts?.join(',')],
  );
  const companyId = props.companyId ?? parent?.companyId;
  const platformList = props.platformList ?? parent?.platformList ?? 'sync';
  const onEventRef = useRef(props.onEvent);
  onEventRef.current = props.onEvent;
  const parentEmit = parent?.emit;
  const emit = useMemo(
    () => (event: BillPayEventInput) => {
      notify(onEventRef.current, { ...event, at: Date.now() } as BillPayEvent);
      parentEmit?.(event);
    },
    [parentEmit],
  );
  const handles = props.handleLinkReturn ?? (parent ? parent.linkReturn !== undefined : true);
  const inherited = handles ? parent?.linkReturn : undefined;
  const reads = handles && inherited === undefined;
  const inPopup = useSyncExternalStore(noSubscription, isLinkPopup, notInPopup) && reads;
  const reader = useLinkReturnReader({
    enabled: reads && !inPopup,
    url: undefined,
    expectedCompanyId: companyId,
    client,
    store,
    clean: true,
    closePopup: false,
  });
  const linkReturn = inherited ?? (reads ? reader.result : undefined);
  useLinkReturnSideEffects(reads ? (inPopup ? 'popup' : 'tab') : 'off', reader.result.link, reader.url, companyId);

  const value = useMemo<CodatContextValue>(
    () => ({ client, store, companyId, messages, linkUrlPolicy, platformList, emit, linkReturn }),
    [client, store, companyId, messages, linkUrlPolicy, platformList, emit, linkReturn],
  );
  if (inPopup) {
    // Codat sent the kit's Link popup back here: none of the host's page, only word that it is closing.
    return <p role="status">{messages.linkReturnClosing ?? 'Finishing… you can close this window.'}</p>;
  }
  return <CodatContext.Provider value={value}>{props.children}</CodatContext.Provider>;
}

const noSubscription = () => () => undefined;
const notInPopup = () => false;

/**
 * What the provider does with a return besides reading it: in the popup, tell the opener and close; in a tab,
 * tell the host's other tabs (a new-tab launch waits there). Plus the development warnings, once each.
 */
function useLinkReturnSideEffects(mode: 'popup' | 'tab' | 'off', link: LinkReturn, url: string | undefined, companyId: string | undefined) {
  const done = useRef({ popup: false, announced: '', warned: new Set<string>() });

  useEffect(() => {
    if (mode !== 'popup' || done.current.popup) return;
    done.current.popup = true;
    const href = window.location.href;
    const parsed = parseLinkReturn(href, { expectedCompanyId: companyId });
    if (parsed.status === 'success' || parsed.status === 'error') announceLinkReturn(parsed);
    else devWarnings(done.current.warned, parsed, href, companyId);
    window.close();
    // Once per page: the warnings and the announcement describe the page load, not later renders.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mode]);

  const linkKey = JSON.stringify(link);
  useEffect(() => {
    if (mode !== 'tab' || url === undefined) return;
    if (link.status !== 'success' && link.status !== 'error') {
      if (link.status === 'invalid') devWarnings(done.current.warned, link, url, companyId);
      return;
    }
    if (done.current.announced === linkKey) return;
    done.current.announced = linkKey;
    announceLinkReturn(link);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mode, linkKey, url]);
}

/**
 * Development warnings, once each per provider: a popup back without the kit's parameters, a return naming
 * another company. Behind `process.env.NODE_ENV` so production builds drop them; silent where nothing defines
 * `process` (a browser without a bundler).
 */
function devWarnings(warned: Set<string>, link: LinkReturn, href: string, companyId: string | undefined) {
  if (typeof process === 'undefined' || process.env.NODE_ENV === 'production') return;
  if (link.status === 'none') {
    const page = new URL(href);
    for (const name of LINK_RETURN_PARAMS) page.searchParams.delete(name);
    devWarn(
      'missing',
      `the kit's Link popup came back without Codat's return parameters: the Redirect URL in the Codat Portal ` +
        `lacks the kit's placeholders. Set it to ${linkRedirectUrl(page.href)}`,
      warned,
    );
  } else if (link.status === 'invalid' && link.reason === 'companyId does not match this customer') {
    devWarn(
      'mismatch',
      `Codat's redirect names company ${new URL(href).searchParams.get('companyId')}, not this CodatProvider's companyId ${companyId}; ignored.`,
      warned,
    );
  }
}

const noEmit = () => undefined;

let defaultClient: CodatClient | undefined;
function createDefaultClient(): CodatClient {
  defaultClient ??= createCodatClient();
  return defaultClient;
}

/** A content key for a messages override, so an inline object does not churn every consumer. */
export function stableKey(messages: MessagesOverride | undefined): string {
  if (!messages) return '';
  return JSON.stringify(messages, (_k, v: unknown) => (typeof v === 'function' ? v.toString() : v));
}

/** Overrides every hook accepts, for use without (or instead of) the provider's client. */
export interface HookClientOptions {
  /** Use this client instead of the provider's. */
  client?: CodatClient | undefined;
  /** Use this fetcher instead of the provider's client; it is called with the default baseUrl, `/api/codat`. */
  fetcher?: Fetcher | undefined;
}

/**
 * Reads the provider, applying a hook's `client`/`fetcher` override. Throws a developer error naming the
 * hook when there is neither a provider nor an override.
 */
export function useCodatContext(hookName: string, overrides: HookClientOptions = {}): CodatContextValue {
  const context = useContext(CodatContext);
  const fetcherRef = useRef(overrides.fetcher);
  fetcherRef.current = overrides.fetcher;
  const hasFetcher = overrides.fetcher !== undefined;
  const fetcherClient = useMemo(
    () =>
      hasFetcher
        ? createCodatClient({
            baseUrl: undefined,
            fetcher: (input, init) => (fetcherRef.current as Fetcher)(input, init),
          })
        : undefined,
    [hasFetcher],
  );
  const client = overrides.client ?? fetcherClient;
  const [localStore] = useState(createKitStore);
  return useMemo(() => {
    if (client) {
      return {
        client,
        store: context && context.client === client ? context.store : localStore,
        companyId: context?.companyId,
        messages: context?.messages ?? {},
        linkUrlPolicy: context?.linkUrlPolicy ?? {},
        platformList: context?.platformList ?? 'sync',
        emit: context?.emit ?? noEmit,
        // The provider's reading of a return went into its own store: another client reads for itself.
        linkReturn: context && context.client === client ? context.linkReturn : undefined,
      };
    }
    if (!context) {
      throw new Error(
        `billpay-connect: ${hookName} must be used inside <CodatProvider>, or be given a \`client\` or \`fetcher\` option.`,
      );
    }
    return context;
  }, [client, context, localStore, hookName]);
}
