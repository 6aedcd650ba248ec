import { ALL_BILL_PAY_PLATFORM_KEYS, COMPANY_TAG_LIMITS, findPlatform, stripCompanyName, type OperationName } from '../core/index.js';

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
  /**
   * Base of each integration's logo (its `logoUrl` and the images in its branding); the sandbox appends
   * `/{platformKey}.svg`. The default host serves nothing and no proxy allows it, so logos fall back to
   * monograms without anything leaving the machine; the sandbox server's `logos: true` serves real ones.
   * @default 'https://static.sandbox.billpay-connect.dev/logos'
   */
  logoBaseUrl?: string | undefined;
  /** Faults to inject from the start, per operation, consumed in order. */
  faults?: Partial<Record<SandboxOperation, SandboxFault | SandboxFault[]>> | undefined;
  /**
   * The platform keys this Codat client has enabled (Settings > Integrations in the Codat Portal). The
   * sandbox knows more accounting platforms than it enables, as Codat does: a disabled one is listed with
   * `enabled: false` and refuses new connections (403); an unknown key is 404.
   * @default both Bill Pay lists and Codat's test platform Sandbox (`mqjo`)
   */
  enabledPlatforms?: readonly string[] | undefined;
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

/**
 * An event Codat would raise for a change in the sandbox, in Codat's webhook shape (the body Codat posts to a
 * webhook consumer; see the Platform API spec's `webhooks`): company created or deleted; connection created,
 * connected, reconnected, failed (the Link flow cancelled or failed), disconnected (unlinked or deauthorized)
 * or deleted.
 */
export interface SandboxEvent {
  /** Unique identifier of the event (uuid). */
  id: string;
  /** The type of event, e.g. `connection.connected`. */
  eventType: string;
  /** When it happened (ISO 8601, UTC). */
  generatedDate: string;
  /** Company details for company events; `{ referenceCompany, connection }` for connection events. */
  payload: Json;
}

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
  /**
   * Simulates the user leaving the Link flow without granting access (the connection stays PendingAuth):
   * cancelling it (the default) or hitting an error on the platform. Raises `connection.failed`.
   */
  abandon: (connectionId: string, reason?: 'cancelled' | 'failed') => void;
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
  /**
   * Calls `listener` with each webhook event Codat would raise, as it happens (not for seeding or `reset`);
   * returns the unsubscribe function. The sandbox server posts them, signed, to a webhook endpoint.
   */
  subscribeEvents: (listener: (event: SandboxEvent) => void) => () => void;
  /** Restores the seeded state and clears the request log, faults and abandoned list. */
  reset: () => void;
}

const defaultLinkBase = 'https://link.sandbox.billpay-connect.dev/link';
const defaultLogoBase = 'https://static.sandbox.billpay-connect.dev/logos';
const nilIntegrationPrefix = '00000000-0000-4000-8000-';

function integrationId(key: string): string {
  const hex = [...key].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
  return nilIntegrationPrefix + hex.padStart(12, '0').slice(-12);
}

function sourceId(key: string): string {
  return `${integrationId(key).slice(0, -4)}5${key.length}${key.charCodeAt(0) % 10}${key.charCodeAt(3) % 10}`;
}

/** Accounting platforms the sandbox knows beyond the Bill Pay lists (Codat's test platform among them). */
const otherPlatforms: Record<string, string> = {
  mqjo: 'Sandbox',
  ndsk: 'QuickBooks Online Sandbox',
  trji: 'Dynamics 365 Business Central',
  vxvy: 'FreshBooks',
  tgff: 'Sage Accounting',
  pbtz: 'Wave',
};

/** The name of a platform the sandbox knows (for the sandbox server's logos), or undefined. */
export function sandboxPlatformName(key: string): string | undefined {
  return findPlatform(key)?.name ?? (Object.hasOwn(otherPlatforms, key) ? otherPlatforms[key] : undefined);
}

/** Every platform key the sandbox knows, Bill Pay's first. */
const knownPlatformKeys: readonly string[] = [...ALL_BILL_PAY_PLATFORM_KEYS, ...Object.keys(otherPlatforms)];

function integration(key: string, enabled: boolean, logoBase: string) {
  const name = findPlatform(key)?.name ?? otherPlatforms[key];
  if (name === undefined) return undefined;
  return {
    key,
    logoUrl: `${logoBase}/${key}.svg`,
    name,
    enabled,
    sourceId: sourceId(key),
    sourceType: 'Accounting',
    integrationId: integrationId(key),
    isOfflineConnector: findPlatform(key)?.isOfflineConnector ?? false,
    isBeta: false,
    dataProvidedBy: 'Codat',
    datatypeFeatures: [],
  };
}

