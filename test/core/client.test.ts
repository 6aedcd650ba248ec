import { afterEach, describe, expect, it, vi } from 'vitest';
import { BillPayError, createCodatClient, parseRetryAfter, type CodatClientOptions } from '../../src/core/index.js';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
  signal: AbortSignal | undefined;
}

const companyId = '8a210b68-6988-11ed-a1eb-0242ac120002';
const connectionId = '2e9d2c44-f675-40ba-8049-353bfcb5e171';
const company = { id: companyId, name: 'Acme', redirect: 'https://link.codat.io/company/x', dataConnections: [] };
const connection = {
  id: connectionId,
  integrationId: 'bf083d72-62c7-493e-aec9-81b4dbba7e2c',
  integrationKey: 'qhyg',
  sourceId: 'x',
  sourceType: 'Accounting',
  platformName: 'QuickBooks Online',
  linkUrl: 'https://link-api.codat.io/companies/x/connections/y/start',
  status: 'PendingAuth',
  created: '2026-01-01T00:00:00Z',
};
const page = (results: unknown[], extra: Record<string, unknown> = {}) => ({
  results,
  pageNumber: 1,
  pageSize: 100,
  totalResults: results.length,
  _links: { self: { href: '/x' }, current: { href: '/x' } },
  ...extra,
});
const codatError = (statusCode: number, error: string, extra: Record<string, unknown> = {}) => ({
  statusCode,
  service: 'PublicApi',
  error,
  correlationId: 'c0ffee00-0000-4000-8000-000000000000',
  validation: null,
  canBeRetried: 'Unknown',
  detailedErrorCode: 0,
  ...extra,
});

type Answer = Response | Error | ((call: Call) => Response | Promise<Response>);
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

/** A fetcher that answers from a queue and records every call. */
function recorder(...answers: Answer[]) {
  const calls: Call[] = [];
  const fetcher = vi.fn(async (url: string, init: RequestInit) => {
    const call: Call = {
      url,
      method: init.method ?? 'GET',
      headers: { ...(init.headers as Record<string, string>) },
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      signal: init.signal ?? undefined,
    };
    calls.push(call);
    const answer = answers.length > 1 ? answers.shift() : answers[0];
    if (answer === undefined) throw new Error('no answer queued');
    if (answer instanceof Error) throw answer;
    if (typeof answer === 'function') return answer(call);
    return answer.clone();
  });
  return { calls, fetcher };
}

function client(answers: Answer[], options: CodatClientOptions = {}) {
  const r = recorder(...answers);
  return { ...r, api: createCodatClient({ fetcher: r.fetcher, retry: { jitter: false }, ...options }) };
}

