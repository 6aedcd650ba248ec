import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCodatProxy, createMemoryIdempotencyStore, toNodeHandler, type CodatProxyOptions, type ProxyLogEntry } from '../../src/server/index.js';
import { deferred } from '../support/deferred.js';
import { companyId, companyPath, key, setup } from './proxy-fixture.js';

// toNodeHandler serves a handler made by createCodatProxy straight from Node's request (no Web Request or Response
// per request). These tests hold that direct path to the Web handler's behaviour, and check what it adds.

const connectionId = '2e9d2c44-f675-40ba-8049-353bfcb5e171';
const idemKey = 'idem-key-0123456789abcdef';

const servers: Server[] = [];
afterEach(async () => {
  vi.unstubAllGlobals();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

/** Sends raw bytes; resolves with the whole answer once the server closes the connection (`Connection: close`). */
function raw(port: number, data: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let out = '';
    socket.on('data', (chunk) => {
      out += chunk.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(out));
    socket.write(data);
  });
}
const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
const get = (target: string) => `GET ${target} HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n`;

/** The same proxy options twice: one proxy for the Web handler, one served by toNodeHandler. */
function pair(options: Partial<CodatProxyOptions> = {}) {
  return { web: setup({ allowListCompanies: true, ...options }), node: setup({ allowListCompanies: true, ...options }) };
}

describe('toNodeHandler serving createCodatProxy directly', () => {
  it.each([
    ['a plain read', companyPath],
    ['a list with a query', `/api/codat/companies/${companyId}/connections?page=2&pageSize=10&query=status%3DLinked&evil=1`],
    ['a query with odd characters', `/api/codat/companies?query=name%3D%22A%20B%22&orderBy=-created&page=1`],
    ['a connection', `${companyPath}/connections/${connectionId}`],
    ['integrations', '/api/codat/integrations?page=1&pageSize=100'],
    ['dot segments encoded', `${companyPath}/connections/%2e%2e`],
    ['a dot segment', `/api/codat/./companies/${companyId}`],
    ['dot segments resolved before the prefix check', `/api/codat/x/%2e%2e/companies/${companyId}`],
    ['a parent segment', `/api/codat/../codat/companies/${companyId}`],
    ['an encoded slash inside an id', `/api/codat/companies/${companyId}%2Fconnections`],
    ['backslashes', `/api/codat\\companies\\${companyId}`],
    ['a double slash', '/api/codat//companies'],
    ['a trailing slash', `${companyPath}/`],
    ['an upper-case prefix', `/API/codat/companies/${companyId}`],
    ['a percent-encoded unicode id', '/api/codat/companies/caf%C3%A9'],
    ['a matrix parameter', `${companyPath};x=1`],
    ['a 65-character id', `/api/codat/companies/${'a'.repeat(65)}`],
    ['an unknown route', '/api/codat/nope'],
    ['outside the prefix', '/elsewhere'],
    ['the bare prefix', '/api/codat'],
    ['a hash sign', `${companyPath}#x`],
  ])('answers %s as the Web handler does, forwarding the same URL', async (_label, target) => {
    const { web, node } = pair();
    const port = await listen(toNodeHandler(node.proxy));
    const viaWeb = await web.proxy(new Request(`http://app.test${target}`));
    const viaNode = statusOf(await raw(port, get(target)));
    expect(viaNode).toBe(viaWeb.status);
    expect(node.upstream.mock.calls.map(([url]) => url)).toEqual(web.upstream.mock.calls.map(([url]) => url));
    expect(node.authorize.mock.calls.map(([input]) => [input.companyId, input.operation])).toEqual(
      web.authorize.mock.calls.map(([input]) => [input.companyId, input.operation]),
    );
  });

  it('builds no Web Request or Response for a read whose authorize does not read `request`', async () => {
    const upstreamPort = await listen((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ id: companyId, name: 'Acme' }));
    });
    // The default transport (undici's pool, not fetch), as in production.
    const proxy = createCodatProxy({ apiKey: key, baseUrl: `http://127.0.0.1:${upstreamPort}`, authorize: () => true });
    const port = await listen(toNodeHandler(proxy));
    expect(statusOf(await raw(port, get(companyPath)))).toBe(200); // warm: undici is loaded at the first request
    const built = { requests: 0, responses: 0 };
    const { Request: WebRequest, Response: WebResponse } = globalThis;
    vi.stubGlobal(
      'Request',
      class extends WebRequest {
        constructor(...args: ConstructorParameters<typeof Request>) {
          super(...args);
          built.requests += 1;
        }
      },
    );
    vi.stubGlobal(
      'Response',
      class extends WebResponse {
        constructor(...args: ConstructorParameters<typeof Response>) {
          super(...args);
          built.responses += 1;
        }
      },
    );
    const answer = await raw(port, get(companyPath));
    expect(statusOf(answer)).toBe(200);
    expect(answer).toContain('"name":"Acme"');
    expect(built).toEqual({ requests: 0, responses: 0 });
  });

  it('builds the Web Request once when authorize reads it, with the joined headers and the Host origin', async () => {
    const seen: string[] = [];
    const { node } = pair({
      authorize: ({ request }) => {
        seen.push(request.url, request.headers.get('cookie') ?? '', request.url);
        return request.headers.get('cookie') === 'a=1; b=2';
      },
    });
    const port = await listen(toNodeHandler(node.proxy));
    const answer = await raw(port, `GET ${companyPath} HTTP/1.1\r\nHost: app.test\r\nCookie: a=1\r\nCookie: b=2\r\nConnection: close\r\n\r\n`);
    expect(statusOf(answer)).toBe(200);
    expect(seen).toEqual([`http://app.test${companyPath}`, 'a=1; b=2', `http://app.test${companyPath}`]);
  });

  it("gives authorize, idempotencyScope and onCompanyCreated Node's request, with what middleware put on it", async () => {
    type SessionRequest = IncomingMessage & { session?: { user: string } };
    const users: unknown[] = [];
    const userOf = (nodeRequest: IncomingMessage | undefined) => (nodeRequest as SessionRequest | undefined)?.session?.user;
    const { node } = pair({
      authorize: ({ nodeRequest }) => {
        users.push(['authorize', userOf(nodeRequest)]);
        return true;
      },
      idempotencyScope: (_request, { nodeRequest }) => {
        users.push(['idempotencyScope', userOf(nodeRequest)]);
        return userOf(nodeRequest);
      },
      onCompanyCreated: ({ nodeRequest, company }) => {
        users.push(['onCompanyCreated', userOf(nodeRequest), company.id]);
      },
    });
    const api = toNodeHandler(node.proxy);
    const port = await listen((req: SessionRequest, res) => {
      req.session = { user: 'alice' }; // as express-session would
      api(req, res);
    });
    const body = '{"name":"Acme"}';
    const answer = await raw(
      port,
      `POST /api/codat/companies HTTP/1.1\r\nHost: app.test\r\nContent-Type: application/json\r\nIdempotency-Key: ${idemKey}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    expect(statusOf(answer)).toBe(200);
    expect(node.upstream.mock.calls[0]?.[1].body).toBe(body);
    expect(users).toEqual([
      ['authorize', 'alice'],
      ['idempotencyScope', 'alice'],
      ['onCompanyCreated', 'alice', companyId],
    ]);
  });

  it('passes nodeRequest as undefined behind a Web-standard server', async () => {
    const { web } = pair();
    await web.proxy(new Request(`http://app.test${companyPath}`));
    expect(web.authorize.mock.calls[0]?.[0].nodeRequest).toBeUndefined();
  });

  it('serves an upstream answer that has no Content-Type as text/plain, never untyped', async () => {
    const page = new TextEncoder().encode('<script>alert(1)</script>'); // bytes: a Response adds no type
    const { node } = pair({ fetch: async () => new Response(page, { status: 503 }) });
    const port = await listen(toNodeHandler(node.proxy));
    const answer = await raw(port, get(companyPath));
    expect(statusOf(answer)).toBe(503);
    expect(answer).toMatch(/\r\ncontent-type: text\/plain; charset=utf-8\r\n/i);
    expect(answer).toMatch(/\r\nx-content-type-options: nosniff\r\n/i);
  });

  it('keeps headers a host set on the response before the proxy answered', async () => {
    const { node } = pair();
    const api = toNodeHandler(node.proxy);
    const port = await listen((req, res) => {
      res.setHeader('X-Request-Id', 'r-1');
      api(req, res);
    });
    const answer = await raw(port, get(companyPath));
    expect(answer).toMatch(/\r\nx-request-id: r-1\r\n/i);
    expect(answer).toMatch(/\r\ncache-control: no-store\r\n/i);
    expect(answer).toMatch(/\r\ncontent-type: application\/json\r\n/i);
  });
});

