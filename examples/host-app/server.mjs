// The example host backend: serves the built example app under a strict CSP, keeps a per-browser
// session, and mounts the kit's Codat proxy at /api/codat in front of the local Codat sandbox server.
// Run with `npm run example` (it builds the kit and the app first).
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes, randomUUID } from 'node:crypto';
import { createCodatProxy, createCodatWebhookHandler, linkRedirectUrl, toNodeHandler } from 'billpay-connect/server';
import { startSandboxServer } from 'billpay-connect/sandbox-server';

const root = fileURLToPath(new URL('./dist/', import.meta.url));
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.map': 'application/json' };
export const CSP = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const sidOf = (request) => /(?:^|;\s*)sid=([0-9a-f-]{36})/.exec(request.headers.get('cookie') ?? '')?.[1];

function sessionOf(request, sessions) {
  const sid = sidOf(request);
  return sid ? sessions.get(sid) : undefined;
}

/**
 * Starts the sandbox server and the host app. Returns their URLs, the sandbox (for tests) and close().
 * `logos: true` has the sandbox serve platform logos, which the proxy serves again from this origin.
 * @param {{ port?: number, apiKey?: string, sandbox?: object, logos?: boolean }} [options]
 */
export async function startHostApp(options = {}) {
  const apiKey = options.apiKey ?? 'c2FuZGJveC1rZXk=';
  const sessions = new Map();
  // What Codat's webhooks told this backend, by company id: the record a host keeps of "this customer's books
  // are connected", from Codat itself rather than from a browser callback that may never arrive.
  const books = new Map();
  const record = (status) => (event) => {
    books.set(event.payload.referenceCompany.id, { status, platformName: event.payload.connection.platformName, connectionId: event.payload.connection.id });
  };
  // The endpoint's signing secret, as the Codat Portal shows it for the endpoint (here made up per run).
  const webhookSecret = `whsec_${randomBytes(24).toString('base64')}`;
  const webhooks = toNodeHandler(
    createCodatWebhookHandler({
      secret: webhookSecret,
      on: {
        'connection.connected': record('connected'),
        'connection.reconnected': record('connected'),
        'connection.disconnected': record('disconnected'),
        'connection.deleted': record('deleted'),
      },
    }),
  );
  // Set once the server listens (the sandbox needs the webhook endpoint's URL first).
  let codat;
  let api;
  const proxyOptions = {
    apiKey,
    authorize: ({ request, companyId }) => {
      const session = sessionOf(request, sessions);
      if (!session) return false;
      return companyId === undefined || session.companies.has(companyId);
    },
    onCompanyCreated: ({ request, company }) => {
      sessionOf(request, sessions)?.companies.add(company.id);
    },
    // A retried create is only ever answered for (and recorded to) the session that sent it.
    idempotencyScope: sidOf,
  };

  const server = createServer((req, res) => {
    let url;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (url.pathname.startsWith('/api/codat/')) {
      api(req, res);
      return;
    }
    if (url.pathname === '/api/webhooks/codat') {
      webhooks(req, res);
      return;
    }
    if (url.pathname === '/api/books') {
      // This session's companies as Codat's webhooks reported them.
      const session = sessionOf(new Request(url, { headers: { cookie: req.headers.cookie ?? '' } }), sessions);
      const mine = [...(session?.companies ?? [])].flatMap((id) => (books.has(id) ? [{ companyId: id, ...books.get(id) }] : []));
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(mine));
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    let file;
    try {
      file = normalize(join(root, decodeURIComponent(url.pathname)));
    } catch {
      res.writeHead(400).end();
      return;
    }
    const headers = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' };
    const cookie = req.headers.cookie ?? '';
    if (!/(?:^|;\s*)sid=/.test(cookie)) {
      const sid = randomUUID();
      sessions.set(sid, { companies: new Set() });
      headers['Set-Cookie'] = `sid=${sid}; HttpOnly; SameSite=Lax; Path=/`;
    }
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
    res.writeHead(200, { ...headers, 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  // The Codat side: Codat's API and Link pages, posting signed webhooks to this backend's endpoint (as set in the
  // Codat Portal's Webhooks settings).
  codat = await startSandboxServer({
    apiKey,
    sandbox: options.sandbox,
    logos: options.logos,
    webhooks: { url: `${url}/api/webhooks/codat`, secret: webhookSecret, retryDelaysMs: [250, 1000] },
  });
  api = toNodeHandler(
    createCodatProxy({
      ...proxyOptions,
      baseUrl: codat.url,
      // Against Codat leave this out (static.codat.io). Here the logos come from the sandbox server on loopback, or,
      // without its logos, there are none: [] answers 404 at once and the kit shows monograms.
      logoHosts: options.logos ? [new URL(codat.url).host] : [],
    }),
  );
  // What a host pastes into the Codat Portal's Redirect URL: the page with the kit on it (here with a parameter
  // of the host's own, which the kit leaves in the address bar), plus the kit's placeholders.
  codat.setRedirectUrl(linkRedirectUrl(`${url}/?tenant=7`));
  return {
    url,
    codat,
    apiKey,
    sessions,
    books,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await codat.close();
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!existsSync(join(root, 'index.html'))) {
    console.error('examples/host-app: build it first with `npm run example` (or `npx vite build --config examples/host-app/vite.config.ts`).');
    process.exit(1);
  }
  const app = await startHostApp({ port: Number(process.env.PORT ?? 5173), logos: true });
  console.log(`Example host app:   ${app.url}   (popup; add ?mode=redirect for same-tab)`);
  console.log(`Codat sandbox:      ${app.codat.url}   (the proxy's upstream; Link pages live here)`);
}