async function failure(promise: Promise<unknown>): Promise<BillPayError> {
  const outcome = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(outcome).toBeInstanceOf(BillPayError);
  return outcome as BillPayError;
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('client requests', () => {
  it('creates a company with POST /companies and a trimmed JSON body', async () => {
    const { api, calls } = client([json(200, company)]);
    const result = await api.createCompany({ name: '  Acme  ', description: ' plumbing ' });
    expect(result.id).toBe(companyId);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      url: '/api/codat/companies',
      method: 'POST',
      body: { name: 'Acme', description: 'plumbing' },
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    });
  });

  it('reads a company with GET /companies/{id} and sends no Content-Type without a body', async () => {
    const { api, calls } = client([json(200, company)]);
    await api.getCompany(companyId);
    expect(calls[0]?.url).toBe(`/api/codat/companies/${companyId}`);
    expect(calls[0]?.method).toBe('GET');
    expect(calls[0]?.headers).toEqual({ Accept: 'application/json' });
    expect(calls[0]?.body).toBeUndefined();
  });

  it('lists companies with the default paging and the query and order given', async () => {
    const { api, calls } = client([json(200, page([company]))]);
    const result = await api.listCompanies({ query: 'name=Acme', orderBy: '-created' });
    expect(result.results[0]?.name).toBe('Acme');
    expect(calls[0]?.url).toBe('/api/codat/companies?page=1&pageSize=100&query=name%3DAcme&orderBy=-created');
  });

  it('creates a connection with POST /companies/{id}/connections and the platform key', async () => {
    const { api, calls } = client([json(200, connection)]);
    const result = await api.createConnection(companyId, { platformKey: 'qhyg' });
    expect(result.status).toBe('PendingAuth');
    expect(calls[0]).toMatchObject({
      url: `/api/codat/companies/${companyId}/connections`,
      method: 'POST',
      body: { platformKey: 'qhyg' },
    });
  });

  it('lists, reads, unlinks and deletes connections on their Codat paths', async () => {
    const { api, calls } = client([
      json(200, page([connection])),
      json(200, connection),
      json(200, { ...connection, status: 'Unlinked' }),
      new Response(null, { status: 200 })]);
    await api.listConnections(companyId, { pageSize: 10, query: 'status=Linked' });
    await api.getConnection(companyId, connectionId);
    const unlinked = await api.unlinkConnection(companyId, connectionId);
    await expect(api.deleteConnection(companyId, connectionId)).resolves.toBeUndefined();
    expect(unlinked.status).toBe('Unlinked');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      `GET /api/codat/companies/${companyId}/connections?page=1&pageSize=10&query=status%3DLinked`,
      `GET /api/codat/companies/${companyId}/connections/${connectionId}`,
      `PATCH /api/codat/companies/${companyId}/connections/${connectionId}`,
      `DELETE /api/codat/companies/${companyId}/connections/${connectionId}`,
    ]);
    expect(calls[2]?.body).toEqual({ status: 'Unlinked' });
  });

  it('lists integrations, reads one and its branding on Codat’s /integrations paths, and names the branding’s platform', async () => {
    const { api, calls } = client([
      json(200, page([{ key: 'gbol', name: 'Xero', enabled: true }])),
      json(200, { key: 'gbol', name: 'Xero', enabled: true, logoUrl: 'https://static.codat.io/x.png' }),
      json(200, { logo: {} }),
    ]);
    const integrations = await api.listIntegrations();
    const one = await api.getIntegration('gbol');
    const branding = await api.getIntegrationBranding('gbol');
    expect(integrations.results[0]).toMatchObject({ key: 'gbol', name: 'Xero', enabled: true });
    expect(one).toMatchObject({ key: 'gbol', name: 'Xero', enabled: true });
    expect(branding.platformKey).toBe('gbol');
    expect(calls.map((c) => c.url)).toEqual([
      '/api/codat/integrations?page=1&pageSize=100',
      '/api/codat/integrations/gbol',
      '/api/codat/integrations/gbol/branding',
    ]);
  });

  it('refuses a platform key that is not four lowercase letters before any request to the integrations paths', async () => {
    const { api, calls } = client([]);
    await expect(api.getIntegration('../companies')).rejects.toMatchObject({ code: 'invalid-input', field: 'platformKey' });
    await expect(api.getIntegrationBranding('GBOL')).rejects.toMatchObject({ code: 'invalid-input', field: 'platformKey' });
    expect(calls).toEqual([]);
  });

  it('names a platform’s logo on the proxy under its baseUrl without a request, and refuses a key that is not four letters', () => {
    const { api, calls } = client([], { baseUrl: '/backend/codat/' });
    expect(api.logoUrl('gbol')).toBe('/backend/codat/integrations/gbol/logo');
    expect(createCodatClient().logoUrl('qhyg')).toBe('/api/codat/integrations/qhyg/logo');
    expect(() => api.logoUrl('../x')).toThrow(expect.objectContaining({ code: 'invalid-input', field: 'platformKey' }));
    expect(calls).toEqual([]);
  });

  it('shows logos by default only when it calls the proxy with fetch, unless told otherwise', () => {
    expect(createCodatClient().logos).toBe(true);
    expect(createCodatClient({ baseUrl: '/backend' }).logos).toBe(true);
    expect(client([]).api.logos).toBe(false);
    expect(client([], { logos: true }).api.logos).toBe(true);
    expect(createCodatClient({ logos: false }).logos).toBe(false);
  });

  it('follows pages until every connection is read', async () => {
    // Ids are unique across pages, as Codat's are (the client drops repeats).
    const two = (n: number, p: number) => Array.from({ length: n }, (_, i) => ({ ...connection, id: `c-${p}-${i}` }));
    const { api, calls } = client([
      json(200, page(two(2, 1), { pageSize: 2, totalResults: 5 })),
      json(200, page(two(2, 2), { pageNumber: 2, pageSize: 2, totalResults: 5 })),
      json(200, page(two(1, 3), { pageNumber: 3, pageSize: 2, totalResults: 5 }))]);
    const all = await api.listAllConnections(companyId, { pageSize: 2 });
    expect(all).toHaveLength(5);
    expect(calls.map((c) => new URL(c.url, 'http://x').searchParams.get('page'))).toEqual(['1', '2', '3']);
  });

  it('stops following pages at an empty page', async () => {
    const { api, calls } = client([json(200, page([], { totalResults: 50 }))]);
    expect(await api.listAllConnections(companyId)).toEqual([]);
    expect(calls).toHaveLength(1);
  });

  it('joins a baseUrl with a trailing slash and adds static and per-request headers', async () => {
    let n = 0;
    const { api, calls } = client([json(200, company)], {
      baseUrl: 'https://host.example/codat/',
      headers: () => ({ 'X-CSRF': `t${++n}` }),
    });
    await api.getCompany(companyId);
    await api.getCompany(companyId);
    expect(calls.map((c) => [c.url, c.headers['X-CSRF']])).toEqual([
      [`https://host.example/codat/companies/${companyId}`, 't1'],
      [`https://host.example/codat/companies/${companyId}`, 't2'],
    ]);
    const fixed = client([json(200, company)], { headers: { 'X-Tenant': 'a' } });
    await fixed.api.getCompany(companyId);
    expect(fixed.calls[0]?.headers['X-Tenant']).toBe('a');
  });

  it('uses globalThis.fetch when no fetcher is given', async () => {
    const fetchStub = vi.fn(async () => json(200, company));
    vi.stubGlobal('fetch', fetchStub);
    await createCodatClient().getCompany(companyId);
    expect(fetchStub).toHaveBeenCalledWith(`/api/codat/companies/${companyId}`, expect.objectContaining({ method: 'GET' }));
  });

  it.each(['..', 'a/b', '', 'x?y=1', '%2e%2e'])('refuses the id %j before any request', async (bad) => {
    const { api, calls } = client([json(200, company)]);
    const error = await failure(api.getCompany(bad));
    expect(error.code).toBe('invalid-input');
    expect(error.field).toBe('companyId');
    const error2 = await failure(api.getConnection(companyId, bad));
    expect(error2.field).toBe('connectionId');
    expect(calls).toHaveLength(0);
  });
});

