import type { IncomingMessage } from 'node:http';
import { ALL_BILL_PAY_PLATFORM_KEYS, isBillPayError, validateCompanyInput, validatePlatformKey, type OperationName } from '../core/index.js';
import { createCompanyGate, type Release } from './company-gate.js';
import { defaultTransport } from './default-transport.js';
import { createMemoryIdempotencyStore, type IdempotencyEntry, type IdempotencyStore, type IdempotentAnswer } from './idempotency-store.js';
import { checkedLimit, checkedPlatformKeys, MAX_TIMEOUT_MS } from './limits.js';
import { lazySecret } from './lazy-secret.js';
import { createLogoServer } from './logos.js';
import { textResponse } from './plain-body.js';
import { proxyEngine, type ProxyEngine, type ProxyRequest, type Reply } from './proxy-request.js';
import { sha256Hex } from './sha256.js';
import { settleWithin, within } from './time-limit.js';
import { fetchTransport, readRequestText, UpstreamAbort, type AbortLike, type UpstreamAnswer } from './upstream.js';

/** What `authorize` is asked about. */
export interface ProxyAuthorizeInput {
  /**
   * The incoming request (read the host's session from its cookies or headers). Behind `toNodeHandler` it is
   * built from Node's request the first time it is read, so an `authorize` that reads `nodeRequest` instead costs less.
   */
  request: Request;
  /**
   * Node's request, when the proxy is served through `toNodeHandler` (Express, Connect, `node:http`): what the
   * host's middleware put on it (`req.session`, `req.user`) is there. Undefined behind a Web-standard server.
   */
  nodeRequest?: IncomingMessage | undefined;
  /** The company the request names; undefined for `createCompany` and the integrations reads. */
  companyId: string | undefined;
  /** The Codat operation being proxied. */
  operation: OperationName;
}

