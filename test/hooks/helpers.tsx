import { cleanup } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, expect, vi, type MockInstance } from 'vitest';
import { BillPayError, type BillPayErrorCode, type Fetcher } from '../../src/core/index.js';
import { CodatProvider, type CodatProviderProps } from '../../src/hooks/index.js';
import { createSandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { deferred } from '../support/deferred.js';

export const companyId = '8a210b68-6988-11ed-a1eb-0242ac120002';
export const connectionId = '2e9d2c44-f675-40ba-8049-353bfcb5e171';
export const otherCompanyId = '11111111-1111-4111-8111-111111111111';
export const linkUrl = `https://link.codat.io/companies/${companyId}/connections/${connectionId}/start`;

/** A sandbox plus a recording view of what its fetcher received. */
export function sandboxSetup(options: SandboxOptions = {}) {
  const sandbox = createSandbox(options);
  const fetcher = vi.fn(sandbox.fetcher);
  const calls = () => sandbox.requests.map((r) => `${r.method} ${r.operation ?? r.path}`);
  return { sandbox, fetcher, calls };
}

/**
 * Wraps a fetcher the way Codat's one-time links setting behaves: every answer that carries connections
 * gives their linkUrls a new `otp` (`?otp=1`, then `?otp=2`, ...), so a test can tell a linkUrl read just now
 * from one kept in memory.
 */
export function oneTimeLinks(fetcher: Fetcher): Fetcher {
  let issued = 0;
  return async (input, init) => {
    const response = await fetcher(input, init);
    if (!response.ok || !response.headers.get('content-type')?.includes('json')) return response;
    const body = (await response.json()) as Record<string, unknown> & { results?: unknown };
    const items: unknown[] = Array.isArray(body.results) ? body.results : [body];
    const hasLink = (item: unknown): item is { linkUrl: string } =>
      typeof item === 'object' && item !== null && typeof (item as { linkUrl?: unknown }).linkUrl === 'string';
    const otp = items.some(hasLink) ? ++issued : issued;
    const stamp = (item: unknown) => (hasLink(item) ? { ...item, linkUrl: `${item.linkUrl}?otp=${otp}` } : item);
    const next = Array.isArray(body.results) ? { ...body, results: body.results.map(stamp) } : stamp(body);
    return new Response(JSON.stringify(next), { status: response.status, headers: response.headers });
  };
}

/** A seeded company with one connection in the given status. */
export function seeded(status: string, platformKey = 'qhyg', extra: SandboxOptions = {}) {
  return sandboxSetup({
    ...extra,
    seed: { companies: [{ id: companyId, name: 'Acme', connections: [{ id: connectionId, platformKey, status }] }] },
  });
}

/**
 * A seeded company with no connection yet: what a test of "a fresh connection" for an existing company needs,
 * since connecting a company that already has a connection continues, reconnects or switches that one.
 */
export function fresh(extra: SandboxOptions = {}) {
  return sandboxSetup({ ...extra, seed: { companies: [{ id: companyId, name: 'Acme', connections: [] }] } });
}

/** The read of the company's connections that `connect()` sends first when the page has not read them. */
export const listPath = `/companies/${companyId}/connections?page=1&pageSize=100`;

/** Wraps children in a provider. */
export function wrapperFor(props: Omit<CodatProviderProps, 'children'>) {
  return function Wrapper({ children }: { children?: ReactNode }) {
    return <CodatProvider {...props}>{children}</CodatProvider>;
  };
}

/**
 * Render options with the provider as wrapper and, when asked, StrictMode at the root. React 19 only
 * re-runs effects on mount when StrictMode is the root element: a `<StrictMode>` inside a wrapper
 * component double-renders but does not unmount and remount, so it would not test what it claims to.
 */
export function withProvider(props: Omit<CodatProviderProps, 'children'>, strict = false) {
  return { wrapper: wrapperFor(props), reactStrictMode: strict };
}

/** A stand-in for the window `window.open` returns. */
export interface FakeWindow {
  closed: boolean;
  close: () => void;
  opener: unknown;
  location: { href: string };
  document: { title: string; body: { textContent: string } };
}

/** Stubs `window.open`; returns the fake window (or null for a blocked popup) and the spy. */
export function stubOpen(blocked = false) {
  const win: FakeWindow = {
    closed: false,
    close: vi.fn(() => {
      win.closed = true;
    }),
    opener: window,
    location: { href: 'about:blank' },
    document: { title: '', body: { textContent: '' } },
  };
  // Like a browser, each open hands out a window that is open (a closed one is how some blockers answer).
  const open = vi.spyOn(window, 'open').mockImplementation(() => {
    if (blocked) return null;
    win.closed = false;
    return win as unknown as Window;
  });
  return { win, open };
}

/**
 * Replaces `window.location` with one whose `assign` is a spy (jsdom's own Location cannot be spied on);
 * returns the spy and a restore function.
 */
export function stubLocation(href = 'https://host.example/onboarding') {
  const original = window.location;
  const assign = vi.fn();
  Object.defineProperty(window, 'location', {
    configurable: true,
    value: { href, assign, replace: vi.fn(), toString: () => href },
  });
  return {
    assign,
    restore: () => Object.defineProperty(window, 'location', { configurable: true, value: original }),
  };
}

export { deferred };

/** JSON response helper. */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

/** A Codat Company body. */
export const companyBody = (extra: Record<string, unknown> = {}) => ({
  id: companyId,
  name: 'Acme',
  redirect: `https://link.codat.io/company/${companyId}`,
  dataConnections: [],
  ...extra,
});

/** A Codat Connection body (PendingAuth with a safe linkUrl unless overridden). */
export const connectionBody = (extra: Record<string, unknown> = {}) => ({
  id: connectionId,
  integrationId: 'bf083d72-62c7-493e-aec9-81b4dbba7e2c',
  integrationKey: 'qhyg',
  sourceId: '8a156a5a-39cb-4f9d-856e-76ef9b9a9607',
  sourceType: 'Accounting',
  platformName: 'QuickBooks Online',
  linkUrl,
  status: 'PendingAuth',
  created: '2026-01-01T00:00:00Z',
  dataConnectionErrors: [],
  ...extra,
});

/** Codat's paged envelope around `results`. */
export const pageBody = (results: unknown[]) => ({
  results,
  pageNumber: 1,
  pageSize: 100,
  totalResults: results.length,
  _links: { self: { href: '/x' }, current: { href: '/x' } },
});

/** Codat's ErrorMessage body. */
export const codatError = (statusCode: number, error: string) => ({
  statusCode,
  service: 'PublicApi',
  error,
  correlationId: 'c0ffee00-0000-4000-8000-000000000000',
  validation: null,
  canBeRetried: 'Unknown',
  detailedErrorCode: 0,
});

/** One request the recording fetcher received, answered by hand. */
export interface FetchCall {
  method: string;
  /** The Codat path after the `/api/codat` mount point, with the query string. */
  path: string;
  /** The parsed JSON body, if any. */
  body: unknown;
  signal: AbortSignal | undefined;
  /** True once answered (or rejected, including by an abort). */
  settled: boolean;
  /** How many earlier calls were still unanswered when this one started (0 = strictly sequential). */
  inFlightAtStart: number;
  /** Answers with a JSON body. */
  respond: (status: number, body: unknown, headers?: Record<string, string>) => void;
  resolve: (response: Response) => void;
  reject: (error: unknown) => void;
}

/**
 * A fetcher whose every call returns a promise the test settles by hand, recording method, path, body
 * and signal. Like `fetch`, a call rejects with an AbortError when its signal aborts, unless
 * `honourAbort` is false (a transport that answers late regardless).
 */
export function recordingFetcher(options: { honourAbort?: boolean } = {}) {
  const calls: FetchCall[] = [];
  const fetcher = vi.fn<Fetcher>((input, init) => {
    const gate = deferred<Response>();
    const signal = init.signal ?? undefined;
    const call: FetchCall = {
      method: init.method ?? 'GET',
      path: input.replace(/^\/api\/codat/, ''),
      body: typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
      signal,
      settled: false,
      inFlightAtStart: calls.filter((c) => !c.settled).length,
      resolve: (response) => {
        call.settled = true;
        gate.resolve(response);
      },
      reject: (error) => {
        call.settled = true;
        gate.reject(error);
      },
      respond: (status, body, headers) => call.resolve(json(status, body, headers)),
    };
    if (options.honourAbort !== false) {
      signal?.addEventListener('abort', () => call.reject(new DOMException('The operation was aborted.', 'AbortError')), { once: true });
    }
    calls.push(call);
    return gate.promise;
  });
  /** The n-th call (0-based); fails the test if it was never made. */
  const nth = (n: number): FetchCall => {
    const call = calls[n];
    if (!call) throw new Error(`expected a request #${n}, got ${calls.length}: ${requests().join(', ')}`);
    return call;
  };
  const requests = () => calls.map((c) => `${c.method} ${c.path}`);
  return { fetcher, calls, nth, requests, last: () => nth(calls.length - 1) };
}

/** Ways a request can fail, and the error code each must reach hook state as. */
export const requestFailures: readonly {
  code: BillPayErrorCode;
  label: string;
  answer: (call: FetchCall) => void;
  check?: (error: BillPayError) => void;
}[] = [
  { code: 'network', label: 'the network fails', answer: (call) => call.reject(new TypeError('Failed to fetch')) },
  {
    code: 'network',
    label: 'the host fetcher aborts on its own, not at the caller’s request',
    answer: (call) => call.reject(new DOMException('The host gave up.', 'AbortError')),
    check: (error) => expect(error.retryable).toBe(true),
  },
  {
    code: 'http',
    label: 'Codat answers 400 with its error body',
    answer: (call) => call.respond(400, codatError(400, 'Company name must not be empty.')),
    check: (error) => {
      expect(error.status).toBe(400);
      expect(error.message).toBe('Company name must not be empty.');
      expect(error.codat?.error).toBe('Company name must not be empty.');
      expect(error.correlationId).toBe('c0ffee00-0000-4000-8000-000000000000');
    },
  },
  {
    code: 'rate-limited',
    label: 'Codat answers 429 with a Retry-After too long to wait',
    answer: (call) => call.respond(429, codatError(429, 'Rate limit exceeded.'), { 'Retry-After': '120' }),
    check: (error) => {
      expect(error.status).toBe(429);
      expect(error.retryAfter).toBe(120);
    },
  },
  {
    code: 'invalid-response',
    label: 'the answer is not JSON',
    answer: (call) => call.resolve(new Response('<html>gateway</html>', { status: 200 })),
  },
];

/** Asserts `error` is the kit's typed error with `code`. */
export function expectBillPayError(error: unknown, code: BillPayErrorCode): BillPayError {
  expect(error).toBeInstanceOf(BillPayError);
  expect((error as BillPayError).code).toBe(code);
  return error as BillPayError;
}

let consoleError: MockInstance<typeof console.error> | undefined;

/**
 * Fails each test of the calling file that logs through `console.error` (React's act warnings,
 * errors thrown in effects, updates on unmounted trees), checked after the tree is unmounted.
 */
export function failOnConsoleError() {
  beforeEach(() => {
    consoleError = vi.spyOn(console, 'error');
  });
  afterEach(() => {
    cleanup();
    const calls = consoleError?.mock.calls ?? [];
    consoleError = undefined;
    expect(calls, 'console.error was called').toEqual([]);
  });
}

/**
 * Runs `run` with console.error silenced and forgets what it logged (for tests of thrown errors). Also
 * swallows the window error events React 18 dispatches for render errors, which jsdom would print.
 */
export function withExpectedConsoleErrors<T>(run: () => T): T {
  const spy = consoleError ?? vi.spyOn(console, 'error');
  spy.mockImplementation(() => undefined);
  const swallow = (event: ErrorEvent) => event.preventDefault();
  window.addEventListener('error', swallow);
  try {
    return run();
  } finally {
    window.removeEventListener('error', swallow);
    spy.mockClear();
  }
}
