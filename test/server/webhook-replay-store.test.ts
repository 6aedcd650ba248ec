import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryWebhookReplayStore, createRedisWebhookReplayStore } from '../../src/server/index.js';

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

/** Just enough of a Redis client (RESP2 over a socket) to give the store a real server to talk to. */
function respClient(port: number): { sendCommand: (args: string[]) => Promise<unknown>; quit: () => void } {
  const socket: Socket = connect(port, '127.0.0.1');
  let buffer = Buffer.alloc(0);
  const waiting: ((reply: unknown) => void)[] = [];
  /** One reply from `buffer` at `at`: its value and where it ends, or undefined when it is not all there yet. */
  const parse = (at: number): { value: unknown; end: number } | undefined => {
    const lineEnd = buffer.indexOf('\r\n', at);
    if (lineEnd === -1) return undefined;
    const line = buffer.toString('utf8', at + 1, lineEnd);
    const type = String.fromCharCode(buffer[at] ?? 0);
    if (type === '+') return { value: line, end: lineEnd + 2 };
    if (type === '-') return { value: new Error(line), end: lineEnd + 2 };
    if (type === ':') return { value: Number(line), end: lineEnd + 2 };
    if (type === '$') {
      const length = Number(line);
      if (length === -1) return { value: null, end: lineEnd + 2 };
      if (buffer.length < lineEnd + 2 + length + 2) return undefined;
      return { value: buffer.toString('utf8', lineEnd + 2, lineEnd + 2 + length), end: lineEnd + 2 + length + 2 };
    }
    throw new Error(`unexpected reply type ${type}`);
  };
  socket.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const reply = parse(0);
      if (!reply) break;
      buffer = buffer.subarray(reply.end);
      waiting.shift()?.(reply.value);
    }
  });
  return {
    sendCommand: (args: string[]) =>
      new Promise((resolve, reject) => {
        waiting.push((reply) => (reply instanceof Error ? reject(reply) : resolve(reply)));
        socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
      }),
    quit: () => socket.destroy(),
  };
}

const redisServer = '/usr/bin/redis-server';

describe.skipIf(!existsSync(redisServer))('createRedisWebhookReplayStore against a real Redis', () => {
  let redis: ChildProcess | undefined;
  let client: ReturnType<typeof respClient>;

  beforeAll(async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const server = spawn(redisServer, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'inherit'] });
    redis = server;
    // Its log says when it listens: no polling.
    await new Promise<void>((resolve, reject) => {
      let log = '';
      server.once('error', reject);
      server.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${log}`)));
      server.stdout.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('Ready to accept connections')) resolve();
      });
    });
    client = respClient(port);
  });

  afterAll(() => {
    client?.quit();
    if (redis?.pid) process.kill(redis.pid);
  });

  it('claims with SET NX PX, answers pending then done, and expires the claim after its ttl', async () => {
    const store = createRedisWebhookReplayStore({ client, prefix: 'test:a:' });
    expect(await store.claim('msg_1', 60_000)).toBe('claimed');
    expect(await store.claim('msg_1', 60_000)).toBe('pending');
    expect(await client.sendCommand(['PTTL', 'test:a:msg_1'])).toBeGreaterThan(59_000);
    await store.complete('msg_1', 120_000);
    expect(await store.claim('msg_1', 60_000)).toBe('done');
    expect(await client.sendCommand(['GET', 'test:a:msg_1'])).toBe('done');
    expect(await client.sendCommand(['PTTL', 'test:a:msg_1'])).toBeGreaterThan(119_000);
    expect(await store.claim('msg_2', 1)).toBe('claimed');
    await expect.poll(() => client.sendCommand(['EXISTS', 'test:a:msg_2'])).toBe(0);
    expect(await store.claim('msg_2', 60_000)).toBe('claimed');
  });

  it('releases only its own claim: one that expired and was taken by another server stays', async () => {
    const first = createRedisWebhookReplayStore({ client, prefix: 'test:b:' });
    const second = createRedisWebhookReplayStore({ client, prefix: 'test:b:' });
    expect(await first.claim('msg_1', 60_000)).toBe('claimed');
    await first.release('msg_1');
    expect(await second.claim('msg_1', 60_000)).toBe('claimed');
    await client.sendCommand(['DEL', 'test:b:msg_1']);
    expect(await first.claim('msg_1', 60_000)).toBe('claimed');
    // As if first's claim expired and second took the id: first's late release must not free it.
    await client.sendCommand(['SET', 'test:b:msg_1', 'pending:someone-else']);
    await first.release('msg_1');
    expect(await client.sendCommand(['GET', 'test:b:msg_1'])).toBe('pending:someone-else');
  });

  it('speaks to an ioredis-style client through call(command, ...args)', async () => {
    const calls: string[][] = [];
    const ioredis = { call: (command: string, ...args: string[]) => (calls.push([command, ...args]), client.sendCommand([command, ...args])) };
    const store = createRedisWebhookReplayStore({ client: ioredis, prefix: 'test:c:' });
    expect(await store.claim('msg_1', 1000)).toBe('claimed');
    expect(calls[0]).toEqual(['SET', 'test:c:msg_1', expect.stringMatching(/^pending:/), 'NX', 'PX', '1000']);
  });
});
