import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCodatProxy, type CodatProxyOptions, type ProxyLogEntry } from '../../src/server/index.js';
import { createLogoServer } from '../../src/server/logos.js';

const key = 'c2VjcmV0LWxvZ28ta2V5LTQ1Ng==';
/** A 1x1 PNG. */
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><rect width="40" height="40" fill="#13b5ea"/></svg>');

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface FakeCodat {
  /** `http://127.0.0.1:port`. */
  url: string;
  /** `127.0.0.1:port`: what logoHosts names to allow this server's images. */
  host: string;
  /** What it answers, by path (set once the URL is known). */
  routes: Record<string, Handler>;
  /** Every request's path and Authorization header, in order. */
  hits: { path: string; authorization: string | undefined }[];
  close: () => Promise<void>;
}

const servers: FakeCodat[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A local stand-in for Codat (branding) and its CDN (images), over real HTTP. */
async function fakeCodat(): Promise<FakeCodat> {
  const hits: FakeCodat['hits'] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.push({ path, authorization: req.headers.authorization });
    const handler = fake.routes[path];
    if (!handler) {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ statusCode: 404, error: 'Not found' }));
      return;
    }
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeCodat = {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    routes: {},
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(fake);
  return fake;
}

const branding = (src: { square?: string; full?: string }): Handler => (_req, res) => {
  const image = (s: string | undefined) => (s === undefined ? undefined : { image: { src: s, alt: 'Xero' } });
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ logo: { full: image(src.full), square: image(src.square) }, button: {}, sourceId: 'x' }));
};
const image = (bytes: Buffer, type: string, headers: Record<string, string> = {}): Handler => (_req, res) => {
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': String(bytes.length), ...headers }).end(bytes);
};

function setup(codat: FakeCodat, options: Partial<CodatProxyOptions> = {}) {
  const logs: ProxyLogEntry[] = [];
  const authorize = vi.fn<CodatProxyOptions['authorize']>(() => true);
  const proxy = createCodatProxy({ apiKey: key, baseUrl: codat.url, authorize, logoHosts: [codat.host], onLog: (e) => logs.push(e), ...options });
  const get = (platformKey = 'gbol', headers: Record<string, string> = {}) =>
    proxy(new Request(`http://host.test/api/codat/integrations/${platformKey}/logo`, { headers: { Cookie: 'sid=1', ...headers } }));
  return { proxy, get, authorize, logs };
}

const imageHits = (codat: FakeCodat) => codat.hits.filter((h) => h.path.startsWith('/cdn/'));
const brandingHits = (codat: FakeCodat) => codat.hits.filter((h) => h.path.endsWith('/branding'));

async function expectNoKey(response: Response) {
  const text = Buffer.from(await response.arrayBuffer()).toString('latin1');
  expect(text).not.toContain(key);
  expect(text).not.toContain(atob(key));
  for (const [, value] of response.headers) expect(value).not.toContain(key);
}

