import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSandboxServer, type SandboxServer } from '../../src/sandbox-server/index.js';
import {
  createCodatProxy,
  createRedisIdempotencyStore,
  type CodatProxyHandler,
  type IdempotencyEntry,
  type RedisIdempotencyClient,
  type RedisIdempotencyStoreOptions,
} from '../../src/server/index.js';
import { deferred } from '../support/deferred.js';
import { rawRedis, redisClientKinds } from '../support/redis-clients.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

// Several servers run the proxy behind one load balancer and share one Redis: a retry of a create may reach
// any of them, while the first attempt still runs on another, or after that server died.

const kinds = redisClientKinds;
const raw = rawRedis;

/** The same client, calling `onCommand` with each command it sends; a `killed` one sends nothing more, ever. */
function observed(client: RedisIdempotencyClient, onCommand: (args: string[]) => void, killed = { now: false }): RedisIdempotencyClient {
  const hang = () => new Promise<never>(() => undefined);
  if ('call' in client) {
    return { call: (command, ...args) => (killed.now ? hang() : (onCommand([command, ...args]), client.call(command, ...args))) };
  }
  return { sendCommand: (args) => (killed.now ? hang() : (onCommand(args), client.sendCommand(args))) };
}

const apiKey = 'sandbox-key';
const cookie = 'sid=alice-session';
let unique = 0;
const newKey = () => `${crypto.randomUUID()}-${++unique}`;

const createCompany = (key: string, name = 'Acme') =>
  new Request('http://host.test/api/codat/companies', {
    method: 'POST',
    body: JSON.stringify({ name }),
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key, Cookie: cookie },
  });

/** A load balancer: each request goes to the next server in turn. */
function roundRobin(servers: CodatProxyHandler[]): CodatProxyHandler {
  let next = 0;
  return (request) => servers[next++ % servers.length]!(request);
}

const companiesCreated = (sandbox: SandboxServer) => sandbox.sandbox.requests.filter((r) => r.operation === 'createCompany').length;

let redis: RedisServer;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});

