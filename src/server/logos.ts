import { readBytes } from './upstream.js';

/** Options of `createLogoServer`. */
export interface LogoServerOptions {
  /**
   * Hosts images may come from, as `hostname` or `hostname:port`. Over https only, except a loopback host
   * (127.0.0.0/8, `localhost`, `[::1]`) named here, which may also be plain http (a local sandbox).
   */
  hosts: readonly string[];
  /** Codat's base URL, where the branding is read. */
  upstream: string;
  /** The `Authorization` header for Codat (sent to Codat only, never to the image host). */
  authorization: () => string;
  /** The transport. */
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  /** Time allowed for the branding read and the image download together, in ms. */
  timeoutMs: number;
  /** Largest image accepted, in bytes. @default 262144 */
  maxImageBytes?: number | undefined;
  /** Bytes the cache may hold; the least recently served logos go first. @default 8388608 */
  maxCacheBytes?: number | undefined;
  /** How long a logo is kept, in ms. @default 86400000 */
  ttlMs?: number | undefined;
  /** How long "this platform has no usable logo" is kept, in ms. @default 600000 */
  missTtlMs?: number | undefined;
  /** How long a failure that may pass (Codat or the image host down, slow or refusing the key) is kept, in ms. @default 30000 */
  failureTtlMs?: number | undefined;
  /** The clock. @default Date.now */
  now?: (() => number) | undefined;
}

/** Serves platform logos from the host's own origin. */
export interface LogoServer {
  /**
   * The answer for one platform's logo, or undefined when there is none to serve (the proxy answers 404);
   * `ifNoneMatch` is the request's `If-None-Match` header (304 when it names the logo's ETag).
   */
  serve(platformKey: string, ifNoneMatch: string | null): Promise<Response | undefined>;
}

interface Logo {
  bytes: Uint8Array<ArrayBuffer>;
  type: string;
  etag: string;
}

interface Entry {
  logo: Logo | undefined;
  expires: number;
  size: number;
}

/** What a cache entry without an image counts for, so a flood of unknown keys still fills (and cycles) the cache. */
const missSize = 64;
const maxBrandingBytes = 64 * 1024;
const maxRedirects = 3;
const imageTypes = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/svg+xml']);
const accept = 'image/png,image/webp,image/jpeg,image/gif,image/svg+xml;q=0.9';

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Reads a body up to `limit` bytes, or answers undefined (and stops reading) past it. */
async function readCapped(response: Response, limit: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (Number(response.headers.get('content-length') ?? 0) > limit) {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  return readBytes(response.body, limit);
}

/** The square logo's `src` from Codat's Branding, else the full one's. */
function logoSource(branding: unknown): string | undefined {
  const at = (value: unknown, ...path: string[]): unknown =>
    path.reduce<unknown>((node, name) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[name] : undefined), value);
  for (const size of ['square', 'full']) {
    const src = at(branding, 'logo', size, 'image', 'src');
    if (typeof src === 'string' && src.trim() !== '') return src.trim();
  }
  return undefined;
}

function etagOf(digest: ArrayBuffer): string {
  const hex = Array.from(new Uint8Array(digest).slice(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
  return `"${hex}"`;
}

function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (ifNoneMatch === null) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const value = tag.trim();
    return value === '*' || value.replace(/^W\//, '') === etag;
  });
}

/**
 * The proxy's logo route: reads a platform's branding from Codat, downloads the logo it names from an allowed
 * host (capped in size, image types only), keeps it in a bounded in-memory cache, and serves it from the host's
 * own origin with long-lived caching headers and an ETag. Concurrent requests for one logo share one download.
 * Nothing from Codat's answers but the image bytes reaches the browser.
 */
