import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCodatProxy, toNodeHandler, type CodatProxyOptions, type ProxyLogEntry } from '../../src/server/index.js';
import { companyId, companyPath, json, key, setup } from './proxy-fixture.js';

const decodedKey = atob(key);
const connectionId = '2e9d2c44-f675-40ba-8049-353bfcb5e171';
const connectionPath = `${companyPath}/connections/${connectionId}`;

const jsonText = (body: string, headers: Record<string, string> = {}): RequestInit => ({ body, headers: { 'Content-Type': 'application/json', ...headers } });

describe('paths and encodings', () => {
  it.each([
    ['dot segments encoded', `${companyPath}/connections/%2e%2e`],
    ['encoded slash inside an id', `/api/codat/companies/${companyId}%2Fconnections`],
    ['encoded backslash', `/api/codat/companies/${companyId}%5Cconnections`],
    ['double slash', '/api/codat//companies'],
    ['trailing slash', `${companyPath}/`],
    ['case change', `/api/codat/Companies/${companyId}`],
    ['case change of the prefix', `/API/codat/companies/${companyId}`],
    ['unicode id', '/api/codat/companies/caf\u00e9'],
    ['fullwidth solidus', `/api/codat/companies/${companyId}\uff0fconnections`],
    ['NUL', `${companyPath}%00`],
    ['matrix parameter', `${companyPath};x=1`],
    ['65-character id', `/api/codat/companies/${'a'.repeat(65)}`],
    ['escape above the prefix', `/api/codat/../companies/${companyId}`],
    ['unknown sub-resource', `${connectionPath}/dataStatus`],
    ['branding of a key with a dot', '/api/codat/integrations/gb.l/branding'],
  ])('%s: 404 before authorize or upstream (%s)', async (_label, path) => {
    const { call, upstream, authorize } = setup();
    expect((await call('GET', path)).status).toBe(404);
    expect(authorize).not.toHaveBeenCalled();
    expect(upstream).not.toHaveBeenCalled();
  });

  it.each([
    ['backslashes (the URL parser reads them as slashes)', `/api/codat\\companies\\${companyId}`],
    ['dot segments resolved before the prefix check', `/api/codat/x/%2e%2e/companies/${companyId}`],
  ])('%s: the path authorize sees is the path forwarded', async (_label, path) => {
    const { call, upstream, authorize } = setup();
    expect((await call('GET', path)).status).toBe(200);
    expect(authorize).toHaveBeenCalledWith(expect.objectContaining({ companyId, operation: 'getCompany' }));
    expect(upstream.mock.calls[0]?.[0]).toBe(`http://codat.test/companies/${companyId}`);
  });

  it('hands authorize the id exactly as forwarded, so an upper-case UUID cannot pass as another id', async () => {
    const { call, upstream, authorize } = setup();
    await call('GET', `/api/codat/companies/${companyId.toUpperCase()}`);
    expect(authorize.mock.calls[0]?.[0].companyId).toBe(companyId.toUpperCase());
    expect(upstream.mock.calls[0]?.[0]).toBe(`http://codat.test/companies/${companyId.toUpperCase()}`);
  });
});

describe('query strings', () => {
  it('forwards only the first page/pageSize/query/orderBy, re-encoded, and never a company id from the query', async () => {
    const { call, upstream, authorize } = setup({ allowListCompanies: true });
    await call('GET', `/api/codat/companies?companyId=${companyId}&page=1&page=2&query=a%26companyId%3Dx&%24expand=all&pageSize=5`);
    expect(upstream.mock.calls[0]?.[0]).toBe('http://codat.test/companies?page=1&pageSize=5&query=a%26companyId%3Dx');
    expect(authorize).toHaveBeenCalledWith(expect.objectContaining({ companyId: undefined, operation: 'listCompanies' }));
  });

  it('does not let a companyId in the query reach createCompany', async () => {
    const { call, upstream } = setup();
    await call('POST', `/api/codat/companies?companyId=${companyId}`, jsonText('{"name":"x"}'));
    expect(upstream.mock.calls[0]?.[0]).toBe('http://codat.test/companies');
  });
});

