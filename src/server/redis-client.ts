/**
 * The Redis client the host already has. The kit's stores send it only `SET … NX PX`, `GET` and `EVAL`, and no
 * Redis library is a dependency of the kit. For anything else (a node-redis cluster), pass an object whose
 * `sendCommand(args)` sends one command and resolves with Redis's reply.
 */
export type RedisClient =
  /** node-redis (`redis` or `@redis/client`; tested with v5 and v6): the connected client from `createClient()`. */
  | { sendCommand(args: string[]): Promise<unknown> }
  /** ioredis: a `Redis` or `Cluster` instance. */
  | { call(command: string, ...args: string[]): Promise<unknown> };

/**
 * One command to the host's client. ioredis also has a `sendCommand`, which takes its own Command objects, so
 * its `call` is checked first. Throws at once when `client` is neither kind.
 */
export function redisSender(client: RedisClient, owner: string): (args: string[]) => Promise<unknown> {
  const call = (client as { call?: unknown } | undefined)?.call;
  const sendCommand = (client as { sendCommand?: unknown } | undefined)?.sendCommand;
  if (typeof call === 'function') return (args) => (call as (c: string, ...a: string[]) => Promise<unknown>).call(client, args[0] ?? '', ...args.slice(1));
  if (typeof sendCommand === 'function') return (args) => (sendCommand as (a: string[]) => Promise<unknown>).call(client, args);
  throw new Error(`billpay-connect: ${owner} needs a node-redis or ioredis client (or an object with sendCommand(args)).`);
}
