import type { CodatErrorBody, OperationName } from './types.js';

/**
 * Every way a kit operation can fail.
 * - `network`: the fetcher rejected (offline, DNS, CORS, connection reset).
 * - `aborted`: the caller's AbortSignal fired.
 * - `timeout`: the request took longer than `timeoutMs`.
 * - `http`: Codat (or the host proxy) answered non-2xx; see `status` and `codat`.
 * - `rate-limited`: HTTP 429; see `retryAfter`.
 * - `invalid-response`: malformed JSON, a body of the wrong shape, or a fetcher that resolved with no Response.
 * - `invalid-input`: rejected before any request (blank or over-long name, unknown platform key).
 * - `popup-blocked`: the browser refused to open the Link popup.
 * - `unsafe-link-url`: a linkUrl that is not an allowed `https:` URL was refused.
 * - `link-cancelled`: the user closed the Link flow without authorising.
 * - `link-failed`: Codat's redirect reported that authorisation failed.
 */
export type BillPayErrorCode =
  | 'network'
  | 'aborted'
  | 'timeout'
  | 'http'
  | 'rate-limited'
  | 'invalid-response'
  | 'invalid-input'
  | 'popup-blocked'
  | 'unsafe-link-url'
  | 'link-cancelled'
  | 'link-failed';

/** Everything a `BillPayError` can be constructed with besides its code. */
export interface BillPayErrorInit {
  /** Readable message; a default per code is used when omitted. */
  message?: string | undefined;
  /** The operation that failed, when a request failed. */
  operation?: OperationName | undefined;
  /** HTTP status, for `http` and `rate-limited`. */
  status?: number | undefined;
  /** Codat's error body, when the response carried one. */
  codat?: CodatErrorBody | undefined;
  /** Seconds the server asked to wait (Retry-After), for `rate-limited` and some 503s. */
  retryAfter?: number | undefined;
  /** The input field at fault, for `invalid-input`. */
  field?: string | undefined;
  /** The limit the input broke, for `invalid-input` (the maximum company name length). */
  limit?: number | undefined;
  /** The underlying error. */
  cause?: unknown;
}



/** Readable default texts per error code (the styled components show `messages.errors`, which start from these). */
export const defaultErrorMessages: Record<BillPayErrorCode, string> = {
  network: 'We could not reach the server. Check your connection and try again.',
  aborted: 'The request was cancelled.',
  timeout: 'The server took too long to answer. Try again.',
  http: 'Something went wrong on our side. Try again, or contact support if it keeps happening.',
  'rate-limited': 'Too many requests right now. Wait a moment and try again.',
  'invalid-response': 'The server sent an answer we could not read. Try again.',
  'invalid-input': 'Some details are missing or invalid.',
  'popup-blocked': 'Your browser blocked the sign-in window. Allow pop-ups for this site, or continue in this tab.',
  'unsafe-link-url': 'The sign-in link we received is not safe to open, so we did not open it. Contact support.',
  'link-cancelled': 'The sign-in was cancelled before access was granted.',
  'link-failed': 'Your accounting software did not grant access. Try connecting again.',
};

/** The kit's one error type. `code` tells what happened; the other fields tell a developer what to do. */
export class BillPayError extends Error {
  override readonly name = 'BillPayError';
  /** What kind of failure this is. */
  readonly code: BillPayErrorCode;
  /** The operation that failed, when a request failed. */
  readonly operation: OperationName | undefined;
  /** HTTP status, for `http` and `rate-limited`. */
  readonly status: number | undefined;
  /** Codat's error body, when the response carried one (keep `correlationId` for support). */
  readonly codat: CodatErrorBody | undefined;
  /** Seconds to wait before retrying, when the server said so. */
  readonly retryAfter: number | undefined;
  /** The input field at fault, for `invalid-input`: `name`, `tags`, `platformKey`, `companyId` or `connectionId`. */
  readonly field: string | undefined;
  /** The limit the input broke, for `invalid-input` (the maximum company name length); unset for a blank name. */
  readonly limit: number | undefined;

  constructor(code: BillPayErrorCode, init: BillPayErrorInit = {}) {
    super(init.message ?? defaultErrorMessages[code], init.cause === undefined ? undefined : { cause: init.cause });
    this.code = code;
    this.operation = init.operation;
    this.status = init.status;
    this.codat = init.codat;
    this.retryAfter = init.retryAfter;
    this.field = init.field;
    this.limit = init.limit;
  }

  /** Codat's correlation id, to quote to support. */
  get correlationId(): string | undefined {
    return this.codat?.correlationId;
  }

  /**
   * Whether trying the same thing again may succeed: true for network, timeout, rate limits, 5xx and
   * 409, and whenever Codat says `canBeRetried: "True"`; false for input and most 4xx errors.
   */
  get retryable(): boolean {
    switch (this.code) {
      case 'network':
      case 'timeout':
      case 'rate-limited':
      case 'invalid-response':
      case 'popup-blocked':
      case 'link-cancelled':
      case 'link-failed':
        return true;
      case 'http':
        if (this.codat?.canBeRetried === 'True') return true;
        if (this.codat?.canBeRetried === 'False') return false;
        return this.status === undefined || this.status >= 500 || this.status === 409 || this.status === 408;
      default:
        return false;
    }
  }
}

/** True when `value` is a `BillPayError` (works across bundle copies, unlike `instanceof`). */
export function isBillPayError(value: unknown): value is BillPayError {
  return value instanceof BillPayError || (value instanceof Error && value.name === 'BillPayError' && 'code' in value);
}

/** Wraps anything thrown into a `BillPayError`, keeping the original as `cause`. */
export function toBillPayError(value: unknown, operation?: OperationName): BillPayError {
  if (isBillPayError(value)) return value;
  if (isAbortError(value)) return new BillPayError('aborted', { operation, cause: value });
  return new BillPayError('network', { operation, cause: value });
}

/** True for the DOMException a fetch rejects with when its signal aborts. */
export function isAbortError(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'AbortError';
}