describe('methods', () => {
  it.each(['HEAD', 'OPTIONS', 'PUT', 'POST'])('%s on a connection is 404', async (method) => {
    const { call, upstream } = setup();
    expect((await call(method, connectionPath)).status).toBe(404);
    expect(upstream).not.toHaveBeenCalled();
  });

  it('ignores X-HTTP-Method-Override and friends', async () => {
    const { call, upstream } = setup();
    await call('GET', connectionPath, { headers: { 'X-HTTP-Method-Override': 'DELETE', 'X-Method-Override': 'DELETE', 'X-HTTP-Method': 'DELETE' } });
    expect(upstream.mock.calls[0]?.[1].method).toBe('GET');
    expect(upstream.mock.calls[0]?.[1].headers).toEqual({ Accept: 'application/json', Authorization: `Basic ${key}` });
  });

  it('forwards a lower-case patch as the unlink it is (the Fetch API keeps its case)', async () => {
    const { call, upstream, authorize } = setup();
    expect((await call('patch', connectionPath, jsonText('{"status":"Unlinked"}'))).status).toBe(200);
    expect(authorize).toHaveBeenCalledWith(expect.objectContaining({ operation: 'unlinkConnection' }));
    expect(upstream.mock.calls[0]?.[1].method).toBe('PATCH');
  });
});

describe('headers', () => {
  it('sends only Accept, the key and Content-Type upstream, whatever the browser sends', async () => {
    const { call, upstream } = setup();
    await call('POST', '/api/codat/companies', {
      body: '{"name":"x"}',
      headers: {
        'Content-Type': 'application/json',
        Authorization: 'Basic c3RvbGVu',
        'Proxy-Authorization': 'Basic c3RvbGVu',
        Cookie: 'sid=1',
        Host: 'evil.test',
        'X-Forwarded-For': '1.2.3.4',
        'X-Forwarded-Host': 'evil.test',
        Forwarded: 'for=1.2.3.4',
        Connection: 'keep-alive, Authorization',
        'Keep-Alive': 'timeout=5',
        TE: 'trailers',
        Upgrade: 'websocket',
      },
    });
    expect(upstream.mock.calls[0]?.[1].headers).toEqual({ Accept: 'application/json', Authorization: `Basic ${key}`, 'Content-Type': 'application/json' });
  });

  it.each([
    ['application/json; charset=utf-8', 200],
    ['APPLICATION/JSON', 200],
    ['application/json-patch+json', 200],
    ['text/plain', 415],
    ['text/plain; application/json', 415],
    ['application/x-www-form-urlencoded', 415],
    ['multipart/form-data; boundary=x', 415],
    ['application/jsonx', 415],
  ])('Content-Type %s answers %i (cross-site simple requests cannot send JSON)', async (type, status) => {
    const { call } = setup();
    expect((await call('POST', '/api/codat/companies', { body: '{"name":"x"}', headers: { 'Content-Type': type } })).status).toBe(status);
  });

  it('refuses a body without Content-Type', async () => {
    const { call } = setup();
    const body = new Blob(['{"name":"x"}']);
    expect((await call('POST', '/api/codat/companies', { body })).status).toBe(415);
  });

  it('trusts the bytes, not Content-Length: a lying small length, a streamed body past the limit, a huge declared length', async () => {
    const { call, upstream } = setup({ maxBodyBytes: 64 });
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode(' '.repeat(20)));
        controller.close();
      },
    });
    expect((await call('POST', '/api/codat/companies', { body: chunks, duplex: 'half', headers: { 'Content-Type': 'application/json', 'Content-Length': '2' } } as RequestInit)).status).toBe(413);
    expect((await call('POST', '/api/codat/companies', jsonText('{"name":"x"}', { 'Content-Length': '999999999' }))).status).toBe(413);
    expect(upstream).not.toHaveBeenCalled();
  });

  it('answers 400 when the request body stream fails (client went away mid-upload) instead of throwing', async () => {
    const { call, upstream } = setup();
    const broken = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"name":'));
        controller.error(new Error('aborted'));
      },
    });
    const response = await call('POST', '/api/codat/companies', { body: broken, duplex: 'half', headers: { 'Content-Type': 'application/json' } } as RequestInit);
    expect(response.status).toBe(400);
    expect(upstream).not.toHaveBeenCalled();
  });
});