const invalid = (itemId: string, message: string, validatorName: string) =>
  json(400, errorBody(400, 'The request was invalid.', { errors: [{ itemId, message, validatorName }], warnings: [] }, 'False'));

/** Codat's checks on a new company's tags: at most 10, keys of 1 to 27 characters, values of at most 100. */
function tagProblem(tags: unknown): string | undefined {
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) return 'Tags must be an object of strings.';
  const entries = Object.entries(tags);
  const { maxTags, maxKeyLength, maxValueLength } = COMPANY_TAG_LIMITS;
  if (entries.length > maxTags) return `A company can have at most ${maxTags} tags.`;
  for (const [key, value] of entries) {
    if (key.length < 1 || key.length > maxKeyLength) return `Tag key '${key.slice(0, 40)}' must be between 1 and ${maxKeyLength} characters.`;
    if (typeof value !== 'string') return `Tag '${key}' must have a string value.`;
    if (value.length > maxValueLength) return `Tag '${key}' must have a value of at most ${maxValueLength} characters.`;
  }
  return undefined;
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
  { method: 'DELETE', pattern: /^\/companies\/([^/]+)$/, operation: 'deleteCompany' },
  { method: 'POST', pattern: /^\/companies\/([^/]+)\/connections$/, operation: 'createConnection' },
  { method: 'GET', pattern: /^\/companies\/([^/]+)\/connections$/, operation: 'listConnections' },
  { method: 'GET', pattern: /^\/companies\/([^/]+)\/connections\/([^/]+)$/, operation: 'getConnection' },
  { method: 'PATCH', pattern: /^\/companies\/([^/]+)\/connections\/([^/]+)$/, operation: 'unlinkConnection' },
  { method: 'DELETE', pattern: /^\/companies\/([^/]+)\/connections\/([^/]+)$/, operation: 'deleteConnection' },
  { method: 'GET', pattern: /^\/integrations$/, operation: 'listIntegrations' },
  { method: 'GET', pattern: /^\/integrations\/([^/]+)$/, operation: 'getIntegration' },
  { method: 'GET', pattern: /^\/integrations\/([^/]+)\/branding$/, operation: 'getIntegrationBranding' },
];

