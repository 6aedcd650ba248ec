import { BillPayError } from './errors.js';
import { BILL_PAY_PLATFORM_KEYS } from './platforms.js';
import type { CreateCompanyInput } from './types.js';

/** The default maximum company name length. Codat documents no hard limit; 255 matches common database limits. */
export const DEFAULT_MAX_COMPANY_NAME_LENGTH = 255;

const idPattern = /^[A-Za-z0-9-]{1,64}$/;
const platformKeyPattern = /^[a-z]{4}$/;

/** Validation settings shared by the client and hooks. */
export interface ValidationOptions {
  /** Longest company name accepted, in characters. @default 255 */
  maxCompanyNameLength?: number | undefined;
  /** Platform keys the kit accepts. @default the six Bill Pay platforms */
  platformKeys?: readonly string[] | undefined;
}

/** Trims and checks a company's input; throws `invalid-input` naming the field. */
export function validateCompanyInput(input: CreateCompanyInput, options: ValidationOptions = {}): CreateCompanyInput {
  const max = options.maxCompanyNameLength ?? DEFAULT_MAX_COMPANY_NAME_LENGTH;
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name === '') {
    throw new BillPayError('invalid-input', { field: 'name', message: 'Enter the company name.' });
  }
  if ([...name].length > max) {
    throw new BillPayError('invalid-input', { field: 'name', limit: max, message: `The company name must be ${max} characters or fewer.` });
  }
  const description = typeof input.description === 'string' ? input.description.trim() : undefined;
  return {
    name,
    ...(description ? { description } : {}),
    ...(input.tags ? { tags: input.tags } : {}),
  };
}

/** Checks a platform key against the format and the accepted list; throws `invalid-input`. */
export function validatePlatformKey(platformKey: string, options: ValidationOptions = {}): string {
  const keys = options.platformKeys ?? BILL_PAY_PLATFORM_KEYS;
  if (typeof platformKey !== 'string' || !platformKeyPattern.test(platformKey) || !keys.includes(platformKey)) {
    throw new BillPayError('invalid-input', {
      field: 'platformKey',
      message: 'Choose one of the supported accounting platforms.',
    });
  }
  return platformKey;
}

/** Checks a Codat id (company or connection) before it goes into a path; throws `invalid-input`. */
export function validateId(value: string, field: 'companyId' | 'connectionId'): string {
  if (typeof value !== 'string' || !idPattern.test(value)) {
    throw new BillPayError('invalid-input', { field, message: `The ${field === 'companyId' ? 'company' : 'connection'} id is not valid.` });
  }
  return value;
}

/** Where a linkUrl may point. */
export interface LinkUrlPolicy {
  /**
   * Also accept `http:` URLs on loopback hosts (127.0.0.1, localhost, [::1]). For local sandboxes only.
   * @default false
   */
  allowInsecureLoopback?: boolean | undefined;
  /** When given, the URL's host must equal one of these (or end with `.` + one of them). */
  allowedHosts?: readonly string[] | undefined;
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Returns the normalised URL if `value` is safe to send the user to: an absolute `https:` URL (or loopback
 * `http:` when allowed) without credentials, on an allowed host. Throws `unsafe-link-url` otherwise, so
 * `javascript:`, `data:` and other schemes never reach `window.open` or `location`.
 */
export function assertSafeLinkUrl(value: unknown, policy: LinkUrlPolicy = {}): string {
  const fail = (why: string) =>
    new BillPayError('unsafe-link-url', {
      message: `The sign-in link we received is not safe to open (${why}), so we did not open it.`,
    });
  if (typeof value !== 'string' || value.trim() === '') throw fail('it is empty');
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw fail('it is not an absolute URL');
  }
  const insecureOk = policy.allowInsecureLoopback === true && url.protocol === 'http:' && loopbackHosts.has(url.hostname);
  if (url.protocol !== 'https:' && !insecureOk) throw fail(`the ${url.protocol} scheme is not allowed`);
  if (url.username !== '' || url.password !== '') throw fail('it carries credentials');
  if (policy.allowedHosts && !policy.allowedHosts.some((h) => url.hostname === h || url.hostname.endsWith(`.${h}`))) {
    throw fail(`${url.hostname} is not an allowed host`);
  }
  return url.href;
}

/** True when `assertSafeLinkUrl` would accept `value`. */
export function isSafeLinkUrl(value: unknown, policy: LinkUrlPolicy = {}): boolean {
  try {
    assertSafeLinkUrl(value, policy);
    return true;
  } catch {
    return false;
  }
}
