/**
 * The host-supplied transport: the same shape as `window.fetch`. The kit calls
 * `${baseUrl}${codatPath}` (for example `/api/codat/companies`) and the host's backend adds the key.
 */
export type Fetcher = (input: string, init: RequestInit) => Promise<Response>;

/** Per-call options every client method accepts. */
export interface RequestOptions {
  /** Aborts the request (and any retry wait); the call then rejects with code `aborted`. */
  signal?: AbortSignal | undefined;
}

/** A Codat connection status as the kit understands it; values Codat adds later become `unknown`. */
export type ConnectionStatus = 'PendingAuth' | 'Linked' | 'Unlinked' | 'Deauthorized' | 'unknown';

/** Codat's data source categories; values Codat adds later become `unknown`. */
export type SourceType =
  | 'Accounting'
  | 'Banking'
  | 'BankFeed'
  | 'Commerce'
  | 'Expense'
  | 'Other'
  | 'Unknown'
  | 'unknown';

/** One error Codat recorded against a data connection. */
export interface DataConnectionError {
  /** HTTP-like status code the platform returned. */
  statusCode?: string | undefined;
  /** Status text the platform returned. */
  statusText?: string | undefined;
  /** Human-readable error from the platform. */
  errorMessage?: string | undefined;
  /** When the error happened (ISO 8601). */
  erroredOnUtc?: string | undefined;
  /** Whether the error is still in force. */
  status?: 'Active' | 'Resolved' | 'unknown' | undefined;
  /** When the error was resolved (ISO 8601). */
  resolvedOnUtc?: string | undefined;
  /** Fields Codat sent that the kit does not model. */
  [extra: string]: unknown;
}

/** A Codat data connection between a company and one accounting platform. */
export interface Connection {
  /** Connection id (uuid). */
  id: string;
  /** Integration id (uuid). */
  integrationId: string;
  /** The 4-letter platform key, e.g. `qhyg` for QuickBooks Online. */
  integrationKey?: string | undefined;
  /** Codat's source id. */
  sourceId: string;
  /** Category of the data source. */
  sourceType: SourceType;
  /** Display name of the platform, e.g. "QuickBooks Online". */
  platformName: string;
  /** URL that starts the authorisation flow. Untrusted: validate with `assertSafeLinkUrl` before use. */
  linkUrl: string;
  /** The kit's view of the status; see `rawStatus` for what Codat sent. */
  status: ConnectionStatus;
  /** The status string exactly as Codat sent it. */
  rawStatus: string;
  /** Last successful sync (ISO 8601). */
  lastSync?: string | undefined;
  /** Creation time (ISO 8601). */
  created: string;
  /** Errors Codat recorded against this connection. */
  dataConnectionErrors: DataConnectionError[];
  /** Platform-specific connection details. */
  connectionInfo?: Record<string, unknown> | null | undefined;
  /** Fields Codat sent that the kit does not model. */
  [extra: string]: unknown;
}

/** A Codat company's own details, as every answer and webhook about a company carries them. */
export interface CompanyDetails {
  /** Company id (uuid). */
  id: string;
  /** Company name. */
  name: string;
  /** Free-text description. */
  description?: string | undefined;
  /** Codat-hosted Link URL for the company. */
  redirect: string;
  /** Last sync (ISO 8601). */
  lastSync?: string | undefined;
  /** Creation time (ISO 8601). */
  created?: string | undefined;
  /** Name of the user that created the company. */
  createdByUserName?: string | undefined;
  /** Products enabled for the company. */
  products?: string[] | undefined;
  /** Host-defined tags (the host's own customer id, under `uid`, if it tagged one). */
  tags?: Record<string, string> | undefined;
  /** Fields Codat sent that the kit does not model. */
  [extra: string]: unknown;
}

/** A Codat company: the host's small-business customer. */
export interface Company extends CompanyDetails {
  /** The company's data connections, when Codat includes them. */
  dataConnections: Connection[];
}

