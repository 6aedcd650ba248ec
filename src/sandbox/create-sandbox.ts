import { BILL_PAY_PLATFORMS, type OperationName } from '../core/index.js';

/** A fault the sandbox injects into the next calls of an operation. */
export type SandboxFault =
  /** Answer with this HTTP status and Codat's error body. */
  | { kind: 'status'; status: number; message?: string | undefined; retryAfter?: number | undefined; times?: number | undefined }
  /** Answer 429 with `Retry-After: retryAfter` (seconds). */
  | { kind: 'rate-limit'; retryAfter: number; times?: number | undefined }
  /** Reject like `fetch` does when the network fails (`TypeError: Failed to fetch`); the sandbox server drops the connection. */
  | { kind: 'network'; times?: number | undefined }
  /** Answer 200 with a body that is not JSON. */
  | { kind: 'malformed'; times?: number | undefined }
  /** Never answer until the request is aborted. */
  | { kind: 'hang'; times?: number | undefined };

/** Which calls a fault applies to: one operation, or `'*'` for any. */
export type SandboxOperation = OperationName | '*';

/** A connection to preload. */
export interface SandboxSeedConnection {
  /** Connection id. @default a new UUID */
  id?: string | undefined;
  /** Platform key, e.g. `qhyg`. */
  platformKey: string;
  /** Initial status. @default 'PendingAuth' */
  status?: 'PendingAuth' | 'Linked' | 'Unlinked' | 'Deauthorized' | (string & {}) | undefined;
  /** Last sync (ISO 8601). Linked connections default to the seed time. */
  lastSync?: string | undefined;
  /** Data connection errors to show. */
  dataConnectionErrors?: Record<string, unknown>[] | undefined;
}

/** A company to preload. */
export interface SandboxSeedCompany {
  /** Company id. @default a new UUID */
  id?: string | undefined;
  /** Company name. */
  name: string;
  /** Description. */
  description?: string | undefined;
  /** Its connections. */
  connections?: SandboxSeedConnection[] | undefined;
}

/** Options of `createSandbox`. */
export interface SandboxOptions {
  /** Delay before each answer, in ms: a number or a `{ min, max }` range. @default 0 */
  latency?: number | { min: number; max: number } | undefined;
  /** Companies and connections to start with. */
  seed?: { companies?: SandboxSeedCompany[] | undefined } | undefined;
  /** Base of each connection's linkUrl; the sandbox appends `/{companyId}/{connectionId}`. @default 'https://link.sandbox.billpay-connect.dev/link' */
  linkBaseUrl?: string | undefined;
  /** Faults to inject from the start, per operation, consumed in order. */
  faults?: Partial<Record<SandboxOperation, SandboxFault | SandboxFault[]>> | undefined;
}

/** One request the sandbox received. */
export interface SandboxRequest {
  /** HTTP method. */
  method: string;
  /** Codat path (after any prefix such as `/api/codat`), with the query string. */
  path: string;
  /** The operation it was routed to, or undefined for an unknown route. */
  operation: OperationName | undefined;
  /** Parsed JSON body, when there was one. */
  body: unknown;
  /** When it arrived (ms since epoch). */
  time: number;
}

type Json = Record<string, unknown>;

interface StoredCompany extends Json {
  id: string;
  name: string;
}

interface StoredConnection extends Json {
  id: string;
  status: string;
}

/** The in-memory Codat sandbox. */
export interface Sandbox {
  /** A `fetch`-shaped transport answering like Codat. Give it to `CodatProvider` or `createCodatClient`. */
  fetcher: (input: string, init?: RequestInit) => Promise<Response>;
  /** Answers a Web `Request` (used by the HTTP sandbox server). */
  handle: (request: Request) => Promise<Response>;
  /** Simulates the user granting access in the Link flow: the connection becomes Linked. */
  authorize: (connectionId: string) => void;
  /** Simulates the user leaving the Link flow without granting access (the connection stays PendingAuth). */
  abandon: (connectionId: string) => void;
  /** Simulates the platform revoking access: the connection becomes Deauthorized with an active error. */
  deauthorize: (connectionId: string) => void;
  /** Injects a fault into the next calls of an operation (`'*'` for any), after any already queued. */
  fail: (operation: SandboxOperation, fault: SandboxFault) => void;
  /** Drops all queued faults. */
  clearFaults: () => void;
  /** Changes the latency from now on. */
  setLatency: (latency: SandboxOptions['latency']) => void;
  /** Every request received, oldest first. */
  readonly requests: readonly SandboxRequest[];
  /** Ids of connections whose Link flow was abandoned. */
  readonly abandoned: readonly string[];
  /** A snapshot of one company as Codat would return it. */
  getCompany: (companyId: string) => Json | undefined;
  /** Snapshots of a company's connections. */
  listConnections: (companyId: string) => Json[];
  /** Finds which company a connection belongs to. */
  findConnection: (connectionId: string) => { companyId: string; connection: Json } | undefined;
  /** Calls `listener` after every state change; returns the unsubscribe function. */
  subscribe: (listener: () => void) => () => void;
  /** Restores the seeded state and clears the request log, faults and abandoned list. */
  reset: () => void;
}