afterAll(async () => {
  await redis?.stop();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.each(kinds)('createRedisIdempotencyStore with $name', ({ connect }) => {
  const connected = async (url = redis.url) => {
    const connection = await connect(url);
    cleanups.push(connection.close);
    return connection.client;
  };
  const store = async (options: Partial<RedisIdempotencyStoreOptions> = {}) =>
    createRedisIdempotencyStore({ client: await connected(), prefix: `test:${newKey()}:`, ...options });
  const answer = { request: '{"name":"Acme"}', status: 200, headers: { 'content-type': 'application/json' }, body: '{"id":"c1"}' };

  describe('the store in Redis', () => {
    it('gives a slot to one claim at a time, also across connections', async () => {
      const prefix = `test:${newKey()}:`;
      const one = createRedisIdempotencyStore({ client: await connected(), prefix });
      const two = createRedisIdempotencyStore({ client: await connected(), prefix });
      const claims = await Promise.all([one.claim('s', 'a'), two.claim('s', 'b'), one.claim('s', 'c'), two.claim('s', 'd')]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      const winner = ['a', 'b', 'c', 'd'][claims.indexOf(true)];
      expect(await two.get('s')).toEqual({ token: winner });
    });

    it('lets a claim expire after claimTtlMs unless it is extended, then gives the slot to another', async () => {
      const client = await connected();
      const prefix = `test:${newKey()}:`;
      const claims = createRedisIdempotencyStore({ client, prefix, claimTtlMs: 200 });
      const key = prefix + createHash('sha256').update('s').digest('hex');
      expect(await claims.claim('s', 'mine')).toBe(true);
      expect(await claims.extend('s', 'theirs')).toBe(false);
      expect(await claims.extend('s', 'mine')).toBe(true);
      const ttl = Number(await raw(client, 'PTTL', key));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(200);
      await vi.waitFor(async () => expect(await claims.get('s')).toBeUndefined(), { timeout: 3000, interval: 20 });
      expect(await claims.extend('s', 'mine')).toBe(false);
      expect(await claims.claim('s', 'theirs')).toBe(true);
    });

    it("completes and releases only the token's own slot, and keeps the answer for ttlMs", async () => {
      const client = await connected();
      const prefix = `test:${newKey()}:`;
      const answers = createRedisIdempotencyStore({ client, prefix, ttlMs: 60_000 });
      await answers.claim('s', 'mine');
      expect(await answers.complete('s', 'theirs', answer)).toBe(false);
      await answers.release('s', 'theirs');
      expect(await answers.get('s')).toEqual({ token: 'mine' });
      expect(await answers.complete('s', 'mine', answer)).toBe(true);
      expect(await answers.get('s')).toEqual({ token: 'mine', answer });
      const ttl = Number(await raw(client, 'PTTL', prefix + createHash('sha256').update('s').digest('hex')));
      expect(ttl).toBeGreaterThan(50_000);
      // An answer is not a claim: releasing or extending does not touch it, claiming does not take it.
      await answers.release('s', 'mine');
      expect(await answers.extend('s', 'mine')).toBe(false);
      expect(await answers.claim('s', 'theirs')).toBe(false);
      // The run that kept it may replace it (a company recorded on a retry), and so may a run whose claim expired.
      expect(await answers.complete('s', 'mine', { ...answer, unrecorded: true })).toBe(true);
      expect(await answers.complete('free', 'late', answer)).toBe(true);
      // Releasing a claim frees the slot.
      await answers.claim('t', 'mine');
      await answers.release('t', 'mine');
      expect(await answers.get('t')).toBeUndefined();
    });

    it('keeps JSON under the prefix and a SHA-256 of the slot, so no user id or key appears in Redis', async () => {
      const client = await connected();
      const prefix = `test:${newKey()}:`;
      const slot = 'scope:alice createCompany /companies 6f1c2a4e-3b5d-4c7e-9f80-1a2b3c4d5e6f';
      const answers = createRedisIdempotencyStore({ client, prefix });
      await answers.claim(slot, 'mine');
      await answers.complete(slot, 'mine', answer);
      expect(await raw(client, 'KEYS', `${prefix}*`)).toEqual([prefix + createHash('sha256').update(slot).digest('hex')]);
      const value = JSON.parse(String(await raw(client, 'GET', prefix + createHash('sha256').update(slot).digest('hex'))));
      expect(value).toEqual({ v: 1, token: 'mine', answer });
    });

    it('does not keep an answer larger than maxValueBytes', async () => {
      const answers = await store({ maxValueBytes: 1024 });
      await answers.claim('s', 'mine');
      await expect(answers.complete('s', 'mine', { ...answer, body: 'x'.repeat(2000) })).rejects.toThrow(/maxValueBytes/);
      expect(await answers.get('s')).toEqual({ token: 'mine' });
    });

    it('refuses a key that holds something it did not write, rather than calling the slot free', async () => {
      const client = await connected();
      const prefix = `test:${newKey()}:`;
      await raw(client, 'SET', prefix + createHash('sha256').update('s').digest('hex'), '<html>');
      await expect(createRedisIdempotencyStore({ client, prefix }).get('s')).rejects.toThrow(/does not hold an entry/);
    });
  });

  describe('proxies on several servers in front of the sandbox server', () => {
    let sandbox: SandboxServer;
    beforeAll(async () => {
      sandbox = await startSandboxServer({ apiKey });
    });
    afterAll(async () => {
      await sandbox.close();
    });
    afterEach(() => {
      sandbox.sandbox.reset();
    });

    /**
     * A server that dies as its create leaves for Codat: nothing reaches Codat, and its Redis connection sends
     * nothing more (so nobody renews its claim). `reached` settles when the create has left.
     */
    async function dyingServer(prefix: string, claimTtlMs: number, onCommand: (args: string[]) => void = () => undefined) {
      const killed = { now: false };
      const reached = deferred<void>();
      const proxy = createCodatProxy({
        apiKey,
        baseUrl: sandbox.url,
        authorize: () => true,
        timeoutMs: 1000,
        fetch: (_url, init) => {
          killed.now = true;
          reached.resolve();
          return new Promise<Response>((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('Aborted', 'AbortError'))));
        },
        idempotencyStore: createRedisIdempotencyStore({ client: observed(await connected(), onCommand, killed), prefix, claimTtlMs }),
      });
      return { proxy, reached };
    }

    it('turns concurrent retries of one create, spread over three servers, into exactly one company', async () => {
      const prefix = `test:${newKey()}:`;
      const gate = deferred<void>();
      const sent = vi.fn();
      const looks = [0, 0, 0];
      const servers = await Promise.all(
        [0, 1, 2].map(async (i) =>
          createCodatProxy({
            apiKey,
            baseUrl: sandbox.url,
            authorize: () => true,
            timeoutMs: 10_000,
            // Codat is slow to create: every server holds its create until the gate opens.
            fetch: async (url, init) => {
              sent();
              await gate.promise;
              return fetch(url, init);
            },
            idempotencyStore: createRedisIdempotencyStore({
              client: observed(await connected(), ([command]) => {
                if (command === 'GET') looks[i]! += 1;
              }),
              prefix,
            }),
          }),
        ),
      );
      const front = roundRobin(servers);
      const key = newKey();
      const answers = Array.from({ length: 6 }, () => front(createCompany(key)));
      await vi.waitFor(() => expect(sent).toHaveBeenCalledTimes(1));
      // The two servers that lost the claim look at Redis until the answer lands.
      await vi.waitFor(() => expect(looks.filter((n) => n > 0)).toHaveLength(2), { timeout: 3000 });
      gate.resolve();
      const responses = await Promise.all(answers);
      const bodies = (await Promise.all(responses.map((r) => r.json()))) as { id: string }[];
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(new Set(bodies.map((b) => b.id)).size).toBe(1);
      expect(responses.filter((r) => r.headers.get('idempotent-replayed') === null)).toHaveLength(1);
      expect(sent).toHaveBeenCalledTimes(1);
      expect(companiesCreated(sandbox)).toBe(1);
      expect(sandbox.sandbox.getCompany(bodies[0]!.id)).toMatchObject({ name: 'Acme' });
    });

    it('frees the claim of a server killed mid-create once it expires, so a retry on another server creates the company once', async () => {
      const prefix = `test:${newKey()}:`;
      const claimTtlMs = 300;
      const commands: string[] = [];
      const { proxy: dying, reached } = await dyingServer(prefix, claimTtlMs, ([command]) => commands.push(command!));
      const client = await connected();
      const survivor = createCodatProxy({
        apiKey,
        baseUrl: sandbox.url,
        authorize: () => true,
        timeoutMs: 5000,
        idempotencyStore: createRedisIdempotencyStore({ client, prefix, claimTtlMs }),
      });
      const key = newKey();
      void dying(createCompany(key));
      await reached.promise;
      expect(commands).toEqual(['SET']);
      expect(await raw(client, 'KEYS', `${prefix}*`)).toHaveLength(1);
      // Nobody renews the claim: it is gone within claimTtlMs, not stuck.
      await vi.waitFor(async () => expect(await raw(client, 'KEYS', `${prefix}*`)).toEqual([]), { timeout: 3000, interval: 20 });
      const retried = await survivor(createCompany(key));
      expect(retried.status).toBe(200);
      expect(retried.headers.get('idempotent-replayed')).toBeNull();
      const company = (await retried.json()) as { id: string };
      const again = await survivor(createCompany(key));
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await again.json()).toEqual(company);
      expect(companiesCreated(sandbox)).toBe(1);
    });

    it('makes a retry that waits on a killed server create the company once the dead claim expires', async () => {
      const prefix = `test:${newKey()}:`;
      const claimTtlMs = 300;
      const dying = await dyingServer(prefix, claimTtlMs);
      const reached = dying.reached;
      const servers = [
        dying.proxy,
        createCodatProxy({
          apiKey,
          baseUrl: sandbox.url,
          authorize: () => true,
          timeoutMs: 5000,
          idempotencyStore: createRedisIdempotencyStore({ client: await connected(), prefix, claimTtlMs }),
        }),
      ];
      const front = roundRobin(servers);
      const key = newKey();
      void front(createCompany(key));
      await reached.promise;
      // Sent while the dead server's claim still stands: it waits, then claims the freed slot itself.
      const retried = await front(createCompany(key));
      expect(retried.status).toBe(200);
      expect(((await retried.json()) as { id: string }).id).toEqual(expect.any(String));
      expect(companiesCreated(sandbox)).toBe(1);
    });

    it('answers 503 saying why, and sends nothing to Codat, when Redis has gone away', async () => {
      const own = await startRedisServer();
      cleanups.push(() => own.stop());
      const servers = await Promise.all(
        [0, 1].map(async () =>
          createCodatProxy({
            apiKey,
            baseUrl: sandbox.url,
            authorize: () => true,
            timeoutMs: 1500,
            idempotencyStore: createRedisIdempotencyStore({ client: await connected(own.url), prefix: `test:${newKey()}:` }),
          }),
        ),
      );
      const front = roundRobin(servers);
      await own.stop();
      const started = Date.now();
      const responses = await Promise.all([front(createCompany(newKey())), front(createCompany(newKey()))]);
      expect(Date.now() - started).toBeLessThan(4000);
      for (const response of responses) {
        expect(response.status).toBe(503);
        expect(await response.json()).toMatchObject({ canBeRetried: 'True', error: expect.stringMatching(/idempotency store did not answer, so nothing was sent to Codat/) });
      }
      expect(companiesCreated(sandbox)).toBe(0);
    });
  });
});

describe('createRedisIdempotencyStore options', () => {
  it('refuses a client that is neither node-redis nor ioredis, and claim times that are not whole ms above 0', () => {
    expect(() => createRedisIdempotencyStore({ client: {} as unknown as RedisIdempotencyClient })).toThrow(/node-redis or ioredis/);
    const client = { sendCommand: async () => null };
    expect(() => createRedisIdempotencyStore({ client, claimTtlMs: 0 })).toThrow(/claimTtlMs/);
    expect(() => createRedisIdempotencyStore({ client, ttlMs: 1.5 })).toThrow(/ttlMs/);
    expect(createRedisIdempotencyStore({ client }).claimTtlMs).toBe(10_000);
  });

  it('sends plain commands through sendCommand (the shape to adapt any other client to)', async () => {
    const sent: string[][] = [];
    const answers: unknown[] = ['OK', JSON.stringify({ v: 1, token: 't' }), 1];
    const store = createRedisIdempotencyStore({ client: { sendCommand: async (args) => (sent.push(args), answers.shift()) }, prefix: 'p:' });
    expect(await store.claim('s', 't')).toBe(true);
    expect((await store.get('s')) as IdempotencyEntry).toEqual({ token: 't' });
    expect(await store.extend('s', 't')).toBe(true);
    const key = `p:${createHash('sha256').update('s').digest('hex')}`;
    expect(sent.map((args) => args.filter((arg) => !arg.includes('redis.call')))).toEqual([
      ['SET', key, '{"v":1,"token":"t"}', 'NX', 'PX', '10000'],
      ['GET', key],
      ['EVAL', '1', key, 't', '10000'],
    ]);
  });
});
