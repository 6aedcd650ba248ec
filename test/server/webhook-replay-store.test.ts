import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryWebhookReplayStore, createRedisWebhookReplayStore, type RedisClient } from '../../src/server/index.js';
import { rawRedis, redisClientKinds, type ConnectedRedis } from '../support/redis-clients.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

describe('createMemoryWebhookReplayStore', () => {
  it('claims an id once, reports it pending until completed or released, then done until it expires', async () => {
    let now = 1_000;
    const store = createMemoryWebhookReplayStore({ now: () => now });
    expect(await store.claim('msg_a', 100)).toBe('claimed');
    expect(await store.claim('msg_a', 100)).toBe('pending');
    await store.release('msg_a');
    expect(await store.claim('msg_a', 100)).toBe('claimed');
    await store.complete('msg_a', 1_000);
    expect(await store.claim('msg_a', 100)).toBe('done');
    now += 999;
    expect(await store.claim('msg_a', 100)).toBe('done');
    now += 1;
    expect(await store.claim('msg_a', 100)).toBe('claimed');
  });

  it('lets a claim whose handler never finished go once it expires, so a crashed delivery does not block the event', async () => {
    let now = 0;
    const store = createMemoryWebhookReplayStore({ now: () => now });
    expect(await store.claim('msg_b', 50)).toBe('claimed');
    now = 50;
    expect(await store.claim('msg_b', 50)).toBe('claimed');
  });

  it('keeps at most maxEntries ids, dropping the oldest first', async () => {
    const store = createMemoryWebhookReplayStore({ maxEntries: 2 });
    for (const id of ['one', 'two', 'three']) await store.complete(id, 60_000);
    expect(await store.claim('three', 1)).toBe('done');
    expect(await store.claim('two', 1)).toBe('done');
    expect(await store.claim('one', 1)).toBe('claimed');
  });
});

describe.each(redisClientKinds)('createRedisWebhookReplayStore on a real Redis through $name', ({ connect }) => {
  let server: RedisServer;
  let redis: ConnectedRedis;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = await connect(server.url);
  });

  afterAll(async () => {
    redis?.close();
    await server?.stop();
  });

  it('claims with SET NX PX, answers pending then done, and expires the claim after its ttl', async () => {
    const store = createRedisWebhookReplayStore({ client: redis.client, prefix: 'test:a:' });
    expect(await store.claim('msg_1', 60_000)).toBe('claimed');
    expect(await store.claim('msg_1', 60_000)).toBe('pending');
    expect(await rawRedis(redis.client, 'PTTL', 'test:a:msg_1')).toBeGreaterThan(59_000);
    await store.complete('msg_1', 120_000);
    expect(await store.claim('msg_1', 60_000)).toBe('done');
    expect(await rawRedis(redis.client, 'GET', 'test:a:msg_1')).toBe('done');
    expect(await rawRedis(redis.client, 'PTTL', 'test:a:msg_1')).toBeGreaterThan(119_000);
    expect(await store.claim('msg_2', 1)).toBe('claimed');
    await expect.poll(() => rawRedis(redis.client, 'EXISTS', 'test:a:msg_2')).toBe(0);
    expect(await store.claim('msg_2', 60_000)).toBe('claimed');
  });

  it('releases only its own claim: one that expired and was taken by another server stays', async () => {
    const first = createRedisWebhookReplayStore({ client: redis.client, prefix: 'test:b:' });
    const second = createRedisWebhookReplayStore({ client: redis.client, prefix: 'test:b:' });
    expect(await first.claim('msg_1', 60_000)).toBe('claimed');
    await first.release('msg_1');
    expect(await second.claim('msg_1', 60_000)).toBe('claimed');
    await rawRedis(redis.client, 'DEL', 'test:b:msg_1');
    expect(await first.claim('msg_1', 60_000)).toBe('claimed');
    // As if first's claim expired and second took the id: first's late release must not free it.
    await rawRedis(redis.client, 'SET', 'test:b:msg_1', 'pending:someone-else');
    await first.release('msg_1');
    expect(await rawRedis(redis.client, 'GET', 'test:b:msg_1')).toBe('pending:someone-else');
  });
});

describe('createRedisWebhookReplayStore', () => {
  it('refuses a client that is neither node-redis nor ioredis when it is created', () => {
    expect(() => createRedisWebhookReplayStore({ client: {} as unknown as RedisClient })).toThrow(/node-redis or ioredis/);
  });
});
