import type { CodatClient } from './client.js';
import { maxTimerMs } from './client.js';
import { devWarn } from './dev-warn.js';
import { BillPayError, toBillPayError } from './errors.js';
import type { BillPayEventInput, LinkOpenMode } from './events.js';
import { findPlatformByName } from './platforms.js';
import type { KitStore } from './store.js';
import type { Company, Connection, CreateCompanyInput } from './types.js';
import { assertSafeLinkUrl, validatePlatformKey, type LinkUrlPolicy } from './validate.js';

/**
 * How the Link flow is opened: a popup (opened synchronously inside the click, pointed at the linkUrl
 * when it arrives), the same tab, a new tab, or a host callback (e.g. to open Codat's own Link SDK). A
 * callback that throws is reported (`reportError`) and the flow lands in `blocked`, offering this tab.
 */
export type LaunchMode = 'popup' | 'redirect' | 'new-tab' | ((linkUrl: string, connection: Connection) => void);

/** Where the connect flow stands, apart from what the connection itself says. */
export type ConnectFlowStep =
  | { status: 'loading' | 'creating' | 'awaiting-auth' | 'redirecting'; error?: undefined }
  | { status: 'cancelled' | 'blocked' | 'error'; error: BillPayError }
  /** The company is connected to another platform: switching needs the user's confirmation. */
  | { status: 'confirm-switch'; error?: undefined; from: Connection; to: string }
  | null;

/** What the flow holds besides the store: its step and the company and connection it made or chose. */
export interface ConnectFlowSnapshot {
  /** The step in progress, or null when the connection's own status says it all. */
  step: ConnectFlowStep;
  /** The company the flow created, if it created one. */
  companyId: string | undefined;
  /** The connection the flow created or chose (continued, reconnected or found Linked). */
  connectionId: string | undefined;
}

/** What the flow reads, afresh, each time it needs it (a hook passes its latest props). */
export interface ConnectFlowInput {
  client: CodatClient;
  store: KitStore;
  /** The customer's company, when known (given or from the provider). */
  companyId: string | undefined;
  /** A new customer's company, created right before the connection. */
  company?: CreateCompanyInput | undefined;
  /** An existing connection to show and relaunch. */
  connectionId?: string | undefined;
  /** The platform `connect()` uses when called without one. */
  platformKey?: string | undefined;
  /** @default 'popup' */
  launch?: LaunchMode | undefined;
  /** @default 'error' */
  popupFallback?: 'redirect' | 'error' | undefined;
  /** Text shown in the Link window while it loads. */
  popupTitle: string;
  /** @default 900000 */
  maxWaitMs?: number | undefined;
  linkUrlPolicy: LinkUrlPolicy;
  /** The popup's window name (one per flow, so two buttons never take over each other's window). */
  popupName: string;
  emit: (event: BillPayEventInput) => void;
  onCompanyCreated?: ((company: Company) => void) | undefined;
  onConnected?: ((connection: Connection) => void) | undefined;
  onLaunched?: ((connection: Connection) => void) | undefined;
  onCancelled?: ((connection: Connection) => void) | undefined;
  onError?: ((error: BillPayError) => void) | undefined;
}

/** The browser, injected so the flow runs (and is tested) without one. */
export interface ConnectFlowEnv {
  /** Opens a window inside the user's gesture; null when blocked. @default window.open, as the kit does it */
  openWindow: (kind: 'popup' | 'new-tab', title: string, name: string) => Window | null;
  /** Sends this tab to the linkUrl. @default window.location.assign */
  navigate: (url: string) => void;
  /** Calls `listener` when the page regains focus; returns the unsubscribe. */
  onFocus: (listener: () => void) => () => void;
  /** Calls `listener` when a Link return for `companyId` is announced (the kit's popup came back); returns the unsubscribe. */
  onReturn: (listener: (companyId: string) => void) => () => void;
  /** Calls a host callback, reporting (not throwing) its exception. */
  notify: <A extends unknown[]>(callback: ((...args: A) => void) | undefined, ...args: A) => void;
  /** @default Date.now */
  now: () => number;
}

