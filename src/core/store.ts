import { BillPayError } from './errors.js';
import type { Connection } from './types.js';

type Listener = () => void;

interface Flight {
  promise: Promise<unknown>;
  controller: AbortController;
  refs: number;
}

/**
 * Shared state for every hook under one provider: the connections known per company (so an unlink in
 * one component updates the list in another) and in-flight requests keyed by intent (so a double click,
 * a repeated call or a StrictMode double mount sends one request, not two).
 */
export interface KitStore {
  /** The company's connections as last read, or undefined before the first read. Stable until changed. */
  getConnections(companyId: string): readonly Connection[] | undefined;
  /**
   * Whether the company's whole list was read (or set): single reads and writes also add to the list, so
   * only then does `getConnections` hold every connection of the company.
   */
  hasList(companyId: string): boolean;
  /** One connection as last read. */
  getConnection(companyId: string, connectionId: string): Connection | undefined;
  /**
   * A stamp for a read about to be sent. Pass it with the answer: an answer whose read started before the
   * connection was last written (a later read, an unlink) is stale and does not overwrite it.
   */
  ticket(): number;
  /** Replaces the company's list; connections written after `ticket` keep their newer state. */
  setConnections(companyId: string, connections: readonly Connection[], ticket?: number): void;
  /** Inserts or replaces one connection unless it was written after `ticket`; returns what the store now holds. */
  upsertConnection(companyId: string, connection: Connection, ticket?: number): Connection;
  /** Removes one connection. */
  removeConnection(companyId: string, connectionId: string): void;
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void;
  /**
   * Runs `run` once per `key` while it is in flight: later callers with the same key share the first
   * call's promise. Each caller's `signal` detaches only that caller; the shared request is aborted when
   * the last caller detaches (checked after a microtask, so a StrictMode unmount/remount keeps it).
   */
  dedupe<T>(key: string, run: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T>;
}

/** Creates an empty store. */
export function createKitStore(): KitStore {
  const connections = new Map<string, readonly Connection[]>();
  const listed = new Set<string>();
  const listeners = new Set<Listener>();
  const flights = new Map<string, Flight>();
  const emit = () => {
    for (const listener of [...listeners]) listener();
  };

  // Answers can arrive out of order (two refreshes, a list read overtaken by an unlink). Each connection
  // remembers the stamp of its last write (removal included); a write stamped earlier is stale and loses.
  // A write without a stamp (a mutation's answer) is the newest.
  let clock = 0;
  const stamps = new Map<string, number>();
  const stale = (companyId: string, id: string, ticket: number) => (stamps.get(`${companyId}\n${id}`) ?? 0) > ticket;
  const stamp = (companyId: string, id: string, ticket: number) => stamps.set(`${companyId}\n${id}`, ticket);

  const store: KitStore = {
    getConnections: (companyId) => connections.get(companyId),
    hasList: (companyId) => listed.has(companyId),
    getConnection: (companyId, connectionId) => connections.get(companyId)?.find((c) => c.id === connectionId),
    ticket: () => ++clock,
    setConnections(companyId, list, ticket = ++clock) {
      const before = connections.get(companyId) ?? [];
      // A newer write wins: its version is kept (a removed connection has none), and one written after this
      // read began (just created) stays though the read did not see it. One the read no longer has is
      // removed as of this read, so an older read answering later cannot bring it back.
      const next = list.flatMap((c) => (stale(companyId, c.id, ticket) ? before.filter((b) => b.id === c.id) : (stamp(companyId, c.id, ticket), [c])));
      for (const b of before) {
        if (next.includes(b)) continue;
        if (stale(companyId, b.id, ticket)) next.push(b);
        else stamp(companyId, b.id, ticket);
      }
      connections.set(companyId, next);
      listed.add(companyId);
      emit();
    },
    upsertConnection(companyId, connection, ticket = ++clock) {
      const list = connections.get(companyId) ?? [];
      const index = list.findIndex((c) => c.id === connection.id);
      if (stale(companyId, connection.id, ticket)) return list[index] ?? connection;
      stamp(companyId, connection.id, ticket);
      connections.set(companyId, index === -1 ? [...list, connection] : list.map((c, i) => (i === index ? connection : c)));
      emit();
      return connection;
    },
    removeConnection(companyId, connectionId) {
      stamp(companyId, connectionId, ++clock);
      const list = connections.get(companyId);
      if (!list) return;
      connections.set(
        companyId,
        list.filter((c) => c.id !== connectionId),
      );
      emit();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    dedupe<T>(key: string, run: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
      if (signal?.aborted) return Promise.reject(new BillPayError('aborted'));
      let flight = flights.get(key);
      if (!flight) {
        const controller = new AbortController();
        const created: Flight = { controller, refs: 0, promise: Promise.resolve() };
        created.promise = run(controller.signal).finally(() => {
          if (flights.get(key) === created) flights.delete(key);
        });
        // The shared promise may reject with nobody attached (all callers aborted); that is not unhandled.
        created.promise.catch(() => undefined);
        flights.set(key, created);
        flight = created;
      }
      const current = flight;
      current.refs += 1;
      return new Promise<T>((resolve, reject) => {
        let settled = false;
        const detach = () => {
          signal?.removeEventListener('abort', onAbort);
          current.refs -= 1;
          if (current.refs === 0) {
            queueMicrotask(() => {
              if (current.refs === 0 && flights.get(key) === current) {
                flights.delete(key);
                current.controller.abort();
              }
            });
          }
        };
        const onAbort = () => {
          if (settled) return;
          settled = true;
          detach();
          reject(new BillPayError('aborted'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        (current.promise as Promise<T>).then(
          (value) => {
            if (settled) return;
            settled = true;
            signal?.removeEventListener('abort', onAbort);
            current.refs -= 1;
            resolve(value);
          },
          (error: unknown) => {
            if (settled) return;
            settled = true;
            signal?.removeEventListener('abort', onAbort);
            current.refs -= 1;
            reject(error);
          },
        );
      });
    },
  };
  return store;
}
