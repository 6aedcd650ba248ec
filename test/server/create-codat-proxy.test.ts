import { createServer } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { createCodatProxy, toNodeHandler, type CodatProxyOptions, type ProxyLogEntry } from '../../src/server/index.js';

const key = 'c2VjcmV0LWtleS0xMjM=';
const companyId = '8a210b68-6988-11ed-a1eb-0242ac120002';
const connectionId = '2e9d2c44-f675-40ba-8049-353bfcb5e171';

function setup(options: Partial<CodatProxyOptions> = {}, answer: (url: string, init: RequestInit) => Response | Promise<Response> = () => json(200, { id: companyId, name: 'Acme' })) {
  const upstream = vi.fn(async (url: string, init: RequestInit) => answer(url, init));
  const logs: ProxyLogEntry[] = [];
  const authorize = vi.fn<CodatProxyOptions['authorize']>(() => true);
  const proxy = createCodatProxy({ apiKey: key, baseUrl: 'http://codat.test', authorize, fetch: upstream, onLog: (e) => logs.push(e), ...options });
  const call = (method: string, path: string, init: RequestInit = {}) =>
    proxy(new Request(`http://host.test${path}`, { method, ...init }));
  return { proxy, upstream, logs, authorize, call };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
const jsonInit = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  body: JSON.stringify(body),
  headers: { 'Content-Type': 'application/json', ...headers },
});