/** The connect flow of one connection: a plain object with `subscribe`/`getSnapshot`, no React. */
export interface ConnectFlow {
  subscribe(listener: () => void): () => void;
  getSnapshot(): ConnectFlowSnapshot;
  /** See `useConnection().connect`. Never rejects. */
  connect(platformKey?: string, mode?: LaunchMode): Promise<Connection | undefined>;
  /** See `useConnection().launch`. */
  launch(mode?: LaunchMode): void;
  /** Replaces the connection to the other platform with one to the chosen platform and opens Link. */
  confirmSwitch(mode?: LaunchMode): void;
  /** Keeps the existing connection. */
  cancelSwitch(): void;
  /** Reads the connection again; of overlapping calls, the one sent last decides. */
  refresh(): Promise<Connection | undefined>;
  /** Stops any watch and forgets the connection it made. */
  reset(): void;
  /** Reads a given connection the store does not know yet; returns the cancel. */
  load(companyId: string, connectionId: string): () => void;
  /** Marks the connection Linked from outside (a Link return read elsewhere), firing `onConnected` once. */
  linked(connection: Connection): void;
  /** Takes a failed Link return read elsewhere (the same tab came back): `link-cancelled` lands in `cancelled`. */
  returned(error: BillPayError, platformKey: string | undefined, connectionId: string | undefined): void;
  /** Starts (or restarts, after `stop`) the flow's life: requests may set state again. */
  start(): void;
  /** Ends the flow's life: aborts requests, stops the watch and closes the Link window it was watching. */
  stop(): void;
}

const closedCheckMs = 500;
const firstPollMs = 2000;
const maxPollMs = 15_000;
const otherSources = new Set(['Banking', 'BankFeed', 'Commerce', 'Expense']);

/** The 4-letter platform key of a connection: `integrationKey` when Codat sends it, else found by name. */
export function platformKeyOf(connection: Connection): string | undefined {
  return connection.integrationKey || findPlatformByName(connection.platformName)?.key;
}

/** What connecting `platformKey` means for a company that has `connections`. */
export type ConnectDecision =
  /** Already connected to this platform. */
  | { kind: 'linked'; connection: Connection }
  /** A connection to this platform exists but is not Linked: continue or reconnect it. */
  | { kind: 'continue'; connection: Connection }
  /** Connected (now or before) to another platform: replacing it needs the user's confirmation. */
  | { kind: 'switch'; from: Connection }
  /** Create a connection, deleting first the abandoned attempts (PendingAuth) at other platforms. */
  | { kind: 'create'; discard: Connection[] };

/** The company's accounting connections to platforms other than `platformKey`. */
const otherAccounting = (connections: readonly Connection[], platformKey: string) =>
  connections.filter((c) => !otherSources.has(c.sourceType) && platformKeyOf(c) !== platformKey);

const rank = (c: Connection) => (c.status === 'Linked' ? 3 : c.status === 'PendingAuth' ? 1 : 2);

/**
 * Codat allows one accounting connection per company: connecting continues, reconnects or shows the one
 * there is, and never adds a second. Pure.
 */
export function decideConnect(connections: readonly Connection[], platformKey: string): ConnectDecision {
  const accounting = connections.filter((c) => !otherSources.has(c.sourceType));
  const best = (list: Connection[]) => [...list].sort((a, b) => rank(b) - rank(a) || b.created.localeCompare(a.created))[0];
  const same = best(accounting.filter((c) => platformKeyOf(c) === platformKey));
  if (same) return same.status === 'Linked' ? { kind: 'linked', connection: same } : { kind: 'continue', connection: same };
  const others = otherAccounting(connections, platformKey);
  const authorised = best(others.filter((c) => c.status !== 'PendingAuth'));
  if (authorised) return { kind: 'switch', from: authorised };
  return { kind: 'create', discard: others };
}

/** Whether the window is closed; a window that refuses to say (cross-origin quirks) counts as open. */
function isClosed(win: Window): boolean {
  try {
    return win.closed === true;
  } catch {
    return false;
  }
}

function closeQuietly(win: Window | null | undefined): void {
  try {
    if (win && !isClosed(win)) win.close();
  } catch {
    // Closing is best effort.
  }
}