/** Options of `createCodatProxy`. */
export interface CodatProxyOptions {
  /**
   * The Codat API key (as shown in the Codat Portal, already base64). Server-side only. Read at the first
   * request, not at creation, so a module that creates the proxy can be imported where the key is not set
   * (`next build`, a Docker image build): until there is a key every request answers 500 and the server
   * logs why. A function is called at the first request, for keys fetched from a secret store.
   */
  apiKey: string | (() => string | undefined) | undefined;
  /** Upstream Codat base URL. @default 'https://api.codat.io' */
  baseUrl?: string | undefined;
  /** Path the host mounts the proxy under, stripped before forwarding. @default '/api/codat' */
  prefix?: string | undefined;
  /**
   * Tenancy check, called for every allowed request before anything goes upstream: may this signed-in
   * user touch this company (or create one)? Only `true` lets the request through: anything else
   * (false, a throw, a truthy non-boolean such as a session object) answers 403. It gets `timeoutMs`: one
   * that has not answered by then answers 503. If the client leaves meanwhile, nothing goes upstream.
   */
  authorize: (input: ProxyAuthorizeInput) => boolean | Promise<boolean>;
  /** Called after Codat created a company, so the host can record that it belongs to the user. */
  onCompanyCreated?:
    | ((input: { request: Request; company: { id: string; name?: string }; nodeRequest?: IncomingMessage | undefined }) => void | Promise<void>)
    | undefined;
  /**
   * The platform keys a connection may be created for: a request for any other key is 404 (as Codat answers a
   * key it does not offer) and never goes upstream, as the kit's client refuses it. Each a four-letter lower-case key; a host offering a platform the kit does not know lists it here.
   * @default ALL_BILL_PAY_PLATFORM_KEYS (both Bill Pay lists)
   */
  platformKeys?: readonly string[] | undefined;
  /** Allow `GET /companies` (it lists every tenant's companies). @default false */
  allowListCompanies?: boolean | undefined;
  /** Largest request body accepted, in bytes (a whole number above 0; anything else throws a TypeError at creation). @default 65536 */
  maxBodyBytes?: number | undefined;
  /**
   * Upstream timeout in ms: above 0 and at most 536870911 (a keyed create waits four times as long, and a timer
   * holds at most 2^31-1 ms). Anything else (0, NaN from an unset variable, Infinity, a string) throws a TypeError
   * at creation. @default 30000
   */
  timeoutMs?: number | undefined;
  /**
   * Largest answer from Codat passed on, in bytes, counted after decompression (a whole number above 0). The
   * answer is read as it arrives; past the limit the rest is not read, the upstream request is aborted and the
   * browser gets 502. @default 8388608 (8 MiB)
   */
  maxResponseBytes?: number | undefined;
  /**
   * Requests of one company in flight to Codat at once, from this process (Codat allows 10 per company and
   * answers more with 429); the rest wait in order, within their `timeoutMs` (504 past it), and leave the queue
   * when their client does. A whole number of at least 1. @default 10
   */
  maxConcurrentPerCompany?: number | undefined;
  /** Requests of one company that may wait for a place; past that the proxy answers 503 with `Retry-After: 1`. @default 100 */
  maxQueuedPerCompany?: number | undefined;
  /**
   * Upstream transport, `fetch`-shaped (for tests, or a host's own instrumented fetch). Called with
   * `redirect: 'manual'` and a signal it must honour. @default in Node a keep-alive connection pool (undici's
   * Agent and request); elsewhere globalThis.fetch
   */
  fetch?: ((input: string, init: RequestInit) => Promise<Response>) | undefined;
  /**
   * Receives one redacted entry per request (never the key or bodies). A throw here does not change the answer:
   * the first one is reported with `console.error`, later ones are ignored.
   */
  onLog?: ((entry: ProxyLogEntry) => void) | undefined;
  /**
   * Where creates (company or connection) sent with an `Idempotency-Key` are claimed and their answers kept, so
   * a retry after a lost answer gets the same company or connection instead of a second one. A create claims
   * its slot before it goes to Codat; a retry meanwhile waits for it (up to `timeoutMs`, then 409). The default
   * keeps both in this process (answers for 24 hours): behind several servers pass one shared store,
   * `createRedisIdempotencyStore({ client })`, or a retry reaching another server creates a second company.
   * `false` ignores the header. @default createMemoryIdempotencyStore()
   */
  idempotencyStore?: IdempotencyStore | false | undefined;
  /**
   * Whose keys these are (the signed-in user's or tenant's id, read from the request): a create is only
   * replayed, or its company recorded, for a request of the same scope. Without it, or when it answers
   * undefined or '', the scope is a SHA-256 of the request's `Authorization` and `Cookie` headers: a key presented
   * with other credentials is a new create, never another user's replay, but a retry whose cookies changed
   * (a rotated session, analytics cookies) is a new create too, so pass the user's id. May be async; a throw
   * or a non-string answers 503, and a client that leaves while it runs gets nothing sent upstream. Behind
   * `toNodeHandler` it also gets Node's request (`(_request, { nodeRequest }) => nodeRequest.session.userId`).
   * `() => 'global'` shares keys between everyone (safe only while they stay secret).
   */
  idempotencyScope?:
    | ((request: Request, context: { nodeRequest: IncomingMessage | undefined }) => string | undefined | Promise<string | undefined>)
    | undefined;
  /**
   * Hosts the proxy may fetch platform logos from (`hostname` or `hostname:port`), for
   * `GET {prefix}/integrations/{platformKey}/logo`: the logo named by Codat's branding is downloaded (at most
   * 256 KiB; PNG, JPEG, WebP, GIF or SVG), kept in memory for 24 hours and served from your own origin, so
   * `img-src 'self'` is enough. https only, except a loopback host listed here (a local sandbox server). A logo
   * elsewhere, or none, answers 404 and the kit shows the platform's monogram; `[]` answers 404 to every logo.
   * @default ['static.codat.io']
   */
  logoHosts?: readonly string[] | undefined;
}

/** One line of the proxy's log. */
export interface ProxyLogEntry {
  /** HTTP method. */
  method: string;
  /** Codat path (after the prefix), without the query string. */
  path: string;
  /** The operation, when the route is allowed. */
  operation: OperationName | undefined;
  /** Status returned to the browser. */
  status: number;
  /** Time taken, in ms. */
  ms: number;
  /** Codat's correlation id, when there was one. */
  correlationId: string | undefined;
}

/** Shorter keys are refused: redacting them from answers would mangle ordinary text. */
const minKeyLength = 8;

/** A Web-standard request handler: works in Node (see `toNodeHandler`), Next.js route handlers, Hono, Workers. */
export type CodatProxyHandler = (request: Request) => Promise<Response>;

const id = '([A-Za-z0-9-]{1,64})';
const routes: { method: string; pattern: RegExp; operation: OperationName }[] = [
  { method: 'POST', pattern: /^\/companies$/, operation: 'createCompany' },
  { method: 'GET', pattern: /^\/companies$/, operation: 'listCompanies' },
  { method: 'GET', pattern: new RegExp(`^/companies/${id}$`), operation: 'getCompany' },
  { method: 'POST', pattern: new RegExp(`^/companies/${id}/connections$`), operation: 'createConnection' },
  { method: 'GET', pattern: new RegExp(`^/companies/${id}/connections$`), operation: 'listConnections' },
  { method: 'GET', pattern: new RegExp(`^/companies/${id}/connections/${id}$`), operation: 'getConnection' },
  { method: 'PATCH', pattern: new RegExp(`^/companies/${id}/connections/${id}$`), operation: 'unlinkConnection' },
  { method: 'DELETE', pattern: new RegExp(`^/companies/${id}/connections/${id}$`), operation: 'deleteConnection' },
  { method: 'GET', pattern: /^\/integrations$/, operation: 'listIntegrations' },
  { method: 'GET', pattern: /^\/integrations\/[a-z]{4}$/, operation: 'getIntegration' },
  { method: 'GET', pattern: /^\/integrations\/[a-z]{4}\/branding$/, operation: 'getIntegrationBranding' },
  { method: 'GET', pattern: /^\/integrations\/([a-z]{4})\/logo$/, operation: 'getIntegrationLogo' },
];
/** The operation a request is, and the id (a company's, or a logo's platform key) its path names first. */
function routeOf(method: string, path: string): { operation: OperationName; id: string | undefined } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (match) return { operation: route.operation, id: match[1] };
  }
  return undefined;
}

