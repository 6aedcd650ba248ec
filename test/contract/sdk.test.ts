import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CodatPlatform } from '@codat/platform';
import { ErrorMessage, ResponseValidationError } from '@codat/platform/sdk/models/errors/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxServer, type SandboxServer } from '../../src/sandbox-server/index.js';
import { createCodatProxy, toNodeHandler } from '../../src/server/index.js';

// Codat's official SDK checks every answer with its own models (generated from the same specs), so this
// suite needs no spec files: it runs whether or not ../shared/codat/oas is there.

let server: SandboxServer;
let proxy: Server;
let proxyOrigin: string;

/** The Redirect URL as a host would set it in the Codat Portal: placeholders only, Codat appends nothing. */
const redirectUrl = 'http://127.0.0.1:9/back?companyId={companyId}&connectionId={connectionId}&statusCode={statusCode}&errorMessage={errorMessage}';

beforeAll(async () => {
  server = await startSandboxServer({ redirectUrl });
  const handler = createCodatProxy({ apiKey: 'sandbox-key', baseUrl: server.url, authorize: () => true });
  proxy = createServer(toNodeHandler(handler));
  await new Promise<void>((resolve, reject) => {
    proxy.once('error', reject);
    proxy.listen(0, '127.0.0.1', () => resolve());
  });
  proxyOrigin = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  proxy?.closeAllConnections();
  await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  await server?.close();
});

/** The SDK straight against the sandbox server, with Codat's auth header. */
const direct = () => new CodatPlatform({ serverURL: server.url, authHeader: 'Basic sandbox-key', retryConfig: { strategy: 'none' } });
/** The SDK against the kit's proxy, which adds the key server-side. */
const proxied = () => new CodatPlatform({ serverURL: `${proxyOrigin}/api/codat`, retryConfig: { strategy: 'none' } });

const targets = [
  { target: 'the sandbox server', sdk: direct },
  { target: 'the kit’s proxy in front of the sandbox server', sdk: proxied },
];

/** Awaits an SDK call; a ResponseValidationError fails with the SDK's own account of what did not fit. */
async function fits<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof ResponseValidationError) throw new Error(`The SDK refused the answer: ${error.message}\n${error.pretty()}\nbody: ${error.body}`);
    throw error;
  }
}

/** What an SDK call threw, as class name and HTTP status, to compare in one readable assertion. */
async function failure(call: Promise<unknown>): Promise<{ error: unknown; kind: string; status: number | undefined; body: string | undefined }> {
  try {
    await call;
  } catch (error) {
    const e = error as { statusCode?: number; body?: string };
    return { error, kind: (error as Error).constructor.name, status: e.statusCode, body: e.body };
  }
  throw new Error('The call succeeded; an error was expected.');
}

const html = (text: string) => text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&');

/** Opens the simulated Link page over HTTP and submits its form whose action ends in `/<action>`. */
async function submitLinkForm(linkUrl: string, action: 'authorize' | 'cancel'): Promise<Response> {
  const page = await fetch(linkUrl);
  expect(page.status).toBe(200);
  const forms = [...(await page.text()).matchAll(/<form\b([^>]*)>/gi)].map(([, attributes = '']) => ({
    method: /\bmethod="([^"]*)"/i.exec(attributes)?.[1],
    action: html(/\baction="([^"]*)"/i.exec(attributes)?.[1] ?? ''),
  }));
  const form = forms.find((f) => f.method?.toLowerCase() === 'post' && new URL(f.action, linkUrl).pathname.endsWith(`/${action}`));
  expect(form, `a <form method="post"> to .../${action} on ${linkUrl}`).toBeDefined();
  return fetch(new URL(form?.action ?? '', linkUrl), { method: 'POST', redirect: 'manual' });
}