/** Opens the Link window the way the kit does: centred popup or tab, blank, with no way back to this page. */
export function openLinkWindow(kind: 'popup' | 'new-tab', title: string, name: string): Window | null {
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

const browser: Omit<ConnectFlowEnv, 'notify'> = {
  openWindow: openLinkWindow,
  navigate: (url) => window.location.assign(url),
  onFocus: (listener) => {
    if (typeof window === 'undefined') return () => undefined;
    window.addEventListener('focus', listener);
    return () => window.removeEventListener('focus', listener);
  },
  onReturn: () => () => undefined,
  now: () => Date.now(),
};

/**
 * The connect flow as a state machine: create the company and the connection (or continue, reconnect or
 * switch the one there is), open Codat's Link flow, watch until Linked. Everything it reads comes from
 * `read()` at the moment it needs it; the browser comes from `env`.
 */
export function createConnectFlow(read: () => ConnectFlowInput, envOverrides: Partial<ConnectFlowEnv> & Pick<ConnectFlowEnv, 'notify'>): ConnectFlow {
  const env: ConnectFlowEnv = { ...browser, ...envOverrides };
  const listeners = new Set<() => void>();
  let snapshot: ConnectFlowSnapshot = { step: null, companyId: undefined, connectionId: undefined };
  let alive = false;
  const controllers = new Set<AbortController>();
  let pending: Promise<Connection | undefined> | null = null;
  let stopWatch: (() => void) | null = null;
  let watchLinked: ((linked: Connection) => void) | null = null;
  // The Link window the running watch follows, so ending the flow mid-way can close it.
  let watchWindow: Window | null = null;
  let connectedFor: string | null = null;
  let startedAt: number | undefined;
  let platformInFlow: string | undefined;

  const set = (next: Partial<ConnectFlowSnapshot>) => {
    if (!alive) return;
    snapshot = { ...snapshot, ...next };
    for (const listener of [...listeners]) listener();
  };
  const setStep = (step: ConnectFlowStep) => set({ step });
  const request = () => {
    const controller = new AbortController();
    controllers.add(controller);
    return { signal: controller.signal, done: () => controllers.delete(controller), abort: () => (controller.abort(), controllers.delete(controller)) };
  };
  const companyOf = () => read().companyId ?? snapshot.companyId;
  const connectionOf = () => {
    const cid = companyOf();
    const id = snapshot.connectionId ?? read().connectionId;
    return cid && id ? read().store.getConnection(cid, id) : undefined;
  };
  const elapsed = () => (startedAt === undefined ? 0 : env.now() - startedAt);
  const keyOf = (c: Connection | undefined) => (c ? platformKeyOf(c) : undefined) ?? platformInFlow ?? read().platformKey ?? '';

  const fail = (error: BillPayError, status: 'error' | 'blocked' | 'cancelled' = 'error') => {
    if (!alive) return;
    setStep({ status, error });
    // A cancellation is the user's choice, reported as its own event rather than as an error.
    if (status !== 'cancelled') read().emit({ type: 'error', error, platformKey: keyOf(connectionOf()) || undefined });
    env.notify(read().onError, error);
  };
  /** `fail`, landing a popup that could not be used in `blocked` (whose way forward is another launch mode). */
  const failWith = (error: BillPayError) => fail(error, error.code === 'popup-blocked' ? 'blocked' : 'error');
  const markLinked = (linked: Connection) => {
    // A read that answers after the end (a transport that ignores the abort) must not report.
    if (!alive || connectedFor === linked.id) return;
    connectedFor = linked.id;
    const cid = companyOf();
    if (cid) read().emit({ type: 'linked', platformKey: keyOf(linked), companyId: cid, connectionId: linked.id, elapsedMs: startedAt === undefined ? undefined : elapsed() });
    env.notify(read().onConnected, linked);
  };

  const watch = (cid: string, conn: Connection, win: Window | null) => {
    stopWatch?.();
    const req = request();
    const { client, store } = read();
    const maxWaitMs = Math.min(read().maxWaitMs ?? 900_000, maxTimerMs);
    let delay = firstPollMs;
    let pollTimer: ReturnType<typeof setTimeout> | undefined;
    let checking: Promise<Connection | undefined> | null = null;
    const stop = () => {
      clearTimeout(pollTimer);
      clearInterval(closedTimer);
      clearTimeout(deadline);
      offFocus();
      offReturn();
      req.abort();
      if (stopWatch === stop) {
        stopWatch = null;
        watchLinked = null;
      }
    };
    const linked = (c: Connection) => {
      stop();
      closeQuietly(win);
      setStep(null);
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
      fail(new BillPayError('link-cancelled'), 'cancelled');
      read().emit({ type: 'cancelled', platformKey: keyOf(conn), companyId: cid, connectionId: conn.id, elapsedMs: elapsed() });
      env.notify(read().onCancelled, conn);
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
    const closedTimer = setInterval(() => {
      if (win && isClosed(win)) onClosed();
    }, closedCheckMs);
    const deadline = setTimeout(() => {
      stop();
      closeQuietly(win);
      cancelled();
    }, maxWaitMs);
    const offFocus = env.onFocus(() => void check());
    // The kit's return page announces itself: read now rather than at the next poll.
    const offReturn = env.onReturn((returned) => {
      if (returned.toLowerCase() === cid.toLowerCase()) void check();
    });
    schedule();
    stopWatch = stop;
    watchLinked = linked;
    watchWindow = win;
  };

  /** Validates the linkUrl and opens it in the chosen way. Throws `unsafe-link-url` or `popup-blocked`. */
  const open = (cid: string, conn: Connection, mode: LaunchMode, win: Window | null) => {
    let url: string;
    try {
      url = assertSafeLinkUrl(conn.linkUrl, read().linkUrlPolicy);
    } catch (error) {
      closeQuietly(win);
      if (process.env.NODE_ENV !== 'production') devWarn(
        'link-url',
        `refused to open the linkUrl ${JSON.stringify(conn.linkUrl)}: ${(error as Error).message}` +
          (/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(conn.linkUrl)
            ? ' For a local sandbox, pass linkUrlPolicy={{ allowInsecureLoopback: true }} to CodatProvider.'
            : ' See linkUrlPolicy on CodatProvider.'),
      );
      throw error;
    }
    let opened: LinkOpenMode;
    if (typeof mode === 'function') {
      try {
        mode(url, conn);
      } catch (cause) {
        // The host's launcher is broken: tell its developers, and offer the user this tab instead.
        env.notify(() => {
          throw cause;
        });
        throw new BillPayError('popup-blocked', { cause });
      }
      opened = 'custom';
      setStep({ status: 'awaiting-auth' });
      watch(cid, conn, null);
    } else if (win) {
      try {
        win.location.href = url;
      } catch (cause) {
        // A window we cannot point at the linkUrl is as good as blocked: offer another way.
        closeQuietly(win);
        throw new BillPayError('popup-blocked', { cause });
      }
      opened = mode === 'new-tab' ? 'new-tab' : 'popup';
      setStep({ status: 'awaiting-auth' });
      watch(cid, conn, win);
    } else {
      stopWatch?.();
      opened = 'redirect';
      setStep({ status: 'redirecting' });
      env.navigate(url);
    }
    read().emit({ type: 'link-opened', platformKey: keyOf(conn), companyId: cid, connectionId: conn.id, mode: opened, elapsedMs: elapsed() });
    env.notify(read().onLaunched, conn);
  };

  /** Opens a window for `mode` inside the user's gesture; 'blocked' when the browser refused. */
  const prepareWindow = (mode: LaunchMode): { win: Window | null; mode: LaunchMode } | 'blocked' => {
    if (mode !== 'popup' && mode !== 'new-tab') return { win: null, mode };
    const input = read();
    const win = env.openWindow(mode, input.popupTitle, input.popupName);
    if (win) return { win, mode };
    if (mode === 'new-tab' || input.popupFallback === 'redirect') return { win: null, mode: 'redirect' };
    return 'blocked';
  };

  /** One run at a time: while one is in flight, callers share it (one request per intent). */
  const run = (task: (signal: AbortSignal) => Promise<Connection | undefined>): Promise<Connection | undefined> => {
    const req = request();
    const current = task(req.signal).finally(() => {
      pending = null;
      req.done();
    });
    pending = current;
    return current;
  };

  type Prepared = { win: Window | null; mode: LaunchMode };
  /**
   * Opens the window inside the user's gesture, then runs `task` once (callers meanwhile share it): a failure
   * closes the window and lands in `error` (or `blocked`), never as a rejection.
   */
  const go = (
    modeArg: LaunchMode | undefined,
    status: 'creating' | 'loading',
    operation: 'createConnection' | 'getConnection',
    task: (prepared: Prepared, signal: AbortSignal) => Promise<Connection | undefined>,
  ): Promise<Connection | undefined> => {
    const prepared = prepareWindow(modeArg ?? read().launch ?? 'popup');
    if (prepared === 'blocked') {
      fail(new BillPayError('popup-blocked'), 'blocked');
      return Promise.resolve(undefined);
    }
    setStep({ status });
    return run(async (signal) => {
      try {
        return await task(prepared, signal);
      } catch (cause) {
        closeQuietly(prepared.win);
        if (!signal.aborted) failWith(toBillPayError(cause, operation));
        return undefined;
      }
    });
  };

  /** Opens `conn` after reading it fresh (a linkUrl may be single-use and expires after a day). */
  const reopen = async (cid: string, conn: Connection, prepared: Prepared, signal: AbortSignal, fresh = false) => {
    const { client, store } = read();
    let current = conn;
    if (!fresh) {
      const ticket = store.ticket();
      current = store.upsertConnection(cid, await client.getConnection(cid, conn.id, { signal }), ticket);
    }
    set({ connectionId: current.id });
    if (!alive) {
      closeQuietly(prepared.win);
      return current;
    }
    connectedFor = current.status === 'Linked' ? current.id : null;
    open(cid, current, prepared.mode, prepared.win);
    return current;
  };

  const begin = (platformKey: string) => {
    stopWatch?.();
    startedAt = env.now();
    platformInFlow = platformKey;
    read().emit({ type: 'connect-started', platformKey, companyId: companyOf() });
  };

  /** Creates a connection to `platformKey` (deleting `discard` first) and opens it. */
  const create = async (cid: string, platformKey: string, discard: readonly Connection[], prepared: Prepared, signal: AbortSignal) => {
    const { client, store } = read();
    for (const old of discard) {
      try {
        await client.deleteConnection(cid, old.id, { signal });
      } catch (cause) {
        // Already gone is what we wanted.
        if (toBillPayError(cause).status !== 404) throw cause;
      }
      store.removeConnection(cid, old.id);
    }
    const conn = await client.createConnection(cid, { platformKey }, { signal });
    store.upsertConnection(cid, conn);
    connectedFor = null;
    return reopen(cid, conn, prepared, signal, true);
  };

  const flow: ConnectFlow = {
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    getSnapshot: () => snapshot,

    connect(key, modeArg) {
      if (pending) return pending;
      const input = read();
      let platformKey: string;
      try {
        platformKey = validatePlatformKey(key ?? input.platformKey ?? '', input.client.validation);
      } catch (error) {
        fail(toBillPayError(error));
        return Promise.resolve(undefined);
      }
      const cid0 = companyOf();
      // What the page already shows decides before any window opens: no popup flashes for a switch.
      const known = cid0 && input.store.hasList(cid0) ? input.store.getConnections(cid0) : undefined;
      const early = known ? decideConnect(known, platformKey) : undefined;
      begin(platformKey);
      if (early?.kind === 'linked') {
        set({ connectionId: early.connection.id, step: null });
        connectedFor = early.connection.id;
        return Promise.resolve(early.connection);
      }
      if (early?.kind === 'switch') {
        setStep({ status: 'confirm-switch', from: early.from, to: platformKey });
        return Promise.resolve(undefined);
      }
      return go(modeArg, 'creating', 'createConnection', async (prepared, signal) => {
        const { client, store } = read();
        let cid = cid0;
        let decision: ConnectDecision | undefined = early;
        if (!cid) {
          const company = read().company;
          if (!company) throw new BillPayError('invalid-input', { field: 'name', message: 'Enter the company name.' });
          const created = await client.createCompany(company, { signal });
          cid = created.id;
          set({ companyId: created.id });
          store.setConnections(cid, []);
          if (alive) env.notify(read().onCompanyCreated, created);
          decision = { kind: 'create', discard: [] };
        }
        let fresh = false;
        if (!decision) {
          const ticket = store.ticket();
          store.setConnections(cid, await client.listAllConnections(cid, {}, { signal }), ticket);
          decision = decideConnect(store.getConnections(cid) ?? [], platformKey);
          fresh = true;
        }
        switch (decision.kind) {
          case 'linked':
            closeQuietly(prepared.win);
            connectedFor = decision.connection.id;
            set({ connectionId: decision.connection.id, step: null });
            return decision.connection;
          case 'switch':
            closeQuietly(prepared.win);
            setStep({ status: 'confirm-switch', from: decision.from, to: platformKey });
            return undefined;
          case 'continue':
            // Read just now with the list, or shown from an earlier read and so read again first.
            return reopen(cid, decision.connection, prepared, signal, fresh);
          case 'create':
            return create(cid, platformKey, decision.discard, prepared, signal);
        }
      });
    },

    launch(mode) {
      const conn = connectionOf();
      const cid = companyOf();
      if (!conn || !cid) {
        void flow.connect(undefined, mode);
        return;
      }
      if (pending) return;
      stopWatch?.();
      startedAt ??= env.now();
      void go(mode, 'loading', 'getConnection', (prepared, signal) => reopen(cid, conn, prepared, signal));
    },

    confirmSwitch(mode) {
      const step = snapshot.step;
      const cid = companyOf();
      if (step?.status !== 'confirm-switch' || !cid || pending) return;
      void go(mode, 'creating', 'createConnection', (prepared, signal) => {
        const others = otherAccounting(read().store.getConnections(cid) ?? [], step.to);
        return create(cid, step.to, others.some((c) => c.id === step.from.id) ? others : [step.from, ...others], prepared, signal);
      });
    },

    cancelSwitch() {
      if (snapshot.step?.status === 'confirm-switch') setStep(null);
    },

    async refresh() {
      const cid = companyOf();
      const id = connectionOf()?.id ?? snapshot.connectionId ?? read().connectionId;
      if (!cid || !id) return undefined;
      const { client, store } = read();
      const req = request();
      const ticket = store.ticket();
      try {
        const before = connectionOf()?.status;
        // Of several overlapping refreshes, the one sent last decides: an older answer arriving late is ignored.
        const conn = store.upsertConnection(cid, await client.getConnection(cid, id, { signal: req.signal }), ticket);
        // A good read supersedes an earlier read failure, which would otherwise stay on screen.
        if (snapshot.step?.status === 'error') setStep(null);
        if (conn.status === 'Linked') {
          // Linked while the Link window is open: finish the flow now rather than at the next poll.
          if (watchLinked) watchLinked(conn);
          else if (before !== undefined && before !== 'Linked') markLinked(conn);
        }
        return conn;
      } catch (cause) {
        if (!req.signal.aborted) fail(toBillPayError(cause, 'getConnection'));
        return undefined;
      } finally {
        req.done();
      }
    },

    reset() {
      stopWatch?.();
      startedAt = undefined;
      platformInFlow = undefined;
      set({ connectionId: undefined, step: null });
    },

    load(companyId, connectionId) {
      const { client, store } = read();
      const req = request();
      setStep({ status: 'loading' });
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
            if (snapshot.step?.status === 'loading') setStep(null);
          },
          (cause: unknown) => {
            if (!req.signal.aborted) fail(toBillPayError(cause, 'getConnection'));
          },
        )
        .finally(req.done);
      return () => {
        req.abort();
        // A read superseded before it answered must not leave its spinner behind.
        if (snapshot.step?.status === 'loading' && !pending) setStep(null);
      };
    },

    linked(connection) {
      if (watchLinked) return watchLinked(connection);
      if (!snapshot.connectionId && !read().connectionId) set({ connectionId: connection.id });
      markLinked(connection);
    },

    returned(error, platformKey, connectionId) {
      const cid = companyOf();
      if (connectionId && !snapshot.connectionId && !read().connectionId) set({ connectionId });
      platformInFlow ??= platformKey;
      const cancelled = error.code === 'link-cancelled';
      fail(error, cancelled ? 'cancelled' : 'error');
      if (cancelled && cid && connectionId) read().emit({ type: 'cancelled', platformKey: platformKey ?? '', companyId: cid, connectionId, elapsedMs: 0 });
    },

    start() {
      alive = true;
    },

    stop() {
      // Ended mid-flow (a dialog closed, the page changed): nothing watches the Link window any more, so it
      // must not stay open behind the host's page.
      if (stopWatch) {
        stopWatch();
        closeQuietly(watchWindow);
      }
      for (const controller of controllers) controller.abort();
      controllers.clear();
      alive = false;
    },
  };
  return flow;
}
