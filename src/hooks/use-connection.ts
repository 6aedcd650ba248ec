import { useCallback, useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import {
  assertSafeLinkUrl,
  BillPayError,
  LINK_POPUP_NAME,
  toBillPayError,
  validatePlatformKey,
  type Company,
  type Connection,
  type CreateCompanyInput,
} from '../core/index.js';
import { maxTimerMs } from '../core/client.js';
import { useCodatContext, type HookClientOptions } from './codat-provider.js';
import { notify, useLatest, useLifecycle, useSingleFlight } from './internal.js';

/**
 * How the Link flow is opened: a popup (opened synchronously inside the click, pointed at the linkUrl
 * when it arrives), the same tab, a new tab, or a host callback (e.g. to open Codat's own Link SDK). A
 * callback that throws is reported (`reportError`) and the flow lands in `blocked`, offering this tab.
 */
export type LaunchMode = 'popup' | 'redirect' | 'new-tab' | ((linkUrl: string, connection: Connection) => void);

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
  | 'awaiting-auth'
  | 'redirecting'
  | 'linked'
  | 'cancelled'
  | 'blocked'
  | 'error';

/** State of `useConnection`, a union on `status`. */
export type ConnectionState =
  /** Nothing created or read yet. */
  | { status: 'idle'; connection: undefined; error: undefined }
  /** Reading the given connection. */
  | { status: 'loading'; connection: Connection | undefined; error: undefined }
  /** Creating the company and/or connection. */
  | { status: 'creating'; connection: Connection | undefined; error: undefined }
  /** A connection exists but is not Linked (PendingAuth, Deauthorized, Unlinked): `launch()` continues. */
  | { status: 'ready'; connection: Connection; error: undefined }
  /** The Link flow is open (popup, tab or host UI); the connection is polled until Linked. */
  | { status: 'awaiting-auth'; connection: Connection; error: undefined }
  /** The page is navigating to the Link flow. */
  | { status: 'redirecting'; connection: Connection; error: undefined }
  /** The connection is Linked. */
  | { status: 'linked'; connection: Connection; error: undefined }
  /** The user closed the Link window without authorising (`error.code` is `link-cancelled`). */
  | { status: 'cancelled'; connection: Connection; error: BillPayError }
  /** The browser blocked the popup (`error.code` is `popup-blocked`): offer `launch('redirect')`. */
  | { status: 'blocked'; connection: Connection | undefined; error: BillPayError }
  /** Something failed; `error` says what and whether to retry. */
  | { status: 'error'; connection: Connection | undefined; error: BillPayError };

/** Result of `useConnection`. */
export type UseConnectionResult = ConnectionState & {
  /**
   * Creates the connection (and the company first, for a new customer) and opens the Link flow.
   * Call it synchronously inside the click handler: the popup is opened before any await. Calls while
   * one is in flight share it (one POST). Never rejects.
   */
  connect: (platformKey?: string) => Promise<Connection | undefined>;
  /**
   * Opens the Link flow again for the current connection (reopen, reconnect, continue in this tab). The
   * connection is read first, so the linkUrl opened is never one kept from earlier (Codat's one-time links
   * are single-use and expire after a day). Call it inside the click handler: the popup opens before the read.
   */
  launch: (mode?: LaunchMode) => void;
  /** Reads the connection again. */
  refresh: () => Promise<Connection | undefined>;
  /** Stops any watch and returns to idle (or ready, for a given connection). */
  reset: () => void;
  /** The company in use (given, from the provider, or created by `connect`). */
  companyId: string | undefined;
  /** The platform of the current connection or the default one. */
  platformKey: string | undefined;
};

type Flow =
  | { status: 'loading' | 'creating' | 'awaiting-auth' | 'redirecting'; error?: undefined }
  | { status: 'cancelled' | 'blocked' | 'error'; error: BillPayError }
  | null;

const closedCheckMs = 500;
const firstPollMs = 2000;
const maxPollMs = 15_000;

/** Whether the window is closed; a window that refuses to say (cross-origin quirks) counts as open. */
function isClosed(win: Window): boolean {
  try {
    return win.closed === true;
  } catch {
    return false;
  }
}

function closeQuietly(win: Window | null): void {
  try {
    if (win && !isClosed(win)) win.close();
  } catch {
    // Closing is best effort.
  }
}

function openLinkWindow(kind: 'popup' | 'new-tab', title: string, name: string): Window | null {
  if (typeof window === 'undefined' || typeof window.open !== 'function') return null;
  let features: string | undefined;
  if (kind === 'popup') {
    const width = 600;
    const height = 720;
    const left = Math.max(0, (window.screenX ?? 0) + ((window.outerWidth ?? width) - width) / 2);
    const top = Math.max(0, (window.screenY ?? 0) + ((window.outerHeight ?? height) - height) / 2);
    features = `popup,width=${width},height=${height},left=${Math.round(left)},top=${Math.round(top)}`;
  }
  const win = window.open('about:blank', kind === 'popup' ? name : '_blank', features);
  // Some blockers hand back a window that is already closed: that is a blocked popup too.
  if (!win || isClosed(win)) return null;
  try {
    // The Link page must not be able to script or navigate the host page (reverse tabnabbing).
    win.opener = null;
    win.document.title = title;
    if (win.document.body) win.document.body.textContent = title;
  } catch {
    // A cross-origin window (reused by name) is fine as it is.
  }
  return win;
}

/**
 * One connection of the customer: create it for a platform, read its state, and send the user through
 * Codat's Link flow, watching until it is Linked.
 */
export function useConnection(options: UseConnectionOptions = {}): UseConnectionResult {
  const context = useCodatContext('useConnection', options);
  const { client, store, linkUrlPolicy, messages } = context;
  const [createdCompanyId, setCreatedCompanyId] = useState<string | undefined>(undefined);
  const [createdConnectionId, setCreatedConnectionId] = useState<string | undefined>(undefined);
  const companyId = options.companyId ?? context.companyId ?? createdCompanyId;
  const connectionId = createdConnectionId ?? options.connectionId;
  const [flow, setFlowState] = useState<Flow>(null);
  const { signal, isMounted } = useLifecycle();
  const flight = useSingleFlight<Connection | undefined>(signal);
  // Each hook instance has its own popup, so two connect buttons on a page never take over each other's window.
  const popupName = `${LINK_POPUP_NAME}:${useId().replace(/[^\w-]/g, '')}`;
  const stopWatch = useRef<(() => void) | null>(null);
  const watchLinked = useRef<((linked: Connection) => void) | null>(null);
  // The Link window the running watch follows, so leaving mid-flow can close it.
  const watchWindow = useRef<Window | null>(null);
  const connectedFor = useRef<string | null>(null);
  // The company connect() created, known at once: a retry before the next render must not create another.
  const createdCompany = useRef<string | undefined>(undefined);
  const latest = useLatest({ options, companyId, linkUrlPolicy, messages });

  const subscribe = useCallback((listener: () => void) => store.subscribe(listener), [store]);
  const read = () => (companyId && connectionId ? store.getConnection(companyId, connectionId) : undefined);
  const connection = useSyncExternalStore(subscribe, read, read);
  const connectionRef = useLatest(connection);

  const setFlow = useCallback(
    (next: Flow) => {
      if (isMounted()) setFlowState(next);
    },
    [isMounted],
  );
  const fail = useCallback(
    (error: BillPayError, status: 'error' | 'blocked' | 'cancelled' = 'error') => {
      if (!isMounted()) return;
      setFlowState({ status, error });
      notify(latest.current.options.onError, error);
    },
    [isMounted, latest],
  );
  /** `fail`, landing a popup that could not be used in `blocked` (whose way forward is another launch mode). */
  const failWith = useCallback((error: BillPayError) => fail(error, error.code === 'popup-blocked' ? 'blocked' : 'error'), [fail]);
  const markLinked = useCallback(
    (linked: Connection) => {
      // A read that answers after unmount (a transport that ignores the abort) must not report.
      if (!isMounted() || connectedFor.current === linked.id) return;
      connectedFor.current = linked.id;
      notify(latest.current.options.onConnected, linked);
    },
    [isMounted, latest],
  );

  const watch = useCallback(
    (cid: string, conn: Connection, win: Window | null) => {
      stopWatch.current?.();
      const req = signal();
      const maxWaitMs = Math.min(latest.current.options.maxWaitMs ?? 900_000, maxTimerMs);
      let delay = firstPollMs;
      let pollTimer: ReturnType<typeof setTimeout> | undefined;
      let checking: Promise<Connection | undefined> | null = null;
      const stop = () => {
        clearTimeout(pollTimer);
        clearInterval(closedTimer);
        clearTimeout(deadline);
        if (typeof window !== 'undefined') window.removeEventListener('focus', onFocus);
        req.abort();
        if (stopWatch.current === stop) {
          stopWatch.current = null;
          watchLinked.current = null;
        }
      };
      const linked = (c: Connection) => {
        stop();
        closeQuietly(win);
        setFlow(null);
        markLinked(c);
      };
      const check = (): Promise<Connection | undefined> => {
        const ticket = store.ticket();
        checking ??= client
          .getConnection(cid, conn.id, { signal: req.signal })
          .then(
            (answer) => {
              const c = store.upsertConnection(cid, answer, ticket);
              if (c.status === 'Linked') linked(c);
              return c;
            },
            (cause: unknown) => {
              const error = toBillPayError(cause, 'getConnection');
              // Transient failures (already retried by the client) leave the watch running.
              if (!req.signal.aborted && !error.retryable) {
                stop();
                // The flow is over: do not leave the Link window open behind the error.
                closeQuietly(win);
                fail(error);
              }
              return undefined;
            },
          )
          .finally(() => {
            checking = null;
          });
        return checking;
      };
      const cancelled = () => {
        const error = new BillPayError('link-cancelled');
        fail(error, 'cancelled');
        notify(latest.current.options.onCancelled, conn);
      };
      const onClosed = () => {
        clearInterval(closedTimer);
        clearTimeout(pollTimer);
        // One last read: the user may have authorised just before closing the window.
        void check().then((c) => {
          if (req.signal.aborted) return;
          stop();
          if (c?.status !== 'Linked') cancelled();
        });
      };
      const schedule = () => {
        pollTimer = setTimeout(() => {
          void check().then(() => {
            if (req.signal.aborted) return;
            delay = Math.min(maxPollMs, Math.round(delay * 1.5));
            schedule();
          });
        }, delay);
      };
      const onFocus = () => {
        void check();
      };
      const closedTimer = setInterval(() => {
        if (win && isClosed(win)) onClosed();
      }, closedCheckMs);
      const deadline = setTimeout(() => {
        stop();
        closeQuietly(win);
        cancelled();
      }, maxWaitMs);
      if (typeof window !== 'undefined') window.addEventListener('focus', onFocus);
      schedule();
      stopWatch.current = stop;
      watchLinked.current = linked;
      watchWindow.current = win;
    },
    [client, store, signal, fail, setFlow, markLinked, latest],
  );

  useEffect(
    () => () => {
      // Unmounted mid-flow (a dialog closed, the page changed): nothing watches the Link window any more, so
      // it must not stay open behind the host's page.
      if (!stopWatch.current) return;
      stopWatch.current();
      closeQuietly(watchWindow.current);
    },
    [],
  );

  /** Validates the linkUrl and opens it in the chosen way. Throws `unsafe-link-url`. */
  const open = useCallback(
    (cid: string, conn: Connection, mode: LaunchMode, win: Window | null) => {
      let url: string;
      try {
        url = assertSafeLinkUrl(conn.linkUrl, latest.current.linkUrlPolicy);
      } catch (error) {
        closeQuietly(win);
        throw error;
      }
      if (typeof mode === 'function') {
        try {
          mode(url, conn);
        } catch (cause) {
          // The host's launcher is broken: tell its developers, and offer the user this tab instead.
          notify(() => {
            throw cause;
          });
          throw new BillPayError('popup-blocked', { cause });
        }
        setFlow({ status: 'awaiting-auth' });
        watch(cid, conn, null);
      } else if (win) {
        try {
          win.location.href = url;
        } catch (cause) {
          // A window we cannot point at the linkUrl is as good as blocked: offer another way.
          closeQuietly(win);
          throw new BillPayError('popup-blocked', { cause });
        }
        setFlow({ status: 'awaiting-auth' });
        watch(cid, conn, win);
      } else {
        stopWatch.current?.();
        setFlow({ status: 'redirecting' });
        window.location.assign(url);
      }
      notify(latest.current.options.onLaunched, conn);
    },
    [latest, setFlow, watch],
  );

  /** Opens a window for `mode` inside the user's gesture; null with a blocked popup. */
  const prepareWindow = useCallback(
    (mode: LaunchMode): { win: Window | null; mode: LaunchMode } | 'blocked' => {
      if (mode !== 'popup' && mode !== 'new-tab') return { win: null, mode };
      const win = openLinkWindow(
        mode,
        latest.current.options.popupTitle ?? latest.current.messages.connectRedirecting ?? 'Taking you to sign in…',
        popupName,
      );
      if (win) return { win, mode };
      if (mode === 'new-tab' || latest.current.options.popupFallback === 'redirect') return { win: null, mode: 'redirect' };
      return 'blocked';
    },
    [latest, popupName],
  );

  const start = useCallback(
    (key: string | undefined, modeArg: LaunchMode | undefined): Promise<Connection | undefined> => {
      if (flight.pending) return flight.pending;
      const { options: opts } = latest.current;
      const cid0 = latest.current.companyId ?? createdCompany.current;
      let platformKey: string;
      try {
        platformKey = validatePlatformKey(key ?? opts.platformKey ?? '', client.validation);
      } catch (error) {
        fail(toBillPayError(error));
        return Promise.resolve(undefined);
      }
      const prepared = prepareWindow(modeArg ?? opts.launch ?? 'popup');
      if (prepared === 'blocked') {
        fail(new BillPayError('popup-blocked'), 'blocked');
        return Promise.resolve(undefined);
      }
      stopWatch.current?.();
      setFlow({ status: 'creating' });
      return flight.run(async (s) => {
        try {
          let cid = cid0;
          if (!cid) {
            if (!opts.company) {
              throw new BillPayError('invalid-input', { field: 'name', message: 'Enter the company name.' });
            }
            const company = await client.createCompany(opts.company, { signal: s });
            cid = company.id;
            createdCompany.current = company.id;
            if (isMounted()) {
              setCreatedCompanyId(company.id);
              notify(latest.current.options.onCompanyCreated, company);
            }
          }
          const conn = await client.createConnection(cid, { platformKey }, { signal: s });
          store.upsertConnection(cid, conn);
          if (isMounted()) setCreatedConnectionId(conn.id);
          connectedFor.current = null;
          if (!isMounted()) {
            prepared.win?.close();
            return conn;
          }
          open(cid, conn, prepared.mode, prepared.win);
          return conn;
        } catch (cause) {
          closeQuietly(prepared.win);
          if (!s.aborted) failWith(toBillPayError(cause, 'createConnection'));
          return undefined;
        }
      });
    },
    [client, store, flight, isMounted, fail, failWith, setFlow, open, prepareWindow, latest],
  );

  const connect = useCallback((platformKey?: string) => start(platformKey, undefined), [start]);

  const launch = useCallback(
    (mode?: LaunchMode) => {
      const conn = connectionRef.current;
      const cid = latest.current.companyId;
      if (!conn || !cid) {
        void start(undefined, mode);
        return;
      }
      if (flight.pending) return;
      const prepared = prepareWindow(mode ?? latest.current.options.launch ?? 'popup');
      if (prepared === 'blocked') {
        fail(new BillPayError('popup-blocked'), 'blocked');
        return;
      }
      stopWatch.current?.();
      setFlow({ status: 'loading' });
      // A linkUrl may be single-use and expires after a day: never reopen one from memory, read it fresh.
      void flight.run(async (s) => {
        try {
          const ticket = store.ticket();
          const fresh = store.upsertConnection(cid, await client.getConnection(cid, conn.id, { signal: s }), ticket);
          if (!isMounted()) {
            closeQuietly(prepared.win);
            return fresh;
          }
          connectedFor.current = fresh.status === 'Linked' ? fresh.id : null;
          open(cid, fresh, prepared.mode, prepared.win);
          return fresh;
        } catch (cause) {
          closeQuietly(prepared.win);
          if (!s.aborted) failWith(toBillPayError(cause, 'getConnection'));
          return undefined;
        }
      });
    },
    [connectionRef, latest, start, flight, prepareWindow, fail, failWith, open, setFlow, client, store, isMounted],
  );

  const refresh = useCallback(async (): Promise<Connection | undefined> => {
    const cid = latest.current.companyId;
    const id = connectionRef.current?.id ?? connectionId;
    if (!cid || !id) return undefined;
    const req = signal();
    const ticket = store.ticket();
    try {
      const before = connectionRef.current?.status;
      // Of several overlapping refreshes, the one sent last decides: an older answer arriving late is ignored.
      const conn = store.upsertConnection(cid, await client.getConnection(cid, id, { signal: req.signal }), ticket);
      // A good read supersedes an earlier read failure, which would otherwise stay on screen.
      if (isMounted()) setFlowState((f) => (f?.status === 'error' ? null : f));
      if (conn.status === 'Linked') {
        // Linked while the Link window is open: finish the flow now rather than at the next poll.
        if (watchLinked.current) watchLinked.current(conn);
        else if (before !== undefined && before !== 'Linked') markLinked(conn);
      }
      return conn;
    } catch (cause) {
      if (!req.signal.aborted) fail(toBillPayError(cause, 'getConnection'));
      return undefined;
    } finally {
      req.done();
    }
  }, [client, store, signal, isMounted, fail, markLinked, latest, connectionRef, connectionId]);

  const reset = useCallback(() => {
    stopWatch.current?.();
    setCreatedConnectionId(undefined);
    setFlowState(null);
  }, []);

  // Switching to another customer ends this one's flow: no watch, popup or callback outlives the switch.
  // (A company appearing where there was none, as when connect() creates it, is the same flow.)
  const previousCompany = useRef(companyId);
  useEffect(() => {
    const before = previousCompany.current;
    previousCompany.current = companyId;
    if (before === undefined || before === companyId) return;
    createdCompany.current = undefined;
    reset();
  }, [companyId, reset]);

  // Read a given connection that the store does not know yet (a list read may already have brought it).
  const known = connection !== undefined;
  useEffect(() => {
    if (!companyId || !connectionId || known || createdConnectionId) return;
    const req = signal();
    setFlowState({ status: 'loading' });
    store
      .dedupe(
        `getConnection:${companyId}:${connectionId}`,
        (s) => {
          const ticket = store.ticket();
          return client.getConnection(companyId, connectionId, { signal: s }).then((c) => store.upsertConnection(companyId, c, ticket));
        },
        req.signal,
      )
      .then(
        () => {
          if (isMounted()) setFlowState((f) => (f?.status === 'loading' ? null : f));
        },
        (cause: unknown) => {
          const error = toBillPayError(cause, 'getConnection');
          if (!req.signal.aborted) fail(error);
        },
      )
      .finally(req.done);
    return () => {
      req.abort();
      // A read superseded before it answered (new ids, or another read brought the connection first)
      // must not leave its spinner behind.
      if (isMounted()) setFlowState((f) => (f?.status === 'loading' ? null : f));
    };
  }, [client, store, companyId, connectionId, createdConnectionId, known, signal, isMounted, fail]);

  const state = deriveState(flow, connection);
  return {
    ...state,
    connect,
    launch,
    refresh,
    reset,
    companyId,
    platformKey: connection?.integrationKey ?? options.platformKey,
  };
}

function deriveState(flow: Flow, connection: Connection | undefined): ConnectionState {
  if (flow) {
    switch (flow.status) {
      case 'loading':
      case 'creating':
        return { status: flow.status, connection, error: undefined };
      case 'awaiting-auth':
      case 'redirecting':
        if (connection) return { status: flow.status, connection, error: undefined };
        break;
      case 'cancelled':
        if (connection) return { status: 'cancelled', connection, error: flow.error };
        return { status: 'error', connection, error: flow.error };
      case 'blocked':
      case 'error':
        return { status: flow.status, connection, error: flow.error };
    }
  }
  if (!connection) return { status: 'idle', connection: undefined, error: undefined };
  if (connection.status === 'Linked') return { status: 'linked', connection, error: undefined };
  return { status: 'ready', connection, error: undefined };
}
