import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { brotliCompressSync, createGzip, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCodatProxy, toNodeHandler } from '../../src/server/index.js';
import { deferred } from '../support/deferred.js';
import { companyId, companyPath, json, key, setup } from './proxy-fixture.js';

// Issue 17: what a misbehaving Codat, host callback or client could do to the proxy, each reproduced here.

const otherCompanyId = '11111111-1111-4111-8111-111111111111';
const MiB = 1024 * 1024;

const jsonInit = (body: unknown): RequestInit => ({ body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });

/** A body that never ends, counting the bytes handed to whoever reads it and whether it was cancelled. */
function endless(chunkBytes = 64 * 1024) {
  const stats = { pulled: 0, cancelled: false };
  const chunk = new Uint8Array(chunkBytes).fill(0x20);
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      stats.pulled += chunk.byteLength;
      controller.enqueue(chunk.slice());
    },
    cancel() {
      stats.cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { body, stats };
}

const servers: (Server | NetServer)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const server of servers.splice(0)) {
    if ('closeAllConnections' in server) server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

/** Writes `next()` to `res` for as long as the connection is open, waiting for 'drain' as a well-behaved server does. */
function streamForever(res: ServerResponse, next: () => Buffer, onClose: () => void) {
  let open = true;
  res.on('close', () => {
    open = false;
    onClose();
  });
  const pump = () => {
    while (open && res.write(next()));
    if (open) res.once('drain', pump);
  };
  pump();
}

describe('the size of Codat’s answer', () => {
  it('answers 502 past maxResponseBytes, having read at most one chunk more, and cancels the rest', async () => {
    const { body, stats } = endless();
    let signal: AbortSignal | undefined;
    const { call } = setup({ maxResponseBytes: MiB }, (_url, init) => {
      signal = init.signal ?? undefined;
      return new Response(body, { headers: { 'Content-Type': 'application/json' } });
    });
    const response = await call('GET', companyPath);
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ statusCode: 502, error: expect.stringMatching(/larger than 1048576 bytes/) });
    expect(stats.pulled).toBeLessThanOrEqual(MiB + 64 * 1024);
    expect(stats.cancelled).toBe(true);
    expect(signal?.aborted).toBe(true);
  });

  it('answers 502 at once to a declared Content-Length past the limit, reading none of it', async () => {
    const { body, stats } = endless();
    const { call } = setup({ maxResponseBytes: MiB }, () => new Response(body, { headers: { 'Content-Type': 'application/json', 'Content-Length': String(5 * 1024 * MiB) } }));
    expect((await call('GET', companyPath)).status).toBe(502);
    expect(stats.pulled).toBe(0);
  });

  it('passes an answer up to the limit unchanged', async () => {
    const name = 'a'.repeat(MiB - 100);
    const { call } = setup({ maxResponseBytes: MiB }, () => json(200, { id: companyId, name }));
    const response = await call('GET', companyPath);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { name: string }).name).toBe(name);
  });

  it('caps answers at 8 MiB by default', async () => {
    const { body, stats } = endless();
    const { call } = setup({}, () => new Response(body));
    expect((await call('GET', companyPath)).status).toBe(502);
    expect(stats.pulled).toBeGreaterThan(8 * MiB - 64 * 1024);
    expect(stats.pulled).toBeLessThanOrEqual(8 * MiB + 64 * 1024);
  });

  it('stops reading an endless answer from a real upstream and closes the connection to it', async () => {
    let closed = false;
    let written = 0;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const origin = await listen((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      streamForever(res, () => ((written += chunk.length), chunk), () => (closed = true));
    });
    const proxy = createCodatProxy({ apiKey: key, baseUrl: origin, authorize: () => true, maxResponseBytes: MiB });
    const response = await proxy(new Request(`http://host.test${companyPath}`));
    expect(response.status).toBe(502);
    await vi.waitFor(() => expect(closed).toBe(true));
    // What the upstream managed to write: what the proxy read plus socket buffers, not an unbounded amount.
    expect(written).toBeLessThan(64 * MiB);
  });

  it.each([
    ['the default transport', undefined],
    ['a fetch transport (it decompresses on its own)', 'fetch'],
  ])('refuses a gzip bomb by its decompressed size, with %s', async (_label, transport) => {
    let closed = false;
    const zeros = Buffer.alloc(MiB);
    const origin = await listen((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      // Endless zeros, gzipped (about 1000:1): a few KiB on the wire for each MiB the proxy would hold.
      const gzip = createGzip();
      gzip.pipe(res);
      res.on('close', () => (closed = true));
      const pump = () => {
        while (!closed && gzip.write(zeros));
        if (!closed) gzip.once('drain', pump);
      };
      pump();
    });
    const read = { bytes: 0 };
    const counting = async (input: string, init: RequestInit) => {
      const answer = await fetch(input, init);
      const counter = new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          read.bytes += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      return new Response(answer.body?.pipeThrough(counter), { status: answer.status, headers: answer.headers });
    };
    const proxy = createCodatProxy({ apiKey: key, baseUrl: origin, authorize: () => true, maxResponseBytes: 4 * MiB, ...(transport ? { fetch: counting } : {}) });
    const response = await proxy(new Request(`http://host.test${companyPath}`));
    expect(response.status).toBe(502);
    await vi.waitFor(() => expect(closed).toBe(true));
    if (transport) expect(read.bytes).toBeLessThanOrEqual(4 * MiB + 256 * 1024);
  });
});

