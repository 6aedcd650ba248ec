import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { createClient as createClientV5 } from 'redis5';
import type { RedisClient } from '../../src/server/index.js';

/** A host's Redis client, connected to a test's own redis-server. */
export interface ConnectedRedis {
  client: RedisClient;
  close: () => void;
}

/** The clients a host may pass to the kit's Redis stores: node-redis (the `redis` package, v6 and v5) and ioredis. */
export const redisClientKinds: { name: string; connect: (url: string) => Promise<ConnectedRedis> }[] = [
  {
    name: 'node-redis 6 (redis)',
    connect: async (url) => {
      const client = createClient({ url });
      client.on('error', () => undefined);
      await client.connect();
      return { client, close: () => client.destroy() };
    },
  },
  {
    name: 'node-redis 5 (redis@5)',
    connect: async (url) => {
      const client = createClientV5({ url });
      client.on('error', () => undefined);
      await client.connect();
      return { client, close: () => client.destroy() };
    },
  },
  {
    name: 'ioredis',
    connect: async (url) => {
      const client = new Redis(url, { lazyConnect: true });
      client.on('error', () => undefined);
      await client.connect();
      return { client, close: () => client.disconnect() };
    },
  },
];

/** Sends one raw command through either kind of client. */
export const rawRedis = (client: RedisClient, ...args: string[]) =>
  'call' in client ? client.call(args[0]!, ...args.slice(1)) : client.sendCommand(args);
