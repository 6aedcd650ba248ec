/** What aborts an upstream exchange: an `AbortSignal` has this shape, and so has the proxy's cheaper `UpstreamAbort`. */
export interface AbortLike {
  /** Whether it has aborted. */
  readonly aborted: boolean;
  /** Calls `listener` once when it aborts. */
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  /** Forgets a listener. */
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * Aborts one upstream exchange (its time limit, its client leaving, an answer past the size limit). An object of
 * its own rather than an AbortController: Node 20 makes every AbortSignal transferable, which costs more than
 * the rest of the exchange's bookkeeping; undici's `request` takes any object with `addEventListener`.
 */
export class UpstreamAbort implements AbortLike {
  aborted = false;
  /** Read by undici when it aborts; undefined lets it report its own RequestAbortedError. */
  readonly reason: unknown = undefined;
  #listeners: (() => void)[] = [];

  addEventListener(_type: 'abort', listener: () => void): void {
    if (!this.aborted) this.#listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const at = this.#listeners.indexOf(listener);
    if (at !== -1) this.#listeners.splice(at, 1);
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) listener();
  }
}

/** A request the proxy sends to Codat. */
export interface UpstreamRequest {
  /** HTTP method. */
  method: string;
  /** Every header sent (the proxy's own: Accept, Authorization, Content-Type). */
  headers: Record<string, string>;
  /** The JSON body, when there is one. */
  body?: string | undefined;
  /** Aborts the exchange: the time limit, the client leaving, or an answer past the size limit. */
  signal: AbortLike;
  /** Largest body read, in bytes after decompression; past it `text()` answers undefined. */
  maxBytes: number;
}

/** What the proxy reads of Codat's answer, whichever transport brought it. */
export interface UpstreamAnswer {
  /** The status as received (a redirect is not followed; a status outside 200-599 is possible). */
  status: number;
  /** A response header, or null. */
  header(name: string): string | null;
  /**
   * The body as UTF-8 text, decompressed and read as it arrives: undefined as soon as it passes the request's
   * `maxBytes`, with the rest dropped unread and the connection closed.
   */
  text(): Promise<string | undefined>;
  /** Drops the body unread. */
  discard(): void;
}

/** Sends one request upstream, to `path` (with its query) on `origin`. Must honour `signal`. */
export type UpstreamTransport = (origin: string, path: string, request: UpstreamRequest) => Promise<UpstreamAnswer>;

/** A `fetch`-shaped function, as the `fetch` option takes. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/**
 * A transport over a `fetch` function (the `fetch` option, or `globalThis.fetch` where undici cannot run).
 * Redirects are never followed (`redirect: 'manual'`); fetch decompresses on its own, and the bytes counted
 * are the decompressed ones.
 */
export function fetchTransport(fetchImpl: FetchLike): UpstreamTransport {
  return async (origin, path, { method, headers, body, signal: abort, maxBytes: limit }) => {
    const url = `${origin}${path}`;
    // fetch takes a real AbortSignal only.
    const controller = new AbortController();
    if (abort.aborted) controller.abort();
    else abort.addEventListener('abort', () => controller.abort(), { once: true });
    const response = await fetchImpl(url, { method, headers, ...(body === undefined ? {} : { body }), redirect: 'manual', signal: controller.signal });
    return {
      // An opaque redirect (a browser-like fetch) hides its status: it is still a redirect.
      status: response.type === 'opaqueredirect' ? 302 : response.status,
      header: (name) => response.headers.get(name),
      text: () => {
        if (declaresMoreThan(response.headers.get('content-encoding'), response.headers.get('content-length'), limit)) {
          void response.body?.cancel().catch(() => undefined);
          return Promise.resolve(undefined);
        }
        return readText(response.body, limit);
      },
      discard: () => void response.body?.cancel().catch(() => undefined),
    };
  };
}

/** A header as Node and undici keep it (a string, or an array when repeated), joined as the Fetch API joins it; null when absent. */
export function joined(value: string | string[] | undefined): string | null {
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
}

/** Whether an answer declares more bytes than `limit` (only an uncompressed one: then the declared length is the size). */
export function declaresMoreThan(encoding: string | null, length: string | null, limit: number): boolean {
  return (encoding === null || /^\s*identity\s*$/i.test(encoding)) && Number(length ?? 0) > limit;
}

/**
 * Reads a Web stream's bytes, counting them as they arrive: undefined as soon as they pass `limit`, with the rest
 * cancelled unread, so an endless or huge body never takes more than the limit.
 */
export async function readBytes(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return all;
}

/** `readBytes`, as UTF-8 text. */
export async function readText(body: ReadableStream<Uint8Array> | null, limit: number): Promise<string | undefined> {
  const bytes = await readBytes(body, limit);
  return bytes && new TextDecoder().decode(bytes);
}

/** A request's body as text, or 'too-large' when it declares or runs over `limit` bytes (reading stops there). */
export async function readRequestText(request: Request, limit: number): Promise<string | 'too-large'> {
  if (Number(request.headers.get('content-length') ?? 0) > limit) return 'too-large';
  return (await readText(request.body, limit)) ?? 'too-large';
}
