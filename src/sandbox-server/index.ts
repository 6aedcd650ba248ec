import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { decodeSegment, errorBody } from '../sandbox/create-sandbox.js';
import { createSandbox, type Sandbox, type SandboxOptions } from '../sandbox/index.js';

/** Options of `startSandboxServer`. */
export interface SandboxServerOptions {
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number | undefined;
  /** Interface to bind; loopback when unset or empty. @default '127.0.0.1' */
  host?: string | undefined;
  /** The API key clients must send as `Authorization: Basic <apiKey>`, as Codat requires. @default 'sandbox-key' */
  apiKey?: string | undefined;
  /** Where the simulated Link page sends the browser afterwards (Codat's portal "redirect URL"). */
  redirectUrl?: string | undefined;
  /** Options for the in-memory sandbox (seed, latency, faults). `linkBaseUrl` is set to this server. */
  sandbox?: Omit<SandboxOptions, 'linkBaseUrl'> | undefined;
}

/** A running sandbox server. */
export interface SandboxServer {
  /** Base URL, e.g. `http://127.0.0.1:4010`: use it as the proxy's upstream `baseUrl`. */
  url: string;
  /** The sandbox behind it (state, request log, faults, link controls). */
  sandbox: Sandbox;
  /** Changes where the Link page redirects to. */
  setRedirectUrl: (url: string) => void;
  /** Stops the server. */
  close: () => Promise<void>;
}

/** Request bodies larger than this are refused, so a runaway client cannot fill the server's memory. */
const maxBodyBytes = 1024 * 1024;

/** The API lives at the root, as on api.codat.io (the sandbox itself also accepts a mount prefix, for fetchers). */
const apiPath = /^\/(companies|config\/integrations)(\/|$)/;

// Any id the sandbox holds (seeds may use their own); unknown ones get a 404 page.
const linkPath = /^\/link\/([^/]+)\/([^/]+)(?:\/(authorize|cancel))?$/;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function linkPage(platformName: string, action: string): string {
  const name = escapeHtml(platformName);
  const target = escapeHtml(action);
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in to ${name} (sandbox)</title></head>
<body>
<main>
<h1>Sign in to ${name}</h1>
<p>This is the billpay-connect sandbox's stand-in for Codat Link. Nothing leaves this machine.</p>
<form method="post" action="${target}/authorize"><button type="submit">Authorise access</button></form>
<form method="post" action="${target}/cancel"><button type="submit">Cancel</button></form>
</main>
</body>
</html>`;
}

function codatError(status: number, error: string, canBeRetried: string): string {
  return JSON.stringify(errorBody(status, error, null, canBeRetried));
}

/** The Web Request for `req`, or undefined when its body runs over `maxBodyBytes` (reading stops there). */
async function toRequest(req: IncomingMessage, origin: string): Promise<Request | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(key, value);
  }
  const method = req.method ?? 'GET';
  return new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    ...(method === 'GET' || method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
  });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, key) => res.setHeader(key, value));
  res.end(Buffer.from(await response.arrayBuffer()));
}

/**
 * Serves the in-memory sandbox over HTTP on 127.0.0.1 with Codat's paths and auth header, plus a
 * simulated Link page at each connection's linkUrl that authorises or cancels and then redirects to
 * the host with Codat's parameters (`companyId`, `connectionId`, `statusCode`, and on failure
 * `statusText` and `errorMessage`). Node only.
 */
export async function startSandboxServer(options: SandboxServerOptions = {}): Promise<SandboxServer> {
  const apiKey = options.apiKey ?? 'sandbox-key';
  let redirectUrl = options.redirectUrl;
  // Created once the port is known, because each linkUrl points back at this server.
  const state: { sandbox?: Sandbox } = {};
  const server = createServer((req, res) => {
    void (async () => {
      const { sandbox } = state;
      const url = new URL(req.url ?? '/', origin);
      const link = linkPath.exec(url.pathname);
      if (link && sandbox) {
        const [, rawCompanyId = '', rawConnectionId = '', action] = link;
        const companyId = decodeSegment(rawCompanyId);
        const connectionId = decodeSegment(rawConnectionId);
        const found = sandbox.findConnection(connectionId);
        if (!found || found.companyId !== companyId) {
          res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Unknown connection');
          return;
        }
        if (!action) {
          res.writeHead(200, {
            'Content-Type': 'text/html; charset=utf-8',
            'Content-Security-Policy': "default-src 'none'; form-action 'self' http: https:; base-uri 'none'",
          });
          res.end(linkPage(String(found.connection.platformName ?? 'your accounting software'), url.pathname));
          return;
        }
        if (req.method !== 'POST') {
          res.writeHead(405, { Allow: 'POST' }).end();
          return;
        }
        const back = new URL(redirectUrl ?? `${origin}/`);
        back.searchParams.set('companyId', companyId);
        back.searchParams.set('connectionId', connectionId);
        if (action === 'authorize') {
          sandbox.authorize(connectionId);
          back.searchParams.set('statusCode', '200');
        } else {
          sandbox.abandon(connectionId);
          back.searchParams.set('statusCode', '400');
          back.searchParams.set('statusText', 'Bad Request');
          back.searchParams.set('errorMessage', 'The user cancelled the sign-in.');
        }
        res.writeHead(303, { Location: back.href }).end();
        return;
      }
      if (req.headers.authorization !== `Basic ${apiKey}`) {
        res.writeHead(401, { 'Content-Type': 'application/json' });
        res.end(codatError(401, 'Unauthorized: the API key is missing or wrong.', 'False'));
        return;
      }
      if (!apiPath.test(url.pathname)) {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(codatError(404, `No route for ${req.method ?? 'GET'} ${url.pathname}.`, 'Unknown'));
        return;
      }
      if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) {
        res.writeHead(413, { 'Content-Type': 'application/json', Connection: 'close' });
        res.end(codatError(413, `The request body is larger than ${maxBodyBytes} bytes.`, 'False'));
        return;
      }
      if (!sandbox) throw new Error('sandbox not ready');
      const request = await toRequest(req, origin);
      // A body without a length that ran over: no answer, like a server that closes on an oversized upload.
      if (!request) {
        res.destroy();
        return;
      }
      await send(res, await sandbox.handle(request));
    })().catch((error: unknown) => {
      // The sandbox's `network` fault rejects like fetch does; over HTTP that is a connection with no answer.
      if (res.headersSent || (error instanceof TypeError && error.message === 'Failed to fetch')) {
        res.destroy();
        return;
      }
      res.writeHead(500, { 'Content-Type': 'application/json' }).end(codatError(500, `Sandbox server error: ${String(error)}`, 'True'));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Node reads an empty host as "every interface"; only an explicit address leaves loopback.
    server.listen(options.port ?? 0, options.host || '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('sandbox server has no port');
  const origin = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  const sandbox = createSandbox({ ...options.sandbox, linkBaseUrl: `${origin}/link` });
  state.sandbox = sandbox;
  return {
    url: origin,
    sandbox,
    setRedirectUrl: (next) => {
      redirectUrl = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