/**
 * Creates an in-memory backend that answers like Codat for every endpoint the kit uses, with
 * latency, seeding, fault injection and controls that play the user's part in the Link flow.
 */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const linkBase = (options.linkBaseUrl ?? defaultLinkBase).replace(/\/+$/, '');
  let latency = options.latency ?? 0;
  const enabledPlatforms = new Set(options.enabledPlatforms ?? [...ALL_BILL_PAY_PLATFORM_KEYS, 'mqjo']);
  const logoBase = (options.logoBaseUrl ?? defaultLogoBase).replace(/\/+$/, '');
  const integrationOf = (key: string) => integration(key, enabledPlatforms.has(key), logoBase);
  const companies = new Map<string, StoredCompany>();
  const connections = new Map<string, StoredConnection[]>();
  const faults = new Map<SandboxOperation, SandboxFault[]>();
  const listeners = new Set<() => void>();
  const eventListeners = new Set<(event: SandboxEvent) => void>();
  let requests: SandboxRequest[] = [];
  let abandoned: string[] = [];
  const emit = () => {
    for (const listener of [...listeners]) listener();
  };
  const raise = (eventType: string, payload: Json) => {
    const event: SandboxEvent = { id: crypto.randomUUID(), eventType, generatedDate: new Date().toISOString(), payload: snapshot(payload) };
    for (const listener of [...eventListeners]) {
      try {
        listener(event);
      } catch (error) {
        // A listener's failure must not turn the API answer that raised the event into a 500.
        console.error('billpay-connect sandbox: an event listener threw', error);
      }
    }
  };
  /** The company as Codat's connection events reference it. */
  const referenceCompany = (companyId: string): Json => {
    const company = companies.get(companyId);
    return { id: companyId, name: company?.name, description: company?.description, tags: company?.tags ?? {} };
  };
  const connectionEvent = (eventType: string, companyId: string, connection: Json) =>
    raise(eventType, { referenceCompany: referenceCompany(companyId), connection });

  const newConnection = (companyId: string, key: string, id: string = crypto.randomUUID()): StoredConnection => {
    const info = integrationOf(key);
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
        // Codat strips the characters its name pattern does not allow rather than refusing them.
        const name = typeof input.name === 'string' ? stripCompanyName(input.name) : '';
        if (name === '') return invalid('name', 'Company name must contain at least one letter or digit.', 'CompanyNameValidator');
        const tagError = input.tags === undefined || input.tags === null ? undefined : tagProblem(input.tags);
        if (tagError) return invalid('tags', tagError, 'CompanyTagsValidator');
        const created = newCompany(name, typeof input.description === 'string' ? input.description : undefined);
        if (input.tags && typeof input.tags === 'object') created.tags = input.tags;
        companies.set(created.id, created);
        connections.set(created.id, []);
        emit();
        raise('company.created', created);
        return json(200, companyView(created));
      }
      case 'listCompanies': {
        const all = [...companies.values()].map(companyView).filter((c) => matchesQuery(c, url.searchParams.get('query')));
        return json(200, page(all, url, path));
      }
      case 'getCompany':
        return company ? json(200, companyView(company)) : notFound('Company');
      case 'deleteCompany':
        if (!company) return notFound('Company');
        companies.delete(company.id);
        connections.delete(company.id);
        emit();
        raise('company.deleted', company);
        return new Response(null, { status: 204 });
      case 'createConnection': {
        if (!company) return notFound('Company');
        const key = (body as Json | undefined)?.platformKey;
        // As Codat answers a body that is not `{ platformKey }`.
        if (typeof key !== 'string') return invalid('platformKey', 'Push object DataConnectionArgs must be provided', 'DataConnectionArgsValidator');
        const info = integrationOf(key);
        if (!info) return json(404, errorBody(404, `Integration with key '${key.slice(0, 40)}' not found.`, null, 'False'));
        if (!info.enabled) return json(403, errorBody(403, `Integration '${info.name}' is not enabled for this client.`, null, 'False'));
        const created = newConnection(company.id, key);
        connections.get(company.id)?.push(created);
        emit();
        connectionEvent('connection.created', company.id, created);
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
          connectionEvent('connection.deleted', company.id, connection);
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
        // Codat's docs: only Linked connections can be unlinked.
        if (connection.status !== 'Linked') {
          return json(403, errorBody(403, `Only Linked connections can be unlinked; this one is ${connection.status}.`, null, 'False'));
        }
        connection.status = 'Unlinked';
        emit();
        connectionEvent('connection.disconnected', company.id, connection);
        return json(200, snapshot(connection));
      }
      case 'listIntegrations': {
        const all = knownPlatformKeys.map(integrationOf).filter((i): i is NonNullable<typeof i> => i !== undefined);
        return json(200, page(all.filter((i) => matchesQuery(i, url.searchParams.get('query'))), url, path));
      }
      case 'getIntegration': {
        const info = params[0] !== undefined ? integrationOf(params[0]) : undefined;
        return info ? json(200, info) : notFound('Integration');
      }
      case 'getIntegrationBranding': {
        const info = params[0] !== undefined ? integrationOf(params[0]) : undefined;
        if (!info) return notFound('Integration');
        return json(200, {
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
    // After any mount prefix (such as /api/codat); Codat's old /config/integrations is not an integrations path.
    const at = url.pathname.search(/(?<!\/config)\/(companies|integrations)(\/|$)/);
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
    authorize: (id) => {
      const before = findConnection(id)?.connection.status;
      mutate(id, (c) => {
        c.status = 'Linked';
        c.lastSync = new Date().toISOString();
        c.dataConnectionErrors = [];
      });
      const found = findConnection(id);
      // Authorising a Linked connection again changes nothing Codat reports.
      if (found && before !== 'Linked') {
        connectionEvent(before === 'PendingAuth' ? 'connection.connected' : 'connection.reconnected', found.companyId, found.connection);
      }
    },
    abandon: (id, reason = 'cancelled') => {
      const found = findConnection(id);
      if (!found) throw new Error(`billpay-connect sandbox: no connection ${id}`);
      abandoned.push(id);
      emit();
      // The attempt's error goes in the event only: the connection itself stays as it was, ready for another try.
      const error =
        reason === 'cancelled'
          ? { statusCode: '403', statusText: 'User cancelled linking', errorMessage: 'User cancelled.' }
          : { statusCode: '500', statusText: 'Sandbox: simulated platform error', errorMessage: 'Unknown error occurred.' };
      connectionEvent('connection.failed', found.companyId, {
        ...found.connection,
        dataConnectionErrors: [...((found.connection.dataConnectionErrors as Json[] | undefined) ?? []), { ...error, erroredOnUtc: new Date().toISOString(), status: 'Active' }],
      });
    },
    deauthorize: (id) => {
      const before = findConnection(id)?.connection.status;
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
      });
      const found = findConnection(id);
      if (found && before !== 'Deauthorized') connectionEvent('connection.disconnected', found.companyId, found.connection);
    },
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
    subscribeEvents: (listener) => {
      eventListeners.add(listener);
      return () => {
        eventListeners.delete(listener);
      };
    },
    reset: () => {
      seed();
      emit();
    },
  };
  return sandbox;
}
