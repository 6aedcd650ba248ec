import { BillPayError } from './errors.js';
import { ALL_BILL_PAY_PLATFORM_KEYS } from './platforms.js';
import type { CreateCompanyInput } from './types.js';

/** The default maximum company name length. Codat documents no hard limit; 255 matches common database limits. */
export const DEFAULT_MAX_COMPANY_NAME_LENGTH = 255;

const idPattern = /^[A-Za-z0-9-]{1,64}$/;
const platformKeyPattern = /^[a-z]{4}$/;

/** Validation settings shared by the client and hooks. */
export interface ValidationOptions {
  /** Longest company name accepted, in characters. @default 255 */
  maxCompanyNameLength?: number | undefined;
  /** Platform keys the kit accepts. @default the keys of both Bill Pay lists */
  platformKeys?: readonly string[] | undefined;
}

/** Characters Codat keeps in a company name (its schema's pattern); Codat strips any other. */
const companyNameForbidden = /[^A-Za-z0-9\s\-',&@.?!]/g;

/** Codat's limits on company tags. */
export const COMPANY_TAG_LIMITS = Object.freeze({ maxTags: 10, maxKeyLength: 27, maxValueLength: 100 });

/** Removes the characters Codat strips from a company name and trims: what Codat stores for `name`. */
export function stripCompanyName(name: string): string {
  return name.replace(companyNameForbidden, '').trim();
}

/**
 * The name the kit sends for what the user typed: accents folded first (`Müller` becomes `Muller`, where Codat
 * itself would store `Mller`), then the characters Codat strips removed (anything but letters A-Z, digits,
 * spaces and `- ' , & @ . ? !`).
 */
export function normalizeCompanyName(name: string): string {
  return stripCompanyName(name.normalize('NFKD').replace(/[\u0300-\u036f]/g, ''));
}

/**
 * Checks a company's input the way Codat will: strips the characters Codat removes from the name, refuses
 * a name left blank and tags over Codat's limits. Throws `invalid-input` naming the field.
 */
export function validateCompanyInput(input: CreateCompanyInput, options: ValidationOptions = {}): CreateCompanyInput {
  const max = options.maxCompanyNameLength ?? DEFAULT_MAX_COMPANY_NAME_LENGTH;
  const typed = typeof input.name === 'string' ? input.name.trim() : '';
  if (typed === '') {
    throw new BillPayError('invalid-input', { field: 'name', message: 'Enter the company name.' });
  }
  const name = normalizeCompanyName(typed);
  if (name === '') {
    throw new BillPayError('invalid-input', {
      field: 'name',
      message: "Use letters or numbers in the company name (Codat keeps only A-Z, 0-9, spaces and - ' , & @ . ? !).",
    });
  }
  if ([...name].length > max) {
    throw new BillPayError('invalid-input', { field: 'name', limit: max, message: `The company name must be ${max} characters or fewer.` });
  }
  const description = typeof input.description === 'string' ? input.description.trim() : undefined;
  const tags = input.tags === undefined ? undefined : validateTags(input.tags);
  return {
    name,
    ...(description ? { description } : {}),
    ...(tags ? { tags } : {}),
  };
}

function validateTags(tags: unknown): Record<string, string> {
  const { maxTags, maxKeyLength, maxValueLength } = COMPANY_TAG_LIMITS;
  const entries = typeof tags === 'object' && tags !== null && !Array.isArray(tags) ? Object.entries(tags) : [[]];
  const bad = (k: unknown, v: unknown) => typeof k !== 'string' || !k || k.length > maxKeyLength || typeof v !== 'string' || v.length > maxValueLength;
  if (entries.length > maxTags || entries.some(([k, v]) => bad(k, v))) {
    throw new BillPayError('invalid-input', {
      field: 'tags',
      message: `Use at most ${maxTags} tags, each named in 1 to ${maxKeyLength} characters with a text value of up to ${maxValueLength}.`,
    });
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/** Checks a platform key against the format and the accepted list; throws `invalid-input`. */
export function validatePlatformKey(platformKey: string, options: ValidationOptions = {}): string {
  const keys = options.platformKeys ?? ALL_BILL_PAY_PLATFORM_KEYS;
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
