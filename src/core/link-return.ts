const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const maxTextLength = 500;

/** What Codat's redirect back to the host says, after validation. Never trust it for success: re-read the connection. */
export type LinkReturn =
  | {
      /** The URL carries no Codat link parameters. */
      status: 'none';
    }
  | {
      /** Codat reports the flow finished without an error. Confirm by reading the connection. */
      status: 'success';
      companyId: string;
      connectionId: string | undefined;
      statusCode: number | undefined;
    }
  | {
      /** Codat reports the flow failed; the texts are plain, trimmed and length-capped. */
      status: 'error';
      companyId: string | undefined;
      connectionId: string | undefined;
      statusCode: number | undefined;
      statusText: string | undefined;
      errorMessage: string | undefined;
    }
  | {
      /** Link parameters are present but malformed or forged; they were ignored. */
      status: 'invalid';
      /** Why they were rejected. */
      reason: string;
    };

/** Options for `parseLinkReturn`. */
export interface ParseLinkReturnOptions {
  /** When given, a `companyId` that differs is rejected as `invalid`. */
  expectedCompanyId?: string | undefined;
}

function cleanText(value: string | null): string | undefined {
  if (value === null) return undefined;
  // eslint-disable-next-line no-control-regex
  const text = value.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  if (text === '') return undefined;
  return text.length > maxTextLength ? `${text.slice(0, maxTextLength)}…` : text;
}

/**
 * Reads Codat's redirect parameters (`companyId`, `connectionId`, `statusCode`, `statusText`,
 * `errorMessage`) from a URL or query string, validating each: ids must be UUIDs, the status code an
 * integer from 100 to 599, texts plain and capped. Pure; never throws.
 */
export function parseLinkReturn(url: string | URL, options: ParseLinkReturnOptions = {}): LinkReturn {
  let params: URLSearchParams;
  try {
    params =
      url instanceof URL
        ? url.searchParams
        : /^[a-z][a-z0-9+.-]*:/i.test(url)
          ? new URL(url).searchParams
          : new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : url);
  } catch {
    return { status: 'none' };
  }
  const companyId = params.get('companyId');
  const connectionId = params.get('connectionId');
  const rawStatus = params.get('statusCode');
  const errorMessage = cleanText(params.get('errorMessage'));
  const statusText = cleanText(params.get('statusText'));
  if (companyId === null && connectionId === null && rawStatus === null && errorMessage === undefined) {
    return { status: 'none' };
  }
  if (companyId !== null && !uuidPattern.test(companyId)) return { status: 'invalid', reason: 'companyId is not a UUID' };
  if (connectionId !== null && !uuidPattern.test(connectionId)) return { status: 'invalid', reason: 'connectionId is not a UUID' };
  if (options.expectedCompanyId !== undefined && companyId !== null && companyId.toLowerCase() !== options.expectedCompanyId.toLowerCase()) {
    return { status: 'invalid', reason: 'companyId does not match this customer' };
  }
  let statusCode: number | undefined;
  if (rawStatus !== null) {
    if (!/^\d{3}$/.test(rawStatus) || Number(rawStatus) < 100 || Number(rawStatus) > 599) {
      return { status: 'invalid', reason: 'statusCode is not an HTTP status' };
    }
    statusCode = Number(rawStatus);
  }
  const failed = errorMessage !== undefined || (statusCode !== undefined && statusCode >= 400);
  if (failed) {
    return {
      status: 'error',
      companyId: companyId ?? undefined,
      connectionId: connectionId ?? undefined,
      statusCode,
      statusText,
      errorMessage,
    };
  }
  if (companyId === null) return { status: 'invalid', reason: 'companyId is missing' };
  return { status: 'success', companyId, connectionId: connectionId ?? undefined, statusCode };
}

/** Prefix of the name the kit gives its Link popups (`bpc-link:<instance>`, one per hook instance). */
export const LINK_POPUP_NAME = 'bpc-link';

/**
 * True when `name` (default: this window's) is a Link popup the kit opened, so a redirect page can tell it
 * runs inside the popup (and close itself once it has read the outcome).
 */
export function isLinkPopup(name: string = typeof window === 'undefined' ? '' : window.name): boolean {
  return name === LINK_POPUP_NAME || name.startsWith(`${LINK_POPUP_NAME}:`);
}

/** The Codat link parameters, so a host can remove them from the address bar after reading them. */
export const LINK_RETURN_PARAMS: readonly string[] = ['companyId', 'connectionId', 'statusCode', 'statusText', 'errorMessage'];
