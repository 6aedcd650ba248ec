const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const maxTextLength = 500;

/**
 * What Codat's redirect reports, from its `statusCode`: `linked` (200), `unchanged` (201: nothing was done,
 * e.g. already connected), `cancelled` (403: the user cancelled, or the platform is not available),
 * `not-supported` (501), `failed` (500 and any other error status).
 */
export type LinkReturnOutcome = 'linked' | 'unchanged' | 'cancelled' | 'not-supported' | 'failed';

/** What Codat's redirect back to the host says, after validation. Never trust it for success: re-read the connection. */
export type LinkReturn =
  | {
      /** The URL carries no Codat link parameters (or only empty ones). */
      status: 'none';
    }
  | {
      /** Codat reports the flow finished without an error. Confirm by reading the connection. */
      status: 'success';
      /** `linked` for 200 (or no status code), `unchanged` for 201. */
      outcome: 'linked' | 'unchanged';
      companyId: string;
      connectionId: string | undefined;
      statusCode: number | undefined;
      /** The 4-letter platform key (`{platform}`), when the Redirect URL carries it. */
      platform: string | undefined;
      /** The platform's display name (`{platformName}`). */
      platformName: string | undefined;
      /** The connection's source type (`{sourceType}`), e.g. `Accounting`. */
      sourceType: string | undefined;
    }
  | {
      /** Codat reports the flow failed; the texts are plain, trimmed and length-capped. */
      status: 'error';
      /** Why, from the status code. */
      outcome: 'cancelled' | 'not-supported' | 'failed';
      companyId: string | undefined;
      connectionId: string | undefined;
      statusCode: number | undefined;
      /** The platform's raw status text: for support, not for end users. */
      statusText: string | undefined;
      /** Codat's standard message ("User cancelled.", "Unknown error occurred.", "Not supported."). */
      errorMessage: string | undefined;
      platform: string | undefined;
      platformName: string | undefined;
      sourceType: string | undefined;
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

function outcomeOf(statusCode: number | undefined, errorMessage: string | undefined): LinkReturnOutcome {
  if (statusCode === undefined) return errorMessage === undefined ? 'linked' : 'failed';
  if (statusCode === 201) return 'unchanged';
  if (statusCode === 403) return 'cancelled';
  if (statusCode === 501) return 'not-supported';
  return statusCode < 400 && errorMessage === undefined ? 'linked' : 'failed';
}

/**
 * Reads what Codat substituted into the Redirect URL's placeholders (`companyId`, `connectionId`,
 * `statusCode`, `errorMessage`, `statusText`, `platform`, `platformName`, `sourceType`) from a URL or
 * query string, validating each: ids must be UUIDs, the status code an integer from 100 to 599, the
 * platform a 4-letter key, texts plain and capped. Codat fills a placeholder that has no value with an
 * empty string: empty counts as absent. Pure; never throws.
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
  const get = (name: string) => {
    const value = params.get(name);
    return value === null || value.trim() === '' ? null : value.trim();
  };
  const companyId = get('companyId');
  const connectionId = get('connectionId');
  const rawStatus = get('statusCode');
  const rawPlatform = get('platform');
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
  if (rawPlatform !== null && !/^[a-z]{4}$/.test(rawPlatform)) return { status: 'invalid', reason: 'platform is not a platform key' };
  const about = {
    platform: rawPlatform ?? undefined,
    platformName: cleanText(params.get('platformName')),
    sourceType: cleanText(params.get('sourceType')),
  };
  const outcome = outcomeOf(statusCode, errorMessage);
  if (outcome === 'cancelled' || outcome === 'not-supported' || outcome === 'failed') {
    return {
      status: 'error',
      outcome,
      companyId: companyId ?? undefined,
      connectionId: connectionId ?? undefined,
      statusCode,
      statusText,
      errorMessage,
      ...about,
    };
  }
  if (companyId === null) return { status: 'invalid', reason: 'companyId is missing' };
  return { status: 'success', outcome, companyId, connectionId: connectionId ?? undefined, statusCode, ...about };
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

/**
 * The Codat placeholders the kit reads, so the kit (or a host) can remove them from the address bar after
 * reading them. Codat's other placeholders, and the host's own parameters, are left alone.
 */
export const LINK_RETURN_PARAMS: readonly string[] = [
  'companyId',
  'connectionId',
  'statusCode',
  'statusText',
  'errorMessage',
  'platform',
  'platformName',
  'sourceType',
];