describe.each(targets)('Codat’s SDK through $target', ({ sdk }) => {
  it('runs the seed flow: create, connect, authorise on the Link page, unlink, list and delete', async () => {
    const codat = sdk();
    const company = await fits(codat.companies.create({ name: 'SDK Foods Ltd', description: 'Seed flow', tags: { uid: 'cust_sdk' } }));
    expect(company).toMatchObject({ name: 'SDK Foods Ltd', tags: { uid: 'cust_sdk' } });
    const companyId = company.id;

    const connection = await fits(codat.connections.create({ companyId, requestBody: { platformKey: 'gbol' } }));
    expect(connection.status).toBe('PendingAuth');
    expect(connection.linkUrl).toMatch(/^https?:\/\//);

    const done = await submitLinkForm(connection.linkUrl, 'authorize');
    expect(done.status).toBe(303);
    const back = new URL(done.headers.get('location') ?? '');
    expect(Object.fromEntries(back.searchParams)).toMatchObject({ companyId, connectionId: connection.id, statusCode: '200' });

    const connectionId = connection.id;
    expect((await fits(codat.connections.get({ companyId, connectionId }))).status).toBe('Linked');
    const unlinked = await fits(codat.connections.unlink({ companyId, connectionId, updateConnectionStatus: { status: 'Unlinked' } }));
    expect(unlinked.status).toBe('Unlinked');
    const list = await fits(codat.connections.list({ companyId }));
    expect(list.results?.map((c) => [c.id, c.status])).toEqual([[connectionId, 'Unlinked']]);

    await fits(codat.connections.delete({ companyId, connectionId }));
    const gone = await failure(codat.connections.get({ companyId, connectionId }));
    expect({ kind: gone.kind, status: gone.status }).toEqual({ kind: 'ErrorMessage', status: 404 });

    // The proxy forwards only the kit's operations; a company is deleted straight at the API.
    await fits(direct().companies.delete({ companyId }));
    const deleted = await failure(direct().companies.get({ companyId }));
    expect({ kind: deleted.kind, status: deleted.status }).toEqual({ kind: 'ErrorMessage', status: 404 });
  });

  const tags = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`tag${i}`, 'x']));
  it.each([
    ['an unknown platform key on create connection', 404, async (codat: CodatPlatform, companyId: string) =>
      codat.connections.create({ companyId, requestBody: { platformKey: 'zzzz' } })],
    ['an unlink of a PendingAuth connection', 403, async (codat: CodatPlatform, companyId: string) => {
      const { id: connectionId } = await fits(codat.connections.create({ companyId, requestBody: { platformKey: 'qhyg' } }));
      return codat.connections.unlink({ companyId, connectionId, updateConnectionStatus: { status: 'Unlinked' } });
    }],
    ['a create company with 11 tags', 400, async (codat: CodatPlatform) => codat.companies.create({ name: 'Tagged Ltd', tags })],
    ['a create company named only with forbidden characters', 400, async (codat: CodatPlatform) => codat.companies.create({ name: '()[]' })],
  ] as const)('answers %s with %i as the SDK’s ErrorMessage', async (_case, status, call) => {
    const codat = sdk();
    const { id: companyId } = await fits(codat.companies.create({ name: 'Errors Ltd' }));
    const caught = await failure(call(codat, companyId));
    expect({ kind: caught.kind, status: caught.status, body: caught.body }).toMatchObject({ kind: 'ErrorMessage', status });
    expect(caught.error).toBeInstanceOf(ErrorMessage);
    expect((caught.error as ErrorMessage).data$.statusCode).toBe(status);
  });

  it('lists the enabled accounting integrations, reads Xero and its branding', async () => {
    const codat = sdk();
    const page = await fits(codat.integrations.list({ query: 'sourceType=Accounting&&enabled=true' }));
    expect(page.results?.length).toBeGreaterThan(0);
    expect(page.results?.every((i) => i.sourceType === 'Accounting' && i.enabled)).toBe(true);
    expect(page.results?.map((i) => i.key)).toContain('gbol');
    expect(await fits(codat.integrations.get({ platformKey: 'gbol' }))).toMatchObject({ key: 'gbol', name: 'Xero', enabled: true });
    const branding = await fits(codat.integrations.getBranding({ platformKey: 'gbol' }));
    expect(branding.logo?.square?.image?.src).toMatch(/^https?:\/\//);
  });
});

describe('the sandbox server’s simulated Link page', () => {
  it('sends a cancelled sign-in back with statusCode 403 and “User cancelled.”, leaving the connection pending', async () => {
    const codat = direct();
    const { id: companyId } = await fits(codat.companies.create({ name: 'Cancel Ltd' }));
    const connection = await fits(codat.connections.create({ companyId, requestBody: { platformKey: 'gbol' } }));
    const done = await submitLinkForm(connection.linkUrl, 'cancel');
    expect(done.status).toBe(303);
    const back = new URL(done.headers.get('location') ?? '');
    expect(Object.fromEntries(back.searchParams)).toMatchObject({ companyId, connectionId: connection.id, statusCode: '403', errorMessage: 'User cancelled.' });
    expect((await fits(codat.connections.get({ companyId, connectionId: connection.id }))).status).toBe('PendingAuth');
  });
});
