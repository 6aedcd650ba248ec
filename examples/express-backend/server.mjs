// An Express 5 host backend for billpay-connect: a cookie session per browser, and the kit's Codat proxy at
// /api/codat that lets each session touch only the companies it created. It serves the Vite example's built
// frontend (examples/host-app/dist) when that exists; any frontend calling /api/codat works the same.
//
//   CODAT_API_KEY=... npm start        real Codat (CODAT_BASE_URL defaults to https://api.codat.io)
//   npm run dev                         against the kit's local Codat sandbox server, no key needed
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express from 'express';
import session from 'express-session';
import { createCodatProxy, linkRedirectUrl, toNodeHandler } from 'billpay-connect/server';

const frontend = fileURLToPath(new URL('../host-app/dist/', import.meta.url));

/**
 * The Express app. The key is read at the first /api/codat request, so the app starts without one and
 * answers 500 until it is set.
 * @param {{ apiKey?: () => string | undefined, baseUrl?: string, sessionSecret?: string }} [options]
 */
export function createApp(options = {}) {
  // Served through toNodeHandler, the proxy's callbacks get Express's own request as `nodeRequest`, session included.
  const companiesOf = (req) => req?.session?.companies;
  const proxy = createCodatProxy({
    apiKey: options.apiKey ?? (() => process.env.CODAT_API_KEY),
    baseUrl: options.baseUrl ?? process.env.CODAT_BASE_URL,
    authorize: ({ companyId, nodeRequest }) => {
      const companies = companiesOf(nodeRequest);
      if (!companies) return false;
      return companyId === undefined || companies.includes(companyId);
    },
    onCompanyCreated: ({ company, nodeRequest }) => {
      companiesOf(nodeRequest)?.push(company.id);
    },
    // A retried create is only ever answered for (and recorded to) the session that sent it.
    idempotencyScope: (_request, { nodeRequest }) => nodeRequest?.session?.id,
  });
  const api = toNodeHandler(proxy);

  const app = express();
  app.disable('x-powered-by');
  // express-session's default MemoryStore keeps sessions in this process only; give it a shared store (Redis,
  // a database) in production, and keep the customer's Codat company id on your own customer record.
  app.use(
    session({
      secret: options.sessionSecret ?? process.env.SESSION_SECRET ?? randomBytes(32).toString('hex'),
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax' },
    }),
  );
  // Pages start the session; the proxy only serves a browser that has one.
  app.use((req, _res, next) => {
    if (!req.path.startsWith('/api/')) req.session.companies ??= [];
    next();
  });
  // Mounted as middleware: the proxy reads the full path from req.originalUrl and strips /api/codat itself.
  app.use('/api/codat', api);
  if (existsSync(frontend)) {
    app.use(express.static(frontend));
  } else {
    app.get('/', (_req, res) => {
      res.type('text').send('No frontend built: run `npx vite build --config examples/host-app/vite.config.ts` at the repository root, or call /api/codat from your own.\n');
    });
  }
  return app;
}

/** Starts the app on `port`; resolves with its URL and close(). */
export async function listen(app, port = 0) {
  const server = await new Promise((resolve, reject) => {
    const s = app.listen(port, '127.0.0.1', (error) => (error ? reject(error) : resolve(s)));
  });
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const port = Number(process.env.PORT ?? 3001);
  let codat;
  if (process.argv.includes('--sandbox')) {
    const { startSandboxServer } = await import('billpay-connect/sandbox-server');
    process.env.CODAT_API_KEY ??= 'c2FuZGJveC1rZXk=';
    codat = await startSandboxServer({ apiKey: process.env.CODAT_API_KEY });
    process.env.CODAT_BASE_URL = codat.url;
  }
  const server = await listen(createApp(), port);
  codat?.setRedirectUrl(linkRedirectUrl(`${server.url}/`));
  console.log(`Express host backend: ${server.url}   (proxy at /api/codat)`);
  if (codat) console.log(`Codat sandbox:        ${codat.url}   (Link pages live here)`);
}
