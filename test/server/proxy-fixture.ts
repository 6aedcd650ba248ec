import { vi } from 'vitest';
import { createCodatProxy, type CodatProxyOptions, type ProxyLogEntry } from '../../src/server/index.js';

// What the proxy's adversarial, hardening and Node-adapter tests share: one key, one company, and a proxy over a mock Codat.

/** A key whose base64 holds `+` and `/`, the characters serializers escape; it decodes to printable text. */
export const key = btoa('>>>???secret-key-123');
export const companyId = '8a210b68-6988-11ed-a1eb-0242ac120002';
export const companyPath = `/api/codat/companies/${companyId}`;

/** A Response with a JSON body, as Codat answers. */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

/** A proxy whose upstream is `answer` (by default the company), with spies on Codat and authorize and its log lines. */
export function setup(
  options: Partial<CodatProxyOptions> = {},
  answer: (url: string, init: RequestInit) => Response | Promise<Response> = () => json(200, { id: companyId, name: 'Acme' }),
) {
  const upstream = vi.fn(async (url: string, init: RequestInit) => answer(url, init));
  const logs: ProxyLogEntry[] = [];
  const authorize = vi.fn<CodatProxyOptions['authorize']>(() => true);
  const proxy = createCodatProxy({ apiKey: key, baseUrl: 'http://codat.test', authorize, fetch: upstream, onLog: (e) => logs.push(e), ...options });
  const call = (method: string, path: string, init: RequestInit = {}) => proxy(new Request(`http://host.test${path}`, { method, ...init }));
  return { proxy, upstream, logs, authorize, call };
}
