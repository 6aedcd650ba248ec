import type { AbortLike } from './upstream.js';

/** Gives a request's place back once its exchange with Codat is over. Calling it again does nothing. */
export type Release = () => void;

/** Limits how many requests per company are in flight upstream at once; the rest wait their turn in order. */
export interface CompanyGate {
  /**
   * A place for a request of `companyId`: at once while fewer than `maxConcurrent` are in flight, otherwise
   * after the ones ahead of it. 'full' when `maxQueued` already wait (nothing is queued). Rejects with the
   * signal's reason when `signal` aborts first (the client left, or its time ran out), and the request
   * leaves the queue without taking a place.
   */
  acquire(companyId: string, signal: AbortLike): Promise<Release | 'full'>;
  /** A place for a request of `companyId` if one is free now (nobody waiting); undefined otherwise. */
  take(companyId: string): Release | undefined;
  /** Companies with requests in flight or waiting (for tests: an idle company takes no memory). */
  readonly size: number;
}

interface Line {
  active: number;
  /**
   * Waiting requests in arrival order (a Set keeps insertion order and deletes a leaver in O(1)); made when the
   * first request has to wait, so a company below its limit costs one small object.
   */
  waiting: Set<() => void> | undefined;
}

/**
 * Codat allows a number of concurrent requests per company (10 today) and answers the rest 429: a burst from
 * one page (the connection manager reading several connections) is better queued here than failed there.
 * Per process: several servers each allow `maxConcurrent`.
 */
export function createCompanyGate(maxConcurrent: number, maxQueued: number): CompanyGate {
  const lines = new Map<string, Line>();

  const placeIn = (companyId: string, line: Line): Release => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = line.waiting?.values().next();
      if (next && !next.done) {
        // The place passes straight to the next in line: `active` stays as it is.
        line.waiting?.delete(next.value);
        next.value();
        return;
      }
      line.active -= 1;
      if (line.active === 0) lines.delete(companyId);
    };
  };

  const lineOf = (companyId: string): Line => {
    let line = lines.get(companyId);
    if (!line) {
      line = { active: 0, waiting: undefined };
      lines.set(companyId, line);
    }
    return line;
  };

  return {
    get size() {
      return lines.size;
    },
    take(companyId) {
      const line = lineOf(companyId);
      // Places pass straight to waiters, so while anyone waits no place is free.
      if (line.active >= maxConcurrent) return undefined;
      line.active += 1;
      return placeIn(companyId, line);
    },
    acquire(companyId, signal) {
      if (signal.aborted) return Promise.reject(abortReason(signal));
      const line = lineOf(companyId);
      if (line.active < maxConcurrent) {
        line.active += 1;
        return Promise.resolve(placeIn(companyId, line));
      }
      const waiting = (line.waiting ??= new Set());
      if (waiting.size >= maxQueued) return Promise.resolve('full');
      return new Promise<Release>((resolve, reject) => {
        const onAbort = () => {
          waiting.delete(grant);
          reject(abortReason(signal));
        };
        const grant = () => {
          signal.removeEventListener('abort', onAbort);
          resolve(placeIn(companyId, line));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        waiting.add(grant);
      });
    },
  };
}

function abortReason(signal: AbortLike): unknown {
  return (signal as { reason?: unknown }).reason ?? new Error('Aborted while waiting for a place.');
}
