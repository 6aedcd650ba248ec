import { request } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCodatClient, parseLinkReturn } from '../../src/core/index.js';
import { createCodatProxy, LINK_REDIRECT_QUERY } from '../../src/server/index.js';
import { startSandboxServer, type SandboxServer } from '../../src/sandbox-server/index.js';

let server: SandboxServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('startSandboxServer', () => {
  it('answers Codat’s paths over real HTTP on 127.0.0.1 with the API key', async () => {
    server = await startSandboxServer({ apiKey: 'k3y' });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = createCodatClient({ baseUrl: server.url, headers: { Authorization: 'Basic k3y' }, retry: false });
    const company = await client.createCompany({ name: 'Over HTTP' });
    const connection = await client.createConnection(company.id, { platformKey: 'gbol' });
    expect(connection.linkUrl).toBe(`${server.url}/link/${company.id}/${connection.id}`);
    expect(server.sandbox.requests.map((r) => r.operation)).toEqual(['createCompany', 'createConnection']);
  });

  it('listens on 127.0.0.1 when host is an empty string (an empty environment variable), not on every interface', async () => {
    server = await startSandboxServer({ host: '' });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers 404 for a Codat path under a prefix, as api.codat.io does, instead of ignoring the prefix', async () => {
    server = await startSandboxServer({ apiKey: 'k3y' });
    const headers = { Authorization: 'Basic k3y' };
    const prefixed = await fetch(`${server.url}/api/codat/companies`, { headers });
    expect(prefixed.status).toBe(404);
    expect(await prefixed.json()).toMatchObject({ statusCode: 404, service: 'PublicApi' });
    expect((await fetch(`${server.url}/companies`, { headers })).status).toBe(200);
    expect((await fetch(`${server.url}/integrations`, { headers })).status).toBe(200);
    expect((await fetch(`${server.url}/integrations/gbol/branding`, { headers })).status).toBe(200);
    expect((await fetch(`${server.url}/config/integrations`, { headers })).status).toBe(404);
  });

  it('refuses a request without the right key with Codat’s 401 body', async () => {
    server = await startSandboxServer({ apiKey: 'k3y' });
    const response = await fetch(`${server.url}/companies`, { headers: { Authorization: 'Basic wrong' } });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ statusCode: 401, canBeRetried: 'False' });
  });

  it('serves a script-free Link page that authorises and fills the Redirect URL’s placeholders, keeping the host’s own parameters', async () => {
    server = await startSandboxServer({ redirectUrl: `http://127.0.0.1:9/back?tenant=1&${LINK_REDIRECT_QUERY}&name={platformName}&src={sourceType}` });
    const client = createCodatClient({ baseUrl: server.url, headers: { Authorization: 'Basic sandbox-key' } });
    const company = await client.createCompany({ name: 'L' });
    const connection = await client.createConnection(company.id, { platformKey: 'qhyg' });
    const page = await fetch(connection.linkUrl);
    const html = await page.text();
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html).toContain('Sign in to QuickBooks Online');
    expect(html).not.toContain('<script');
    const done = await fetch(`${connection.linkUrl}/authorize`, { method: 'POST', redirect: 'manual' });
    expect(done.status).toBe(303);
    const location = done.headers.get('location') ?? '';
    expect(location.startsWith('http://127.0.0.1:9/back?tenant=1&companyId=')).toBe(true);
    expect(Object.fromEntries(new URL(location).searchParams)).toEqual({
      tenant: '1',
      companyId: company.id,
      connectionId: connection.id,
      platform: 'qhyg',
      statusCode: '200',
      errorMessage: '',
      statusText: '',
      name: 'QuickBooks Online',
      src: 'Accounting',
    });
    expect(parseLinkReturn(location)).toMatchObject({ status: 'success', outcome: 'linked', companyId: company.id, platform: 'qhyg' });
    expect((await client.getConnection(company.id, connection.id)).status).toBe('Linked');
    const again = await fetch(`${connection.linkUrl}/authorize`, { method: 'POST', redirect: 'manual' });
    expect(new URL(again.headers.get('location') ?? '').searchParams.get('statusCode')).toBe('201');
  });

  it('appends nothing to a Redirect URL without placeholders, as Codat does', async () => {
    server = await startSandboxServer({ redirectUrl: 'http://127.0.0.1:9/back?tenant=1' });
    const client = createCodatClient({ baseUrl: server.url, headers: { Authorization: 'Basic sandbox-key' } });
    const company = await client.createCompany({ name: 'P' });
    const connection = await client.createConnection(company.id, { platformKey: 'gbol' });
    const done = await fetch(`${connection.linkUrl}/authorize`, { method: 'POST', redirect: 'manual' });
    expect(done.headers.get('location')).toBe('http://127.0.0.1:9/back?tenant=1');
  });

  it('fills a custom placeholder from the Link URL’s query, and one without a value with an empty string', async () => {
    server = await startSandboxServer({ redirectUrl: 'http://127.0.0.1:9/back/{companyId}?state={state}&other={other}&client={clientId}' });
    const client = createCodatClient({ baseUrl: server.url, headers: { Authorization: 'Basic sandbox-key' } });
    const company = await client.createCompany({ name: 'Q' });
    const connection = await client.createConnection(company.id, { platformKey: 'gbol' });
    const page = await (await fetch(`${connection.linkUrl}?state=a%26b`)).text();
    const action = /action="([^"]*authorize[^"]*)"/.exec(page)?.[1]?.replace(/&#38;/g, '&') ?? '';
    expect(action).toContain('?state=a%26b');
    const done = await fetch(new URL(action, server.url), { method: 'POST', redirect: 'manual' });
    const back = new URL(done.headers.get('location') ?? '');
    expect(back.pathname).toBe(`/back/${company.id}`);
    expect(back.searchParams.get('state')).toBe('a&b');
    expect(back.searchParams.get('other')).toBe('');
    expect(back.searchParams.get('client')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('redirects a cancelled sign-in with statusCode 403 and "User cancelled.", leaving the connection pending', async () => {
    server = await startSandboxServer({ redirectUrl: `http://127.0.0.1:9/back?${LINK_REDIRECT_QUERY}` });
    const client = createCodatClient({ baseUrl: server.url, headers: { Authorization: 'Basic sandbox-key' } });
    const company = await client.createCompany({ name: 'C' });
    const connection = await client.createConnection(company.id, { platformKey: 'qhyg' });
    const done = await fetch(`${connection.linkUrl}/cancel`, { method: 'POST', redirect: 'manual' });
    const back = new URL(done.headers.get('location') ?? '');
    expect(back.searchParams.get('statusCode')).toBe('403');
    expect(back.searchParams.get('errorMessage')).toBe('User cancelled.');
    expect(parseLinkReturn(back)).toMatchObject({ status: 'error', outcome: 'cancelled' });
    expect((await client.getConnection(company.id, connection.id)).status).toBe('PendingAuth');
    const failed = await fetch(`${connection.linkUrl}/fail`, { method: 'POST', redirect: 'manual' });
    const error = new URL(failed.headers.get('location') ?? '');
    expect([error.searchParams.get('statusCode'), error.searchParams.get('errorMessage')]).toEqual(['500', 'Unknown error occurred.']);
    expect((await fetch(`${server.url}/link/${company.id}/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });

  it('redirects to its own root with the kit’s placeholders when no Redirect URL is set', async () => {
    server = await startSandboxServer();
    const client = createCodatClient({ baseUrl: server.url, headers: { Authorization: 'Basic sandbox-key' } });
    const company = await client.createCompany({ name: 'D' });
    const connection = await client.createConnection(company.id, { platformKey: 'fbrh' });
    const done = await fetch(`${connection.linkUrl}/authorize`, { method: 'POST', redirect: 'manual' });
    const location = done.headers.get('location') ?? '';
    expect(location.startsWith(`${server.url}/?companyId=${company.id}`)).toBe(true);
    expect(parseLinkReturn(location)).toMatchObject({ status: 'success', platform: 'fbrh', connectionId: connection.id });
  });

  it('drops the connection for a network fault, so the caller sees a network failure and not an answer', async () => {
    server = await startSandboxServer({ apiKey: 'k3y', sandbox: { faults: { listCompanies: { kind: 'network' } } } });
    await expect(fetch(`${server.url}/companies`, { headers: { Authorization: 'Basic k3y' } })).rejects.toThrow(TypeError);
    expect((await fetch(`${server.url}/companies`, { headers: { Authorization: 'Basic k3y' } })).status).toBe(200);
  });

  it('answers a request it cannot handle with Codat’s 500 error body, not plain text', async () => {
    server = await startSandboxServer({ apiKey: 'k3y' });
    const url = new URL(`${server.url}/companies`);
    const answer = await new Promise<{ status: number | undefined; type: string | undefined; body: string }>((resolve, reject) => {
      const req = request(url, { method: 'TRACE', headers: { Authorization: 'Basic k3y' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(500);
    expect(answer.type).toBe('application/json');
    expect(JSON.parse(answer.body)).toMatchObject({ statusCode: 500, service: 'PublicApi', validation: null, detailedErrorCode: 0 });
  });

  it('refuses a request body over 1 MiB (413 with Codat’s body when its length is known) without keeping it', async () => {
    server = await startSandboxServer({ apiKey: 'k3y' });
    const body = JSON.stringify({ name: 'Huge', description: 'x'.repeat(2 * 1024 * 1024) });
    const response = await fetch(`${server.url}/companies`, { method: 'POST', headers: { Authorization: 'Basic k3y' }, body });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ statusCode: 413, service: 'PublicApi' });
    const chunked = new Blob([body]).stream();
    const init = { method: 'POST', headers: { Authorization: 'Basic k3y' }, body: chunked, duplex: 'half' };
    await expect(fetch(`${server.url}/companies`, init as RequestInit)).rejects.toThrow(TypeError);
    expect(server.sandbox.requests).toEqual([]);
  });

  it('serves the Link page for seeded ids that are not lowercase UUIDs', async () => {
    server = await startSandboxServer({
      sandbox: { seed: { companies: [{ id: 'acme-1', name: 'Acme', connections: [{ id: 'C0FFEE-1', platformKey: 'gbol' }] }] } },
    });
    const [connection] = server.sandbox.listConnections('acme-1');
    const linkUrl = String(connection?.linkUrl);
    const page = await fetch(linkUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Sign in to Xero');
    const done = await fetch(`${linkUrl}/authorize`, { method: 'POST', redirect: 'manual' });
    expect(done.status).toBe(303);
    expect(new URL(done.headers.get('location') ?? '').searchParams.get('connectionId')).toBe('C0FFEE-1');
    expect(server.sandbox.listConnections('acme-1')[0]?.status).toBe('Linked');
  });

  it('serves a generated SVG logo per platform with logos: true, without a key, and points branding at it', async () => {
    server = await startSandboxServer({ apiKey: 'k3y', logos: true });
    const branding = await (await fetch(`${server.url}/integrations/gbol/branding`, { headers: { Authorization: 'Basic k3y' } })).json();
    expect(branding).toMatchObject({ logo: { square: { image: { src: `${server.url}/static/logos/gbol.svg` } } } });
    const logo = await fetch(`${server.url}/static/logos/gbol.svg`);
    expect(logo.status).toBe(200);
    expect(logo.headers.get('content-type')).toBe('image/svg+xml');
    expect(logo.headers.get('content-security-policy')).toBe("default-src 'none'");
    const svg = await logo.text();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="40" height="40"/);
    expect(svg).toContain('<title>Xero (sandbox logo)</title>');
    expect(svg).not.toMatch(/<script|on\w+=/i);
    expect((await fetch(`${server.url}/static/logos/mqjo.svg`)).status).toBe(200);
    expect((await fetch(`${server.url}/static/logos/zzzz.svg`)).status).toBe(404);
  });

  it('serves no logos unless asked to', async () => {
    server = await startSandboxServer({ apiKey: 'k3y' });
    expect((await fetch(`${server.url}/static/logos/gbol.svg`)).status).not.toBe(200);
  });

  it('gives the proxy’s logo route a whole offline loop: its own logo through the proxy, a monogram without logos', async () => {
    server = await startSandboxServer({ apiKey: 'c2FuZGJveC1rZXk=', logos: true });
    const transport = vi.fn((input: string, init: RequestInit) => fetch(input, init));
    const proxy = createCodatProxy({ apiKey: 'c2FuZGJveC1rZXk=', baseUrl: server.url, authorize: () => true, logoHosts: [new URL(server.url).host], fetch: transport });
    const answer = await proxy(new Request('http://host.test/api/codat/integrations/qhyg/logo'));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('image/svg+xml');
    expect(await answer.text()).toBe(await (await fetch(`${server.url}/static/logos/qhyg.svg`)).text());
    await server.close();

    // The default sandbox names a host nothing serves, which the proxy does not allow: 404, and nothing fetched from it.
    server = await startSandboxServer({ apiKey: 'c2FuZGJveC1rZXk=' });
    transport.mockClear();
    const plain = createCodatProxy({ apiKey: 'c2FuZGJveC1rZXk=', baseUrl: server.url, authorize: () => true, fetch: transport });
    expect((await plain(new Request('http://host.test/api/codat/integrations/qhyg/logo'))).status).toBe(404);
    expect(transport.mock.calls.map(([url]) => url)).toEqual([`${server.url}/integrations/qhyg/branding`]);
  });
});