describe('JSON bodies: only what the kit sends reaches Codat', () => {
  it.each([
    ['a string', '"x"'],
    ['an array', '[{"name":"x"}]'],
    ['null', 'null'],
    ['a number', '1e999'],
    ['extra Codat fields the kit never sends', '{"name":"x","groups":[{"id":"g"}]}'],
    ['unknown fields', '{"name":"x","admin":true}'],
    ['a prototype key', '{"name":"x","__proto__":{"admin":true}}'],
    ['a name that is not a string', '{"name":{"first":"x"}}'],
    ['no name', '{"description":"x"}'],
    ['a non-string description', '{"name":"x","description":1}'],
    ['tags that are not strings', '{"name":"x","tags":{"a":{"b":"c"}}}'],
    ['tags that are an array', '{"name":"x","tags":["a"]}'],
    ['deep nesting', `{"name":"x","tags":${'{"a":'.repeat(5000)}"b"${'}'.repeat(5000)}}`],
  ])('createCompany with %s is 400', async (_label, body) => {
    const { call, upstream, authorize } = setup();
    const response = await call('POST', '/api/codat/companies', jsonText(body));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ statusCode: 400, service: 'billpay-connect-proxy' });
    expect(upstream).not.toHaveBeenCalled();
    expect(authorize).not.toHaveBeenCalled();
  });

  it('forwards the kit’s createCompany body (name, description, tags)', async () => {
    const { call, upstream } = setup();
    const body = { name: 'Acme', description: 'Widgets', tags: { region: 'uk' } };
    expect((await call('POST', '/api/codat/companies', jsonText(JSON.stringify(body)))).status).toBe(200);
    expect(JSON.parse(upstream.mock.calls[0]?.[1].body as string)).toEqual(body);
  });

  it.each([
    ['another status', '{"status":"Linked"}'],
    ['a status with other fields', '{"status":"Unlinked","sourceId":"x"}'],
    ['a duplicate key ending in another status', '{"status":"Unlinked","status":"Linked"}'],
    ['no status', '{}'],
    ['a lower-case status', '{"status":"unlinked"}'],
  ])('unlink with %s is 400', async (_label, body) => {
    const { call, upstream } = setup();
    expect((await call('PATCH', connectionPath, jsonText(body))).status).toBe(400);
    expect(upstream).not.toHaveBeenCalled();
  });

  it('forwards a canonical unlink body, so Codat and the proxy cannot read duplicate keys differently', async () => {
    const { call, upstream } = setup();
    expect((await call('PATCH', connectionPath, jsonText('{"status":"Linked","status":"Unlinked"}'))).status).toBe(200);
    expect(upstream.mock.calls[0]?.[1].body).toBe('{"status":"Unlinked"}');
  });

  it.each([
    ['extra fields', '{"platformKey":"gbol","companyId":"other"}'],
    ['a key that is not four letters', '{"platformKey":"../x"}'],
    ['a non-string key', '{"platformKey":["gbol"]}'],
  ])('createConnection with %s is 400', async (_label, body) => {
    const { call, upstream } = setup();
    expect((await call('POST', `${companyPath}/connections`, jsonText(body))).status).toBe(400);
    expect(upstream).not.toHaveBeenCalled();
  });

  it('never forwards a body on GET or DELETE', async () => {
    const { call, upstream } = setup();
    await call('DELETE', connectionPath, jsonText('{"hard":true}'));
    expect(upstream.mock.calls[0]?.[1].body).toBeUndefined();
  });
});

describe('authorize', () => {
  it.each([['false'], ['yes'], [1], [{ user: 'u' }], [[]]])('a truthy non-boolean (%j) is a denial', async (value) => {
    const { call, upstream } = setup({ authorize: () => value as unknown as boolean });
    expect((await call('GET', companyPath)).status).toBe(403);
    expect(upstream).not.toHaveBeenCalled();
  });

  it('a promise of a truthy non-boolean is a denial too; true is still allowed', async () => {
    expect((await setup({ authorize: async () => 'true' as unknown as boolean }).call('GET', companyPath)).status).toBe(403);
    expect((await setup({ authorize: async () => true }).call('GET', companyPath)).status).toBe(200);
  });

  it('a throw with the key in its message never reaches the response or the log', async () => {
    const { call, logs } = setup({ authorize: () => { throw new Error(`session store said ${key}`); } });
    const response = await call('GET', companyPath);
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain(key);
    expect(JSON.stringify(logs)).not.toContain(key);
  });
});

