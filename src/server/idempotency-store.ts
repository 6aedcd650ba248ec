/** A create's answer as the proxy keeps it for an `Idempotency-Key`. */
export interface IdempotentAnswer {
  /** The request body it answered; the same key with another body is refused (422). */
  request: string;
  /** The status served. */
  status: number;
  /** The headers served (the proxy's own and Codat's `Content-Type`). */
  headers: Record<string, string>;
  /** The body served, key already redacted. */
  body: string;
  /**
   * Codat created the company but `onCompanyCreated` threw: a retry with the key calls `onCompanyCreated`
   * again for this company instead of creating another.
   */
  unrecorded?: boolean | undefined;
}

/** What a slot of an `IdempotencyStore` holds: the claim of the run creating it and, once that run is done, its answer. */
export interface IdempotencyEntry {
  /** The owner token of the run that claimed the slot (random, made by the proxy for each run). */
  token: string;
  /** The answer kept; undefined while the run that claimed the slot is still creating. */
  answer?: IdempotentAnswer | undefined;
}

/**
 * Where the proxy keeps keyed creates (company or connection), one slot per user, route and
 * `Idempotency-Key`. Every server that answers the same users must share one store: a slot is claimed
 * atomically before the create goes to Codat, so a retry reaching any server waits for that create, or
 * gets its answer, instead of creating a second company. Claims expire unless renewed (a server that dies
 * mid-create frees its slots after `claimTtlMs`); answers expire after the store's own lifetime.
 * Every method may be async; the proxy gives each call at most 5 s (or its `timeoutMs`, if shorter) and
 * answers 503, sending nothing to Codat, when the store throws or does not answer in time.
 */
export interface IdempotencyStore {
  /** How long a claim lasts unless renewed, in ms; the proxy renews the claims it holds every third of it. */
  readonly claimTtlMs: number;
  /** Takes a free slot for `token` for `claimTtlMs`, atomically: false when it holds a claim or an answer. */
  claim(slot: string, token: string): boolean | Promise<boolean>;
  /** Renews `token`'s claim for another `claimTtlMs`: false when the slot no longer holds that claim. */
  extend(slot: string, token: string): boolean | Promise<boolean>;
  /** What the slot holds: undefined when it is free (never claimed, released, or expired). */
  get(slot: string): IdempotencyEntry | undefined | Promise<IdempotencyEntry | undefined>;
  /**
   * Keeps `answer` in the slot, replacing `token`'s claim or earlier answer (or filling the slot if it is free):
   * false, with nothing written, when the slot holds another token's claim or answer.
   */
  complete(slot: string, token: string, answer: IdempotentAnswer): boolean | Promise<boolean>;
  /** Frees the slot if it holds `token`'s claim without an answer (the create failed: failures are not kept). */
  release(slot: string, token: string): void | Promise<void>;
}

/** Options of `createMemoryIdempotencyStore`. */
export interface MemoryIdempotencyStoreOptions {
  /** How long an answer is kept, in ms. @default 86400000 (24 hours) */
  ttlMs?: number | undefined;
  /** How long a claim lasts unless the proxy renews it, in ms. @default 10000 */
  claimTtlMs?: number | undefined;
  /** Most slots kept; past it the oldest go first. @default 10000 */
  maxEntries?: number | undefined;
}

/**
 * An `IdempotencyStore` in this process's memory: for a single server. Behind several servers use a shared
 * store such as `createRedisIdempotencyStore`, or a retry reaching another server can create a second company.
 */
export function createMemoryIdempotencyStore(options: MemoryIdempotencyStoreOptions = {}): IdempotencyStore {
  const { ttlMs = 24 * 60 * 60 * 1000, claimTtlMs = 10_000, maxEntries = 10_000 } = options;
  const entries = new Map<string, IdempotencyEntry & { until: number }>();
  const read = (slot: string) => {
    const entry = entries.get(slot);
    if (entry && Date.now() > entry.until) entries.delete(slot);
    return entries.get(slot);
  };
  const write = (slot: string, entry: IdempotencyEntry & { until: number }) => {
    entries.delete(slot);
    entries.set(slot, entry);
    for (const oldest of entries.keys()) {
      if (entries.size <= maxEntries) break;
      entries.delete(oldest);
    }
  };
  return {
    claimTtlMs,
    claim(slot, token) {
      if (read(slot)) return false;
      write(slot, { token, until: Date.now() + claimTtlMs });
      return true;
    },
    extend(slot, token) {
      const entry = read(slot);
      if (!entry || entry.token !== token || entry.answer) return false;
      entry.until = Date.now() + claimTtlMs;
      return true;
    },
    get(slot) {
      const entry = read(slot);
      return entry && { token: entry.token, answer: entry.answer };
    },
    complete(slot, token, answer) {
      const entry = read(slot);
      if (entry && entry.token !== token) return false;
      write(slot, { token, answer, until: Date.now() + ttlMs });
      return true;
    },
    release(slot, token) {
      const entry = read(slot);
      if (entry && entry.token === token && !entry.answer) entries.delete(slot);
    },
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The answer in a stored entry, or undefined when `value` is not one (a store shared with something else, a bug). */
export function parseIdempotentAnswer(value: unknown): IdempotentAnswer | undefined {
  if (!isRecord(value)) return undefined;
  const { request, status, headers, body, unrecorded } = value;
  if (typeof request !== 'string' || typeof body !== 'string' || !Number.isInteger(status) || !isRecord(headers)) return undefined;
  if (!Object.values(headers).every((header) => typeof header === 'string')) return undefined;
  if (unrecorded !== undefined && typeof unrecorded !== 'boolean') return undefined;
  return { request, status: status as number, headers: headers as Record<string, string>, body, ...(unrecorded ? { unrecorded } : {}) };
}