describe('createCodatProxy forwarding', () => {
  it.each([
    ['POST', '/api/codat/companies', 'createCompany', undefined],
    ['GET', `/api/codat/companies/${companyId}`, 'getCompany', companyId],
    ['POST', `/api/codat/companies/${companyId}/connections`, 'createConnection', companyId],
    ['GET', `/api/codat/companies/${companyId}/connections?page=2&pageSize=10&query=status%3DLinked&evil=1`, 'listConnections', companyId],
    ['GET', `/api/codat/companies/${companyId}/connections/${connectionId}`, 'getConnection', companyId],
    ['PATCH', `/api/codat/companies/${companyId}/connections/${connectionId}`, 'unlinkConnection', companyId],
    ['DELETE', `/api/codat/companies/${companyId}/connections/${connectionId}`, 'deleteConnection', companyId],
    ['GET', '/api/codat/integrations?page=1', 'listIntegrations', undefined],
    ['GET', '/api/codat/integrations/rwuv', 'getIntegration', undefined],
    ['GET', '/api/codat/integrations/gbol/branding', 'getIntegrationBranding', undefined],
  ])('forwards %s %s as %s after asking authorize', async (method, path, operation, company) => {
    const { call, upstream, authorize } = setup();
    const hasBody = method === 'POST' || method === 'PATCH';
    // The body the kit's client sends for each operation.
    const kitBody = { createCompany: { name: 'x' }, createConnection: { platformKey: 'gbol' }, unlinkConnection: { status: 'Unlinked' } }[operation as string];
    const response = await call(method, path, hasBody ? jsonInit(kitBody, { Authorization: 'Bearer user-token', Cookie: 'sid=1' }) : { headers: { Cookie: 'sid=1' } });
    expect(response.status).toBe(200);
    expect(authorize).toHaveBeenCalledWith(expect.objectContaining({ companyId: company, operation }));
    const [url, init] = upstream.mock.calls[0] ?? [];
    const expected = new URL(path, 'http://host.test');
    expect(url).toBe(`http://codat.test${expected.pathname.replace('/api/codat', '')}${path.includes('evil') ? '?page=2&pageSize=10&query=status%3DLinked' : expected.search}`);
    expect(init?.method).toBe(method);
    expect(init?.headers).toEqual({ Accept: 'application/json', Authorization: `Basic ${key}`, ...(hasBody ? { 'Content-Type': 'application/json' } : {}) });
  });

  it.each([
    ['GET', '/api/codat/companies'],
    ['PUT', `/api/codat/companies/${companyId}`],
    ['GET', `/api/codat/companies/${companyId}/connections/${connectionId}/dataStatus`],
    ['GET', '/api/codat/companies/..%2F..%2Fconfig'],
    ['GET', '/elsewhere/companies'],
    ['GET', '/api/codat/integrations/GBOL/branding'],
    ['GET', '/api/codat/config/integrations'],
    ['GET', '/api/codat/config/integrations/gbol/branding'],
  ])('answers 404 without going upstream for %s %s', async (method, path) => {
    const { call, upstream, authorize } = setup();
    const response = await call(method, path);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ statusCode: 404, service: 'billpay-connect-proxy', validation: null });
    expect(upstream).not.toHaveBeenCalled();
    expect(authorize).not.toHaveBeenCalled();
  });

  it('allows listing companies only when the host opts in', async () => {
    const { call } = setup({ allowListCompanies: true }, () => json(200, { results: [] }));
    expect((await call('GET', '/api/codat/companies')).status).toBe(200);
  });

  it('refuses a company the user may not touch with 403 in Codat’s shape and no upstream call', async () => {
    const { call, upstream } = setup({ authorize: ({ companyId: id }) => id !== companyId });
    const response = await call('GET', `/api/codat/companies/${companyId}`);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ statusCode: 403, error: 'You do not have access to this company.' });
    expect(upstream).not.toHaveBeenCalled();
  });

  it('treats a throwing authorize as a denial', async () => {
    const { call, upstream } = setup({ authorize: () => Promise.reject(new Error('no session')) });
    expect((await call('GET', `/api/codat/companies/${companyId}`)).status).toBe(403);
    expect(upstream).not.toHaveBeenCalled();
  });

  it('refuses bodies that are too large, not JSON, or malformed', async () => {
    const { call, upstream } = setup({ maxBodyBytes: 32 });
    expect((await call('POST', '/api/codat/companies', jsonInit({ name: 'x'.repeat(64) }))).status).toBe(413);
    expect((await call('POST', '/api/codat/companies', { body: 'name=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })).status).toBe(415);
    expect((await call('POST', '/api/codat/companies', { body: '{nope', headers: { 'Content-Type': 'application/json' } })).status).toBe(400);
    expect(upstream).not.toHaveBeenCalled();
  });

  it.each([
    ['eleven tags', { name: 'Acme', tags: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])) }, /at most 10 tags/],
    ['a tag value over 100 characters', { name: 'Acme', tags: { uid: 'v'.repeat(101) } }, /value of up to 100/],
    ['a name of only characters Codat strips', { name: '()[]' }, /letters or numbers/],
    ['a blank name', { name: '   ' }, /Enter the company name/],
    ['a 60,000-character name', { name: 'a'.repeat(60_000) }, /1000 characters or fewer/],
  ])('refuses a company with %s as a 400 saying why, before authorize and without going upstream', async (_label, body, why) => {
    const { call, upstream, authorize } = setup({ maxBodyBytes: 128 * 1024 });
    const response = await call('POST', '/api/codat/companies', jsonInit(body));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(why);
    expect(upstream).not.toHaveBeenCalled();
    expect(authorize).not.toHaveBeenCalled();
  });

  it('forwards a company name with the characters Codat strips already removed', async () => {
    const { call, upstream } = setup();
    await call('POST', '/api/codat/companies', jsonInit({ name: ' Company (Codat[1]) ', tags: { uid: 'cust_1' } }));
    expect(JSON.parse(String(upstream.mock.calls[0]?.[1].body))).toEqual({ name: 'Company Codat1', tags: { uid: 'cust_1' } });
  });

  it('tells the host about a created company so it can tie it to the user', async () => {
    const onCompanyCreated = vi.fn();
    const { call } = setup({ onCompanyCreated });
    await call('POST', '/api/codat/companies', jsonInit({ name: 'Acme' }));
    expect(onCompanyCreated).toHaveBeenCalledWith(expect.objectContaining({ company: { id: companyId, name: 'Acme' } }));
  });
});