describe('a status outside 200-599 from Codat', () => {
  it.each([[600], [999]])('answers %i with 502 instead of throwing (fetch transport)', async (status) => {
    const { call, logs } = setup({}, () => {
      const answer = json(200, {});
      Object.defineProperty(answer, 'status', { value: status });
      Object.defineProperty(answer, 'ok', { value: false });
      return answer;
    });
    const response = await call('GET', companyPath);
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ error: expect.stringMatching(new RegExp(`status ${status}`)) });
    expect(logs[0]?.status).toBe(502);
  });

  it('answers 502 to a status line of 600 from a real upstream', async () => {
    const server = createNetServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 600 Odd\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}')));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const proxy = createCodatProxy({ apiKey: key, baseUrl: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, authorize: () => true });
    expect((await proxy(new Request(`http://host.test${companyPath}`))).status).toBe(502);
  });
});

describe('authorize', () => {
  it('answers 503 after timeoutMs when authorize never answers, and sends nothing upstream', async () => {
    vi.useFakeTimers();
    const { call, upstream } = setup({ timeoutMs: 1000, authorize: () => new Promise<boolean>(() => undefined) });
    const pending = call('GET', companyPath);
    await vi.advanceTimersByTimeAsync(1000);
    const response = await pending;
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ statusCode: 503, canBeRetried: 'True', error: expect.stringMatching(/access check did not answer in time/) });
    expect(upstream).not.toHaveBeenCalled();
  });

  it('sends nothing upstream for a client that left while authorize ran', async () => {
    const check = deferred<boolean>();
    const { proxy, upstream, logs } = setup({ authorize: () => check.promise });
    const client = new AbortController();
    const pending = proxy(new Request(`http://host.test${companyPath}`, { signal: client.signal }));
    client.abort();
    check.resolve(true);
    expect((await pending).status).toBe(499);
    expect(upstream).not.toHaveBeenCalled();
    expect(logs[0]).toMatchObject({ status: 499, operation: 'getCompany' });
  });

  it('stops waiting for a hung authorize as soon as the client leaves', async () => {
    vi.useFakeTimers();
    const { proxy, upstream } = setup({ timeoutMs: 60_000, authorize: () => new Promise<boolean>(() => undefined) });
    const client = new AbortController();
    const pending = proxy(new Request(`http://host.test${companyPath}`, { signal: client.signal }));
    await vi.advanceTimersByTimeAsync(10);
    client.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect((await pending).status).toBe(499);
    expect(upstream).not.toHaveBeenCalled();
  });

  it('sends nothing upstream for a request already aborted when it arrives', async () => {
    const { proxy, upstream } = setup();
    const client = new AbortController();
    client.abort();
    expect((await proxy(new Request(`http://host.test${companyPath}`, { signal: client.signal }))).status).toBe(499);
    expect(upstream).not.toHaveBeenCalled();
  });
});