describe('upstream responses', () => {
  const echo = (body: string, headers: Record<string, string> = {}) => () => new Response(body, { status: 401, headers: { 'Content-Type': 'application/json', ...headers } });

  it.each([
    ['literally', `{"error":"bad header Basic ${key}"}`],
    ['JSON-escaped (as .NET escapes + and /)', `{"error":"bad header Basic ${key.replace(/\+/g, '\\u002B').replace(/\//g, '\\/')}"}`],
    ['lower-case JSON escapes', `{"error":"${key.replace(/\+/g, '\\u002b').replace(/\//g, '\\u002f')}"}`],
    ['percent-encoded', `{"error":"${encodeURIComponent(key)}"}`],
    ['base64-decoded', `{"error":"key ${JSON.stringify(decodedKey).slice(1, -1)} is revoked"}`],
  ])('redacts the key echoed in a body %s', async (_label, body) => {
    const { call } = setup({}, echo(body));
    const text = await (await call('GET', companyPath)).text();
    expect(text).toContain('[redacted]');
    expect(text).not.toContain(key);
    expect(text).not.toContain(encodeURIComponent(key));
    expect(text).not.toMatch(/\\u002b/i);
    expect(JSON.stringify(JSON.parse(text))).not.toContain(key);
    expect(JSON.parse(text).error).not.toContain(decodedKey);
  });

  it('redacts the key from the headers it passes and from the logged correlation id', async () => {
    const { call, logs } = setup({}, echo(`{"correlationId":"${key}"}`, { 'Content-Type': `application/json; key=${key}`, 'Retry-After': key }));
    const response = await call('GET', companyPath);
    response.headers.forEach((value) => expect(value).not.toContain(key));
    expect(JSON.stringify(logs)).not.toContain(key);
  });

  it('never serves an upstream HTML page as HTML from the host’s origin', async () => {
    const { call } = setup({}, () => new Response('<script>alert(1)</script>', { status: 503, headers: { 'Content-Type': 'text/html' } }));
    const response = await call('GET', '/api/codat/integrations');
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('keeps JSON content types, parameters included', async () => {
    const { call } = setup({}, () => new Response('{}', { headers: { 'Content-Type': 'application/problem+json; charset=utf-8' } }));
    expect((await call('GET', companyPath)).headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  });

  it('drops Set-Cookie and every other upstream header', async () => {
    const { call } = setup({}, () => json(200, {}, { 'Set-Cookie': 'codat=1', Location: 'https://evil.test', 'Access-Control-Allow-Origin': '*', Authorization: `Basic ${key}` }));
    const response = await call('GET', companyPath);
    expect([...response.headers.keys()].sort()).toEqual(['cache-control', 'content-type', 'x-content-type-options']);
  });

  it('asks the transport not to follow redirects, and answers 502 to a redirect without passing Location', async () => {
    const { call, upstream } = setup({}, () => new Response(null, { status: 307, headers: { Location: 'https://evil.test/steal' } }));
    const response = await call('GET', companyPath);
    expect(upstream.mock.calls[0]?.[1].redirect).toBe('manual');
    expect(response.status).toBe(502);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.json()).toMatchObject({ statusCode: 502, service: 'billpay-connect-proxy' });
  });

  it.each([[205], [304]])('answers a %i from Codat without throwing', async (status) => {
    const { call } = setup({}, () => new Response(null, { status }));
    const response = await call('DELETE', connectionPath);
    expect(response.status).toBe(status === 304 ? 502 : 205);
  });
});

describe('upstream over real HTTP', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
  const listen = async (handler: Parameters<typeof createServer>[1]) => {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  };

  it('does not follow a redirect from Codat, to another host or to another Codat path', async () => {
    const hits: string[] = [];
    const evil = await listen((req, res) => {
      hits.push(`evil ${req.url} ${req.headers.authorization ?? ''}`);
      res.end('{"stolen":true}');
    });
    const codat = await listen((req, res) => {
      hits.push(`codat ${req.url}`);
      if (req.url?.startsWith('/companies/')) res.writeHead(307, { Location: req.url.includes(companyId) ? `${evil}/x` : '/companies' }).end();
      else res.end('{"everyone":true}');
    });
    const proxy = createCodatProxy({ apiKey: key, baseUrl: codat, authorize: () => true });
    const cross = await proxy(new Request(`http://host.test${companyPath}`));
    const same = await proxy(new Request('http://host.test/api/codat/companies/other-id'));
    expect([cross.status, same.status]).toEqual([502, 502]);
    expect(hits).toEqual([`codat /companies/${companyId}`, 'codat /companies/other-id']);
  });
});

describe('toNodeHandler', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  async function start(options: Partial<CodatProxyOptions> = {}, answer?: (url: string, init: RequestInit) => Response | Promise<Response>) {
    const context = setup(options, answer);
    const server = createServer(toNodeHandler(context.proxy));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    return { ...context, server, port: typeof address === 'object' && address ? address.port : 0 };
  }

  /** Writes raw bytes and resolves with the status line once the server answers or closes. */
  function raw(port: number, data: string): Promise<string> {
    return new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let out = '';
      socket.on('data', (chunk) => {
        out += chunk.toString('latin1');
        if (out.includes('\r\n\r\n')) socket.destroy();
      });
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(out.split('\r\n')[0] ?? ''));
      socket.write(data);
    });
  }
  const get = (target: string, host = '127.0.0.1') => `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`;

  it.each([
    ['an invalid Host', get(companyPath, 'a b')],
    ['a Host with a bad port', get(companyPath, 'x:99999')],
    ['TRACE, which the Fetch API refuses', `TRACE ${companyPath} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`],
    ['an asterisk target', `OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`],
  ])('answers 400 to %s and keeps serving', async (_label, request) => {
    const errors: unknown[] = [];
    const onError = (error: unknown) => errors.push(error);
    process.on('uncaughtException', onError);
    try {
      const { port, upstream } = await start();
      expect(await raw(port, request)).toMatch(/^HTTP\/1\.1 400/);
      expect(await raw(port, get(companyPath))).toMatch(/^HTTP\/1\.1 200/);
      expect(upstream).toHaveBeenCalledTimes(1);
      expect(errors).toEqual([]);
    } finally {
      process.off('uncaughtException', onError);
    }
  });

  it('reads `//host/...` as a path (as Express does), not as an authority that drops a segment', async () => {
    const { port, upstream, authorize } = await start();
    expect(await raw(port, get(`//evil.test${companyPath}`))).toMatch(/^HTTP\/1\.1 404/);
    expect(authorize).not.toHaveBeenCalled();
    expect(upstream).not.toHaveBeenCalled();
  });

  it('does not let the Host header add path segments', async () => {
    const { port, upstream, authorize } = await start();
    expect(await raw(port, get(`/companies/${companyId}`, '127.0.0.1/api/codat'))).toMatch(/^HTTP\/1\.1 404/);
    expect(authorize).not.toHaveBeenCalled();
    expect(upstream).not.toHaveBeenCalled();
  });

  it('serves an absolute-form target by its path, with the Host header’s origin', async () => {
    const { port, authorize } = await start();
    expect(await raw(port, get(`http://evil.test${companyPath}`, 'app.test'))).toMatch(/^HTTP\/1\.1 200/);
    expect(authorize.mock.calls[0]?.[0].request.url).toBe(`http://app.test${companyPath}`);
  });

  it('joins repeated headers for authorize and still sends none of them upstream', async () => {
    const { port, authorize, upstream } = await start();
    await raw(port, `GET ${companyPath} HTTP/1.1\r\nHost: x\r\nCookie: a=1\r\nCookie: b=2\r\nX-Team: 1\r\nX-Team: 2\r\nConnection: close\r\n\r\n`);
    const request = authorize.mock.calls[0]?.[0].request;
    expect(request?.headers.get('cookie')).toBe('a=1; b=2');
    expect(request?.headers.get('x-team')).toBe('1, 2');
    expect(upstream.mock.calls[0]?.[1].headers).toEqual({ Accept: 'application/json', Authorization: `Basic ${key}` });
  });

  it('answers 413 to a chunked body past the limit without Content-Length', async () => {
    const { port, upstream } = await start({ maxBodyBytes: 100 });
    const chunk = 'x'.repeat(150);
    const request = `POST /api/codat/companies HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`;
    expect(await raw(port, request)).toMatch(/^HTTP\/1\.1 413/);
    expect(upstream).not.toHaveBeenCalled();
  });

  it('sends nothing upstream when the client disconnects mid-upload', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      let answered: (entry: ProxyLogEntry) => void = () => undefined;
      const logged = new Promise<ProxyLogEntry>((resolve) => {
        answered = resolve;
      });
      const { port, upstream, server } = await start({ onLog: (entry) => answered(entry) });
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      // The client goes away once the server has the headers and part of the body.
      server.once('request', () => socket.destroy());
      socket.write(`POST /api/codat/companies HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{"name":`);
      expect((await logged).status).toBe(400); // the body could not be read
      expect(upstream).not.toHaveBeenCalled();
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });

  it('aborts the upstream call when the client disconnects while Codat is answering', async () => {
    let upstreamSignal: AbortSignal | undefined;
    const client: { socket?: Socket } = {};
    const { port } = await start({}, (_url, init) => {
      upstreamSignal = init.signal ?? undefined;
      client.socket?.destroy(); // the client leaves while Codat is answering
      return new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    });
    const socket = connect(port, '127.0.0.1');
    client.socket = socket;
    socket.on('error', () => undefined);
    socket.write(`GET ${companyPath} HTTP/1.1\r\nHost: x\r\n\r\n`);
    await vi.waitFor(() => expect(upstreamSignal?.aborted).toBe(true));
  });
});
