import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { linkRedirectUrl } from '../core/redirect-url.js';
import { findPlatform } from '../core/platforms.js';
import { decodeSegment, errorBody, sandboxPlatformName } from '../sandbox/create-sandbox.js';
import { createSandbox, type Sandbox, type SandboxOptions } from '../sandbox/index.js';
import { createWebhookSender, type SandboxWebhookOptions, type SandboxWebhooks } from './webhook-sender.js';

export type { SandboxWebhookAttempt, SandboxWebhookDelivery, SandboxWebhookOptions, SandboxWebhooks } from './webhook-sender.js';

/** Options of `startSandboxServer`. */
export interface SandboxServerOptions {
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number | undefined;
  /** Interface to bind; loopback when unset or empty. @default '127.0.0.1' */
  host?: string | undefined;
  /** The API key clients must send as `Authorization: Basic <apiKey>`, as Codat requires. @default 'sandbox-key' */
  apiKey?: string | undefined;
  /**
   * The Redirect URL, as set in the Codat Portal (Settings > Auth flow > Redirects): where the simulated Link
   * page sends the browser afterwards. As Codat does, the page substitutes each `{placeholder}` (`companyId`,
   * `connectionId`, `clientId`, `integrationId`, `sourceId`, `platform`, `platformName`, `sourceType`,
   * `statusCode`, `errorMessage`, `statusText`; a custom one from the Link URL's query) and appends nothing.
   * @default linkRedirectUrl(`${url}/`): this server's root with the kit's placeholders
   */
  redirectUrl?: string | undefined;
  /** Options for the in-memory sandbox (seed, latency, faults). `linkBaseUrl` is set to this server. */
  sandbox?: Omit<SandboxOptions, 'linkBaseUrl' | 'logoBaseUrl'> | undefined;
  /**
   * A webhook endpoint to post the sandbox's events to, signed as Codat signs them (Svix): company created or
   * deleted, connection created, connected, reconnected, failed, disconnected or deleted. None are sent without it.
   */
  webhooks?: SandboxWebhookOptions | undefined;
  /**
   * Serve a logo for every platform the sandbox knows, at `{url}/static/logos/{platformKey}.svg` (a generated
   * SVG: the monogram on a disc), and point the integrations' `logoUrl` and branding at them, so the proxy's
   * logo route works offline: give the proxy `logoHosts: [new URL(server.url).host]`. Off, branding points at a
   * host that serves nothing, and the kit shows monograms.
   * @default false
   */
  logos?: boolean | undefined;
}

/** A running sandbox server. */
export interface SandboxServer {
  /** Base URL, e.g. `http://127.0.0.1:4010`: use it as the proxy's upstream `baseUrl`. */
  url: string;
  /** The sandbox behind it (state, request log, faults, link controls). */
  sandbox: Sandbox;
  /** Changes the Redirect URL (with `{placeholders}`) the Link page sends the browser to. */
  setRedirectUrl: (url: string) => void;
  /** The webhook deliveries (a log to inspect and promises to await), when `webhooks` is set. */
  webhooks?: SandboxWebhooks | undefined;
  /** Stops the server. */
  close: () => Promise<void>;
}

/** Request bodies larger than this are refused, so a runaway client cannot fill the server's memory. */
const maxBodyBytes = 1024 * 1024;

/** The API lives at the root, as on api.codat.io (the sandbox itself also accepts a mount prefix, for fetchers). */
const apiPath = /^\/(companies|integrations)(\/|$)/;

const logoPath = /^\/static\/logos\/([a-z]{4})\.svg$/;

/** A stand-in logo: the platform's monogram in white on a disc of its colour, so it looks unlike the kit's square monogram. */
function logoSvg(key: string): string | undefined {
  const name = sandboxPlatformName(key);
  if (name === undefined) return undefined;
  const platform = findPlatform(key);
  const letters = escapeHtml(platform?.monogram ?? name.slice(0, 2).toUpperCase());
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40">` +
    `<title>${escapeHtml(name)} (sandbox logo)</title>` +
    `<circle cx="20" cy="20" r="20" fill="${platform?.brandColor ?? '#747474'}"/>` +
    `<text x="20" y="25" text-anchor="middle" font-family="sans-serif" font-size="14" font-weight="700" fill="#fff">${letters}</text>` +
    `</svg>`
  );
}

// Any id the sandbox holds (seeds may use their own); unknown ones get a 404 page.
const linkPath = /^\/link\/([^/]+)\/([^/]+)(?:\/(authorize|cancel|fail))?$/;

/** The sandbox's Codat client id, for the `{clientId}` placeholder. */
const sandboxClientId = '00000000-0000-4000-8000-00000000c0da';

/** Codat's reserved Redirect URL placeholders (case-sensitive). */
const reserved = new Set([
  'companyId',
  'connectionId',
  'clientId',
  'integrationId',
  'sourceId',
  'platform',
  'platformName',
  'sourceType',
  'statusCode',
  'errorMessage',
  'statusText',
]);