export function createLogoServer(options: LogoServerOptions): LogoServer {
  const hosts = new Set(options.hosts.map((host) => host.toLowerCase()));
  const maxImageBytes = options.maxImageBytes ?? 256 * 1024;
  const maxCacheBytes = options.maxCacheBytes ?? 8 * 1024 * 1024;
  const ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
  const missTtlMs = options.missTtlMs ?? 10 * 60 * 1000;
  const failureTtlMs = options.failureTtlMs ?? 30 * 1000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<Entry>>();
  let cached = 0;

  /** The image URL when it may be fetched: an allowed host, https (or http on an allowed loopback host), no credentials. */
  const allowed = (src: string, base?: URL): URL | undefined => {
    let url: URL;
    try {
      url = new URL(src, base ?? 'https://logo.invalid/');
    } catch {
      return undefined;
    }
    if (url.username || url.password) return undefined;
    if (!hosts.has(url.hostname) && !hosts.has(url.host)) return undefined;
    if (url.protocol === 'https:') return url;
    return url.protocol === 'http:' && isLoopback(url.hostname) ? url : undefined;
  };

  const fetchLogo = async (platformKey: string): Promise<{ logo: Logo } | 'miss' | 'failure'> => {
    const signal = AbortSignal.timeout(options.timeoutMs);
    try {
      const branding = await options.fetch(`${options.upstream}/integrations/${platformKey}/branding`, {
        method: 'GET',
        headers: { Accept: 'application/json', Authorization: options.authorization() },
        redirect: 'manual',
        signal,
      });
      if (!branding.ok) {
        await branding.body?.cancel().catch(() => undefined);
        return branding.status === 404 ? 'miss' : 'failure';
      }
      const text = await readCapped(branding, maxBrandingBytes);
      if (!text) return 'miss';
      let src: string | undefined;
      try {
        src = logoSource(JSON.parse(new TextDecoder().decode(text)));
      } catch {
        return 'miss';
      }
      let url = src === undefined ? undefined : allowed(src);
      // Redirects are followed by hand, each hop checked against the allowed hosts again.
      for (let hop = 0; url && hop <= maxRedirects; hop++) {
        const image = await options.fetch(url.href, { method: 'GET', headers: { Accept: accept }, redirect: 'manual', signal });
        if (image.status >= 300 && image.status < 400) {
          await image.body?.cancel().catch(() => undefined);
          const location = image.headers.get('location');
          url = location ? allowed(location, url) : undefined;
          continue;
        }
        if (!image.ok) {
          await image.body?.cancel().catch(() => undefined);
          return image.status === 429 || image.status >= 500 ? 'failure' : 'miss';
        }
        const type = (image.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
        if (!imageTypes.has(type)) {
          await image.body?.cancel().catch(() => undefined);
          return 'miss';
        }
        const bytes = await readCapped(image, maxImageBytes);
        if (!bytes?.byteLength) return 'miss';
        return { logo: { bytes, type, etag: etagOf(await crypto.subtle.digest('SHA-256', bytes)) } };
      }
      return 'miss';
    } catch {
      return 'failure';
    }
  };

  const get = (platformKey: string): Entry | undefined => {
    const entry = cache.get(platformKey);
    if (!entry) return undefined;
    cache.delete(platformKey);
    if (now() >= entry.expires) {
      cached -= entry.size;
      return undefined;
    }
    // Re-inserted: a Map iterates oldest first, so the front is always the least recently served.
    cache.set(platformKey, entry);
    return entry;
  };

  const put = (platformKey: string, entry: Entry) => {
    const old = cache.get(platformKey);
    if (old) {
      cache.delete(platformKey);
      cached -= old.size;
    }
    if (entry.size > maxCacheBytes) return;
    cache.set(platformKey, entry);
    cached += entry.size;
    for (const [oldest, { size }] of cache) {
      if (cached <= maxCacheBytes) break;
      cache.delete(oldest);
      cached -= size;
    }
  };

  const load = (platformKey: string): Promise<Entry> => {
    let running = inFlight.get(platformKey);
    if (!running) {
      running = fetchLogo(platformKey).then((outcome) => {
        const entry: Entry =
          typeof outcome === 'object'
            ? { logo: outcome.logo, expires: now() + ttlMs, size: outcome.logo.bytes.byteLength + missSize }
            : { logo: undefined, expires: now() + (outcome === 'miss' ? missTtlMs : failureTtlMs), size: missSize };
        put(platformKey, entry);
        inFlight.delete(platformKey);
        return entry;
      });
      inFlight.set(platformKey, running);
    }
    return running;
  };

  return {
    async serve(platformKey, ifNoneMatch) {
      if (hosts.size === 0) return undefined;
      const { logo } = get(platformKey) ?? (await load(platformKey));
      if (!logo) return undefined;
      const headers: Record<string, string> = {
        'Cache-Control': 'public, max-age=86400',
        ETag: logo.etag,
        'X-Content-Type-Options': 'nosniff',
      };
      if (matches(ifNoneMatch, logo.etag)) return new Response(null, { status: 304, headers });
      headers['Content-Type'] = logo.type;
      headers['Content-Length'] = String(logo.bytes.byteLength);
      if (logo.type === 'image/svg+xml') {
        // Opened on its own (not through <img>), an SVG from the host's origin could run script: it may not.
        headers['Content-Security-Policy'] = "default-src 'none'; style-src 'unsafe-inline'";
        headers['Content-Disposition'] = 'inline';
      }
      return new Response(logo.bytes, { status: 200, headers });
    },
  };
}