describe('createCodatProxy responses', () => {
  it('passes through Codat’s status, error body and Retry-After, and drops other headers', async () => {
    const body = { statusCode: 429, service: 'PublicApi', error: 'Rate limited', correlationId: 'abc', validation: null, canBeRetried: 'True', detailedErrorCode: 0 };
    const { call, logs } = setup({}, () => json(429, body, { 'Retry-After': '17', 'Set-Cookie': 'codat=1', 'X-Internal': 'x' }));
    const response = await call('GET', `/api/codat/companies/${companyId}`);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('17');
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('x-internal')).toBeNull();
    expect(await response.json()).toEqual(body);
    expect(logs[0]).toMatchObject({ method: 'GET', path: `/companies/${companyId}`, operation: 'getCompany', status: 429, correlationId: 'abc' });
  });

  it('answers 502 with an error body when Codat cannot be reached', async () => {
    const { call } = setup({}, () => Promise.reject(new TypeError('fetch failed')));
    const response = await call('GET', `/api/codat/companies/${companyId}`);
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ statusCode: 502, canBeRetried: 'True' });
  });

  it('answers 504 when Codat does not answer in time', async () => {
    vi.useFakeTimers();
    try {
      const { call } = setup({ timeoutMs: 1000 }, (_url, init) => new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('x', 'AbortError')))));
      const pending = call('GET', `/api/codat/companies/${companyId}`);
      await vi.advanceTimersByTimeAsync(1000);
      expect((await pending).status).toBe(504);
    } finally {
      vi.useRealTimers();
    }
  });

  it('never lets the key reach a response body, header or log entry', async () => {
    const { call, logs } = setup({}, (_url, init) => json(500, { statusCode: 500, error: `bad auth header ${(init.headers as Record<string, string>).Authorization}` }));
    const response = await call('GET', `/api/codat/companies/${companyId}`);
    const text = await response.text();
    expect(text).not.toContain(key);
    expect(text).toContain('[redacted]');
    response.headers.forEach((value) => expect(value).not.toContain(key));
    expect(JSON.stringify(logs)).not.toContain(key);
  });

  it('can be created without a key (a build where the key is not set) and answers 500 until there is one, logging why once', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    for (const apiKey of ['', undefined]) {
      const upstream = vi.fn(async () => json(200, {}));
      const proxy = createCodatProxy({ apiKey, authorize: () => true, fetch: upstream });
      const response = await proxy(new Request(`http://host.test/api/codat/companies/${companyId}`));
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ statusCode: 500, error: 'The server is not set up to reach Codat yet (no API key).' });
      await proxy(new Request(`http://host.test/api/codat/companies/${companyId}`));
      expect(upstream).not.toHaveBeenCalled();
    }
    expect(error).toHaveBeenCalledTimes(2);
    expect(error.mock.calls[0]?.[0]).toMatch(/^billpay-connect: createCodatProxy has no apiKey/);
    error.mockRestore();
  });

  it('reads a key given as a function at the first request, and only once', async () => {
    const read = vi.fn(() => key);
    const upstream = vi.fn(async (_url: string, _init: RequestInit) => json(200, { id: companyId, name: 'Acme' }));
    const proxy = createCodatProxy({ apiKey: read, authorize: () => true, fetch: upstream, baseUrl: 'http://codat.test' });
    expect(read).not.toHaveBeenCalled();
    await proxy(new Request(`http://host.test/api/codat/companies/${companyId}`));
    await proxy(new Request(`http://host.test/api/codat/companies/${companyId}`));
    expect(read).toHaveBeenCalledTimes(1);
    expect(upstream.mock.calls[1]?.[1].headers).toMatchObject({ Authorization: `Basic ${key}` });
  });

  it('refuses a key too short to redact without mangling answers, and redacts an eight-character one only where it occurs', async () => {
    expect(() => createCodatProxy({ apiKey: 'k', authorize: () => true })).toThrow(/shorter than 8 characters/);
    const { call } = setup({ apiKey: 'k3yk3yk3' }, () => json(200, { id: companyId, name: 'Kookaburra k3yk3yk3 Books' }));
    expect(await (await call('GET', `/api/codat/companies/${companyId}`)).json()).toMatchObject({ name: 'Kookaburra [redacted] Books' });
  });
});

describe('toNodeHandler', () => {
  it('serves the proxy over real HTTP on 127.0.0.1', async () => {
    const { proxy, upstream } = setup();
    const server = createServer(toNodeHandler(proxy));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const response = await fetch(`http://127.0.0.1:${port}/api/codat/companies`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Node' }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ id: companyId });
      expect(upstream.mock.calls[0]?.[1]?.body).toBe('{"name":"Node"}');
      const missing = await fetch(`http://127.0.0.1:${port}/api/codat/nope`);
      expect(missing.status).toBe(404);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