const defaultLinkBase = 'https://link.sandbox.billpay-connect.dev/link';
const nilIntegrationPrefix = '00000000-0000-4000-8000-';

function integrationId(key: string): string {
  const hex = [...key].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
  return nilIntegrationPrefix + hex.padStart(12, '0').slice(-12);
}

function sourceId(key: string): string {
  return `${integrationId(key).slice(0, -4)}5${key.length}${key.charCodeAt(0) % 10}${key.charCodeAt(3) % 10}`;
}

function integration(key: string) {
  const platform = BILL_PAY_PLATFORMS.find((p) => p.key === key);
  if (!platform) return undefined;
  return {
    key: platform.key,
    logoUrl: `https://static.codat.io/public/officialLogos/Square/${integrationId(key)}.png`,
    name: platform.name,
    enabled: true,
    sourceId: sourceId(key),
    sourceType: 'Accounting',
    integrationId: integrationId(key),
    isOfflineConnector: platform.isOfflineConnector,
    isBeta: false,
    dataProvidedBy: 'Codat',
    datatypeFeatures: [],
  };
}

/** Codat's error body. Also used by the sandbox server for the answers it gives itself. */
export function errorBody(
  status: number,
  error: string,
  validation: Json | null = null,
  canBeRetried = status >= 500 || status === 429 ? 'True' : 'Unknown',
): Json {
  return {
    statusCode: status,
    service: 'PublicApi',
    error,
    correlationId: crypto.randomUUID(),
    validation,
    canBeRetried,
    detailedErrorCode: 0,
  };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

/** Decodes a path segment; one that is not valid percent-encoding stays as sent, so it matches nothing (404). */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function abortError(): DOMException {
  return new DOMException('The operation was aborted.', 'AbortError');
}

const routes: { method: string; pattern: RegExp; operation: OperationName }[] = [
  { method: 'POST', pattern: /^\/companies$/, operation: 'createCompany' },
  { method: 'GET', pattern: /^\/companies$/, operation: 'listCompanies' },
  { method: 'GET', pattern: /^\/companies\/([^/]+)$/, operation: 'getCompany' },
  { method: 'POST', pattern: /^\/companies\/([^/]+)\/connections$/, operation: 'createConnection' },
  { method: 'GET', pattern: /^\/companies\/([^/]+)\/connections$/, operation: 'listConnections' },
  { method: 'GET', pattern: /^\/companies\/([^/]+)\/connections\/([^/]+)$/, operation: 'getConnection' },
  { method: 'PATCH', pattern: /^\/companies\/([^/]+)\/connections\/([^/]+)$/, operation: 'unlinkConnection' },
  { method: 'DELETE', pattern: /^\/companies\/([^/]+)\/connections\/([^/]+)$/, operation: 'deleteConnection' },
  { method: 'GET', pattern: /^\/config\/integrations$/, operation: 'listIntegrations' },
  { method: 'GET', pattern: /^\/config\/integrations\/([^/]+)\/branding$/, operation: 'getIntegrationBranding' },
];

/**
 * Creates an in-memory backend that answers like Codat for every endpoint the kit uses, with
 * latency, seeding, fault injection and controls that play the user's part in the Link flow.
 */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const linkBase = (options.linkBaseUrl ?? defaultLinkBase).replace(/\/+$/, '');
  let latency = options.latency ?? 0;
  const companies = new Map<string, StoredCompany>();
  const connections = new Map<string, StoredConnection[]>();
  const faults = new Map<SandboxOperation, SandboxFault[]>();
  const listeners = new Set<() => void>();
  let requests: SandboxRequest[] = [];
  let abandoned: string[] = [];
  const emit = () => {
    for (const listener of [...listeners]) listener();
  };

  const newConnection = (companyId: string, key: string, id: string = crypto.randomUUID()): StoredConnection => {
    const info = integration(key);
    return {
      id,
      integrationId: info?.integrationId ?? integrationId(key),
      integrationKey: key,
      sourceId: info?.sourceId ?? sourceId(key),
      sourceType: 'Accounting',
      platformName: info?.name ?? key,
      linkUrl: `${linkBase}/${encodeURIComponent(companyId)}/${encodeURIComponent(id)}`,
      status: 'PendingAuth',
      lastSync: undefined,
      created: new Date().toISOString(),
      dataConnectionErrors: [],
      connectionInfo: null,
    };
  };

  const newCompany = (name: string, description?: string, id: string = crypto.randomUUID()): StoredCompany => ({
    id,
    name,
    ...(description ? { description } : {}),
    platform: '',
    redirect: `${linkBase}/${encodeURIComponent(id)}`,
    lastSync: undefined,
    created: new Date().toISOString(),
    createdByUserName: 'billpay-connect sandbox',
    products: ['payables'],
    tags: {},
    referenceParentCompany: undefined,
    referenceSubsidiaryCompanies: [],
  });

  // Seeds without an id get one here, once, so reset() brings back the ids the host may have stored.
  const seedIds = (options.seed?.companies ?? []).map((c) => ({
    company: c.id ?? crypto.randomUUID(),
    connections: (c.connections ?? []).map((s) => s.id ?? crypto.randomUUID()),
  }));

  const seed = () => {
    companies.clear();
    connections.clear();
    faults.clear();
    requests = [];
    abandoned = [];
    for (const [i, c] of (options.seed?.companies ?? []).entries()) {
      const company = newCompany(c.name, c.description, seedIds[i]?.company);
      companies.set(company.id, company);
      connections.set(
        company.id,
        (c.connections ?? []).map((s, j) => {
          const conn = newConnection(company.id, s.platformKey, seedIds[i]?.connections[j]);
          conn.status = s.status ?? 'PendingAuth';
          conn.lastSync = s.lastSync ?? (conn.status === 'Linked' ? conn.created : undefined);
          if (s.dataConnectionErrors) conn.dataConnectionErrors = s.dataConnectionErrors;
          return conn;
        }),
      );
    }
    for (const [operation, value] of Object.entries(options.faults ?? {})) {
      if (value) faults.set(operation as SandboxOperation, Array.isArray(value) ? [...value] : [value]);
    }
  };
  seed();

  const snapshot = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
  const companyView = (company: StoredCompany) =>
    snapshot({ ...company, dataConnections: connections.get(company.id) ?? [] });

  const findConnection = (connectionId: string) => {
    for (const [companyId, list] of connections) {
      const connection = list.find((c) => c.id === connectionId);
      if (connection) return { companyId, connection };
    }
    return undefined;
  };

  const mutate = (connectionId: string, change: (c: StoredConnection) => void) => {
    const found = findConnection(connectionId);
    if (!found) throw new Error(`billpay-connect sandbox: no connection ${connectionId}`);
    change(found.connection);
    emit();
  };

  const takeFault = (operation: OperationName | undefined): SandboxFault | undefined => {
    for (const key of [operation, '*'] as const) {
      if (key === undefined) continue;
      const queue = faults.get(key);
      const fault = queue?.[0];
      if (!queue || !fault) continue;
      const times = fault.times ?? 1;
      if (times <= 1) queue.shift();
      else queue[0] = { ...fault, times: times - 1 };
      return fault;
    }
    return undefined;
  };

  const page = (items: unknown[], url: URL, path: string) => {
    const pageNumber = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const pageSize = Math.min(5000, Math.max(1, Number(url.searchParams.get('pageSize') ?? 100) || 100));
    const start = (pageNumber - 1) * pageSize;
    const results = items.slice(start, start + pageSize);
    const href = (p: number) => `${path}?page=${p}&pageSize=${pageSize}`;
    const links: Record<string, { href: string }> = { self: { href: path }, current: { href: href(pageNumber) } };
    if (start + pageSize < items.length) links.next = { href: href(pageNumber + 1) };
    if (pageNumber > 1) links.previous = { href: href(pageNumber - 1) };
    return { results, pageNumber, pageSize, totalResults: items.length, _links: links };
  };

  const matchesQuery = (item: Json, query: string | null): boolean => {
    if (!query) return true;
    return query.split('&&').every((clause) => {
      const m = /^\s*(\w+)\s*(=|!=|~)\s*(.*?)\s*$/.exec(clause);
      if (!m) return true;
      const [, field = '', op, value = ''] = m;
      const actual = String(item[field] ?? '');
      if (op === '=') return actual === value;
      if (op === '!=') return actual !== value;
      return actual.toLowerCase().includes(value.toLowerCase());
    });
  };

  async function route(method: string, url: URL, path: string, body: unknown, operation: OperationName | undefined, params: string[]) {
    const notFound = (what: string) => json(404, errorBody(404, `${what} not found.`));
    const company = params[0] !== undefined ? companies.get(params[0]) : undefined;
    switch (operation) {
      case 'createCompany': {
        const input = (body ?? {}) as Json;
        const name = typeof input.name === 'string' ? input.name.trim() : '';
        if (name === '') {
          return json(
            400,
            errorBody(400, 'The request was invalid.', {
              errors: [{ itemId: 'name', message: 'Company name must not be empty.', validatorName: 'CompanyNameValidator' }],
              warnings: [],
            }),
          );
        }
        const created = newCompany(name, typeof input.description === 'string' ? input.description : undefined);
        if (input.tags && typeof input.tags === 'object') created.tags = input.tags;
        companies.set(created.id, created);
        connections.set(created.id, []);
        emit();
        return json(200, companyView(created));
      }
      case 'listCompanies': {
        const all = [...companies.values()].map(companyView).filter((c) => matchesQuery(c, url.searchParams.get('query')));
        return json(200, page(all, url, path));
      }
      case 'getCompany':
        return company ? json(200, companyView(company)) : notFound('Company');
      case 'createConnection': {
        if (!company) return notFound('Company');
        const key = (body as Json | undefined)?.platformKey;
        if (typeof key !== 'string' || !integration(key)) {
          return json(
            400,
            errorBody(400, 'The request was invalid.', {
              errors: [
                {
                  itemId: 'platformKey',
                  message: `Integration with key '${String(key ?? '')}' was not found or is not enabled.`,
                  validatorName: 'PlatformKeyValidator',
                },
              ],
              warnings: [],
            }),
          );
        }
        const created = newConnection(company.id, key);
        connections.get(company.id)?.push(created);
        emit();
        return json(200, snapshot(created));
      }
      case 'listConnections': {
        if (!company) return notFound('Company');
        const all = snapshot(connections.get(company.id) ?? []).filter((c) => matchesQuery(c, url.searchParams.get('query')));
        return json(200, page(all, url, path));
      }
      case 'getConnection':
      case 'unlinkConnection':
      case 'deleteConnection': {
        if (!company) return notFound('Company');
        const list = connections.get(company.id) ?? [];
        const connection = list.find((c) => c.id === params[1]);
        if (!connection) return notFound('Data connection');
        if (operation === 'getConnection') return json(200, snapshot(connection));
        if (operation === 'deleteConnection') {
          list.splice(list.indexOf(connection), 1);
          emit();
          return new Response(null, { status: 200 });
        }
        const status = (body as Json | undefined)?.status;
        if (status !== 'Unlinked') {
          return json(
            400,
            errorBody(400, 'The request was invalid.', {
              errors: [{ itemId: 'status', message: "Status can only be set to 'Unlinked'.", validatorName: 'StatusValidator' }],
              warnings: [],
            }),
          );
        }
        connection.status = 'Unlinked';
        emit();
        return json(200, snapshot(connection));
      }
      case 'listIntegrations': {
        const all = BILL_PAY_PLATFORMS.map((p) => integration(p.key)).filter((i): i is NonNullable<typeof i> => i !== undefined);
        return json(200, page(all.filter((i) => matchesQuery(i, url.searchParams.get('query'))), url, path));
      }
      case 'getIntegrationBranding': {
        const info = params[0] !== undefined ? integration(params[0]) : undefined;
        if (!info) return notFound('Integration');
        return json(200, {
          platformKey: info.key,
          sourceId: info.sourceId,
          logo: {
            full: { image: { src: info.logoUrl, alt: info.name } },
            square: { image: { src: info.logoUrl, alt: info.name } },
          },
          button: { default: { image: { src: info.logoUrl, alt: `Connect ${info.name}` } } },
        });
      }
      default:
        return json(404, errorBody(404, `No route for ${method} ${url.pathname}.`));
    }
  }

  const wait = (signal: AbortSignal | null | undefined): Promise<void> => {
    const ms =
      typeof latency === 'number' ? latency : Math.round(latency.min + Math.random() * Math.max(0, latency.max - latency.min));
    if (signal?.aborted) return Promise.reject(abortError());
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  };

  async function serve(method: string, rawUrl: string, bodyText: string | null, signal: AbortSignal | null | undefined): Promise<Response> {
    const url = new URL(rawUrl, 'http://sandbox.invalid');
    const at = url.pathname.search(/\/(companies|config\/integrations)(\/|$)/);
    const path = at === -1 ? url.pathname : url.pathname.slice(at);
    const upper = method.toUpperCase();
    let operation: OperationName | undefined;
    let params: string[] = [];
    for (const r of routes) {
      const m = r.method === upper ? r.pattern.exec(path) : null;
      if (m) {
        operation = r.operation;
        params = m.slice(1).map(decodeSegment);
        break;
      }
    }
    let body: unknown = undefined;
    let malformedBody = false;
    if (bodyText !== null && bodyText !== '') {
      try {
        body = JSON.parse(bodyText);
      } catch {
        malformedBody = true;
      }
    }
    requests.push({ method: upper, path: path + url.search, operation, body, time: Date.now() });
    await wait(signal);
    const fault = takeFault(operation);
    if (fault) {
      switch (fault.kind) {
        case 'network':
          throw new TypeError('Failed to fetch');
        case 'malformed':
          return new Response('<html>not json', { status: 200, headers: { 'Content-Type': 'application/json' } });
        case 'rate-limit':
          return json(429, errorBody(429, 'Rate limit exceeded.'), { 'Retry-After': String(fault.retryAfter) });
        case 'status':
          return json(
            fault.status,
            errorBody(fault.status, fault.message ?? `Sandbox fault: HTTP ${fault.status}.`),
            fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.retryAfter) },
          );
        case 'hang':
          return new Promise<Response>((_resolve, reject) => {
            if (signal?.aborted) reject(abortError());
            signal?.addEventListener('abort', () => reject(abortError()), { once: true });
          });
      }
    }
    if (malformedBody) return json(400, errorBody(400, 'The request body is not valid JSON.'));
    return route(upper, url, path, body, operation, params);
  }

  const sandbox: Sandbox = {
    fetcher: async (input, init = {}) => {
      const bodyText = typeof init.body === 'string' ? init.body : init.body == null ? null : await new Response(init.body).text();
      return serve(init.method ?? 'GET', input, bodyText, init.signal);
    },
    handle: async (request) => {
      const text = request.method === 'GET' || request.method === 'HEAD' ? null : await request.text();
      return serve(request.method, request.url, text, request.signal);
    },
    authorize: (id) =>
      mutate(id, (c) => {
        c.status = 'Linked';
        c.lastSync = new Date().toISOString();
        c.dataConnectionErrors = [];
      }),
    abandon: (id) => {
      if (!findConnection(id)) throw new Error(`billpay-connect sandbox: no connection ${id}`);
      abandoned.push(id);
      emit();
    },
    deauthorize: (id) =>
      mutate(id, (c) => {
        c.status = 'Deauthorized';
        c.dataConnectionErrors = [
          {
            statusCode: '401',
            statusText: 'Unauthorized',
            errorMessage: 'The access token has expired. Reconnect to continue syncing.',
            erroredOnUtc: new Date().toISOString(),
            status: 'Active',
          },
        ];
      }),
    fail: (operation, fault) => {
      const queue = faults.get(operation) ?? [];
      queue.push(fault);
      faults.set(operation, queue);
    },
    clearFaults: () => faults.clear(),
    setLatency: (next) => {
      latency = next ?? 0;
    },
    get requests() {
      return requests;
    },
    get abandoned() {
      return abandoned;
    },
    getCompany: (id) => {
      const company = companies.get(id);
      return company ? companyView(company) : undefined;
    },
    listConnections: (id) => snapshot(connections.get(id) ?? []),
    findConnection: (id) => {
      const found = findConnection(id);
      return found ? { companyId: found.companyId, connection: snapshot(found.connection) } : undefined;
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    reset: () => {
      seed();
      emit();
    },
  };
  return sandbox;
}
