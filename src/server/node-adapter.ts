import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { CodatProxyHandler } from './create-codat-proxy.js';
import { textOf } from './plain-body.js';
import { engineOf, type ProxyEngine, type ProxyRequest, type Reply } from './proxy-request.js';
import { joined, readRequestText, UpstreamAbort } from './upstream.js';

type NodeRequest = IncomingMessage & { originalUrl?: string };

/**
 * Adapts a Web-standard handler to Node's `(req, res)`: for `node:http` servers and, unchanged, as
 * Express or Connect middleware (`app.use('/api/codat', toNodeHandler(proxy))` keeps the full URL in
 * `req.originalUrl`, which is what the proxy reads).
 *
 * A handler made by `createCodatProxy` is served directly from Node's request: no Web `Request` or `Response`
 * is built unless a host callback reads `request` (its callbacks also get `nodeRequest`). Any other handler
 * (the webhook handler, a proxy wrapped by the host) gets a `Request` and its `Response` is written out.
 */
export function toNodeHandler(handler: CodatProxyHandler) {
  const engine = engineOf(handler);
  if (engine) return (req: NodeRequest, res: ServerResponse): void => serveDirectly(engine, req, res);
  return (req: NodeRequest, res: ServerResponse): void => {
    const target = requestTarget(req);
    if (!target) {
      badRequest(res);
      return;
    }
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    let request: Request;
    try {
      request = webRequest(req, target, controller.signal);
    } catch {
      badRequest(res);
      return;
    }
    handler(request)
      .then((response) => writeResponse(res, response))
      .catch(() => failed(res));
  };
}

/** The origin and the request target: undefined for a Host or target that is not a URL (answered 400). */
interface Target {
  /** `http://` and the Host header's origin. */
  origin: string;
  /** The path and query, as sent (an absolute-form target's path and query). */
  target: string;
}

/** Host headers seen, and the origin each gives (null: not a host). A server hears few; the map is emptied past 256. */
const origins = new Map<string, string | null>();

function originOf(host: string): string | null {
  let origin = origins.get(host);
  if (origin !== undefined) return origin;
  try {
    // Only the Host header's origin: a Host such as `x/api/codat` must not add path segments.
    origin = new URL(`http://${host}`).origin;
  } catch {
    origin = null;
  }
  if (origins.size >= 256) origins.clear();
  origins.set(host, origin);
  return origin;
}

/**
 * The Host header, read from `rawHeaders` (the first one, as Node keeps): `req.headers` is built by Node on first
 * read, header by header, and a read the proxy forwards needs no other header.
 */
function hostOf(req: IncomingMessage): string | undefined {
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === 4 && name.toLowerCase() === 'host') return raw[i + 1];
  }
  return undefined;
}

function requestTarget(req: NodeRequest): Target | undefined {
  const origin = originOf(hostOf(req) ?? 'localhost');
  if (origin === null) return undefined;
  let target = req.originalUrl ?? req.url ?? '/';
  // A target such as `//evil/api/codat/...` stays a path (as Express and other routers read it), not an authority.
  if (!target.startsWith('/')) {
    try {
      const absolute = new URL(target); // absolute-form (`GET http://host/path`): keep its path and query
      target = `${absolute.pathname}${absolute.search}`;
    } catch {
      return undefined; // `*` (OPTIONS *) and other targets that are not a path
    }
  }
  return { origin, target };
}

/** Methods the Fetch API refuses to represent (and no route of the proxy uses). */
const forbiddenMethods = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** Every request header, as `joined` reads it. */
function headerList(req: IncomingMessage): [string, string][] {
  const headers: [string, string][] = [];
  for (const [key, value] of Object.entries(req.headers)) {
    const text = joined(value);
    if (text !== null) headers.push([key, text]);
  }
  return headers;
}

function webRequest(req: IncomingMessage, { origin, target }: Target, signal: AbortSignal): Request {
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(`${origin}${target}`, {
    method,
    headers: headerList(req),
    signal,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
}

/**
 * A path of plain segments (letters, digits, `-`, `_`, `~`) and a plain query reads the same as a WHATWG URL
 * reads it; anything else (dots, `%`, `\`, empty segments) goes through `URL` so the proxy sees what a Web
 * server would.
 */
const plainTarget = /^(?:\/[\w~-]+)+\/?(?:\?[\w~.=&%+-]*)?$/;

function serveDirectly(engine: ProxyEngine, req: NodeRequest, res: ServerResponse): void {
  const found = requestTarget(req);
  const method = req.method ?? 'GET';
  if (!found || forbiddenMethods.has(method)) {
    badRequest(res);
    return;
  }
  let pathname: string;
  let search: string;
  const { target } = found;
  if (plainTarget.test(target)) {
    const query = target.indexOf('?');
    pathname = query === -1 ? target : target.slice(0, query);
    search = query === -1 || query === target.length - 1 ? '' : target.slice(query);
  } else {
    try {
      ({ pathname, search } = new URL(`${found.origin}${target}`));
    } catch {
      badRequest(res);
      return;
    }
  }
  const input = new NodeProxyRequest(req, res, found, method, pathname, search);
  // A throw while writing (a header Node refuses) also ends in failed(), never as an unhandled rejection.
  engine(input)
    .then((answer) => (answer instanceof Response ? writeResponse(res, answer) : writeReply(res, answer)))
    .catch(() => failed(res));
}

/** A Node request as the proxy reads it: headers from Node's own object, a Web `Request` only when asked for. */
class NodeProxyRequest implements ProxyRequest {
  /** Aborts when the client leaves (its connection closes before the answer was written). */
  readonly signal = new UpstreamAbort();
  readonly nodeRequest: NodeRequest;
  readonly method: string;
  readonly pathname: string;
  readonly search: string;
  #target: Target;
  #request: Request | undefined;

  constructor(req: NodeRequest, res: ServerResponse, target: Target, method: string, pathname: string, search: string) {
    this.nodeRequest = req;
    this.#target = target;
    this.method = method;
    this.pathname = pathname;
    this.search = search;
    const gone = this.signal;
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
  }

  header(name: string): string | null {
    return joined(this.nodeRequest.headers[name]);
  }

  readText(limit: number): Promise<string | 'too-large'> {
    return readRequestText(this.request, limit);
  }

  get request(): Request {
    if (!this.#request) {
      const controller = new AbortController();
      if (this.signal.aborted) controller.abort();
      else this.signal.addEventListener('abort', () => controller.abort());
      this.#request = webRequest(this.nodeRequest, this.#target, controller.signal);
    }
    return this.#request;
  }
}

function writeReply(res: ServerResponse, { status, headers, body }: Reply): void {
  // Headers and body in one write to the socket; Node adds Content-Length.
  res.writeHead(status, headers);
  res.end(body ?? undefined);
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, key) => res.setHeader(key, value));
  // The proxy's own answers are written from their text (headers and body in one write to the socket).
  const text = textOf(response);
  if (text !== undefined) res.end(text ?? undefined);
  else res.end(Buffer.from(await response.arrayBuffer()));
}

/**
 * An invalid Host, request target or method (TRACE) answers 400, not a throw out of the listener (an uncaught
 * exception there stops a plain node:http server).
 */
function badRequest(res: ServerResponse): void {
  res.writeHead(400, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end('{"statusCode":400,"error":"Bad request."}');
}

function failed(res: ServerResponse): void {
  if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
  res.end('{"statusCode":500,"error":"Proxy failure."}');
}