/** A Codat integration (an accounting platform the customer can connect). */
export interface Integration {
  /** The 4-letter platform key. */
  key: string;
  /** Display name. */
  name: string;
  /** Logo URL on Codat's CDN. The styled kit never loads it: it shows the logo from the proxy's own origin (`client.logoUrl`). */
  logoUrl?: string | undefined;
  /** Whether the integration is enabled for the client. */
  enabled: boolean;
  /** Codat's source id. */
  sourceId?: string | undefined;
  /** Category of the data source. */
  sourceType?: SourceType | undefined;
  /** Integration id (uuid). */
  integrationId?: string | undefined;
  /** True for connectors that need a desktop component (QuickBooks Desktop). */
  isOfflineConnector?: boolean | undefined;
  /** True while Codat labels the integration beta. */
  isBeta?: boolean | undefined;
  /** Fields Codat sent that the kit does not model. */
  [extra: string]: unknown;
}

/** Branding for one integration (logos and button styles). */
export interface IntegrationBranding {
  /** Platform key the branding belongs to. */
  platformKey?: string | undefined;
  /** Logo images. */
  logo?: Record<string, unknown> | undefined;
  /** Button images and styles. */
  button?: Record<string, unknown> | undefined;
  /** Fields Codat sent that the kit does not model. */
  [extra: string]: unknown;
}

/** A link in a paged response. */
export interface HalLink {
  /** The URL. */
  href: string;
}

/** Codat's paged envelope. */
export interface Page<T> {
  /** The items on this page. */
  results: T[];
  /** 1-based page number. */
  pageNumber: number;
  /** Requested page size. */
  pageSize: number;
  /** Total items across all pages. */
  totalResults: number;
  /** Navigation links. */
  _links: {
    self?: HalLink | undefined;
    current?: HalLink | undefined;
    next?: HalLink | undefined;
    previous?: HalLink | undefined;
  };
}

/** Paging and filtering for list operations. */
export interface PageQuery {
  /** 1-based page number. @default 1 */
  page?: number | undefined;
  /** Items per page (Codat caps at 5000). @default 100 */
  pageSize?: number | undefined;
  /** Codat query language filter, e.g. `status=Linked`. */
  query?: string | undefined;
  /** Field to order by, e.g. `-created`. */
  orderBy?: string | undefined;
}

/** One validation item in Codat's error body. */
export interface CodatValidationItem {
  /** The field or item the message is about. */
  itemId?: string | undefined;
  /** What is wrong. */
  message: string;
  /** Which validator produced it. */
  validatorName?: string | undefined;
}

/** Codat's `ErrorMessage` body, sent with every non-2xx response. */
export interface CodatErrorBody {
  /** HTTP status code. */
  statusCode: number;
  /** Codat service that answered. */
  service?: string | undefined;
  /** Human-readable error. */
  error: string;
  /** Id to quote to Codat support. */
  correlationId?: string | undefined;
  /** Validation errors and warnings, when the request was invalid. */
  validation?: { errors: CodatValidationItem[]; warnings: CodatValidationItem[] } | null | undefined;
  /** Whether Codat says a retry may succeed: `'True'`, `'False'` or `'Unknown'`. */
  canBeRetried?: string | undefined;
  /** Codat's detailed error code. */
  detailedErrorCode?: number | undefined;
}

/** Body for creating a company. */
export interface CreateCompanyInput {
  /** Company name: trimmed, non-blank, at most `maxCompanyNameLength` characters. */
  name: string;
  /** Optional description. */
  description?: string | undefined;
  /** Optional host-defined tags. */
  tags?: Record<string, string> | undefined;
}

/** Body for creating a connection. */
export interface CreateConnectionInput {
  /** The 4-letter platform key, e.g. `gbol` for Xero. */
  platformKey: string;
}

/** The names of the Codat operations the kit performs. */
export type OperationName =
  | 'createCompany'
  | 'getCompany'
  | 'listCompanies'
  | 'createConnection'
  | 'listConnections'
  | 'getConnection'
  | 'unlinkConnection'
  | 'deleteConnection'
  | 'listIntegrations'
  | 'getIntegration'
  | 'getIntegrationBranding'
  | 'getIntegrationLogo'
  | 'deleteCompany';