describe('timeoutMs and the other limits', () => {
  it.each([[0], [-1], [Number.NaN], [Number.POSITIVE_INFINITY], [2 ** 31], [2 ** 29], ['1000']])('refuses timeoutMs %s at creation with a TypeError', (timeoutMs) => {
    expect(() => createCodatProxy({ apiKey: key, authorize: () => true, timeoutMs: timeoutMs as number })).toThrow(TypeError);
    expect(() => createCodatProxy({ apiKey: key, authorize: () => true, timeoutMs: timeoutMs as number })).toThrow(/timeoutMs/);
  });

  it('accepts the largest timeoutMs whose four-times wait a timer can hold, and a fraction of a millisecond', () => {
    expect(() => createCodatProxy({ apiKey: key, authorize: () => true, timeoutMs: Math.floor(0x7fffffff / 4) })).not.toThrow();
    expect(() => createCodatProxy({ apiKey: key, authorize: () => true, timeoutMs: 0.5 })).not.toThrow();
  });

  it.each([
    ['maxBodyBytes', Number.NaN],
    ['maxBodyBytes', Number.POSITIVE_INFINITY],
    ['maxBodyBytes', 0],
    ['maxResponseBytes', -1],
    ['maxResponseBytes', 1.5],
    ['maxConcurrentPerCompany', 0],
    ['maxConcurrentPerCompany', Number.POSITIVE_INFINITY],
    ['maxQueuedPerCompany', -1],
  ])('refuses %s of %s at creation with a TypeError', (name, value) => {
    expect(() => createCodatProxy({ apiKey: key, authorize: () => true, [name]: value })).toThrow(TypeError);
  });

  it('accepts an empty queue (maxQueuedPerCompany: 0)', () => {
    expect(() => createCodatProxy({ apiKey: key, authorize: () => true, maxQueuedPerCompany: 0 })).not.toThrow();
  });
});

describe('onLog', () => {
  it('answers normally when onLog throws, and reports it once on the console', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { call, upstream } = setup({ onLog: () => { throw new Error(`log sink down ${key}`); } });
    expect((await call('GET', companyPath)).status).toBe(200);
    expect((await call('GET', companyPath)).status).toBe(200);
    expect(upstream).toHaveBeenCalledTimes(2);
    expect(error).toHaveBeenCalledTimes(1);
    expect(String(error.mock.calls[0]?.[0])).toMatch(/^billpay-connect: onLog threw/);
    expect(JSON.stringify(error.mock.calls)).not.toContain(key);
  });
});

describe('input checks repeated on the server', () => {
  it.each([
    ['a blank name', { name: ' \t ' }],
    ['a 60,000-character name', { name: 'a'.repeat(60_000) }],
    ['a tag name over 27 characters', { name: 'Acme', tags: { ['k'.repeat(28)]: 'v' } }],
    ['an empty tag name', { name: 'Acme', tags: { '': 'v' } }],
    ['eleven tags', { name: 'Acme', tags: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])) }],
  ])('refuses a company with %s (400, nothing upstream)', async (_label, body) => {
    const { call, upstream } = setup({ maxBodyBytes: 128 * 1024 });
    expect((await call('POST', '/api/codat/companies', jsonInit(body))).status).toBe(400);
    expect(upstream).not.toHaveBeenCalled();
  });

  it('refuses a four-letter platform key that is not a Bill Pay platform with 404, as Codat would, without going upstream', async () => {
    const { call, upstream } = setup();
    const response = await call('POST', `${companyPath}/connections`, jsonInit({ platformKey: 'zzzz' }));
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'Choose one of the supported accounting platforms.' });
    expect(upstream).not.toHaveBeenCalled();
  });

  it('forwards a key of either Bill Pay list by default', async () => {
    const { call, upstream } = setup();
    expect((await call('POST', `${companyPath}/connections`, jsonInit({ platformKey: 'gbol' }))).status).toBe(200);
    expect((await call('POST', `${companyPath}/connections`, jsonInit({ platformKey: 'qhyg' }))).status).toBe(200);
    expect(upstream).toHaveBeenCalledTimes(2);
  });

  it('forwards only the host’s platformKeys when given, a key the kit does not know included', async () => {
    const { call, upstream } = setup({ platformKeys: ['gbol', 'zzzz'] });
    expect((await call('POST', `${companyPath}/connections`, jsonInit({ platformKey: 'zzzz' }))).status).toBe(200);
    expect((await call('POST', `${companyPath}/connections`, jsonInit({ platformKey: 'qhyg' }))).status).toBe(404);
    expect(upstream).toHaveBeenCalledTimes(1);
  });

  it.each([[['GBOL']], [['gbo']], [[1]], ['gbol']])('refuses platformKeys %j at creation', (platformKeys) => {
    expect(() => createCodatProxy({ apiKey: key, authorize: () => true, platformKeys: platformKeys as string[] })).toThrow(TypeError);
  });
});