describe('the proxy’s logo route', () => {
  it('serves the square logo’s bytes unchanged from the host’s origin, with long-lived caching headers', async () => {
    const codat = await fakeCodat();
    codat.routes = {
      '/integrations/gbol/branding': branding({ square: `${codat.url}/cdn/xero-square.png`, full: `${codat.url}/cdn/xero-full.png` }),
      '/cdn/xero-square.png': image(png, 'image/png'),
    };
    const { get, authorize, logs } = setup(codat);

    const response = await get();

    expect(response.status).toBe(200);
    expect(Buffer.compare(Buffer.from(await response.clone().arrayBuffer()), png)).toBe(0);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBeNull();
    expect(authorize).toHaveBeenCalledWith(expect.objectContaining({ companyId: undefined, operation: 'getIntegrationLogo' }));
    // The key goes to Codat for the branding, never to the image host, and never back to the browser.
    expect(brandingHits(codat)).toEqual([{ path: '/integrations/gbol/branding', authorization: `Basic ${key}` }]);
    expect(imageHits(codat)).toEqual([{ path: '/cdn/xero-square.png', authorization: undefined }]);
    await expectNoKey(response);
    expect(logs).toEqual([expect.objectContaining({ method: 'GET', path: '/integrations/gbol/logo', operation: 'getIntegrationLogo', status: 200 })]);
  });

  it('falls back to the full logo when the branding has no square one', async () => {
    const codat = await fakeCodat();
    codat.routes = { '/integrations/gbol/branding': branding({ full: `${codat.url}/cdn/full.png` }), '/cdn/full.png': image(png, 'image/png') };
    const response = await setup(codat).get();
    expect(response.status).toBe(200);
    expect(imageHits(codat).map((h) => h.path)).toEqual(['/cdn/full.png']);
  });

  it('serves an SVG logo with a Content-Security-Policy that lets nothing run and as inline content', async () => {
    const codat = await fakeCodat();
    codat.routes = { '/integrations/gbol/branding': branding({ square: `${codat.url}/cdn/x.svg` }), '/cdn/x.svg': image(svg, 'image/svg+xml; charset=utf-8') };
    const response = await setup(codat).get();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/svg+xml');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(response.headers.get('content-disposition')).toBe('inline');
    expect(Buffer.from(await response.arrayBuffer()).equals(svg)).toBe(true);
  });

  it('reads the branding and downloads the image once for 50 concurrent requests, and serves later ones from its cache', async () => {
    const codat = await fakeCodat();
    codat.routes = { '/integrations/gbol/branding': branding({ square: `${codat.url}/cdn/x.png` }), '/cdn/x.png': image(png, 'image/png') };
    const { get } = setup(codat);

    const answers = await Promise.all(Array.from({ length: 50 }, () => get()));
    const later = await get();

    expect(answers.map((r) => r.status)).toEqual(Array(50).fill(200));
    for (const answer of [...answers, later]) expect(Buffer.from(await answer.arrayBuffer()).equals(png)).toBe(true);
    expect(later.status).toBe(200);
    expect(brandingHits(codat)).toHaveLength(1);
    expect(imageHits(codat)).toHaveLength(1);
  });

  it('answers 304 without a body to If-None-Match with the logo’s ETag, and 200 to another', async () => {
    const codat = await fakeCodat();
    codat.routes = { '/integrations/gbol/branding': branding({ square: `${codat.url}/cdn/x.png` }), '/cdn/x.png': image(png, 'image/png') };
    const { get } = setup(codat);
    const etag = (await get()).headers.get('etag') as string;

    const revalidated = await get('gbol', { 'If-None-Match': `"other", W/${etag}` });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');
    expect(revalidated.headers.get('etag')).toBe(etag);
    expect(revalidated.headers.get('cache-control')).toBe('public, max-age=86400');
    expect((await get('gbol', { 'If-None-Match': '"other"' })).status).toBe(200);
  });

  it.each([
    ['a host not in logoHosts', (codat: FakeCodat) => `http://localhost:${new URL(codat.url).port}/cdn/x.png`],
    ['plain http on a host that is not loopback', () => 'http://static.codat.io/cdn/x.png'],
    ['a URL with credentials', (codat: FakeCodat) => `http://user:pass@${codat.host}/cdn/x.png`],
    ['a relative URL', () => '/cdn/x.png'],
  ])('answers 404 and fetches nothing for a logo on %s', async (_case, src) => {
    const codat = await fakeCodat();
    codat.routes = { '/integrations/gbol/branding': branding({ square: src(codat) }), '/cdn/x.png': image(png, 'image/png') };
    const transport = vi.fn((input: string, init: RequestInit) => globalThis.fetch(input, init));
    const response = await setup(codat, { logoHosts: [codat.host, 'static.codat.io'], fetch: transport }).get();
    expect(response.status).toBe(404);
    expect(transport.mock.calls.map(([url]) => url)).toEqual([`${codat.url}/integrations/gbol/branding`]);
    expect(imageHits(codat)).toEqual([]);
  });

  it('answers 404 to every logo, without reading the branding, when logoHosts is empty', async () => {
    const codat = await fakeCodat();
    codat.routes = { '/integrations/gbol/branding': branding({ square: `${codat.url}/cdn/x.png` }), '/cdn/x.png': image(png, 'image/png') };
    const response = await setup(codat, { logoHosts: [] }).get();
    expect(response.status).toBe(404);
    expect(codat.hits).toEqual([]);
  });

  it('answers 403 and reads nothing upstream when authorize refuses', async () => {
    const codat = await fakeCodat();
    codat.routes = { '/integrations/gbol/branding': branding({ square: `${codat.url}/cdn/x.png` }), '/cdn/x.png': image(png, 'image/png') };
    const response = await setup(codat, { authorize: () => false }).get();
    expect(response.status).toBe(403);
    expect(codat.hits).toEqual([]);
  });

  it.each([
    ['declared', (bytes: Buffer) => image(bytes, 'image/png')],
    ['streamed without a length', (bytes: Buffer): Handler => (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'image/png' });
      res.write(bytes.subarray(0, 200_000));
      res.end(bytes.subarray(200_000));
    }],
  ])('answers 404 to an image over 256 KiB (%s)', async (_case, handler) => {
    const codat = await fakeCodat();
    const big = Buffer.concat([png, Buffer.alloc(256 * 1024)]);
    codat.routes = { '/integrations/gbol/branding': branding({ square: `${codat.url}/cdn/x.png` }), '/cdn/x.png': handler(big) };
    expect((await setup(codat).get()).status).toBe(404);
  });

  it('serves an image of exactly 256 KiB', async () => {
    const codat = await fakeCodat();
    const exact = Buffer.concat([png, Buffer.alloc(256 * 1024 - png.length)]);
    codat.routes = { '/integrations/gbol/branding': branding({ square: `${codat.url}/cdn/x.png` }), '/cdn/x.png': image(exact, 'image/png') };
    const response = await setup(codat).get();
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBe(256 * 1024);
  });

  it.each(['text/html; charset=utf-8', 'application/octet-stream', 'image/x-icon', ''])('answers 404 to an image served as %j', async (type) => {
    const codat = await fakeCodat();
    codat.routes = {
      '/integrations/gbol/branding': branding({ square: `${codat.url}/cdn/x.png` }),
      '/cdn/x.png': (_req, res) => {
        res.writeHead(200, type ? { 'Content-Type': type } : {}).end('<script>alert(1)</script>');
      },
    };
    const response = await setup(codat).get();
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('<script>');
  });

  it('follows a redirect to an allowed host and refuses one to any other host', async () => {
    const codat = await fakeCodat();
    codat.routes = {
      '/integrations/gbol/branding': branding({ square: `${codat.url}/cdn/moved.png` }),
      '/cdn/moved.png': (_req, res) => res.writeHead(302, { Location: '/cdn/x.png' }).end(),
      '/cdn/x.png': image(png, 'image/png'),
      '/integrations/qhyg/branding': branding({ square: `${codat.url}/cdn/away.png` }),
      '/cdn/away.png': (_req, res) => res.writeHead(302, { Location: `http://localhost:${new URL(codat.url).port}/cdn/x.png` }).end(),
    };
    const { get } = setup(codat);
    expect((await get('gbol')).status).toBe(200);
    expect((await get('qhyg')).status).toBe(404);
    expect(imageHits(codat).map((h) => h.path)).toEqual(['/cdn/moved.png', '/cdn/x.png', '/cdn/away.png']);
  });

  it.each([
    ['Codat refuses the key, naming it', (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(401, { 'Content-Type': 'application/json', 'X-Echo': key });
      res.end(JSON.stringify({ statusCode: 401, error: `Key ${key} is not valid`, correlationId: 'corr-1' }));
    }],
    ['the platform has no branding', (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ statusCode: 404, error: `No branding for ${key}` }));
    }],
    ['the branding has no logo', branding({})],
    ['the branding is not JSON', (_req: IncomingMessage, res: ServerResponse) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<p>${key}</p>`)],
    ['Codat hangs up', (_req: IncomingMessage, res: ServerResponse) => res.destroy()],
  ])('answers 404 in its own words, never Codat’s text or the key, when %s', async (_case, handler) => {
    const codat = await fakeCodat();
    codat.routes = { '/integrations/gbol/branding': handler };
    const response = await setup(codat).get();
    expect(response.status).toBe(404);
    expect(await response.clone().json()).toMatchObject({ statusCode: 404, error: 'There is no logo for this platform.', service: 'billpay-connect-proxy' });
    await expectNoKey(response);
  });

  it('answers 404 when the image host is unreachable', async () => {
    const codat = await fakeCodat();
    const gone = await fakeCodat();
    await gone.close();
    codat.routes = { '/integrations/gbol/branding': branding({ square: `${gone.url}/cdn/x.png` }) };
    expect((await setup(codat, { logoHosts: [gone.host] }).get()).status).toBe(404);
  });
});

describe('createLogoServer’s cache', () => {
  async function logoServer(options: { maxCacheBytes?: number } = {}) {
    const codat = await fakeCodat();
    const routes: Record<string, Handler> = {};
    for (const platformKey of ['aaaa', 'bbbb', 'cccc']) {
      routes[`/integrations/${platformKey}/branding`] = branding({ square: `${codat.url}/cdn/${platformKey}.png` });
      routes[`/cdn/${platformKey}.png`] = image(Buffer.concat([png, Buffer.alloc(1000)]), 'image/png');
    }
    routes['/integrations/dddd/branding'] = (_req, res) => res.writeHead(503).end();
    codat.routes = routes;
    let clock = 0;
    const server = createLogoServer({
      hosts: [codat.host],
      upstream: codat.url,
      authorization: () => `Basic ${key}`,
      fetch: (input, init) => globalThis.fetch(input, init),
      timeoutMs: 5000,
      now: () => clock,
      ...options,
    });
    const serve = async (platformKey: string) => (await server.serve(platformKey, null))?.status ?? 404;
    const fetched = () => imageHits(codat).map((h) => h.path.slice(5, 9));
    const branded = () => brandingHits(codat).map((h) => h.path.slice(14, 18));
    return { serve, fetched, branded, advance: (ms: number) => (clock += ms) };
  }

  it('downloads a logo again once it is a day old', async () => {
    const { serve, fetched, advance } = await logoServer();
    expect(await serve('aaaa')).toBe(200);
    advance(24 * 60 * 60 * 1000 - 1);
    expect(await serve('aaaa')).toBe(200);
    expect(fetched()).toEqual(['aaaa']);
    advance(1);
    expect(await serve('aaaa')).toBe(200);
    expect(fetched()).toEqual(['aaaa', 'aaaa']);
  });

  it('drops the least recently served logo when the cache is over its byte budget', async () => {
    // Room for two logos of about 1.1 kB each.
    const { serve, fetched } = await logoServer({ maxCacheBytes: 2500 });
    for (const platformKey of ['aaaa', 'bbbb', 'aaaa', 'cccc', 'aaaa', 'bbbb']) expect(await serve(platformKey)).toBe(200);
    // cccc pushed out bbbb (aaaa had just been served), so only bbbb is downloaded twice.
    expect(fetched()).toEqual(['aaaa', 'bbbb', 'cccc', 'bbbb']);
  });

  it('remembers a missing logo for ten minutes and a failure for thirty seconds', async () => {
    const { serve, branded, advance } = await logoServer();
    expect(await serve('zzzz')).toBe(404);
    expect(await serve('dddd')).toBe(404);
    advance(29_999);
    expect(await serve('zzzz')).toBe(404);
    expect(await serve('dddd')).toBe(404);
    expect(branded()).toEqual(['zzzz', 'dddd']);
    advance(1);
    expect(await serve('dddd')).toBe(404);
    expect(branded()).toEqual(['zzzz', 'dddd', 'dddd']);
    advance(10 * 60 * 1000);
    expect(await serve('zzzz')).toBe(404);
    expect(branded()).toEqual(['zzzz', 'dddd', 'dddd', 'zzzz']);
  });
});