describe('client input validation', () => {
  it.each([
    ['a blank name', { name: '' }, 'Enter the company name.'],
    ['a whitespace name', { name: '   ' }, 'Enter the company name.'],
    ['an over-long name', { name: 'x'.repeat(256) }, 'The company name must be 255 characters or fewer.'],
  ])('rejects %s with invalid-input and sends nothing', async (_label, input, message) => {
    const { api, calls } = client([json(200, company)]);
    const error = await failure(api.createCompany(input));
    expect(error).toMatchObject({ code: 'invalid-input', field: 'name', message });
    expect(calls).toHaveLength(0);
  });

  it('honours a custom maximum company name length', async () => {
    const { api, calls } = client([json(200, company)], { maxCompanyNameLength: 5 });
    expect((await failure(api.createCompany({ name: 'Acme Ltd' }))).code).toBe('invalid-input');
    await api.createCompany({ name: 'Acme' });
    expect(calls).toHaveLength(1);
  });

  it.each(['zzzz', 'QHYG', 'qhy', ''])('rejects the platform key %j with invalid-input and sends nothing', async (key) => {
    const { api, calls } = client([json(200, connection)]);
    const error = await failure(api.createConnection(companyId, { platformKey: key }));
    expect(error).toMatchObject({ code: 'invalid-input', field: 'platformKey' });
    expect(calls).toHaveLength(0);
  });

  it('accepts only the platform keys configured', async () => {
    const { api, calls } = client([json(200, connection)], { platformKeys: ['gbol'] });
    expect((await failure(api.createConnection(companyId, { platformKey: 'qhyg' }))).code).toBe('invalid-input');
    await api.createConnection(companyId, { platformKey: 'gbol' });
    expect(calls).toHaveLength(1);
  });
});

