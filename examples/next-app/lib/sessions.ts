// The example's stand-in for the host's user database: which Codat companies each browser session created.
// Kept on globalThis so the route handler and the pages (separate bundles in Next.js) share one map.
// A real app keeps the customer's Codat company id on its own customer record.

/** The session cookie's name; proxy.ts sets it on page requests. */
export const SESSION_COOKIE = 'sid';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const store = globalThis as typeof globalThis & { billpaySessions?: Map<string, string[]> };
const sessions = (store.billpaySessions ??= new Map<string, string[]>());

/** The session id in a Cookie header, when it is one this app could have issued. */
export function sessionIdOf(cookieHeader: string | null | undefined): string | undefined {
  const value = /(?:^|;\s*)sid=([^;]+)/.exec(cookieHeader ?? '')?.[1];
  return value && uuid.test(value) ? value : undefined;
}

/** The companies this session created, oldest first. */
export function companiesOf(sessionId: string | undefined): readonly string[] {
  return (sessionId && sessions.get(sessionId)) || [];
}

/** Records a company the session created. */
export function addCompany(sessionId: string, companyId: string): void {
  sessions.set(sessionId, [...companiesOf(sessionId), companyId]);
}
