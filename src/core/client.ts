import { BillPayError } from './errors.js';
import { parseBranding, parseCompany, parseConnection, parseErrorBody, parseIntegration, parsePage } from './parse.js';
import type {
  Company,
  Connection,
  CreateCompanyInput,
  CreateConnectionInput,
  Fetcher,
  Integration,
  IntegrationBranding,
  OperationName,
  Page,
  PageQuery,
  RequestOptions,
} from './types.js';
import { validateCompanyInput, validateId, validatePlatformKey, type ValidationOptions } from './validate.js';

/** How idempotent requests retry. POSTs never retry. */
export interface RetryOptions {
  /** Retries after the first attempt. @default 2 */
  retries?: number | undefined;
  /** First backoff delay in ms; doubles each retry. @default 300 */
  baseDelayMs?: number | undefined;
  /** Cap on one backoff delay in ms. @default 8000 */
  maxDelayMs?: number | undefined;
  /** A Retry-After longer than this (seconds) is not waited out: the call fails with `rate-limited` at once. @default 30 */
  maxRetryAfterSeconds?: number | undefined;
  /** Randomise each backoff between 50% and 100% of its value, so clients do not retry in step. @default true */
  jitter?: boolean | undefined;
}

/** Options for `createCodatClient`. */
export interface CodatClientOptions extends ValidationOptions {
  /** The transport. @default globalThis.fetch */
  fetcher?: Fetcher | undefined;
  /** Prefix joined to every Codat path: the host backend's mount point. @default '/api/codat' */
  baseUrl?: string | undefined;
  /** Extra headers on every request (e.g. a CSRF token); a function is called per request. */
  headers?: Record<string, string> | (() => Record<string, string>) | undefined;
  /** Retry policy for idempotent requests (GET, unlink PATCH, DELETE); `false` turns retries off. */
  retry?: RetryOptions | false | undefined;
  /** Per-attempt timeout in ms; 0 for none. @default 30000 */
  timeoutMs?: number | undefined;
  /**
   * Send an `Idempotency-Key` with each create, reused when the same create is retried after a failure,
   * so the kit's server proxy can answer a retry with the company or connection already made. Turn off
   * for a cross-origin backend that does not allow the header. @default true
   */
  idempotencyKeys?: boolean | undefined;
  /**
   * Whether the backend at `baseUrl` serves platform logos at `logoUrl(platformKey)`, as the kit's proxy does;
   * the styled components show them when this is true (their `showLogos` prop decides otherwise). On by default
   * when the client calls the backend with `fetch` (no `fetcher`), the normal host setup; off with a custom
   * fetcher (the in-memory sandbox, a test double), which may not reach such a backend.
   * @default true without a `fetcher`, false with one
   */
  logos?: boolean | undefined;
}

/** A typed client with one method per Codat operation the kit uses. Every method takes an AbortSignal. */
export interface CodatClient {
  /** `POST /companies`: creates the customer's company. Never retried. */
  createCompany(input: CreateCompanyInput, options?: RequestOptions): Promise<Company>;
  /** `GET /companies/{companyId}`. */
  getCompany(companyId: string, options?: RequestOptions): Promise<Company>;
  /** `GET /companies`: one page. */
  listCompanies(query?: PageQuery, options?: RequestOptions): Promise<Page<Company>>;
  /** `POST /companies/{companyId}/connections`: answers `PendingAuth` with a `linkUrl`. Never retried. */
  createConnection(companyId: string, input: CreateConnectionInput, options?: RequestOptions): Promise<Connection>;
  /** `GET /companies/{companyId}/connections`: one page. */
  listConnections(companyId: string, query?: PageQuery, options?: RequestOptions): Promise<Page<Connection>>;
  /** Every connection of a company, following pages (at most 50 pages). */
  listAllConnections(companyId: string, query?: Omit<PageQuery, 'page'>, options?: RequestOptions): Promise<Connection[]>;
  /** `GET /companies/{companyId}/connections/{connectionId}`. */
  getConnection(companyId: string, connectionId: string, options?: RequestOptions): Promise<Connection>;
  /** `PATCH /companies/{companyId}/connections/{connectionId}` with `{ status: 'Unlinked' }`. */
  unlinkConnection(companyId: string, connectionId: string, options?: RequestOptions): Promise<Connection>;
  /** `DELETE /companies/{companyId}/connections/{connectionId}`. */
  deleteConnection(companyId: string, connectionId: string, options?: RequestOptions): Promise<void>;
  /** `GET /integrations`: one page of the platforms Codat offers, with whether the host's client has each enabled. */
  listIntegrations(query?: PageQuery, options?: RequestOptions): Promise<Page<Integration>>;
  /** `GET /integrations/{platformKey}`. */
  getIntegration(platformKey: string, options?: RequestOptions): Promise<Integration>;
  /** `GET /integrations/{platformKey}/branding`. */
  getIntegrationBranding(platformKey: string, options?: RequestOptions): Promise<IntegrationBranding>;
  /**
   * The URL of a platform's logo on the kit's proxy, `{baseUrl}/integrations/{platformKey}/logo`: an image
   * served from the host's own origin (so `img-src 'self'` covers it), or 404 when there is none. Makes no
   * request. Throws `invalid-input` for a key that is not four lowercase letters.
   */
  logoUrl(platformKey: string): string;
  /** Whether the components show logos from `logoUrl` unless told otherwise (see `CodatClientOptions.logos`). */
  readonly logos: boolean;
  /** The validation settings the client enforces (hooks reuse them). */
  readonly validation: Readonly<ValidationOptions>;
}

