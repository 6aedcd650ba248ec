import { BillPayError } from './errors.js';
import type {
  CodatErrorBody,
  CodatValidationItem,
  Company,
  Connection,
  ConnectionStatus,
  DataConnectionError,
  Integration,
  IntegrationBranding,
  OperationName,
  Page,
  SourceType,
} from './types.js';

type Json = Record<string, unknown>;

const connectionStatuses: readonly string[] = ['PendingAuth', 'Linked', 'Unlinked', 'Deauthorized'];
const sourceTypes: readonly string[] = ['Accounting', 'Banking', 'BankFeed', 'Commerce', 'Expense', 'Other', 'Unknown'];

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function invalid(operation: OperationName | undefined, what: string): BillPayError {
  return new BillPayError('invalid-response', {
    operation,
    message: `The server sent an answer we could not read (${what}). Try again.`,
  });
}

function requireObject(value: unknown, what: string, operation?: OperationName): Json {
  if (!isObject(value)) throw invalid(operation, `${what} is not an object`);
  return value;
}

function requireString(obj: Json, key: string, what: string, operation?: OperationName): string {
  const value = obj[key];
  if (typeof value !== 'string' || value === '') throw invalid(operation, `${what}.${key} is missing`);
  return value;
}

/** Maps a Codat status string to the kit's union; anything new becomes `unknown`. */
export function toConnectionStatus(value: unknown): ConnectionStatus {
  return typeof value === 'string' && connectionStatuses.includes(value) ? (value as ConnectionStatus) : 'unknown';
}

function toSourceType(value: unknown): SourceType {
  return typeof value === 'string' && sourceTypes.includes(value) ? (value as SourceType) : 'unknown';
}

function parseDataConnectionError(value: unknown): DataConnectionError | undefined {
  if (!isObject(value)) return undefined;
  const status = value.status;
  return {
    ...value,
    statusCode: value.statusCode === undefined || value.statusCode === null ? undefined : String(value.statusCode),
    statusText: str(value.statusText),
    errorMessage: str(value.errorMessage),
    erroredOnUtc: str(value.erroredOnUtc),
    status: status === 'Active' || status === 'Resolved' ? status : status === undefined || status === null ? undefined : 'unknown',
    resolvedOnUtc: str(value.resolvedOnUtc),
  };
}

/** Parses a Codat Connection leniently: unknown fields kept, unknown enum values mapped to `unknown`. */
export function parseConnection(value: unknown, operation?: OperationName): Connection {
  const obj = requireObject(value, 'connection', operation);
  const id = requireString(obj, 'id', 'connection', operation);
  const rawStatus = typeof obj.status === 'string' ? obj.status : '';
  const errors = Array.isArray(obj.dataConnectionErrors) ? obj.dataConnectionErrors : [];
  const info = obj.connectionInfo;
  return {
    ...obj,
    id,
    integrationId: str(obj.integrationId) ?? '',
    integrationKey: str(obj.integrationKey),
    sourceId: str(obj.sourceId) ?? '',
    sourceType: toSourceType(obj.sourceType),
    platformName: str(obj.platformName) ?? '',
    linkUrl: str(obj.linkUrl) ?? '',
    status: toConnectionStatus(obj.status),
    rawStatus,
    lastSync: str(obj.lastSync),
    created: str(obj.created) ?? '',
    dataConnectionErrors: errors.map(parseDataConnectionError).filter((e): e is DataConnectionError => e !== undefined),
    connectionInfo: isObject(info) ? info : info === null ? null : undefined,
  };
}

