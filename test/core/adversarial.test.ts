import { describe, expect, it, vi } from 'vitest';
import { BillPayError, createCodatClient, parseCompany, parseRetryAfter, type Fetcher } from '../../src/core/index.js';

// A hostile or broken transport/backend against the core client: every failure must end as a typed
// BillPayError, in bounded time, with no duplicate POST.

const companyId = '8a210b68-6988-11ed-a1eb-0242ac120002';
const connection = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  integrationKey: 'qhyg',
  linkUrl: 'https://link-api.codat.io/start',
  status: 'PendingAuth',
  ...extra,
});
const page = (results: unknown[], extra: Record<string, unknown> = {}) => ({
  results,
  pageNumber: 1,
  pageSize: 100,
  totalResults: results.length,
  ...extra,
});
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(BillPayError);
    return (error as BillPayError).code;
  }
  throw new Error('expected a rejection');
}

const never = () => new Promise<Response>(() => undefined);

describe('a transport that ignores the AbortSignal', () => {
  it('still times out when the fetcher never answers', async () => {
    const fetcher = vi.fn<Fetcher>(never);
    const api = createCodatClient({ fetcher, timeoutMs: 20, retry: false });
    expect(await codeOf(api.getCompany(companyId))).toBe('timeout');
  });

  it('still times out a POST when the fetcher never answers, without sending it twice', async () => {
    const fetcher = vi.fn<Fetcher>(never);
    const api = createCodatClient({ fetcher, timeoutMs: 20 });
    expect(await codeOf(api.createCompany({ name: 'Acme' }))).toBe('timeout');
    expect(fetcher).toHaveBeenCalledTimes(1);
  });

  it('still times out when the body never finishes', async () => {
    const fetcher: Fetcher = async () => ({ ok: true, status: 200, text: never, headers: new Headers() }) as unknown as Response;
    const api = createCodatClient({ fetcher, timeoutMs: 20, retry: false });
    expect(await codeOf(api.getCompany(companyId))).toBe('timeout');
  });

  it('rejects with aborted as soon as the caller aborts', async () => {
    const controller = new AbortController();
    const api = createCodatClient({ fetcher: never, timeoutMs: 0 });
    const call = api.getCompany(companyId, { signal: controller.signal });
    controller.abort();
    expect(await codeOf(call)).toBe('aborted');
  });
});

describe('odd timeouts from the host', () => {
  // Timers overflow above 2^31-1 ms (and Infinity becomes 0): such a timeout would fire at once.
  it.each([Infinity, 2 ** 40])('does not time out at once with timeoutMs %s', async (timeoutMs) => {
    const fetcher: Fetcher = (_url, init) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => resolve(json(200, { id: companyId })), 30);
        init.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new DOMException('aborted', 'AbortError'));
        });
      });
    const api = createCodatClient({ fetcher, timeoutMs, retry: false });
    await expect(api.getCompany(companyId)).resolves.toMatchObject({ id: companyId });
  });
});

describe('broken fetchers', () => {
  it('turns a synchronous throw into a typed error', async () => {
    const api = createCodatClient({
      fetcher: () => {
        throw new TypeError('boom');
      },
      retry: false,
    });
    expect(await codeOf(api.getCompany(companyId))).toBe('network');
  });

  it.each([undefined, null, 42, {}])('turns a non-Response answer (%j) into an invalid-response error', async (value) => {
    const api = createCodatClient({ fetcher: async () => value as unknown as Response, retry: false });
    expect(await codeOf(api.getCompany(companyId))).toBe('invalid-response');
  });

  it('turns a body that fails to read into a typed error', async () => {
    const fetcher: Fetcher = async () =>
      ({ ok: true, status: 200, headers: new Headers(), text: () => Promise.reject(new TypeError('reset')) }) as unknown as Response;
    expect(await codeOf(createCodatClient({ fetcher, retry: false }).getCompany(companyId))).toBe('network');
  });

  it('reads Retry-After from a response whose headers are a plain object', async () => {
    const fetcher = vi.fn<Fetcher>(
      async () =>
        ({
          ok: false,
          status: 429,
          headers: { 'Retry-After': '120' },
          text: async () => '{"error":"Rate limit exceeded."}',
        }) as unknown as Response,
    );
    const api = createCodatClient({ fetcher });
    const error = await api.getCompany(companyId).catch((e: unknown) => e as BillPayError);
    expect(error).toBeInstanceOf(BillPayError);
    expect((error as BillPayError).code).toBe('rate-limited');
    expect((error as BillPayError).retryAfter).toBe(120);
    expect(fetcher).toHaveBeenCalledTimes(1);
  });

  it('treats an answer after the caller aborted as aborted', async () => {
    const controller = new AbortController();
    let answer!: (r: Response) => void;
    const api = createCodatClient({ fetcher: () => new Promise((r) => (answer = r)) });
    const call = api.getCompany(companyId, { signal: controller.signal });
    controller.abort();
    answer(json(200, { id: companyId }));
    expect(await codeOf(call)).toBe('aborted');
  });
});