interface Call<T> {
  operation: OperationName;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  idempotent: boolean;
  parse: ((value: unknown, operation: OperationName) => T) | null;
  signal: AbortSignal | undefined;
  /** The create's `Idempotency-Key`. */
  key?: string;
}

const retryableStatuses = new Set([429, 502, 503, 504]);
const maxListPages = 50;
/** Timers overflow above this (and fire at once): longer delays are clamped to it. Internal to the kit. */
export const maxTimerMs = 2 ** 31 - 1;

/** A header from a real `Headers` or, from a hand-made fetcher, a plain object. */
function header(response: Response, name: string): string | null {
  const headers = (response as { headers?: unknown }).headers;
  if (headers && typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  if (typeof headers !== 'object' || headers === null) return null;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : (headers as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

/** Parses a Retry-After header (delta-seconds or HTTP-date) into whole seconds, or undefined. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new BillPayError('aborted'));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new BillPayError('aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function query(q: PageQuery | undefined, defaults: boolean): string {
  const params = new URLSearchParams();
  if (defaults || q?.page !== undefined) params.set('page', String(q?.page ?? 1));
  if (defaults || q?.pageSize !== undefined) params.set('pageSize', String(q?.pageSize ?? 100));
  if (q?.query) params.set('query', q.query);
  if (q?.orderBy) params.set('orderBy', q.orderBy);
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Creates the Codat client over a host fetcher. Cheap: no I/O until a method is called. */
export function createCodatClient(options: CodatClientOptions = {}): CodatClient {
  const baseUrl = (options.baseUrl ?? '/api/codat').replace(/\/+$/, '');
  const fetcher: Fetcher = options.fetcher ?? ((input, init) => globalThis.fetch(input, init));
  const retry = options.retry === false ? { retries: 0 } : (options.retry ?? {});
  const retries = Math.max(0, retry.retries ?? 2);
  const baseDelayMs = retry.baseDelayMs ?? 300;
  const maxDelayMs = retry.maxDelayMs ?? 8000;
  const maxRetryAfterSeconds = retry.maxRetryAfterSeconds ?? 30;
  const jitter = 'jitter' in retry ? retry.jitter !== false : true;
  // NaN or <= 0 means none; Infinity or a huge value must not overflow into an immediate timeout.
  const timeoutMs = Math.min(options.timeoutMs ?? 30_000, maxTimerMs);
  const validation: ValidationOptions = {
    maxCompanyNameLength: options.maxCompanyNameLength,
    platformKeys: options.platformKeys,
  };

  async function attempt<T>(call: Call<T>): Promise<T> {
    const controller = new AbortController();
    let timedOut = false;
    const onAbort = () => controller.abort(call.signal?.reason);
    call.signal?.addEventListener('abort', onAbort, { once: true });
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, timeoutMs)
        : undefined;
    const { operation } = call;
    const failed = (cause: unknown) => {
      if (call.signal?.aborted) return new BillPayError('aborted', { operation, cause });
      if (timedOut) return new BillPayError('timeout', { operation, cause });
      if (cause instanceof BillPayError) return cause;
      // An AbortError the caller did not ask for (the host's fetcher aborted on its own) is a failed
      // request the user can retry, not a cancellation to ignore.
      return new BillPayError('network', { operation, cause });
    };
    try {
      const headers: Record<string, string> = {
        Accept: 'application/json',
        ...(typeof options.headers === 'function' ? options.headers() : options.headers),
      };
      const init: RequestInit = { method: call.method, headers, signal: controller.signal };
      if (call.key) headers['Idempotency-Key'] = call.key;
      if (call.body !== undefined) {
        headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(call.body);
      }
      // A fetcher that ignores the signal must not keep the caller waiting past an abort or the timeout.
      const abandoned = new Promise<never>((_, reject) => {
        controller.signal.addEventListener('abort', () => reject(new BillPayError('aborted', { operation })), { once: true });
      });
      abandoned.catch(() => undefined);
      let response: Response;
      let text: string;
      try {
        response = await Promise.race([fetcher(`${baseUrl}${call.path}`, init), abandoned]);
        // A host fetcher that resolves with no Response (a missing return, an already-parsed body) answered
        // something we cannot read: not a network failure, and not worth retrying.
        if (typeof response?.text !== 'function') throw new BillPayError('invalid-response', { operation });
        text = await Promise.race([response.text(), abandoned]);
      } catch (cause) {
        throw failed(cause);
      }
      // A fetcher that ignores the signal may still answer; the caller has moved on.
      if (call.signal?.aborted) throw failed(undefined);
      let json: unknown = undefined;
      let malformed = false;
      if (text.trim() !== '') {
        try {
          json = JSON.parse(text);
        } catch {
          malformed = true;
        }
      }
      if (!response.ok) {
        const codat = malformed ? undefined : parseErrorBody(json, response.status);
        const retryAfter = parseRetryAfter(header(response, 'Retry-After'));
        throw new BillPayError(response.status === 429 ? 'rate-limited' : 'http', {
          operation,
          status: response.status,
          codat,
          retryAfter,
          ...(codat && response.status !== 429 ? { message: codat.error } : {}),
        });
      }
      if (call.parse === null) return undefined as T;
      if (malformed || json === undefined) {
        throw new BillPayError('invalid-response', {
          operation,
          status: response.status,
          message: 'The server sent an answer we could not read (not JSON). Try again.',
        });
      }
      return call.parse(json, operation);
    } catch (error) {
      throw failed(error);
    } finally {
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', onAbort);
    }
  }

  // A create whose answer was lost may still have happened: the same create sent again carries the same
  // key, so the proxy can answer with what was made. A success retires the key.
  const createKeys = new Map<string, string>();

  async function send<T>(call: Call<T>): Promise<T> {
    const intent = call.method === 'POST' && options.idempotencyKeys !== false ? `${call.path} ${JSON.stringify(call.body)}` : '';
    if (intent) {
      call.key = createKeys.get(intent) ?? Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
      createKeys.delete(intent);
    }
    for (let n = 0; ; n++) {
      if (call.signal?.aborted) throw new BillPayError('aborted', { operation: call.operation });
      try {
        return await attempt(call);
      } catch (error) {
        if (intent) {
          if (createKeys.size > 20) createKeys.clear();
          createKeys.set(intent, call.key!);
        }
        const e = error as BillPayError;
        const transient = e.code === 'network' || e.code === 'timeout' || (e.status !== undefined && retryableStatuses.has(e.status));
        if (!call.idempotent || !transient || n >= retries) throw e;
        if (e.retryAfter !== undefined && e.retryAfter > maxRetryAfterSeconds) throw e;
        const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** n);
        const delay = e.retryAfter !== undefined ? e.retryAfter * 1000 : jitter ? backoff * (0.5 + Math.random() / 2) : backoff;
        try {
          await sleep(delay, call.signal);
        } catch {
          throw new BillPayError('aborted', { operation: call.operation });
        }
      }
    }
  }

  const company = (companyId: string) => `/companies/${encodeURIComponent(validateId(companyId, 'companyId'))}`;
  const connection = (companyId: string, connectionId: string) =>
    `${company(companyId)}/connections/${encodeURIComponent(validateId(connectionId, 'connectionId'))}`;
  const get = <T>(operation: OperationName, path: string, parse: Call<T>['parse'], signal: AbortSignal | undefined) =>
    send<T>({ operation, method: 'GET', path, idempotent: true, parse, signal });
  const pageOf =
    <T>(item: (v: unknown, op?: OperationName) => T) =>
    (v: unknown, op: OperationName) =>
      parsePage(v, item, op);

  const client: CodatClient = {
    validation,
    logos: options.logos ?? options.fetcher === undefined,
    logoUrl(platformKey) {
      const key = validatePlatformKey(platformKey, { platformKeys: [platformKey] });
      return `${baseUrl}/integrations/${key}/logo`;
    },
    async createCompany(input, opts = {}) {
      const body = validateCompanyInput(input, validation);
      return send({ operation: 'createCompany', method: 'POST', path: '/companies', body, idempotent: false, parse: parseCompany, signal: opts.signal });
    },
    async getCompany(companyId, opts = {}) {
      return get('getCompany', company(companyId), parseCompany, opts.signal);
    },
    async listCompanies(q, opts = {}) {
      return get('listCompanies', `/companies${query(q, true)}`, pageOf(parseCompany), opts.signal);
    },
    async createConnection(companyId, input, opts = {}) {
      const platformKey = validatePlatformKey(input.platformKey, validation);
      return send({
        operation: 'createConnection',
        method: 'POST',
        path: `${company(companyId)}/connections`,
        body: { platformKey },
        idempotent: false,
        parse: parseConnection,
        signal: opts.signal,
      });
    },
    async listConnections(companyId, q, opts = {}) {
      return get('listConnections', `${company(companyId)}/connections${query(q, true)}`, pageOf(parseConnection), opts.signal);
    },
    async listAllConnections(companyId, q = {}, opts = {}) {
      const all = new Map<string, Connection>();
      for (let page = 1; page <= maxListPages; page++) {
        const result = await client.listConnections(companyId, { ...q, page }, opts);
        const before = all.size;
        // A server that ignores `page` (or whose pages overlap) must not list a connection twice or loop.
        for (const c of result.results) if (!all.has(c.id)) all.set(c.id, c);
        const pageSize = result.pageSize > 0 ? result.pageSize : (q.pageSize ?? 100);
        if (all.size === before || page * pageSize >= result.totalResults) break;
      }
      return [...all.values()];
    },
    async getConnection(companyId, connectionId, opts = {}) {
      return get('getConnection', connection(companyId, connectionId), parseConnection, opts.signal);
    },
    async unlinkConnection(companyId, connectionId, opts = {}) {
      return send({
        operation: 'unlinkConnection',
        method: 'PATCH',
        path: connection(companyId, connectionId),
        body: { status: 'Unlinked' },
        idempotent: true,
        parse: parseConnection,
        signal: opts.signal,
      });
    },
    async deleteConnection(companyId, connectionId, opts = {}) {
      await send<void>({
        operation: 'deleteConnection',
        method: 'DELETE',
        path: connection(companyId, connectionId),
        idempotent: true,
        parse: null,
        signal: opts.signal,
      });
    },
    async listIntegrations(q, opts = {}) {
      return get('listIntegrations', `/integrations${query(q, true)}`, pageOf(parseIntegration), opts.signal);
    },
    async getIntegration(platformKey, opts = {}) {
      const key = validatePlatformKey(platformKey, { platformKeys: [platformKey] });
      return get('getIntegration', `/integrations/${key}`, parseIntegration, opts.signal);
    },
    async getIntegrationBranding(platformKey, opts = {}) {
      const key = validatePlatformKey(platformKey, { platformKeys: [platformKey] });
      // Codat's Branding does not name its platform; the kit records which one it asked for.
      const parse = (value: unknown, op: OperationName) => ({ ...parseBranding(value, op), platformKey: key });
      return get('getIntegrationBranding', `/integrations/${key}/branding`, parse, opts.signal);
    },
  };
  return client;
}