/** Parses a Codat Company leniently. */
export function parseCompany(value: unknown, operation?: OperationName): Company {
  const obj = requireObject(value, 'company', operation);
  const id = requireString(obj, 'id', 'company', operation);
  const tags = isObject(obj.tags)
    ? Object.fromEntries(Object.entries(obj.tags).filter((e): e is [string, string] => typeof e[1] === 'string'))
    : undefined;
  return {
    ...obj,
    id,
    name: str(obj.name) ?? '',
    description: str(obj.description),
    redirect: str(obj.redirect) ?? '',
    lastSync: str(obj.lastSync),
    created: str(obj.created),
    createdByUserName: str(obj.createdByUserName),
    products: Array.isArray(obj.products) ? obj.products.filter((p): p is string => typeof p === 'string') : undefined,
    tags,
    // Nested and informational: a malformed entry is skipped rather than failing the company (a created
    // company reported as failed would invite a retry that creates a second one).
    dataConnections: Array.isArray(obj.dataConnections)
      ? obj.dataConnections.flatMap((c) => {
          try {
            return [parseConnection(c, operation)];
          } catch {
            return [];
          }
        })
      : [],
  };
}

/** Parses a Codat Integration leniently. */
export function parseIntegration(value: unknown, operation?: OperationName): Integration {
  const obj = requireObject(value, 'integration', operation);
  const key = requireString(obj, 'key', 'integration', operation);
  return {
    ...obj,
    key,
    name: str(obj.name) ?? key,
    logoUrl: str(obj.logoUrl),
    enabled: obj.enabled !== false,
    sourceId: str(obj.sourceId),
    sourceType: obj.sourceType === undefined ? undefined : toSourceType(obj.sourceType),
    integrationId: str(obj.integrationId),
    isOfflineConnector: typeof obj.isOfflineConnector === 'boolean' ? obj.isOfflineConnector : undefined,
    isBeta: typeof obj.isBeta === 'boolean' ? obj.isBeta : undefined,
  };
}

/** Parses integration branding leniently. */
export function parseBranding(value: unknown, operation?: OperationName): IntegrationBranding {
  const obj = requireObject(value, 'branding', operation);
  return {
    ...obj,
    platformKey: str(obj.platformKey),
    logo: isObject(obj.logo) ? obj.logo : undefined,
    button: isObject(obj.button) ? obj.button : undefined,
  };
}

/** Parses Codat's paged envelope, parsing each item with `item`. */
export function parsePage<T>(value: unknown, item: (v: unknown, op?: OperationName) => T, operation?: OperationName): Page<T> {
  const obj = requireObject(value, 'page', operation);
  if (!Array.isArray(obj.results)) throw invalid(operation, 'page.results is not a list');
  const results = obj.results.map((r) => item(r, operation));
  const links = isObject(obj._links) ? obj._links : {};
  const link = (k: string) => {
    const l = links[k];
    return isObject(l) && typeof l.href === 'string' ? { href: l.href } : undefined;
  };
  return {
    results,
    pageNumber: typeof obj.pageNumber === 'number' ? obj.pageNumber : 1,
    pageSize: typeof obj.pageSize === 'number' ? obj.pageSize : results.length,
    totalResults: typeof obj.totalResults === 'number' ? obj.totalResults : results.length,
    _links: { self: link('self'), current: link('current'), next: link('next'), previous: link('previous') },
  };
}

function parseValidationItems(value: unknown): CodatValidationItem[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).map((v) => ({
    itemId: str(v.itemId),
    message: str(v.message) ?? '',
    validatorName: str(v.validatorName),
  }));
}

/** Reads Codat's ErrorMessage body if `value` looks like one; otherwise undefined. */
export function parseErrorBody(value: unknown, status: number): CodatErrorBody | undefined {
  if (!isObject(value)) return undefined;
  const error = str(value.error) ?? str(value.message);
  if (error === undefined) return undefined;
  const validation = isObject(value.validation)
    ? { errors: parseValidationItems(value.validation.errors), warnings: parseValidationItems(value.validation.warnings) }
    : value.validation === null
      ? null
      : undefined;
  const canBeRetried = value.canBeRetried;
  return {
    statusCode: typeof value.statusCode === 'number' ? value.statusCode : status,
    service: str(value.service),
    error,
    correlationId: str(value.correlationId),
    validation,
    canBeRetried: typeof canBeRetried === 'string' ? canBeRetried : typeof canBeRetried === 'boolean' ? (canBeRetried ? 'True' : 'False') : undefined,
    detailedErrorCode: typeof value.detailedErrorCode === 'number' ? value.detailedErrorCode : undefined,
  };
}
