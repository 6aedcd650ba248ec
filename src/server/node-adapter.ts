import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { CodatProxyHandler } from './create-codat-proxy.js';
import { textOf } from './plain-body.js';

/**
 * Adapts a Web-standard handler to Node's `(req, res)`: for `node:http` servers and, unchanged, as
 * Express or Connect middleware (`app.use('/api/codat', toNodeHandler(proxy))` keeps the full URL in
 * `req.originalUrl`, which is what the proxy reads).
 */
export function toNodeHandler(handler: CodatProxyHandler) {
  return (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse): void => {
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    let request: Request;
    try {
      // Only the Host header's origin: a Host such as `x/api/codat` must not add path segments, and a target
      // such as `//evil/api/codat/...` must stay a path (as Express and other routers read it), not an authority.
      const origin = new URL(`http://${req.headers.host ?? 'localhost'}`).origin;
      let target = req.originalUrl ?? req.url ?? '/';
      if (!target.startsWith('/')) {
        const absolute = new URL(target); // absolute-form (`GET http://host/path`): keep its path and query
        target = `${absolute.pathname}${absolute.search}`;
      }
      const url = new URL(`${origin}${target}`);
      const headers: [string, string][] = [];
      for (const [key, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers.push([key, value]);
        else if (Array.isArray(value)) headers.push([key, value.join(', ')]);
      }
      const method = req.method ?? 'GET';
      const hasBody = method !== 'GET' && method !== 'HEAD';
      request = new Request(url, {
        method,
        headers,
        signal: controller.signal,
        ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
      } as RequestInit);
    } catch {
      // An invalid Host, request target or method (TRACE) must answer 400, not throw out of the listener
      // (an uncaught exception there stops a plain node:http server).
      res.writeHead(400, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end('{"statusCode":400,"error":"Bad request."}');
      return;
    }
    handler(request)
      .then(async (response) => {
        res.statusCode = response.status;
        response.headers.forEach((value, key) => res.setHeader(key, value));
        // The proxy's own answers are written from their text (headers and body in one write to the socket).
        const text = textOf(response);
        if (text !== undefined) res.end(text ?? undefined);
        else res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end('{"statusCode":500,"error":"Proxy failure."}');
      });
  };
}