/**
 * Fills a Redirect URL's `{placeholders}` the way Codat does: a reserved one from the outcome, a custom one
 * from the Link URL's query, anything without a value as an empty string. Values are percent-encoded.
 */
export function fillRedirectUrl(template: string, values: Record<string, string | undefined>, linkQuery: URLSearchParams): string {
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name: string) =>
    encodeURIComponent((reserved.has(name) ? values[name] : linkQuery.get(name)) ?? ''),
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function linkPage(platformName: string, path: string, query: string): string {
  const name = escapeHtml(platformName);
  const to = (action: string) => escapeHtml(`${path}/${action}${query}`);
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in to ${name} (sandbox)</title></head>
<body>
<main>
<h1>Sign in to ${name}</h1>
<p>This is the billpay-connect sandbox's stand-in for Codat Link. Nothing leaves this machine.</p>
<form method="post" action="${to('authorize')}"><button type="submit">Authorise access</button></form>
<form method="post" action="${to('cancel')}"><button type="submit">Cancel</button></form>
<form method="post" action="${to('fail')}"><button type="submit">Simulate an error</button></form>
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
 * simulated Link page at each connection's linkUrl that authorises, cancels or fails and then redirects
 * to the Redirect URL with its `{placeholders}` filled in as Codat does (`statusCode` 200 or 201, 403
 * "User cancelled.", 500 "Unknown error occurred."). With `webhooks`, posts Codat's events for its changes to
 * that endpoint, signed as Codat signs them. Node only.
 */
export async function startSandboxServer(options: SandboxServerOptions = {}): Promise<SandboxServer> {
  const apiKey = options.apiKey ?? 'sandbox-key';
  const sender = options.webhooks ? createWebhookSender(options.webhooks) : undefined;
  let redirectUrl = options.redirectUrl;
  // Created once the port is known, because each linkUrl points back at this server.
  const state: { sandbox?: Sandbox } = {};
  const server = createServer((req, res) => {
    void (async () => {
      const { sandbox } = state;
      const url = new URL(req.url ?? '/', origin);
      // Like Codat's CDN: no key needed.
      const logo = options.logos ? logoPath.exec(url.pathname) : null;
      if (logo) {
        const svg = logoSvg(logo[1]!);
        if (!svg || (req.method !== 'GET' && req.method !== 'HEAD')) {
          res.writeHead(404, { 'Content-Type': 'text/plain' }).end('No such logo');
          return;
        }
        res.writeHead(200, {
          'Content-Type': 'image/svg+xml',
          'Cache-Control': 'public, max-age=3600',
          'Content-Security-Policy': "default-src 'none'",
          'X-Content-Type-Options': 'nosniff',
        });
        res.end(req.method === 'HEAD' ? undefined : svg);
        return;
      }
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
          res.end(linkPage(String(found.connection.platformName ?? 'your accounting software'), url.pathname, url.search));
          return;
        }
        if (req.method !== 'POST') {
          res.writeHead(405, { Allow: 'POST' }).end();
          return;
        }
        const before = found.connection;
        const outcome =
          action === 'authorize'
            ? { statusCode: before.status === 'Linked' ? '201' : '200', errorMessage: '', statusText: '' }
            : action === 'cancel'
              ? { statusCode: '403', errorMessage: 'User cancelled.', statusText: '' }
              : { statusCode: '500', errorMessage: 'Unknown error occurred.', statusText: 'Sandbox: simulated platform error' };
        if (action === 'authorize') sandbox.authorize(connectionId);
        else sandbox.abandon(connectionId, action === 'cancel' ? 'cancelled' : 'failed');
        const value = (key: string) => (typeof before[key] === 'string' ? (before[key] as string) : undefined);
        const back = fillRedirectUrl(
          redirectUrl ?? linkRedirectUrl(`${origin}/`),
          {
            companyId,
            connectionId,
            clientId: sandboxClientId,
            integrationId: value('integrationId'),
            sourceId: value('sourceId'),
            platform: value('integrationKey'),
            platformName: value('platformName'),
            sourceType: value('sourceType'),
            ...outcome,
          },
          url.searchParams,
        );
        res.writeHead(303, { Location: back }).end();
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
  const sandbox = createSandbox({
    ...options.sandbox,
    linkBaseUrl: `${origin}/link`,
    logoBaseUrl: options.logos ? `${origin}/static/logos` : undefined,
  });
  if (sender) sandbox.subscribeEvents(sender.send);
  state.sandbox = sandbox;
  return {
    url: origin,
    sandbox,
    setRedirectUrl: (next) => {
      redirectUrl = next;
    },
    webhooks: sender && { deliveries: sender.deliveries, settled: sender.settled, idle: sender.idle },
    close: () =>
      new Promise<void>((resolve, reject) => {
        sender?.close();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