describe('a client that leaves while idempotencyScope runs', () => {
  /** A proxy whose idempotencyScope waits until the test answers it, with what the test watches. */
  function waitingScope() {
    const store = createMemoryIdempotencyStore();
    const claim = vi.spyOn(store, 'claim');
    const asked = deferred<IncomingMessage | undefined>();
    const scope = deferred<string>();
    const logged = deferred<ProxyLogEntry>();
    const upstream = vi.fn(async () => Response.json({ id: companyId, name: 'Acme' }));
    const proxy = createCodatProxy({
      apiKey: key,
      baseUrl: 'http://codat.test',
      authorize: () => true,
      fetch: upstream,
      idempotencyStore: store,
      onLog: (entry) => logged.resolve(entry),
      idempotencyScope: (_request, { nodeRequest }) => {
        asked.resolve(nodeRequest);
        return scope.promise;
      },
    });
    return { proxy, claim, asked, scope, logged, upstream };
  }

  it('gets nothing sent to Codat and no slot claimed (Web handler)', async () => {
    const { proxy, claim, asked, scope, logged, upstream } = waitingScope();
    const client = new AbortController();
    const answered = proxy(
      new Request('http://app.test/api/codat/companies', {
        method: 'POST',
        body: '{"name":"Acme"}',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idemKey },
        signal: client.signal,
      }),
    );
    await asked.promise;
    client.abort();
    scope.resolve('alice');
    expect((await answered).status).toBe(499);
    expect((await logged.promise).status).toBe(499);
    expect(upstream).not.toHaveBeenCalled();
    expect(claim).not.toHaveBeenCalled();
  });

  it('gets nothing sent to Codat and no slot claimed (toNodeHandler)', async () => {
    const { proxy, claim, asked, scope, logged, upstream } = waitingScope();
    const port = await listen(toNodeHandler(proxy));
    const body = '{"name":"Acme"}';
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write(
      `POST /api/codat/companies HTTP/1.1\r\nHost: app.test\r\nContent-Type: application/json\r\nIdempotency-Key: ${idemKey}\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    const nodeRequest = await asked.promise;
    const closed = once(nodeRequest?.socket ?? socket, 'close');
    socket.destroy();
    await closed;
    scope.resolve('alice');
    expect((await logged.promise).status).toBe(499);
    expect(upstream).not.toHaveBeenCalled();
    expect(claim).not.toHaveBeenCalled();
  });
});