describe('redaction of the key in every form', () => {
  // 20 bytes: base64 of 28 characters with one `=` of padding, holding `+` and `/`.
  const unpadded = key.replace(/=+$/, '');
  const urlSafe = unpadded.replace(/\+/g, '-').replace(/\//g, '_');
  const echo = (body: string) => () => new Response(body, { status: 401, headers: { 'Content-Type': 'text/plain' } });
  const served = async (body: string) => (await setup({}, echo(body)).call('GET', companyPath)).text();

  it('has a key with padding, + and / (so each form below differs)', () => {
    expect(key.endsWith('=')).toBe(true);
    expect(unpadded).toMatch(/[+/]/);
  });

  it.each([
    ['without padding', `bad key ${unpadded}.`],
    ['base64url', `bad key ${urlSafe}.`],
    ['base64url with padding', `bad key ${urlSafe}=.`],
    ['split across lines', `bad key ${key.slice(0, 10)}\n${key.slice(10, 20)}\r\n${key.slice(20)}.`],
    ['split across indented lines', `bad key ${key.slice(0, 12)}\n    ${key.slice(12)}.`],
    ['split across JSON-escaped lines', `{"error":"bad key ${key.slice(0, 12)}\\n${key.slice(12)}."}`],
    ['base64url split across lines', `bad key ${urlSafe.slice(0, 16)}\n${urlSafe.slice(16)}.`],
    ['without padding, percent-encoded', `bad key ${encodeURIComponent(unpadded)}.`],
  ])('redacts the key %s', async (_label, body) => {
    const text = await served(body);
    expect(text).toMatch(/^(\{"error":")?bad key \[redacted\]\.("\})?$/);
  });

  it('leaves ordinary text alone: parts of the key, line breaks, other base64', async () => {
    const body = [
      `half a key ${unpadded.slice(0, 14)} is not the key`,
      `${unpadded.slice(0, 14)}\n${unpadded.slice(15)}`,
      btoa('>>>???public-key-123'),
      'line one\nline two\r\n  indented',
    ].join('\n');
    expect(await served(body)).toBe(body);
  });

  it('does not make the padding optional where the rest would be shorter than 8 characters', async () => {
    const { call } = setup({ apiKey: 'abcdef==' }, echo('abcdef and abcdef== here'));
    expect(await (await call('GET', companyPath)).text()).toBe('abcdef and [redacted] here');
  });
});

describe('concurrent requests per company', () => {
  it('never has more than 10 reads of one company in flight upstream; a burst of 30 all completes', async () => {
    let inFlight = 0;
    let most = 0;
    let served = 0;
    const held: ServerResponse[] = [];
    const origin = await listen((_req, res) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      held.push(res);
    });
    const proxy = createCodatProxy({ apiKey: key, baseUrl: origin, authorize: () => true });
    const burst = Promise.all(Array.from({ length: 30 }, () => proxy(new Request(`http://host.test${companyPath}`))));
    // Answer whatever is held, in rounds, until all 30 have been served.
    while (served < 30) {
      await vi.waitFor(() => expect(held.length).toBeGreaterThan(0));
      for (const res of held.splice(0)) {
        inFlight -= 1;
        served += 1;
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id: companyId }));
      }
    }
    const answers = await burst;
    expect(answers.map((r) => r.status)).toEqual(Array(30).fill(200));
    expect(most).toBe(10);
  });

  it('does not hold one company’s requests behind another company’s queue', async () => {
    const gates: { url: string; answer: ReturnType<typeof deferred<Response>> }[] = [];
    const { call, upstream } = setup({ maxConcurrentPerCompany: 1 }, (url) => {
      const answer = deferred<Response>();
      gates.push({ url, answer });
      return answer.promise;
    });
    const first = call('GET', companyPath);
    const queued = call('GET', companyPath);
    const other = call('GET', `/api/codat/companies/${otherCompanyId}`);
    await vi.waitFor(() => expect(upstream).toHaveBeenCalledTimes(2));
    expect(gates.map((g) => g.url)).toEqual([`http://codat.test/companies/${companyId}`, `http://codat.test/companies/${otherCompanyId}`]);
    gates[1]?.answer.resolve(json(200, {}));
    expect((await other).status).toBe(200);
    gates[0]?.answer.resolve(json(200, {}));
    await vi.waitFor(() => expect(upstream).toHaveBeenCalledTimes(3));
    gates[2]?.answer.resolve(json(200, {}));
    expect([(await first).status, (await queued).status]).toEqual([200, 200]);
  });

  it('answers 503 with Retry-After at once when the queue is full', async () => {
    const gate = deferred<void>();
    const { call, upstream } = setup({ maxConcurrentPerCompany: 1, maxQueuedPerCompany: 1 }, () => gate.promise.then(() => json(200, {})));
    const first = call('GET', companyPath);
    const second = call('GET', companyPath);
    const third = await call('GET', companyPath);
    expect(third.status).toBe(503);
    expect(third.headers.get('retry-after')).toBe('1');
    expect(await third.json()).toMatchObject({ statusCode: 503, canBeRetried: 'True', error: expect.stringMatching(/Too many requests for this company/) });
    gate.resolve();
    expect([(await first).status, (await second).status]).toEqual([200, 200]);
    expect(upstream).toHaveBeenCalledTimes(2);
  });

  it('drops a queued request whose client left, without sending it or losing the place it held', async () => {
    const gates: ReturnType<typeof deferred<Response>>[] = [];
    const { proxy, call, upstream } = setup({ maxConcurrentPerCompany: 1 }, () => {
      const answer = deferred<Response>();
      gates.push(answer);
      return answer.promise;
    });
    const first = call('GET', companyPath);
    const client = new AbortController();
    const leaving = proxy(new Request(`http://host.test${companyPath}`, { signal: client.signal }));
    const staying = call('GET', companyPath);
    await vi.waitFor(() => expect(upstream).toHaveBeenCalledTimes(1));
    client.abort();
    expect((await leaving).status).toBe(499);
    gates[0]?.resolve(json(200, {}));
    await vi.waitFor(() => expect(upstream).toHaveBeenCalledTimes(2));
    gates[1]?.resolve(json(200, {}));
    expect([(await first).status, (await staying).status]).toEqual([200, 200]);
    expect(upstream).toHaveBeenCalledTimes(2);
  });

  it('answers 504 to a request still queued at its timeoutMs, without sending it', async () => {
    vi.useFakeTimers();
    // A first request whose answer is still on its way (a transport that finishes what it started).
    const late = deferred<Response>();
    const { call, upstream } = setup({ maxConcurrentPerCompany: 1, timeoutMs: 1000 }, () => late.promise);
    const first = call('GET', companyPath);
    await vi.advanceTimersByTimeAsync(500);
    const queued = call('GET', companyPath);
    await vi.advanceTimersByTimeAsync(1000);
    const response = await queued;
    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({ error: expect.stringMatching(/waiting behind other requests for this company/) });
    expect(upstream).toHaveBeenCalledTimes(1);
    late.resolve(json(200, {}));
    await first;
  });
});

