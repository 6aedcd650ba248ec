import { redisSender, type RedisClient } from './redis-client.js';

/** What a replay store knows about a delivery id: held by a delivery being handled now, or handled. */
export type WebhookReplayState = 'pending' | 'done';

/**
 * Remembers which deliveries (by `svix-id`) were handled, so a replay is not handled twice. Three calls, each
 * a Redis command or two (see `createRedisWebhookReplayStore`); may be shared by every server that receives
 * Codat's webhooks. A store that throws makes the handler answer 503, and Codat tries again later.
 */
export interface WebhookReplayStore {
  /**
   * Takes `id` for a delivery about to be handled, for `ttlMs`, unless it is already taken: answers
   * `'claimed'` when this call took it, else the state it is in. Must be atomic (Redis: `SET key pending NX PX`).
   */
  claim(id: string, ttlMs: number): Promise<'claimed' | WebhookReplayState>;
  /** Marks `id` handled, for `ttlMs` (Redis: `SET key done PX`). */
  complete(id: string, ttlMs: number): Promise<void>;
  /** Lets `id` go after its handler failed, so Codat's retry is handled (Redis: `DEL key` if still this claim). */
  release(id: string): Promise<void>;
}

/** Options of `createMemoryWebhookReplayStore`. */
export interface MemoryWebhookReplayStoreOptions {
  /** Most ids kept; past it the oldest go first. @default 10000 */
  maxEntries?: number | undefined;
  /** The clock, in ms since the epoch (for tests). @default Date.now */
  now?: (() => number) | undefined;
}

/** A `WebhookReplayStore` in this process's memory: enough for one server; use a shared one for several. */
export function createMemoryWebhookReplayStore(options: MemoryWebhookReplayStoreOptions = {}): WebhookReplayStore {
  const { maxEntries = 10_000, now = Date.now } = options;
  const entries = new Map<string, { state: WebhookReplayState; expires: number }>();
  const live = (id: string) => {
    const entry = entries.get(id);
    if (entry && entry.expires <= now()) entries.delete(id);
    return entries.get(id);
  };
  const put = (id: string, state: WebhookReplayState, ttlMs: number) => {
    entries.delete(id);
    entries.set(id, { state, expires: now() + ttlMs });
    for (const [oldest, entry] of entries) {
      if (entries.size <= maxEntries && entry.expires > now()) break;
      entries.delete(oldest);
    }
  };
  return {
    async claim(id, ttlMs) {
      const entry = live(id);
      if (entry) return entry.state;
      put(id, 'pending', ttlMs);
      return 'claimed';
    },
    async complete(id, ttlMs) {
      put(id, 'done', ttlMs);
    },
    async release(id) {
      entries.delete(id);
    },
  };
}

/** The host's Redis client, as `createRedisWebhookReplayStore` takes it (see `RedisClient`). */
export type WebhookReplayRedisClient = RedisClient;

/** Options of `createRedisWebhookReplayStore`. */
export interface RedisWebhookReplayStoreOptions {
  /** The host's connected Redis client (node-redis or ioredis). */
  client: WebhookReplayRedisClient;
  /** Prefix of the store's keys; each key is the prefix and the delivery id. @default 'billpay-connect:codat-webhook:' */
  prefix?: string | undefined;
}

// Deletes a claim only while it is still this server's: one that expired and was taken by a retry stays.
const releaseScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/**
 * A `WebhookReplayStore` in Redis, shared by every server that receives Codat's webhooks: a claim is
 * `SET key pending:<token> NX PX`, a handled delivery `SET key done PX`, a release a compare-and-delete of
 * this server's own claim (`EVAL`).
 */
export function createRedisWebhookReplayStore(options: RedisWebhookReplayStoreOptions): WebhookReplayStore {
  const { client, prefix = 'billpay-connect:codat-webhook:' } = options;
  const send = redisSender(client, 'createRedisWebhookReplayStore');
  const key = (id: string) => `${prefix}${id}`;
  // This server's claims, by delivery id: only the claimant's token releases one.
  const tokens = new Map<string, string>();
  return {
    async claim(id, ttlMs) {
      const token = `pending:${crypto.randomUUID()}`;
      if ((await send(['SET', key(id), token, 'NX', 'PX', String(Math.ceil(ttlMs))])) !== null) {
        tokens.set(id, token);
        return 'claimed';
      }
      // Taken; a key that expired or was released in between reads as pending, so Codat simply retries later.
      return (await send(['GET', key(id)])) === 'done' ? 'done' : 'pending';
    },
    async complete(id, ttlMs) {
      tokens.delete(id);
      await send(['SET', key(id), 'done', 'PX', String(Math.ceil(ttlMs))]);
    },
    async release(id) {
      const token = tokens.get(id);
      tokens.delete(id);
      if (token !== undefined) await send(['EVAL', releaseScript, '1', key(id), token]);
    },
  };
}
