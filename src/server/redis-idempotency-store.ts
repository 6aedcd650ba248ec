import { redisSender, type RedisClient } from './redis-client.js';
import { sha256Hex } from './sha256.js';
import { parseIdempotentAnswer, type IdempotencyEntry, type IdempotencyStore } from './idempotency-store.js';

/** The host's Redis client, as `createRedisIdempotencyStore` takes it (see `RedisClient`). */
export type RedisIdempotencyClient = RedisClient;

/** Options of `createRedisIdempotencyStore`. */
export interface RedisIdempotencyStoreOptions {
  /** The host's connected Redis client (node-redis or ioredis). */
  client: RedisIdempotencyClient;
  /** Prefix of the store's keys; each key is the prefix and a SHA-256 of the slot. @default 'billpay-connect:idempotency:' */
  prefix?: string | undefined;
  /** How long an answer is kept, in ms. @default 86400000 (24 hours) */
  ttlMs?: number | undefined;
  /**
   * How long a claim lasts unless renewed, in ms: the proxy renews its claims every third of it while a create
   * runs, so this is how long the slots of a server that died mid-create stay taken. @default 10000
   */
  claimTtlMs?: number | undefined;
  /** Largest entry kept, in bytes of JSON; a larger answer is not kept (the proxy still serves it). @default 262144 */
  maxValueBytes?: number | undefined;
}

// Run atomically in Redis: whether the slot's entry (JSON) is the given token's, and for a claim, still without an answer.
const owns = `
local function owns(value, token, claimOnly)
  local ok, entry = pcall(cjson.decode, value)
  if not ok or type(entry) ~= 'table' or entry.token ~= token then return false end
  return not claimOnly or entry.answer == nil
end
`;
const extendScript = `${owns}
local value = redis.call('GET', KEYS[1])
if value and owns(value, ARGV[1], true) then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;
const completeScript = `${owns}
local value = redis.call('GET', KEYS[1])
if value and not owns(value, ARGV[1], false) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;
const releaseScript = `${owns}
local value = redis.call('GET', KEYS[1])
if value and owns(value, ARGV[1], true) then redis.call('DEL', KEYS[1]) end
return 0`;

/** An entry as `complete` or `claim` wrote it (`{ v: 1, token, answer? }`), or undefined. */
function parseEntry(text: unknown): IdempotencyEntry | undefined {
  let value: unknown;
  try {
    value = typeof text === 'string' ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { v, token, answer } = value as Record<string, unknown>;
  if (v !== 1 || typeof token !== 'string') return undefined;
  if (answer === undefined) return { token };
  const parsed = parseIdempotentAnswer(answer);
  return parsed && { token, answer: parsed };
}

const positiveInteger = (name: string, value: number) => {
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`billpay-connect: createRedisIdempotencyStore's ${name} must be a whole number of ms above 0.`);
  return value;
};

/**
 * An `IdempotencyStore` in Redis, shared by every server that runs the proxy: a claim is `SET NX PX` with a
 * random owner token, renewed while the create runs; an answer replaces the claim for `ttlMs`; renewing,
 * completing and releasing compare the token in a Lua script, so a server never overwrites another's slot.
 * Values are JSON (at most `maxValueBytes`); keys are the prefix and a SHA-256 of the slot, so user ids and
 * keys do not appear in Redis. Redis's own errors reach the proxy, which answers 503 and creates nothing.
 */
export function createRedisIdempotencyStore(options: RedisIdempotencyStoreOptions): IdempotencyStore {
  const { client, prefix = 'billpay-connect:idempotency:', maxValueBytes = 256 * 1024 } = options;
  const ttlMs = positiveInteger('ttlMs', options.ttlMs ?? 24 * 60 * 60 * 1000);
  const claimTtlMs = positiveInteger('claimTtlMs', options.claimTtlMs ?? 10_000);
  const send = redisSender(client, 'createRedisIdempotencyStore');
  const key = (slot: string) => prefix + sha256Hex(slot);
  const script = async (source: string, slot: string, ...args: string[]) => Number(await send(['EVAL', source, '1', key(slot), ...args])) === 1;

  return {
    claimTtlMs,
    async claim(slot, token) {
      const reply = await send(['SET', key(slot), JSON.stringify({ v: 1, token }), 'NX', 'PX', String(claimTtlMs)]);
      return reply === 'OK' || (reply instanceof Uint8Array && new TextDecoder().decode(reply) === 'OK');
    },
    extend: (slot, token) => script(extendScript, slot, token, String(claimTtlMs)),
    async get(slot) {
      const reply = await send(['GET', key(slot)]);
      if (reply === null || reply === undefined) return undefined;
      const entry = parseEntry(reply instanceof Uint8Array ? new TextDecoder().decode(reply) : reply);
      // Not the store's own JSON: refuse (503) rather than treat the slot as free and create again.
      if (!entry) throw new Error('billpay-connect: a Redis key of the idempotency store does not hold an entry the store wrote.');
      return entry;
    },
    async complete(slot, token, answer) {
      const value = JSON.stringify({ v: 1, token, answer });
      const bytes = new TextEncoder().encode(value).byteLength;
      if (bytes > maxValueBytes) throw new Error(`billpay-connect: an idempotent answer of ${bytes} bytes is over maxValueBytes (${maxValueBytes}); not kept.`);
      return script(completeScript, slot, token, value, String(ttlMs));
    },
    async release(slot, token) {
      await script(releaseScript, slot, token);
    },
  };
}
