import type { IncomingMessage } from 'node:http';
import type { AbortLike } from './upstream.js';

/**
 * One request as the proxy reads it. `createCodatProxy`'s Web handler makes it from a `Request`; `toNodeHandler`
 * makes it straight from Node's `IncomingMessage`, and builds a `Request` only if a host callback reads one.
 */
export interface ProxyRequest {
  /** The method, upper-case. */
  readonly method: string;
  /** The path as a WHATWG URL reads it (dot segments resolved, odd characters percent-encoded). */
  readonly pathname: string;
  /** The query string with its `?`, or ''. */
  readonly search: string;
  /** A request header by its lower-case name (repeated ones joined), or null. */
  header(name: string): string | null;
  /** Aborts when the client leaves before it is answered. */
  readonly signal: AbortLike;
  /** The body as text, or 'too-large' when it declares or runs over `limit` bytes (reading stops there). */
  readText(limit: number): Promise<string | 'too-large'>;
  /** The request as a Web `Request`, for the host's callbacks (built when first read). */
  readonly request: Request;
  /** Node's request, when served through `toNodeHandler`. */
  readonly nodeRequest: IncomingMessage | undefined;
}

/** An answer the proxy made from text: written to a Node socket as it is, or made into a `Response`. */
export interface Reply {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string | null;
}

/** Serves one `ProxyRequest`: an answer from text, or a `Response` (a logo's bytes). */
export type ProxyEngine = (input: ProxyRequest) => Promise<Reply | Response>;

/** Where a handler made by `createCodatProxy` keeps its engine, for `toNodeHandler`'s direct path. */
export const proxyEngine: unique symbol = Symbol.for('billpay-connect.proxy-engine');

/** The engine of a handler made by `createCodatProxy`; undefined for any other handler (one wrapped by the host). */
export function engineOf(handler: unknown): ProxyEngine | undefined {
  const engine = (handler as { [proxyEngine]?: unknown } | null)?.[proxyEngine];
  return typeof engine === 'function' ? (engine as ProxyEngine) : undefined;
}