describe('empty and wrong-shaped answers', () => {
  it.each([
    ['a 200 with an empty body', () => new Response('', { status: 200 })],
    ['a 204', () => new Response(null, { status: 204 })],
    ['an array', () => json(200, [{ id: companyId }])],
    ['a number id', () => json(200, { id: 42 })],
    ['null', () => json(200, null)],
  ])('refuses %s as invalid-response', async (_label, answer) => {
    const fetcher = vi.fn<Fetcher>(async () => answer());
    expect(await codeOf(createCodatClient({ fetcher }).getCompany(companyId))).toBe('invalid-response');
    expect(fetcher).toHaveBeenCalledTimes(1);
  });

  it('keeps a connection without a linkUrl or a status readable', async () => {
    const api = createCodatClient({ fetcher: async () => json(200, { id: 'c1', linkUrl: null }) });
    const conn = await api.createConnection(companyId, { platformKey: 'qhyg' });
    expect(conn.linkUrl).toBe('');
    expect(conn.status).toBe('unknown');
  });

  it('does not fail a created company over a malformed nested connection (a retry would create a second one)', async () => {
    const fetcher = vi.fn<Fetcher>(async () =>
      json(200, { id: companyId, name: 'Acme', dataConnections: [{ id: 7 }, null, connection('c1')] }),
    );
    const created = await createCodatClient({ fetcher }).createCompany({ name: 'Acme' });
    expect(created.id).toBe(companyId);
    expect(created.dataConnections.map((c) => c.id)).toEqual(['c1']);
    expect(parseCompany({ id: companyId, dataConnections: 'nope' }).dataConnections).toEqual([]);
  });
});

describe('pagination that lies', () => {
  it('stops when the server answers the same page forever', async () => {
    const same = page([connection('a'), connection('b')], { pageSize: 2, totalResults: 1_000_000 });
    const fetcher = vi.fn<Fetcher>(async () => json(200, same));
    const all = await createCodatClient({ fetcher }).listAllConnections(companyId, { pageSize: 2 });
    expect(all.map((c) => c.id)).toEqual(['a', 'b']);
    expect(fetcher.mock.calls.length).toBeLessThanOrEqual(2);
  });

  it('does not list a connection twice when pages overlap', async () => {
    const answers = [
      page([connection('a'), connection('b')], { pageSize: 2, totalResults: 4 }),
      page([connection('b'), connection('c')], { pageSize: 2, totalResults: 4 }),
    ];
    let n = 0;
    const fetcher = vi.fn<Fetcher>(async () => json(200, answers[n++] ?? page([])));
    const all = await createCodatClient({ fetcher }).listAllConnections(companyId, { pageSize: 2 });
    expect(all.map((c) => c.id)).toEqual(['a', 'b', 'c']);
  });

  it.each([
    ['pageSize 0 and a growing total', (n: number) => page([connection(`c${n}`)], { pageSize: 0, totalResults: 10 * n })],
    ['NaN-free but Infinity-like totals', (n: number) => page([connection(`c${n}`)], { pageSize: 1, totalResults: 1e308 })],
  ])('bounds the number of requests with %s', async (_label, make) => {
    let n = 0;
    const fetcher = vi.fn<Fetcher>(async () => json(200, make(++n)));
    const all = await createCodatClient({ fetcher }).listAllConnections(companyId);
    expect(fetcher.mock.calls.length).toBeLessThanOrEqual(50);
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
  });
});

describe('Retry-After from a hostile server', () => {
  it.each([
    ['0', 0],
    ['-5', 0],
    ['garbage', undefined],
    ['Wed, 21 Oct 2015 07:28:00 GMT', 0],
    ['99999999999999999999', 1e20],
  ])('parses %j safely', (value, expected) => {
    expect(parseRetryAfter(value, Date.parse('2026-01-01T00:00:00Z'))).toBe(expected);
  });

  it('gives up at once, without waiting, on a Retry-After longer than the cap', async () => {
    const fetcher = vi.fn<Fetcher>(async () => json(429, { error: 'slow down' }, { 'Retry-After': '99999999999' }));
    expect(await codeOf(createCodatClient({ fetcher }).getCompany(companyId))).toBe('rate-limited');
    expect(fetcher).toHaveBeenCalledTimes(1);
  });

  it('bounds a 429 storm with Retry-After: 0 to the retry budget', async () => {
    const fetcher = vi.fn<Fetcher>(async () => json(429, { error: 'slow down' }, { 'Retry-After': '0' }));
    expect(await codeOf(createCodatClient({ fetcher }).getCompany(companyId))).toBe('rate-limited');
    expect(fetcher).toHaveBeenCalledTimes(3);
  });

  it('never retries a POST on 429 or 503', async () => {
    for (const status of [429, 503]) {
      const fetcher = vi.fn<Fetcher>(async () => json(status, { error: 'x' }, { 'Retry-After': '0' }));
      await codeOf(createCodatClient({ fetcher }).createConnection(companyId, { platformKey: 'qhyg' }));
      expect(fetcher).toHaveBeenCalledTimes(1);
    }
  });
});