/** Ends an upstream exchange whose time is up (a timer callback with no closure of its own). */
function abortUpstream(controller: UpstreamAbort): void {
  controller.abort();
}

const forwardedQuery = ['page', 'pageSize', 'query', 'orderBy'];
const passedResponseHeaders = ['content-type', 'retry-after'];
const jsonType = /^application\/(?:[\w.+-]*\+)?json\s*(?:;|$)/i;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Rebuilds the body the kit sends for an operation, or answers undefined for anything else: extra fields,
 * wrong types, duplicate keys or an unlink that sets another status never reach Codat. A company body is
 * checked as the kit checks it (Codat's name characters and tag limits), a platform key against `platformKeys`;
 * their complaint comes back as text.
 */
function kitBody(operation: OperationName, value: unknown, platformKeys: readonly string[]): Record<string, unknown> | string | undefined {
  if (!isObject(value)) return undefined;
  const only = (...names: string[]) => Object.keys(value).every((name) => names.includes(name));
  if (operation === 'createCompany') {
    const { name, description, tags } = value;
    if (!only('name', 'description', 'tags') || typeof name !== 'string') return undefined;
    if (description !== undefined && typeof description !== 'string') return undefined;
    if (tags !== undefined && !isObject(tags)) return undefined;
    try {
      // The proxy cannot know the host's maxCompanyNameLength (Codat documents none): a generous cap of its own.
      return { ...validateCompanyInput({ name, description, tags: tags as Record<string, string> | undefined }, { maxCompanyNameLength: 1000 }) };
    } catch (error) {
      if (isBillPayError(error)) return error.message;
      throw error;
    }
  }
  if (operation === 'createConnection') {
    const { platformKey } = value;
    if (!only('platformKey') || typeof platformKey !== 'string' || !/^[a-z]{4}$/.test(platformKey)) return undefined;
    try {
      return { platformKey: validatePlatformKey(platformKey, { platformKeys }) };
    } catch (error) {
      if (isBillPayError(error)) return error.message;
      throw error;
    }
  }
  if (operation === 'unlinkConnection') return only('status') && value.status === 'Unlinked' ? { status: 'Unlinked' } : undefined;
  return undefined;
}

/**
 * Matches the key as Codat, or something between it and the proxy, might echo it: literally, JSON-escaped
 * (`\u002B`, `\/`) or percent-encoded; with or without its `=` padding; as base64url (`-` and `_`); base64-decoded;
 * and split across lines (a raw or JSON-escaped line break, maybe indented, between any two characters).
 * Case-insensitive, so it can only over-redact; but every form is the whole key, so ordinary text (part of the
 * key, other base64) is left alone.
 */
function secretPattern(apiKey: string): RegExp {
  const unpadded = apiKey.replace(/=+$/, '');
  const padCount = apiKey.length - unpadded.length;
  // The padding is optional only while what remains is still too long to occur in ordinary text by chance.
  const padding = padCount === 0 ? '' : unpadded.length >= minKeyLength ? '*' : `{${padCount}}`;
  const forms = [{ text: unpadded, padding }];
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(apiKey)) {
    const urlSafe = unpadded.replace(/\+/g, '-').replace(/\//g, '_');
    if (urlSafe !== unpadded) forms.push({ text: urlSafe, padding });
  }
  try {
    const decoded = atob(apiKey);
    if (decoded.length >= 8 && /^[\x20-\x7e]+$/.test(decoded)) forms.push({ text: decoded, padding: '' });
  } catch {
    // Not base64: only the key as given.
  }
  const char = (c: string) => {
    const code = c.charCodeAt(0).toString(16);
    const literal = c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    const alternatives = [literal, `\\\\u${code.padStart(4, '0')}`];
    if (!/[A-Za-z0-9]/.test(c)) alternatives.push(`%${code.padStart(2, '0')}`, `\\\\${literal}`);
    return `(?:${alternatives.join('|')})`;
  };
  // A line break (CRLF or LF, raw or JSON-escaped), with the indentation a wrapped line may carry.
  const lineBreak = String.raw`(?:\r?\n[\t ]*|(?:\\r)?\\n)?`;
  const spell = ({ text, padding: pad }: { text: string; padding: string }) =>
    [...text].map(char).join(lineBreak) + (pad ? `(?:${lineBreak}${char('=')})${pad}` : '');
  return new RegExp(forms.map(spell).join('|'), 'gi');
}

/**
 * A keyed create's outcome: its answer (kept from an earlier attempt, or fresh), a store that could not be
 * used, or another run (on this server or another) still holding the slot when the wait ran out.
 */
type KeyedOutcome = { answer: IdempotentAnswer; replayed: boolean } | 'unavailable' | 'busy';

/** A keyed create in this process, joined by retries that reach this server while it runs. */
interface KeyedRun {
  /** What it is doing now: calling the store, waiting for another run's claim, or creating (Codat, then the save). */
  stage: 'store' | 'waiting' | 'creating';
  outcome: Promise<KeyedOutcome>;
}

/** The longest the proxy waits for one call to the idempotency store (or `timeoutMs`, if shorter). */
const storeTimeoutMs = 5000;
/** Bounds of the pause between two looks at a slot another run holds. */
const firstPauseMs = 25;
const maxPauseMs = 500;

const unavailable = () => errorReply(503, 'The proxy could not check for an earlier attempt. Try again.');
const storeUnavailable = () => errorReply(503, "The proxy's idempotency store did not answer, so nothing was sent to Codat. Try again.");
const stillRunning = () =>
  errorReply(409, 'An earlier request with this Idempotency-Key is still being answered. Try again with the same key in a moment.', { 'retry-after': '1' }, true);
const unrecorded = () => errorReply(502, 'The company was created but could not be recorded. Try again.');
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether a create's 2xx body is the created object: a company with an id, a connection with an id and a status. */
function isCreated(operation: OperationName, text: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  if (!isObject(value) || typeof value.id !== 'string' || value.id === '') return false;
  return operation !== 'createConnection' || typeof value.status === 'string';
}

function errorReply(status: number, error: string, extra: Record<string, string> = {}, retryable = status >= 500): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...extra },
    body: JSON.stringify({
      statusCode: status,
      service: 'billpay-connect-proxy',
      error,
      correlationId: crypto.randomUUID(),
      validation: null,
      canBeRetried: retryable ? 'True' : 'False',
      detailedErrorCode: 0,
    }),
  };
}