describe('the default transport (a keep-alive connection pool in Node)', () => {
  it('reuses its connections for requests one after another instead of opening one each', async () => {
    let connections = 0;
    const origin = await listen((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
    const server = servers.at(-1) as Server;
    server.on('connection', () => (connections += 1));
    const proxy = createCodatProxy({ apiKey: key, baseUrl: origin, authorize: () => true });
    for (let i = 0; i < 20; i += 1) expect((await proxy(new Request(`http://host.test${companyPath}`))).status).toBe(200);
    // A connection is free again a moment after its answer is read: the next request may open a second one.
    expect(connections).toBeLessThanOrEqual(2);
  });

  it.each([
    ['gzip', (data: Buffer) => gzipSync(data)],
    ['deflate', (data: Buffer) => deflateSync(data)],
    ['br', (data: Buffer) => brotliCompressSync(data)],
    ['gzip, br', (data: Buffer) => brotliCompressSync(gzipSync(data))],
  ])('decompresses an answer in %s', async (encoding, encode) => {
    const answer = JSON.stringify({ id: companyId, name: 'Acme', description: 'x'.repeat(5000) });
    const origin = await listen((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': encoding }).end(encode(Buffer.from(answer))));
    const proxy = createCodatProxy({ apiKey: key, baseUrl: origin, authorize: () => true });
    const response = await proxy(new Request(`http://host.test${companyPath}`));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(answer);
  });

  it('answers 502 to a content coding it cannot read', async () => {
    const origin = await listen((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'compress' }).end('\x1f\x9d...'));
    const proxy = createCodatProxy({ apiKey: key, baseUrl: origin, authorize: () => true });
    expect((await proxy(new Request(`http://host.test${companyPath}`))).status).toBe(502);
  });

  it('reads a chunked answer (no Content-Length) up to the limit, and refuses one past it', async () => {
    const part = 'x'.repeat(1000);
    const origin = await listen((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const parts = req.url?.includes(otherCompanyId) ? 20 : 5;
      for (let i = 0; i < parts; i += 1) res.write(part);
      res.end();
    });
    const proxy = createCodatProxy({ apiKey: key, baseUrl: origin, authorize: () => true, maxResponseBytes: 10_000 });
    const small = await proxy(new Request(`http://host.test${companyPath}`));
    expect(await small.text()).toBe(part.repeat(5));
    expect((await proxy(new Request(`http://host.test/api/codat/companies/${otherCompanyId}`))).status).toBe(502);
  });

  it('answers 504 after timeoutMs to an upstream that never answers, and closes the connection to it', async () => {
    let closed = false;
    const origin = await listen((req) => req.socket.on('close', () => (closed = true)));
    const proxy = createCodatProxy({ apiKey: key, baseUrl: origin, authorize: () => true, timeoutMs: 100 });
    expect((await proxy(new Request(`http://host.test${companyPath}`))).status).toBe(504);
    await vi.waitFor(() => expect(closed).toBe(true));
  });

  it('aborts the upstream request when the client leaves while Codat is answering', async () => {
    let closed = false;
    const arrived = deferred<void>();
    const origin = await listen((req) => {
      req.socket.on('close', () => (closed = true));
      arrived.resolve();
    });
    const proxy = createCodatProxy({ apiKey: key, baseUrl: origin, authorize: () => true });
    const client = new AbortController();
    const pending = proxy(new Request(`http://host.test${companyPath}`, { signal: client.signal }));
    await arrived.promise;
    client.abort();
    expect((await pending).status).toBe(502);
    await vi.waitFor(() => expect(closed).toBe(true));
  });

  it('answers 502 when the upstream closes the connection halfway through its answer', async () => {
    const origin = await listen((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
      res.write('{"id":');
      setImmediate(() => res.socket?.destroy());
    });
    const proxy = createCodatProxy({ apiKey: key, baseUrl: origin, authorize: () => true });
    expect((await proxy(new Request(`http://host.test${companyPath}`))).status).toBe(502);
  });

  it('sends the same headers upstream as before: Accept, the key, Content-Type with a body, and asks for compression', async () => {
    const seen: IncomingMessage['headers'][] = [];
    const origin = await listen((req, res) => {
      seen.push(req.headers);
      req.resume();
      req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"id":"x","status":"PendingAuth"}'));
    });
    const proxy = createCodatProxy({ apiKey: key, baseUrl: origin, authorize: () => true, idempotencyStore: false });
    await proxy(new Request(`http://host.test${companyPath}/connections`, { method: 'POST', ...jsonInit({ platformKey: 'gbol' }), headers: { 'Content-Type': 'application/json', Cookie: 'sid=1' } }));
    expect(seen[0]).toMatchObject({ accept: 'application/json', authorization: `Basic ${key}`, 'content-type': 'application/json', 'accept-encoding': 'gzip, deflate, br' });
    expect(seen[0]?.cookie).toBeUndefined();
  });
});

describe('toNodeHandler', () => {
  it('writes the proxy’s answer with the headers a wrapping handler added', async () => {
    const { proxy } = setup({}, () => json(200, { id: companyId, name: 'Acme' }));
    const wrapped = async (request: Request) => {
      const response = await proxy(request);
      response.headers.set('x-request-id', 'r-1');
      return response;
    };
    const server = createServer(toNodeHandler(wrapped));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const response = await fetch(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}${companyPath}`);
    expect(response.headers.get('x-request-id')).toBe('r-1');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ id: companyId, name: 'Acme' });
  });
});
