import { useCallback, useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import {
  createConnectFlow,
  LINK_POPUP_NAME,
  subscribeLinkReturns,
  type BillPayError,
  type Company,
  type Connection,
  type ConnectFlowInput,
  type ConnectFlowStep,
  type CreateCompanyInput,
  type LaunchMode,
} from '../core/index.js';
import { useCodatContext, type HookClientOptions } from './codat-provider.js';
import { notify, useLatest } from './internal.js';

export type { LaunchMode } from '../core/index.js';

/** Options of `useConnection`. */
export interface UseConnectionOptions extends HookClientOptions {
  /** The customer's company. @default the provider's companyId; with neither, `company` is created on connect */
  companyId?: string | undefined;
  /** Name (and description) of a new customer, created as a Codat company right before the connection. */
  company?: CreateCompanyInput | undefined;
  /** An existing connection to show and relaunch; read on mount unless already known. */
  connectionId?: string | undefined;
  /** The platform `connect()` uses when called without one. */
  platformKey?: string | undefined;
  /** How to open the Link flow. @default 'popup' */
  launch?: LaunchMode | undefined;
  /** What to do when the browser blocks the popup: continue in this tab, or stop at status `blocked`. @default 'error' */
  popupFallback?: 'redirect' | 'error' | undefined;
  /** Text shown in the Link window while it loads. @default the provider's `messages.connectRedirecting`, else 'Taking you to sign in…' */
  popupTitle?: string | undefined;
  /** Longest wait for the user to authorise before the flow counts as cancelled, in ms. @default 900000 (15 min) */
  maxWaitMs?: number | undefined;
  /** Fires once when the company is created. */
  onCompanyCreated?: ((company: Company) => void) | undefined;
  /** Fires once when the connection becomes Linked during this flow. */
  onConnected?: ((connection: Connection) => void) | undefined;
  /** Fires each time the Link flow is opened. */
  onLaunched?: ((connection: Connection) => void) | undefined;
  /** Fires once when the user closes the Link window without authorising. */
  onCancelled?: ((connection: Connection) => void) | undefined;
  /** Fires once per failure. */
  onError?: ((error: BillPayError) => void) | undefined;
}

/** Where the connect flow stands. */
export type ConnectionFlowStatus =
  | 'idle'
  | 'loading'
  | 'creating'
  | 'ready'
  | 'confirm-switch'
  | 'awaiting-auth'
  | 'redirecting'
  | 'linked'
  | 'cancelled'
  | 'blocked'
  | 'error';

/** State of `useConnection`, a union on `status`. */
export type ConnectionState =
  /** Nothing created or read yet. */
  | { status: 'idle'; connection: undefined; error: undefined; switchTo: undefined }
  /** Reading the connection (a given one, or right before reopening it). */
  | { status: 'loading'; connection: Connection | undefined; error: undefined; switchTo: undefined }
  /** Creating the company and/or connection (or reading what the company has first). */
  | { status: 'creating'; connection: Connection | undefined; error: undefined; switchTo: undefined }
  /** A connection exists but is not Linked (PendingAuth, Deauthorized, Unlinked): `launch()` continues. */
  | { status: 'ready'; connection: Connection; error: undefined; switchTo: undefined }
  /**
   * The company is connected (or was) to another platform, `connection`: `confirmSwitch()` replaces it with a
   * connection to `switchTo` (deleting the old one and its data), `cancelSwitch()` keeps it.
   */
  | { status: 'confirm-switch'; connection: Connection; error: undefined; switchTo: string }
  /** The Link flow is open (popup, tab or host UI); the connection is polled until Linked. */
  | { status: 'awaiting-auth'; connection: Connection; error: undefined; switchTo: undefined }
  /** The page is navigating to the Link flow. */
  | { status: 'redirecting'; connection: Connection; error: undefined; switchTo: undefined }
  /** The connection is Linked. */
  | { status: 'linked'; connection: Connection; error: undefined; switchTo: undefined }
  /** The user closed the Link window without authorising (`error.code` is `link-cancelled`). */
  | { status: 'cancelled'; connection: Connection; error: BillPayError; switchTo: undefined }
  /** The browser blocked the popup (`error.code` is `popup-blocked`): offer `launch('redirect')`. */
  | { status: 'blocked'; connection: Connection | undefined; error: BillPayError; switchTo: undefined }
  /** Something failed; `error` says what and whether to retry. */
  | { status: 'error'; connection: Connection | undefined; error: BillPayError; switchTo: undefined };

/** Result of `useConnection`. */
export type UseConnectionResult = ConnectionState & {
  /**
   * Connects the company to a platform and opens the Link flow. Codat allows one accounting connection per
   * company, so this continues (PendingAuth), reconnects (Unlinked, Deauthorized) or shows (Linked) the one
   * there is; another platform's connection leads to `confirm-switch`; only otherwise is a connection created
   * (and the company first, for a new customer). Call it synchronously inside the click handler: the popup is
   * opened before any await. Calls while one is in flight share it (one POST). Never rejects.
   */
  connect: (platformKey?: string) => Promise<Connection | undefined>;
  /**
   * Opens the Link flow again for the current connection (reopen, reconnect, continue in this tab). The
   * connection is read first, so the linkUrl opened is never one kept from earlier (Codat's one-time links
   * are single-use and expire after a day). Call it inside the click handler: the popup opens before the read.
   */
  launch: (mode?: LaunchMode) => void;
  /** In `confirm-switch`: replaces the other platform's connection and opens Link. Call it inside the click. */
  confirmSwitch: (mode?: LaunchMode) => void;
  /** In `confirm-switch`: keeps the existing connection. */
  cancelSwitch: () => void;
  /** Reads the connection again. */
  refresh: () => Promise<Connection | undefined>;
  /** Stops any watch and returns to idle (or ready, for a given connection). */
  reset: () => void;
  /** The company in use (given, from the provider, or created by `connect`). */
  companyId: string | undefined;
  /** The platform of the current connection or the default one. */
  platformKey: string | undefined;
};

/**
 * The company's accounting connection: connect it to a platform, read its state, and send the user through
 * Codat's Link flow, watching until it is Linked. A thin binding over the framework-free `createConnectFlow`.
 */
export function useConnection(options: UseConnectionOptions = {}): UseConnectionResult {
  const context = useCodatContext('useConnection', options);
  const { store } = context;
  // Each hook instance has its own popup, so two connect buttons on a page never take over each other's window.
  const popupName = `${LINK_POPUP_NAME}:${useId().replace(/[^\w-]/g, '')}`;
  const latest = useLatest({ options, context, popupName });
  const [flow] = useState(() =>
    createConnectFlow(
      () => {
        const { options: o, context: c, popupName: name } = latest.current;
        return {
          ...o,
          client: c.client,
          store: c.store,
          companyId: o.companyId ?? c.companyId,
          popupTitle: o.popupTitle ?? c.messages.connectRedirecting ?? 'Taking you to sign in…',
          linkUrlPolicy: c.linkUrlPolicy,
          popupName: name,
          emit: c.emit,
        } satisfies ConnectFlowInput;
      },
      {
        notify,
        // The kit's return page in the popup announces itself: the watch reads at once instead of at the next poll.
        onReturn: (listener) => subscribeLinkReturns((link) => link.companyId && listener(link.companyId)),
      },
    ),
  );
  useEffect(() => {
    flow.start();
    return () => flow.stop();
  }, [flow]);

  const snapshot = useSyncExternalStore(flow.subscribe, flow.getSnapshot, flow.getSnapshot);
  const companyId = options.companyId ?? context.companyId ?? snapshot.companyId;
  const connectionId = snapshot.connectionId ?? options.connectionId;
  const subscribe = useCallback((listener: () => void) => store.subscribe(listener), [store]);
  const read = () => (companyId && connectionId ? store.getConnection(companyId, connectionId) : undefined);
  const connection = useSyncExternalStore(subscribe, read, read);

  // Switching to another customer ends this one's flow: no watch, popup or callback outlives the switch.
  // (A company appearing where there was none, as when connect() creates it, is the same flow.)
  const previousCompany = useRef(companyId);
  useEffect(() => {
    const before = previousCompany.current;
    previousCompany.current = companyId;
    if (before !== undefined && before !== companyId) flow.reset();
  }, [flow, companyId]);

  // Read a given connection that the store does not know yet (a list read may already have brought it).
  const known = connection !== undefined;
  // Not while the flow itself is creating: a switch deletes the given connection on purpose.
  const given = !snapshot.connectionId && snapshot.step?.status !== 'creating';
  useEffect(() => {
    if (!companyId || !connectionId || known || !given) return;
    return flow.load(companyId, connectionId);
  }, [flow, companyId, connectionId, known, given]);

  // Back in this tab from Codat (redirect mode): the provider read the return; the flow resumes from it. Only
  // the hook that is not bound to a given connection resumes, so one return fires onConnected once.
  const linkReturn = context.linkReturn;
  const returnStatus = linkReturn?.status;
  const bound = options.connectionId !== undefined;
  useEffect(() => {
    if (!linkReturn || bound || !companyId) return;
    const { link } = linkReturn;
    if ((link.status !== 'success' && link.status !== 'error') || link.companyId?.toLowerCase() !== companyId.toLowerCase()) return;
    if (linkReturn.status === 'linked') flow.linked(linkReturn.connection);
    else if (linkReturn.status === 'failed') flow.returned(linkReturn.error, link.platform, link.connectionId);
    // Keyed on the return's status: each outcome is taken once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [flow, returnStatus, bound, companyId]);

  const state = deriveState(snapshot.step, connection);
  return {
    ...state,
    connect: flow.connect,
    launch: flow.launch,
    confirmSwitch: flow.confirmSwitch,
    cancelSwitch: flow.cancelSwitch,
    refresh: flow.refresh,
    reset: flow.reset,
    companyId,
    platformKey: connection?.integrationKey ?? options.platformKey,
  };
}

function deriveState(step: ConnectFlowStep, connection: Connection | undefined): ConnectionState {
  const none = { error: undefined, switchTo: undefined } as const;
  if (step) {
    switch (step.status) {
      case 'loading':
      case 'creating':
        return { status: step.status, connection, ...none };
      case 'confirm-switch':
        return { status: 'confirm-switch', connection: step.from, error: undefined, switchTo: step.to };
      case 'awaiting-auth':
      case 'redirecting':
        if (connection) return { status: step.status, connection, ...none };
        break;
      case 'cancelled':
        if (connection) return { status: 'cancelled', connection, error: step.error, switchTo: undefined };
        return { status: 'error', connection, error: step.error, switchTo: undefined };
      case 'blocked':
      case 'error':
        return { status: step.status, connection, error: step.error, switchTo: undefined };
    }
  }
  if (!connection) return { status: 'idle', connection: undefined, ...none };
  if (connection.status === 'Linked') return { status: 'linked', connection, ...none };
  return { status: 'ready', connection, ...none };
}