describe('client errors', () => {
  it('turns a rejected fetch into a network error', async () => {
    const { api } = client([new TypeError('Failed to fetch')], { retry: false });
    const error = await failure(api.getCompany(companyId));
    expect(error).toMatchObject({ code: 'network', operation: 'getCompany', retryable: true });
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it('exposes Codat’s error body on an HTTP error and uses its text as the message', async () => {
    const body = codatError(404, 'Company not found.', {
      validation: { errors: [{ itemId: 'id', message: 'unknown', validatorName: 'v' }], warnings: [] },
    });
    const { api } = client([json(404, body)]);
    const error = await failure(api.getCompany(companyId));
    expect(error).toMatchObject({ code: 'http', status: 404, message: 'Company not found.', retryable: false });
    expect(error.correlationId).toBe(body.correlationId);
    expect(error.codat?.validation?.errors[0]?.message).toBe('unknown');
  });

  it('still types an HTTP error whose body is an HTML page', async () => {
    const { api } = client([new Response('<html>Bad gateway</html>', { status: 502 })], { retry: false });
    const error = await failure(api.getCompany(companyId));
    expect(error).toMatchObject({ code: 'http', status: 502, codat: undefined, retryable: true });
  });

  it('reports 429 as rate-limited with the Retry-After seconds', async () => {
    const { api } = client([json(429, codatError(429, 'Too many'), { 'Retry-After': '12' })], { retry: false });
    const error = await failure(api.createCompany({ name: 'Acme' }));
    expect(error).toMatchObject({ code: 'rate-limited', status: 429, retryAfter: 12, retryable: true });
  });

  it('reads an HTTP-date Retry-After as seconds from now', () => {
    const now = Date.parse('2026-11-24T10:00:00Z');
    expect(parseRetryAfter('Tue, 24 Nov 2026 10:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Tue, 24 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('reports malformed JSON on a 200 as invalid-response', async () => {
    const { api } = client([new Response('{"id": ', { status: 200 })]);
    expect((await failure(api.getCompany(companyId))).code).toBe('invalid-response');
  });

  it('reports a body of the wrong shape as invalid-response', async () => {
    const { api } = client([json(200, { name: 'no id' }), json(200, { results: 'nope' }), json(200, [])]);
    expect((await failure(api.getConnection(companyId, connectionId))).code).toBe('invalid-response');
    expect((await failure(api.listConnections(companyId))).code).toBe('invalid-response');
    expect((await failure(api.getCompany(companyId))).code).toBe('invalid-response');
  });

  it('reports an empty 200 body where JSON was expected as invalid-response', async () => {
    const { api } = client([new Response('', { status: 200 })]);
    expect((await failure(api.createConnection(companyId, { platformKey: 'gbol' }))).code).toBe('invalid-response');
  });

  it.each([
    ['undefined (a fetcher that forgot to return)', undefined],
    ['null', null],
    ['an empty object', {}],
    ['a plain object without text()', { ok: true, status: 200, json: async () => company }],
  ])('reports a fetcher resolving with %s instead of a Response as invalid-response, without retrying', async (_label, answer) => {
    vi.useFakeTimers();
    const { api, calls } = client([() => answer as unknown as Response]);
    const pending = failure(api.getCompany(companyId));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await pending).toMatchObject({ code: 'invalid-response', operation: 'getCompany' });
    expect(calls).toHaveLength(1);
  });

  it('rejects with aborted when the signal is already aborted, without a request', async () => {
    const { api, calls } = client([json(200, company)]);
    const error = await failure(api.getCompany(companyId, { signal: AbortSignal.abort() }));
    expect(error.code).toBe('aborted');
    expect(calls).toHaveLength(0);
  });

  it('aborts the request in flight when the caller’s signal aborts', async () => {
    const controller = new AbortController();
    const { api, calls } = client([
      (call) =>
        new Promise<Response>((_resolve, reject) => {
          call.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        }),
    ]);
    const pending = failure(api.getCompany(companyId, { signal: controller.signal }));
    await Promise.resolve();
    controller.abort();
    const error = await pending;
    expect(error.code).toBe('aborted');
    expect(calls[0]?.signal?.aborted).toBe(true);
  });

  it('reports an AbortError the fetcher raised on its own as a retryable network failure, not a cancellation', async () => {
    const { api, calls } = client([() => Promise.reject(new DOMException('host gave up', 'AbortError'))], { retry: false });
    const error = await failure(api.createCompany({ name: 'Acme' }));
    expect(error).toMatchObject({ code: 'network', operation: 'createCompany', retryable: true });
    expect(error.cause).toBeInstanceOf(DOMException);
    expect(calls).toHaveLength(1);
  });

  it('rejects with aborted when a fetcher that ignores the signal answers after the caller aborted', async () => {
    const controller = new AbortController();
    let answer: (r: Response) => void = () => {};
    const { api } = client([() => new Promise<Response>((resolve) => (answer = resolve))]);
    const pending = failure(api.getCompany(companyId, { signal: controller.signal }));
    await Promise.resolve();
    controller.abort();
    answer(json(200, company));
    expect((await pending).code).toBe('aborted');
  });

  it('times out a request that takes longer than timeoutMs', async () => {
    vi.useFakeTimers();
    const { api, calls } = client(
      [
        (call) =>
          new Promise<Response>((_resolve, reject) => {
            call.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
          }),
      ],
      { timeoutMs: 5000, retry: false },
    );
    const pending = failure(api.getCompany(companyId));
    await vi.advanceTimersByTimeAsync(4999);
    expect(calls[0]?.signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).code).toBe('timeout');
  });

  it('gives every error code a readable default message', () => {
    const codes = ['network', 'aborted', 'timeout', 'http', 'rate-limited', 'invalid-response', 'invalid-input', 'popup-blocked', 'unsafe-link-url', 'link-cancelled', 'link-failed'] as const;
    for (const code of codes) {
      const message = new BillPayError(code).message;
      expect(message.length).toBeGreaterThan(20);
      expect(message).toMatch(/[.]$/);
    }
  });
});

describe('client retries', () => {
  it('retries a GET after a 503 and succeeds on the next attempt', async () => {
    vi.useFakeTimers();
    const { api, calls } = client([json(503, codatError(503, 'Unavailable')), json(200, company)]);
    const pending = api.getCompany(companyId);
    await vi.advanceTimersByTimeAsync(300);
    await expect(pending).resolves.toMatchObject({ id: companyId });
    expect(calls).toHaveLength(2);
  });

  it('waits out Retry-After before retrying a GET', async () => {
    vi.useFakeTimers();
    const { api, calls } = client([json(429, codatError(429, 'Slow down'), { 'Retry-After': '3' }), json(200, company)]);
    const pending = api.getCompany(companyId);
    await vi.advanceTimersByTimeAsync(2999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(pending).resolves.toMatchObject({ id: companyId });
    expect(calls).toHaveLength(2);
  });

  it('fails at once with rate-limited when Retry-After exceeds the cap', async () => {
    const { api, calls } = client([json(429, codatError(429, 'Slow down'), { 'Retry-After': '120' })]);
    const error = await failure(api.getCompany(companyId));
    expect(error).toMatchObject({ code: 'rate-limited', retryAfter: 120 });
    expect(calls).toHaveLength(1);
  });

  it('backs off exponentially between retries and gives up after the configured count', async () => {
    vi.useFakeTimers();
    const { api, calls } = client([new TypeError('Failed to fetch')], { retry: { retries: 3, baseDelayMs: 100, maxDelayMs: 250, jitter: false } });
    const pending = failure(api.getCompany(companyId));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(199);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(250);
    expect(calls).toHaveLength(4);
    expect((await pending).code).toBe('network');
  });

  it('does not retry when retry is false', async () => {
    const { api, calls } = client([json(503, codatError(503, 'x'))], { retry: false });
    expect((await failure(api.getCompany(companyId))).status).toBe(503);
    expect(calls).toHaveLength(1);
  });

  it.each([
    ['a 503', json(503, codatError(503, 'x'))],
    ['a 429', json(429, codatError(429, 'x'), { 'Retry-After': '1' })],
    ['a network error', new TypeError('Failed to fetch')],
  ])('never retries a POST after %s', async (_label, answer) => {
    vi.useFakeTimers();
    const { api, calls } = client([answer]);
    const pendingCompany = failure(api.createCompany({ name: 'Acme' }));
    const pendingConnection = failure(api.createConnection(companyId, { platformKey: 'qhyg' }));
    await vi.advanceTimersByTimeAsync(60_000);
    await pendingCompany;
    await pendingConnection;
    expect(calls.map((c) => c.method)).toEqual(['POST', 'POST']);
  });

  it('does not retry a 4xx other than 429', async () => {
    const { api, calls } = client([json(404, codatError(404, 'Not found'))]);
    await failure(api.getCompany(companyId));
    expect(calls).toHaveLength(1);
  });

  it('retries the idempotent unlink PATCH and DELETE', async () => {
    vi.useFakeTimers();
    const { api, calls } = client([
      json(503, codatError(503, 'x')),
      json(200, { ...connection, status: 'Unlinked' }),
      new TypeError('Failed to fetch'),
      new Response(null, { status: 200 })]);
    const unlink = api.unlinkConnection(companyId, connectionId);
    await vi.advanceTimersByTimeAsync(300);
    await expect(unlink).resolves.toMatchObject({ status: 'Unlinked' });
    const remove = api.deleteConnection(companyId, connectionId);
    await vi.advanceTimersByTimeAsync(300);
    await expect(remove).resolves.toBeUndefined();
    expect(calls.map((c) => c.method)).toEqual(['PATCH', 'PATCH', 'DELETE', 'DELETE']);
  });

  it('stops waiting for a retry when the signal aborts', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const { api, calls } = client([json(503, codatError(503, 'x')), json(200, company)]);
    const pending = failure(api.getCompany(companyId, { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    expect((await pending).code).toBe('aborted');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(1);
  });
});

describe('client: Idempotency-Key on creates', () => {
  const keyOf = (call: Call | undefined) => call?.headers['Idempotency-Key'];

  it('sends the same key when the same create is sent again after a failure, and a new one after a success', async () => {
    const { api, calls } = client([new TypeError('connection reset'), json(200, company), json(200, company)]);
    await failure(api.createCompany({ name: 'Acme' }));
    await api.createCompany({ name: 'Acme' });
    await api.createCompany({ name: 'Acme' });
    expect(keyOf(calls[0])).toMatch(/^[0-9a-f]{32}$/);
    expect(keyOf(calls[1])).toBe(keyOf(calls[0]));
    expect(keyOf(calls[2])).toMatch(/^[0-9a-f]{32}$/);
    expect(keyOf(calls[2])).not.toBe(keyOf(calls[0]));
  });

  it('gives another create (other name, other platform, other company) its own key', async () => {
    const { api, calls } = client([new TypeError('connection reset')]);
    await failure(api.createCompany({ name: 'Acme' }));
    await failure(api.createCompany({ name: 'Other Ltd' }));
    await failure(api.createConnection(companyId, { platformKey: 'qhyg' }));
    await failure(api.createConnection(companyId, { platformKey: 'gbol' }));
    await failure(api.createConnection(connectionId, { platformKey: 'qhyg' }));
    expect(new Set(calls.map(keyOf)).size).toBe(5);
  });

  it('sends no key on reads, unlinks and deletes, nor on creates with idempotencyKeys: false', async () => {
    const { api, calls } = client([json(200, connection)], { idempotencyKeys: false });
    await api.getConnection(companyId, connectionId);
    await api.unlinkConnection(companyId, connectionId);
    await api.createConnection(companyId, { platformKey: 'qhyg' });
    expect(calls.map(keyOf)).toEqual([undefined, undefined, undefined]);
  });
});
