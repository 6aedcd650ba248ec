import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCodatClient, type BillPayError } from '../../src/core/index.js';
import { createSandbox } from '../../src/sandbox/index.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function setup(options: Parameters<typeof createSandbox>[0] = {}) {
  const sandbox = createSandbox(options);
  const client = createCodatClient({ fetcher: sandbox.fetcher, retry: false });
  return { sandbox, client };
}

async function raw(sandbox: ReturnType<typeof createSandbox>, method: string, path: string, body?: unknown) {
  const response = await sandbox.fetcher(`/api/codat${path}`, {
    method,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { response, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

const keys = (value: unknown) => Object.keys(value as object).sort();

afterEach(() => {
  vi.useRealTimers();
});

describe('createSandbox', () => {
  it('walks the seed flow: company, QuickBooks Online connection, authorise, unlink', async () => {
    const { sandbox, client } = setup();
    const company = await client.createCompany({ name: 'Acme Plumbing' });
    expect(company.id).toMatch(uuid);
    expect(company.name).toBe('Acme Plumbing');

    const pending = await client.createConnection(company.id, { platformKey: 'qhyg' });
    expect(pending.status).toBe('PendingAuth');
    expect(pending.platformName).toBe('QuickBooks Online');
    expect(pending.integrationKey).toBe('qhyg');
    expect(new URL(pending.linkUrl).protocol).toBe('https:');
    expect(pending.linkUrl).toContain(`/${company.id}/${pending.id}`);

    sandbox.authorize(pending.id);
    const linked = await client.getConnection(company.id, pending.id);
    expect(linked.status).toBe('Linked');
    expect(linked.lastSync).toEqual(expect.any(String));

    const unlinked = await client.unlinkConnection(company.id, pending.id);
    expect(unlinked.status).toBe('Unlinked');
    expect((await client.getConnection(company.id, pending.id)).status).toBe('Unlinked');
    expect(sandbox.requests.map((r) => `${r.method} ${r.operation}`)).toEqual([
      'POST createCompany',
      'POST createConnection',
      'GET getConnection',
      'PATCH unlinkConnection',
      'GET getConnection',
    ]);
  });

  it('answers with exactly the Company, Connection and paged shapes of the Codat contract', async () => {
    const { sandbox } = setup();
    const { json: company } = await raw(sandbox, 'POST', '/companies', { name: 'Shape Co', description: 'd' });
    expect(keys(company)).toEqual(
      [
        'created',
        'createdByUserName',
        'dataConnections',
        'description',
        'id',
        'name',
        'products',
        'redirect',
        'referenceSubsidiaryCompanies',
        'tags',
      ].sort(),
    );
    const id = String(company?.id);
    const { json: connection } = await raw(sandbox, 'POST', `/companies/${id}/connections`, { platformKey: 'gbol' });
    expect(keys(connection)).toEqual(
      [
        'connectionInfo',
        'created',
        'dataConnectionErrors',
        'id',
        'integrationId',
        'integrationKey',
        'linkUrl',
        'platformName',
        'sourceId',
        'sourceType',
        'status',
      ].sort(),
    );
    expect(connection?.integrationId).toMatch(uuid);
    const { json: list } = await raw(sandbox, 'GET', `/companies/${id}/connections?page=1&pageSize=100`);
    expect(keys(list)).toEqual(['_links', 'pageNumber', 'pageSize', 'results', 'totalResults']);
    expect(list?.totalResults).toBe(1);
    expect(keys(list?._links)).toEqual(['current', 'self']);
  });

  it('lists Codat’s accounting integrations with the Integration fields, the Bill Pay ones enabled', async () => {
    const { client, sandbox } = setup();
    const page = await client.listIntegrations({ pageSize: 500 });
    expect(page.results.map((i) => i.key)).toEqual(['fbrh', 'akxx', 'qhyg', 'knfz', 'gbol', 'rwuv', 'pdvj', 'pqsw', 'mqjo', 'ndsk', 'trji', 'vxvy', 'tgff', 'pbtz']);
    expect(page.results.filter((i) => i.enabled).map((i) => i.key)).toEqual(['fbrh', 'akxx', 'qhyg', 'knfz', 'gbol', 'rwuv', 'pdvj', 'pqsw', 'mqjo']);
    const enabled = await client.listIntegrations({ query: 'sourceType=Accounting&&enabled=true' });
    expect(enabled.results).toHaveLength(9);
    const { json } = await raw(sandbox, 'GET', '/integrations');
    const first = (json?.results as unknown[])[0];
    expect(keys(first)).toEqual(
      ['dataProvidedBy', 'datatypeFeatures', 'enabled', 'integrationId', 'isBeta', 'isOfflineConnector', 'key', 'logoUrl', 'name', 'sourceId', 'sourceType'].sort(),
    );
    expect(page.results.find((i) => i.key === 'pqsw')?.isOfflineConnector).toBe(true);
    expect(await client.getIntegration('rwuv')).toMatchObject({ key: 'rwuv', name: 'Zoho Books', enabled: true });
    expect(await client.getIntegration('trji')).toMatchObject({ key: 'trji', enabled: false });
    await expect(client.getIntegration('zzzz')).rejects.toMatchObject({ code: 'http', status: 404 });
    const branding = await client.getIntegrationBranding('gbol');
    expect(branding.platformKey).toBe('gbol');
    await expect(client.getIntegrationBranding('xero')).rejects.toMatchObject({ code: 'http', status: 404 });
  });

  it('answers 404 on the old /config/integrations paths, which Codat’s Platform API does not have', async () => {
    const { sandbox } = setup();
    expect((await raw(sandbox, 'GET', '/config/integrations')).response.status).toBe(404);
    expect((await raw(sandbox, 'GET', '/config/integrations/gbol/branding')).response.status).toBe(404);
  });

  it('enables only the platforms it is told to, refusing a connection to a disabled one with 403', async () => {
    const { client } = setup({ enabledPlatforms: ['gbol'] });
    const company = await client.createCompany({ name: 'Only Xero' });
    const integrations = await client.listIntegrations({ query: 'enabled=true' });
    expect(integrations.results.map((i) => i.key)).toEqual(['gbol']);
    await expect(client.createConnection(company.id, { platformKey: 'qhyg' })).rejects.toMatchObject({ code: 'http', status: 403 });
    expect((await client.createConnection(company.id, { platformKey: 'gbol' })).status).toBe('PendingAuth');
  });

  it('answers branding with Codat’s Branding shape: every logo and button image under `image`', async () => {
    const { sandbox } = setup();
    const { json } = await raw(sandbox, 'GET', '/integrations/gbol/branding');
    const image = { src: expect.stringMatching(/^https:\/\//), alt: expect.any(String) };
    expect(keys(json)).toEqual(['button', 'logo', 'sourceId']);
    expect(json).toMatchObject({
      logo: { full: { image }, square: { image } },
      button: { default: { image } },
    });
  });

  it('points logos at a host that serves nothing by default, or under logoBaseUrl', async () => {
    const { json } = await raw(setup().sandbox, 'GET', '/integrations/gbol/branding');
    expect(json).toMatchObject({ logo: { square: { image: { src: 'https://static.sandbox.billpay-connect.dev/logos/gbol.svg' } } } });
    const own = createSandbox({ logoBaseUrl: 'http://127.0.0.1:9/static/logos/' });
    const [integration] = (await raw(own, 'GET', '/integrations?query=key%3Dqhyg')).json?.results as { logoUrl: string }[];
    expect(integration?.logoUrl).toBe('http://127.0.0.1:9/static/logos/qhyg.svg');
  });

  it('answers 404 with Codat’s error body for an unknown company or connection', async () => {
    const { sandbox } = setup();
    const { response, json } = await raw(sandbox, 'GET', '/companies/8a210b68-6988-11ed-a1eb-0242ac120002');
    expect(response.status).toBe(404);
    expect(keys(json)).toEqual(['canBeRetried', 'correlationId', 'detailedErrorCode', 'error', 'service', 'statusCode', 'validation']);
    expect(json).toMatchObject({ statusCode: 404, service: 'PublicApi', validation: null, canBeRetried: 'Unknown', detailedErrorCode: 0 });
    expect(json?.correlationId).toMatch(uuid);

    const { json: company } = await raw(sandbox, 'POST', '/companies', { name: 'X' });
    const missing = await raw(sandbox, 'GET', `/companies/${String(company?.id)}/connections/0d5a4a3c-0000-4000-8000-000000000000`);
    expect(missing.response.status).toBe(404);
    expect(missing.json?.error).toBe('Data connection not found.');
  });

  it('rejects a blank company name with validation errors and an unknown platform key with 404, as Codat does', async () => {
    const { sandbox, client } = setup();
    const blank = await raw(sandbox, 'POST', '/companies', { name: '   ' });
    expect(blank.response.status).toBe(400);
    expect(blank.json?.validation).toEqual({
      errors: [{ itemId: 'name', message: 'Company name must contain at least one letter or digit.', validatorName: 'CompanyNameValidator' }],
      warnings: [],
    });
    const company = await client.createCompany({ name: 'Valid' });
    const bad = await raw(sandbox, 'POST', `/companies/${company.id}/connections`, { platformKey: 'zzzz' });
    expect(bad.response.status).toBe(404);
    expect(bad.json).toMatchObject({ statusCode: 404, error: "Integration with key 'zzzz' not found.", canBeRetried: 'False' });
    const noKey = await raw(sandbox, 'POST', `/companies/${company.id}/connections`, {});
    expect(noKey.response.status).toBe(400);
    expect(noKey.json?.error).toBe('The request was invalid.');
    const malformed = await raw(sandbox, 'POST', '/companies', '{not json');
    expect(malformed.response.status).toBe(400);
    const patch = await raw(sandbox, 'PATCH', `/companies/${company.id}/connections/x`, { status: 'Linked' });
    expect(patch.response.status).toBe(404);
    expect(sandbox.listConnections(company.id)).toEqual([]);
  });

  it('strips the characters Codat strips from a company name and stores the rest', async () => {
    const { client, sandbox } = setup();
    const company = await client.createCompany({ name: 'Fallback' });
    const { json } = await raw(sandbox, 'POST', '/companies', { name: 'Company (Codat[1])' });
    expect(json?.name).toBe('Company Codat1');
    expect(sandbox.getCompany(String(json?.id))?.name).toBe('Company Codat1');
    const only = await raw(sandbox, 'POST', '/companies', { name: '()[]#' });
    expect(only.response.status).toBe(400);
    expect(company.name).toBe('Fallback');
  });

  it.each([
    ['eleven tags', Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v']))],
    ['a tag key over 27 characters', { ['k'.repeat(28)]: 'v' }],
    ['an empty tag key', { '': 'v' }],
    ['a tag value over 100 characters', { uid: 'v'.repeat(101) }],
  ])('refuses a company with %s as a 400 naming tags, and creates nothing', async (_label, tags) => {
    const { sandbox } = setup();
    const { response, json } = await raw(sandbox, 'POST', '/companies', { name: 'Tagged', tags });
    expect(response.status).toBe(400);
    expect((json?.validation as { errors: { itemId: string }[] }).errors[0]?.itemId).toBe('tags');
    expect((await raw(sandbox, 'GET', '/companies')).json?.totalResults).toBe(0);
  });

  it('unlinks only a Linked connection: PendingAuth, Unlinked and Deauthorized answer 403 and stay as they are', async () => {
    const { sandbox, client } = setup();
    const company = await client.createCompany({ name: 'Unlinker' });
    const conn = await client.createConnection(company.id, { platformKey: 'gbol' });
    await expect(client.unlinkConnection(company.id, conn.id)).rejects.toMatchObject({ code: 'http', status: 403, retryable: false });
    expect(sandbox.listConnections(company.id)[0]?.status).toBe('PendingAuth');
    sandbox.authorize(conn.id);
    expect((await client.unlinkConnection(company.id, conn.id)).status).toBe('Unlinked');
    await expect(client.unlinkConnection(company.id, conn.id)).rejects.toMatchObject({ status: 403 });
    sandbox.deauthorize(conn.id);
    await expect(client.unlinkConnection(company.id, conn.id)).rejects.toMatchObject({ status: 403 });
    expect(sandbox.listConnections(company.id)[0]?.status).toBe('Deauthorized');
  });

  it('deletes a company with 204 and no body, its connections with it', async () => {
    const { sandbox, client } = setup();
    const company = await client.createCompany({ name: 'Gone' });
    const conn = await client.createConnection(company.id, { platformKey: 'qhyg' });
    const { response, json } = await raw(sandbox, 'DELETE', `/companies/${company.id}`);
    expect(response.status).toBe(204);
    expect(json).toBeUndefined();
    expect(sandbox.getCompany(company.id)).toBeUndefined();
    expect(sandbox.findConnection(conn.id)).toBeUndefined();
    expect((await raw(sandbox, 'DELETE', `/companies/${company.id}`)).response.status).toBe(404);
  });

  it('refuses to set any status other than Unlinked', async () => {
    const { sandbox, client } = setup();
    const company = await client.createCompany({ name: 'Co' });
    const conn = await client.createConnection(company.id, { platformKey: 'knfz' });
    const { response } = await raw(sandbox, 'PATCH', `/companies/${company.id}/connections/${conn.id}`, { status: 'Linked' });
    expect(response.status).toBe(400);
    expect(sandbox.listConnections(company.id)[0]?.status).toBe('PendingAuth');
  });

  it('answers 404 with Codat’s error body for an id that is not valid percent-encoding', async () => {
    const { sandbox } = setup();
    const { response, json } = await raw(sandbox, 'GET', '/companies/%E0%A4%A');
    expect(response.status).toBe(404);
    expect(json).toMatchObject({ statusCode: 404, service: 'PublicApi', error: 'Company not found.' });
  });

  it('answers 404 for a route the kit does not use', async () => {
    const { sandbox } = setup();
    const { response, json } = await raw(sandbox, 'PUT', '/companies');
    expect(response.status).toBe(404);
    expect(json?.statusCode).toBe(404);
  });

  it('deletes a connection and answers 200 with no body', async () => {
    const { sandbox, client } = setup();
    const company = await client.createCompany({ name: 'Del' });
    const conn = await client.createConnection(company.id, { platformKey: 'akxx' });
    const response = await sandbox.fetcher(`/api/codat/companies/${company.id}/connections/${conn.id}`, { method: 'DELETE' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect(sandbox.listConnections(company.id)).toEqual([]);
  });

  it('pages lists with next and previous links', async () => {
    const { sandbox, client } = setup({
      seed: { companies: [{ name: 'Many', connections: ['pdvj', 'akxx', 'qhyg'].map((platformKey) => ({ platformKey })) }] },
    });
    const companyId = String((await client.listCompanies()).results[0]?.id);
    expect(sandbox.requests).toHaveLength(1);
    const page2 = await client.listConnections(companyId, { page: 2, pageSize: 2 });
    expect(page2.results).toHaveLength(1);
    expect(page2._links.previous?.href).toContain('page=1');
    expect(page2._links.next).toBeUndefined();
    expect((await client.listConnections(companyId, { page: 1, pageSize: 2 }))._links.next?.href).toContain('page=2');
    expect(await client.listAllConnections(companyId, { pageSize: 2 })).toHaveLength(3);
  });

  it('preloads seeded companies and connections with their statuses', async () => {
    const { client } = setup({
      seed: {
        companies: [
          {
            id: '11111111-1111-4111-8111-111111111111',
            name: 'Seeded',
            connections: [
              { id: '22222222-2222-4222-8222-222222222222', platformKey: 'qhyg', status: 'Linked' },
              { platformKey: 'gbol', status: 'Deauthorized' },
            ],
          },
        ],
      },
    });
    const list = await client.listAllConnections('11111111-1111-4111-8111-111111111111');
    expect(list.map((c) => [c.integrationKey, c.status])).toEqual([
      ['qhyg', 'Linked'],
      ['gbol', 'Deauthorized'],
    ]);
    expect(list[0]?.lastSync).toEqual(expect.any(String));
  });

  it('deauthorizes a connection with an active data connection error', async () => {
    const { sandbox, client } = setup();
    const company = await client.createCompany({ name: 'D' });
    const conn = await client.createConnection(company.id, { platformKey: 'pdvj' });
    sandbox.authorize(conn.id);
    sandbox.deauthorize(conn.id);
    const read = await client.getConnection(company.id, conn.id);
    expect(read.status).toBe('Deauthorized');
    expect(read.dataConnectionErrors[0]).toMatchObject({ status: 'Active', statusCode: '401' });
  });

  it('records an abandoned link flow and leaves the connection pending', async () => {
    const { sandbox, client } = setup();
    const company = await client.createCompany({ name: 'A' });
    const conn = await client.createConnection(company.id, { platformKey: 'qhyg' });
    sandbox.abandon(conn.id);
    expect(sandbox.abandoned).toEqual([conn.id]);
    expect((await client.getConnection(company.id, conn.id)).status).toBe('PendingAuth');
    expect(() => sandbox.authorize('nope')).toThrow(/no connection/);
  });

  it('consumes injected faults in order, per operation, then answers normally', async () => {
    const { sandbox, client } = setup();
    const company = await client.createCompany({ name: 'F' });
    sandbox.fail('getCompany', { kind: 'status', status: 503 });
    sandbox.fail('getCompany', { kind: 'rate-limit', retryAfter: 7 });
    sandbox.fail('getCompany', { kind: 'malformed' });
    sandbox.fail('getCompany', { kind: 'network' });
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const error = (await client.getCompany(company.id).catch((e: unknown) => e)) as BillPayError;
      codes.push(`${error.code}:${error.status ?? ''}:${error.retryAfter ?? ''}`);
    }
    expect(codes).toEqual(['http:503:', 'rate-limited:429:7', 'invalid-response:200:', 'network::']);
    expect((await client.getCompany(company.id)).id).toBe(company.id);
  });

  it('applies a fault for several calls with times, and to any operation with *', async () => {
    const { sandbox, client } = setup({ faults: { createCompany: { kind: 'status', status: 500, times: 2 } } });
    await expect(client.createCompany({ name: 'a' })).rejects.toMatchObject({ code: 'http', status: 500 });
    await expect(client.createCompany({ name: 'a' })).rejects.toMatchObject({ code: 'http', status: 500 });
    const company = await client.createCompany({ name: 'a' });
    sandbox.fail('*', { kind: 'status', status: 502 });
    await expect(client.getCompany(company.id)).rejects.toMatchObject({ status: 502 });
    sandbox.fail('*', { kind: 'status', status: 500 });
    sandbox.clearFaults();
    await expect(client.getCompany(company.id)).resolves.toMatchObject({ id: company.id });
  });

  it('waits its latency and rejects with an AbortError when the signal aborts meanwhile', async () => {
    vi.useFakeTimers();
    const sandbox = createSandbox({ latency: 1000 });
    const controller = new AbortController();
    const pending = sandbox.fetcher('/companies', { method: 'GET', signal: controller.signal });
    const outcome = pending.then(
      () => 'answered',
      (e: unknown) => (e as DOMException).name,
    );
    await vi.advanceTimersByTimeAsync(500);
    controller.abort();
    expect(await outcome).toBe('AbortError');

    const answered = sandbox.fetcher('/companies', { method: 'GET' });
    let done = false;
    void answered.then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
  });

  it('hangs a request until it is aborted', async () => {
    const sandbox = createSandbox({ faults: { listCompanies: { kind: 'hang' } } });
    const controller = new AbortController();
    const pending = sandbox.fetcher('/companies', { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('reads a request body given as bytes, a Blob or a stream, as fetch does', async () => {
    const sandbox = createSandbox();
    const json = JSON.stringify({ name: 'Bytes Co' });
    for (const body of [new TextEncoder().encode(json), new Blob([json]), new Request('http://x', { method: 'POST', body: json }).body]) {
      const response = await sandbox.fetcher('/companies', { method: 'POST', body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
      expect(response.status).toBe(200);
    }
    expect(sandbox.requests.map((r) => r.body)).toEqual([{ name: 'Bytes Co' }, { name: 'Bytes Co' }, { name: 'Bytes Co' }]);
  });

  it('serves Web Requests through handle, ignoring any mount prefix', async () => {
    const sandbox = createSandbox();
    const response = await sandbox.handle(
      new Request('http://127.0.0.1:4010/api/codat/companies', {
        method: 'POST',
        body: JSON.stringify({ name: 'Over HTTP' }),
        headers: { 'Content-Type': 'application/json' },
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(((await response.json()) as { name: string }).name).toBe('Over HTTP');
    expect(sandbox.requests[0]?.path).toBe('/companies');
  });

  it('notifies subscribers on changes and restores the seed on reset', async () => {
    const { sandbox, client } = setup({ seed: { companies: [{ name: 'Seed' }] } });
    const listener = vi.fn();
    const unsubscribe = sandbox.subscribe(listener);
    await client.createCompany({ name: 'Extra' });
    expect(listener).toHaveBeenCalledTimes(1);
    sandbox.reset();
    expect(sandbox.requests).toEqual([]);
    expect((await client.listCompanies()).results.map((c) => c.name)).toEqual(['Seed']);
    unsubscribe();
    await client.createCompany({ name: 'Quiet' });
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('keeps the ids it gave seeded companies and connections across reset', async () => {
    const { sandbox, client } = setup({ seed: { companies: [{ name: 'Seed', connections: [{ platformKey: 'qhyg' }] }] } });
    const [company] = (await client.listCompanies()).results;
    const companyId = String(company?.id);
    const connectionId = String(sandbox.listConnections(companyId)[0]?.id);
    sandbox.reset();
    await expect(client.getCompany(companyId)).resolves.toMatchObject({ id: companyId, name: 'Seed' });
    await expect(client.getConnection(companyId, connectionId)).resolves.toMatchObject({ id: connectionId, status: 'PendingAuth' });
  });

  it('uses the configured link base for linkUrls', async () => {
    const { client } = setup({ linkBaseUrl: 'http://127.0.0.1:4010/link/' });
    const company = await client.createCompany({ name: 'L' });
    const conn = await client.createConnection(company.id, { platformKey: 'gbol' });
    expect(conn.linkUrl).toBe(`http://127.0.0.1:4010/link/${company.id}/${conn.id}`);
  });
});