/** Codat's correlation id from an error body, or undefined when it is not Codat's JSON. */
function correlationIdOf(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { correlationId?: unknown };
    return typeof parsed.correlationId === 'string' ? parsed.correlationId : undefined;
  } catch {
    return undefined;
  }
}

/** What the proxy has understood of one request so far, handed from step to step and read by the log line. */
interface Call {
  input: ProxyRequest;
  method: string;
  /** The path after the prefix, once stripped. */
  path: string;
  operation: OperationName | undefined;
  companyId: string | undefined;
  /** The rebuilt JSON body sent to Codat. */
  body: string | undefined;
  correlationId: string | undefined;
}

/** The answer logged for a client that left before its request went upstream (nobody reads it). */
const clientGone = () => errorReply(499, 'The client closed the request before it was sent to Codat.');

/**
 * The host-backend half of the kit: forwards the kit's Codat calls to Codat with the API key added
 * server-side. Only the endpoints the kit uses are forwarded; every request naming a company passes
 * the host's `authorize` check first; the key never appears in a response or a log entry.
 */
export function createCodatProxy(options: CodatProxyOptions): CodatProxyHandler {
  // The key is redacted from every answer: a key of a few characters would blank those characters everywhere.
  const keyProblem = (key: string | undefined) =>
    !key
      ? 'createCodatProxy has no apiKey: set it (e.g. from CODAT_API_KEY) where the server runs.'
      : key.length < minKeyLength
        ? `createCodatProxy's apiKey is shorter than ${minKeyLength} characters; a Codat API key is far longer.`
        : undefined;
  let apiKey: string | undefined;
  let redact = (text: string) => text;
  /** The key, read once it is first needed (with its redaction); a problem with it is logged once and answered 500. */
  const credentials = lazySecret(options.apiKey, keyProblem, (key) => {
    const secret = secretPattern(key);
    redact = (text) => text.replace(secret, '[redacted]');
    apiKey = key;
    return key;
  });
  let logFailed = false;
  /** Hands an entry to `onLog`; the request was answered whatever the host's log sink does. */
  const log = (entry: ProxyLogEntry) => {
    try {
      options.onLog?.(entry);
    } catch (error) {
      if (logFailed) return;
      logFailed = true;
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.error(`billpay-connect: onLog threw; requests are answered as usual and later throws are not reported. ${redact(detail)}`);
    }
  };
  const upstream = (options.baseUrl ?? 'https://api.codat.io').replace(/\/+$/, '');
  // Split once: the transport is given the origin and the path. An unusable baseUrl fails each request with 502.
  let upstreamOrigin = upstream;
  let upstreamPath = '';
  try {
    const base = new URL(upstream);
    upstreamOrigin = base.origin;
    upstreamPath = base.pathname.replace(/\/+$/, '');
  } catch {
    // Kept as given: the transport refuses it.
  }
  const prefix = (options.prefix ?? '/api/codat').replace(/\/+$/, '');
  const maxBody = checkedLimit('maxBodyBytes', options.maxBodyBytes, 64 * 1024, { integer: true, unit: 'bytes' });
  const timeoutMs = checkedLimit('timeoutMs', options.timeoutMs, 30_000, { max: MAX_TIMEOUT_MS, unit: 'milliseconds' });
  const gate = createCompanyGate(
    checkedLimit('maxConcurrentPerCompany', options.maxConcurrentPerCompany, 10, { min: 1, integer: true, unit: 'requests' }),
    checkedLimit('maxQueuedPerCompany', options.maxQueuedPerCompany, 100, { min: 0, integer: true, unit: 'requests' }),
  );
  const platformKeys = checkedPlatformKeys(options.platformKeys, ALL_BILL_PAY_PLATFORM_KEYS);
  const maxResponse = checkedLimit('maxResponseBytes', options.maxResponseBytes, 8 * 1024 * 1024, { integer: true, unit: 'bytes' });
  const transport = options.fetch ? fetchTransport(options.fetch) : defaultTransport();
  const keyed = options.idempotencyStore === false ? undefined : (options.idempotencyStore ?? createMemoryIdempotencyStore());
  const storeMs = Math.min(timeoutMs, storeTimeoutMs);
  const inFlight = new Map<string, KeyedRun>();
  const logos = createLogoServer({
    hosts: options.logoHosts ?? ['static.codat.io'],
    upstream,
    authorization: () => `Basic ${apiKey}`,
    // Logos are few and cached: they keep a fetch-shaped transport (the fetch option, or fetch itself).
    fetch: options.fetch ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init)),
    timeoutMs,
  });
  const replay = (answer: IdempotentAnswer, body: string | undefined): Reply =>
    answer.request === body
      ? { status: answer.status, headers: { ...answer.headers, 'idempotent-replayed': 'true' }, body: answer.body || null }
      : errorReply(422, 'This Idempotency-Key was already used for a different request.');

  /** Logs the answer (when there is an `onLog`) and passes it on. */
  const finish = (call: Call, started: number, answer: Reply | Response): Reply | Response => {
    if (options.onLog) {
      log({ method: call.method, path: call.path, operation: call.operation, status: answer.status, ms: Date.now() - started, correlationId: call.correlationId });
    }
    return answer;
  };

  const engine: ProxyEngine = (input) => {
    const started = Date.now();
    const call: Call = { input, method: input.method, path: input.pathname, operation: undefined, companyId: undefined, body: undefined, correlationId: undefined };
    return serve(call).then((answer) => finish(call, started, answer));
  };

  /** Checks one request and answers it: from the proxy itself, from Codat, or from a kept create. */
  async function serve(call: Call): Promise<Reply | Response> {
    const { input, method } = call;
    let path = call.path;
    if (prefix && !(path === prefix || path.startsWith(`${prefix}/`))) return errorReply(404, 'Not found.');
    if (!credentials()) return errorReply(500, 'The server is not set up to reach Codat yet (no API key).');
    path = path.slice(prefix.length) || '/';
    call.path = path;
    if (/%2f|%5c|%2e/i.test(path) || path.includes('//') || path.includes('..')) return errorReply(404, 'Not found.');
    const route = routeOf(method, path);
    if (!route || (route.operation === 'listCompanies' && !options.allowListCompanies)) {
      return errorReply(404, `No route for ${method} ${path}.`);
    }
    const operation = route.operation;
    call.operation = operation;
    const companyId = path.startsWith('/companies/') ? route.id : undefined;
    call.companyId = companyId;

    if (method === 'POST' || method === 'PATCH') {
      const type = input.header('content-type') ?? '';
      if (!/^application\/json\b/i.test(type)) return errorReply(415, 'Send JSON (Content-Type: application/json).');
      let text: string;
      try {
        text = await input.readText(maxBody);
      } catch {
        return errorReply(400, 'The request body could not be read.');
      }
      if (text === 'too-large') return errorReply(413, `The request body is larger than ${maxBody} bytes.`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return errorReply(400, 'The request body is not valid JSON.');
      }
      const rebuilt = kitBody(operation, parsed, platformKeys);
      // Codat answers a platform key it does not offer with 404 (and its SDK expects that status); other complaints are 400.
      if (typeof rebuilt === 'string') return errorReply(operation === 'createConnection' ? 404 : 400, rebuilt);
      if (!rebuilt) return errorReply(400, `The request body is not a ${operation} body the proxy forwards.`);
      call.body = JSON.stringify(rebuilt);
    }

    // The Web Request is built (by toNodeHandler) only if authorize reads it.
    const question: ProxyAuthorizeInput = {
      get request() {
        return input.request;
      },
      companyId,
      operation,
      nodeRequest: input.nodeRequest,
    };
    const access = await settleWithin(() => options.authorize(question), timeoutMs, input.signal);
    if (access.status === 'aborted') return clientGone();
    if (access.status === 'timed-out') return errorReply(503, 'The access check did not answer in time, so nothing was sent to Codat. Try again.');
    if (access.status !== 'answered' || access.value !== true) return errorReply(403, 'You do not have access to this company.');
    if (operation === 'getIntegrationLogo') {
      const logo = await logos.serve(route.id ?? '', input.header('if-none-match'));
      return logo ?? errorReply(404, 'There is no logo for this platform.');
    }

    // A create sent with an Idempotency-Key runs upstream once, on whichever server claims its slot first: a
    // retry while it runs waits for it (joining it on this server, watching the store on another), a retry
    // after it succeeded gets its answer again. Such a create is not abandoned when the browser goes away (its
    // answer is what the retry needs); failures are not kept, so a retry tries again.
    const idempotencyKey = method === 'POST' ? input.header('idempotency-key') : null;
    if (idempotencyKey === null || !keyed) return forward(call, input.signal);
    return keyedCreate(call, operation, keyed, idempotencyKey);
  }

  /** A create sent with an Idempotency-Key (see above). */
  async function keyedCreate(call: Call, operation: OperationName, keyed: IdempotencyStore, idempotencyKey: string): Promise<Reply> {
    const { input, path, body } = call;
    const { nodeRequest } = input;
    if (!/^[\w-]{16,128}$/.test(idempotencyKey)) return errorReply(400, 'An Idempotency-Key is 16 to 128 letters, digits, - or _.');
    const scoped = await settleWithin(() => options.idempotencyScope?.(input.request, { nodeRequest }), timeoutMs, input.signal);
    // A client gone before its create went anywhere: nothing is claimed, nothing goes upstream.
    if (scoped.status === 'aborted') return clientGone();
    if (scoped.status !== 'answered') return unavailable();
    const scope: unknown = scoped.value;
    // Anything but a string (a session object from a JS host) would put every user in one slot.
    if (scope !== undefined && typeof scope !== 'string') return unavailable();
    // Without a scope, the caller's credentials: a key someone else presents is never answered with this create.
    const owner =
      scope === undefined || scope === ''
        ? `credentials:${sha256Hex(`${input.header('authorization') ?? ''}\n${input.header('cookie') ?? ''}`)}`
        : `scope:${encodeURIComponent(scope)}`;
    const slot = `${owner} ${operation} ${path} ${idempotencyKey}`;
    // A retry reaching this server while the create runs here joins the run instead of asking the store.
    let run = inFlight.get(slot);
    const first = !run;
    if (!run) {
      const started: KeyedRun = { stage: 'store', outcome: Promise.resolve<KeyedOutcome>('busy') };
      started.outcome = runOnce(keyed, slot, started);
      inFlight.set(slot, started);
      started.outcome.finally(() => inFlight.delete(slot)).catch(() => undefined);
      run = started;
    }
    // The browser's wait ends at timeoutMs; the run goes on (see runOnce). A run never rejects: its parts catch.
    const joined = run;
    const outcome = await within(() => joined.outcome, timeoutMs).catch(() => undefined);
    if (!outcome) {
      if (joined.stage === 'store') return storeUnavailable();
      if (joined.stage === 'creating' && first) return errorReply(504, 'Codat did not answer in time. Trying again with the same Idempotency-Key is safe.');
      return stillRunning();
    }
    if (outcome === 'unavailable') return storeUnavailable();
    if (outcome === 'busy') return stillRunning();
    // A request that joined the run logs Codat's correlation id too (the run's forward filled the first one's log).
    const joinedCorrelationId = outcome.answer.status >= 400 ? correlationIdOf(outcome.answer.body) : undefined;
    if (joinedCorrelationId !== undefined) call.correlationId ??= redact(joinedCorrelationId);
    if (outcome.answer.unrecorded && outcome.answer.request === body) return unrecorded();
    if (!first || outcome.replayed) return replay(outcome.answer, body);
    return { status: outcome.answer.status, headers: outcome.answer.headers, body: outcome.answer.body || null };

    /**
     * The keyed create, once across every server sharing the store. It claims the slot; if another run holds it,
     * it looks again after a pause (25 ms, doubling up to 500 ms) until that run's answer lands, or its claim is
     * let go or expires (then this run claims it), or `timeoutMs` has passed ('busy'). An answer already kept is
     * replayed. Each store call gets `storeMs`: one that throws or does not answer is 'unavailable', and nothing
     * goes to Codat. Once claimed, Codat gets four times timeoutMs (the browser hears 504 in time, and a later
     * answer is still kept for the retry) while the claim is renewed.
     */
    async function runOnce(store: IdempotencyStore, slot: string, run: KeyedRun): Promise<KeyedOutcome> {
      const deadline = Date.now() + timeoutMs;
      for (let pause = firstPauseMs; ; pause = Math.min(pause * 2, maxPauseMs)) {
        const token = crypto.randomUUID();
        let claimed: boolean;
        try {
          claimed = (await within(() => store.claim(slot, token), storeMs)) === true;
        } catch {
          // A claim that did not answer may still land: let it go (a no-op when it did not).
          void within(() => store.release(slot, token), storeMs).catch(() => undefined);
          return 'unavailable';
        }
        if (claimed) return create(store, slot, token, run);
        let entry: IdempotencyEntry | undefined;
        try {
          entry = await within(() => store.get(slot), storeMs);
        } catch {
          return 'unavailable';
        }
        if (entry?.answer) return replayKept(store, slot, entry.token, entry.answer);
        const left = deadline - Date.now();
        if (left <= 0) return 'busy';
        run.stage = 'waiting';
        await sleep(Math.min(pause, left));
      }
    }

    /** An answer kept by an earlier attempt. A company it created but did not record is recorded now (same create only). */
    async function replayKept(store: IdempotencyStore, slot: string, token: string, kept: IdempotentAnswer): Promise<KeyedOutcome> {
      let answer = kept;
      if (answer.unrecorded && answer.request === body && (await record(call, answer.body))) {
        answer = { ...answer, unrecorded: undefined };
        await within(() => store.complete(slot, token, answer), storeMs).catch(() => undefined);
      }
      return { answer, replayed: true };
    }

    /**
     * Sends the claimed create to Codat and keeps its answer in place of the claim. Only the created object is
     * kept: a failure, or a 2xx that is not the company or connection (an empty or HTML page from something in
     * between), lets the slot go, so a retry tries again. So does a save that fails.
     */
    async function create(store: IdempotencyStore, slot: string, token: string, run: KeyedRun): Promise<KeyedOutcome> {
      run.stage = 'creating';
      const stopRenewing = renew(store, slot, token);
      let answer: IdempotentAnswer;
      let kept = false;
      try {
        const reply = await forward(call, undefined, timeoutMs * 4, false);
        const ok = reply.status >= 200 && reply.status < 300;
        answer = { request: body ?? '', status: reply.status, headers: reply.headers, body: reply.body ?? '' };
        if (ok && !isCreated(operation, answer.body)) {
          const what = operation === 'createConnection' ? 'connection' : 'company';
          const refused = errorReply(502, `Codat's answer is not the created ${what}, so it was not kept. Try again.`);
          answer = { request: answer.request, status: refused.status, headers: refused.headers, body: refused.body ?? '' };
        } else if (ok) {
          if (!(await record(call, answer.body))) answer.unrecorded = true;
          const saved = answer;
          kept = (await within(() => store.complete(slot, token, saved), storeMs).catch(() => false)) === true;
        }
      } finally {
        stopRenewing();
        if (!kept) void within(() => store.release(slot, token), storeMs).catch(() => undefined);
      }
      return { answer, replayed: false };
    }

    /** Renews the claim every third of its lifetime while the create runs; returns the function that stops it. */
    function renew(store: IdempotencyStore, slot: string, token: string): () => void {
      const lifetime = Number.isFinite(store.claimTtlMs) && store.claimTtlMs > 0 ? store.claimTtlMs : 10_000;
      let pending = false;
      const timer = setInterval(() => {
        if (pending) return;
        pending = true;
        within(() => store.extend(slot, token), storeMs)
          .then((still) => {
            // The claim expired or was taken over: renewing cannot bring it back.
            if (still === false) clearInterval(timer);
          })
          .catch(() => undefined)
          .finally(() => {
            pending = false;
          });
      }, Math.max(10, lifetime / 3));
      return () => clearInterval(timer);
    }
  }

  /** Runs the host's `onCompanyCreated` for a created company's answer: false when it fails or takes over 4x timeoutMs. */
  async function record(call: Call, text: string): Promise<boolean> {
    const { onCompanyCreated } = options;
    if (call.operation !== 'createCompany' || !onCompanyCreated) return true;
    const { input } = call;
    try {
      const created = {
        get request() {
          return input.request;
        },
        company: JSON.parse(text) as { id: string; name?: string },
        nodeRequest: input.nodeRequest,
      };
      await within(() => onCompanyCreated(created), timeoutMs * 4);
      return true;
    } catch {
      return false;
    }
  }

  /** Sends the checked request upstream and builds the browser's answer. */
  async function forward(call: Call, signal: AbortLike | undefined, limitMs = timeoutMs, recordCompany = true): Promise<Reply> {
    if (signal?.aborted) return clientGone();
    const { input, method, path, companyId, body } = call;
    let target = `${upstreamPath}${path}`;
    if (input.search.length > 1) {
      const given = new URLSearchParams(input.search);
      const query = new URLSearchParams();
      for (const name of forwardedQuery) {
        const value = given.get(name);
        if (value !== null) query.set(name, value);
      }
      if (query.size) target += `?${query}`;
    }
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Basic ${apiKey}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const controller = new UpstreamAbort();
    const timer = setTimeout(abortUpstream, limitMs, controller);
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let upstreamResponse: UpstreamAnswer;
    let text: string;
    let place: Release | undefined;
    try {
      if (companyId !== undefined) {
        // A free place is taken at once; only a request that has to queue waits for one.
        const waited = gate.take(companyId) ?? (await gate.acquire(companyId, controller).catch(() => undefined));
        if (waited === 'full') return errorReply(503, 'Too many requests for this company are already waiting for Codat. Try again in a moment.', { 'retry-after': '1' });
        if (waited === undefined) {
          return signal?.aborted ? clientGone() : errorReply(504, 'Codat did not answer in time: this request was still waiting behind other requests for this company.');
        }
        place = waited;
      }
      // No redirects: the key must only ever go to the allowed path on the configured upstream.
      upstreamResponse = await transport(upstreamOrigin, target, { method, headers, body, signal: controller, maxBytes: maxResponse });
      if (upstreamResponse.status >= 300 && upstreamResponse.status < 400) {
        upstreamResponse.discard();
        return errorReply(502, 'Codat answered with a redirect, which the proxy does not follow.');
      }
      // A Response cannot carry a status outside 200-599: passing it on would throw out of the handler.
      if (upstreamResponse.status < 200 || upstreamResponse.status > 599) {
        upstreamResponse.discard();
        return errorReply(502, `Codat answered with status ${upstreamResponse.status}, which the proxy does not pass on.`);
      }
      const read = await upstreamResponse.text();
      if (read === undefined) {
        controller.abort();
        return errorReply(502, `Codat's answer is larger than ${maxResponse} bytes (maxResponseBytes), so the proxy does not pass it on.`);
      }
      text = read;
    } catch {
      return controller.aborted && !signal?.aborted ? errorReply(504, 'Codat did not answer in time.') : errorReply(502, 'Codat could not be reached.');
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      place?.();
    }
    const out: Record<string, string> = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
    for (const name of passedResponseHeaders) {
      const value = upstreamResponse.header(name);
      if (value !== null) out[name] = redact(value);
    }
    // The answer is served from the host's origin: never as HTML or another active type, nor untyped.
    const type = out['content-type'];
    if ((type === undefined && text !== '') || (type !== undefined && !jsonType.test(type))) out['content-type'] = 'text/plain; charset=utf-8';
    if (upstreamResponse.status >= 300) {
      const correlationId = correlationIdOf(text);
      if (correlationId !== undefined) call.correlationId = redact(correlationId);
    } else if (recordCompany && call.operation === 'createCompany' && !(await record(call, text))) {
      return errorReply(502, 'The company was created but could not be recorded. Contact support.');
    }
    const nullBody = upstreamResponse.status === 204 || upstreamResponse.status === 205;
    return { status: upstreamResponse.status, headers: out, body: nullBody ? null : redact(text) };
  }
  const handler: CodatProxyHandler = async (request) => {
    const { pathname, search } = new URL(request.url);
    const answer = await engine({
      method: request.method.toUpperCase(),
      pathname,
      search,
      header: (name) => request.headers.get(name),
      signal: request.signal,
      readText: (limit) => readRequestText(request, limit),
      request,
      nodeRequest: undefined,
    });
    return answer instanceof Response ? answer : textResponse(answer.body, { status: answer.status, headers: answer.headers });
  };
  // toNodeHandler serves Node's requests through the engine directly, without a Request and Response for each.
  Object.defineProperty(handler, proxyEngine, { value: engine });
  return handler;
}
