import { beforeAll, describe, expect, it } from 'vitest';
import { createCodatClient, type CodatClient, type Company, type Connection, type Integration } from '../../src/core/index.js';
import { createSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startSandboxServer } from '../../src/sandbox-server/index.js';
import { findOperation, skipNotice, specsAvailable, validateRequest, validateResponse, validateSchema } from './openapi.js';

if (!specsAvailable) console.warn(skipNotice);

/** One request and its answer, as they crossed the fetcher. */
interface Exchange {
  method: string;
  path: string;
  body: unknown;
  status: number;
  answer: string;
}

/** The sandbox behind a fetcher that keeps every request and answer. */
function recordedSandbox() {
  const sandbox = createSandbox();
  const exchanges: Exchange[] = [];
  const fetcher = async (input: string, init: RequestInit = {}): Promise<Response> => {
    const response = await sandbox.fetcher(input, init);
    const answer = await response.clone().text();
    const body = typeof init.body === 'string' && init.body !== '' ? (JSON.parse(init.body) as unknown) : undefined;
    exchanges.push({ method: (init.method ?? 'GET').toUpperCase(), path: input, body, status: response.status, answer });
    return response;
  };
  /** Sends a raw request (what the kit's client would refuse to send) and answers the recorded exchange. */
  const send = async (method: string, path: string, body?: unknown): Promise<Exchange> => {
    await fetcher(path, {
      method,
      headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const exchange = exchanges.at(-1);
    if (!exchange) throw new Error('nothing recorded');
    return exchange;
  };
  return { sandbox, exchanges, fetcher, send };
}

/** Each error names the request, unless it already does (a path that matches no operation). */
const label = (e: Exchange, prefix: string) => (error: string) => (error.startsWith(`${e.method} ${e.path}`) ? error : `${prefix}: ${error}`);
const requestErrors = (e: Exchange) => validateRequest({ method: e.method, path: e.path, body: e.body }).map(label(e, `${e.method} ${e.path}`));
const answerErrors = (e: Exchange) =>
  validateResponse({ method: e.method, path: e.path, status: e.status, body: e.answer }).map(label(e, `${e.method} ${e.path} -> ${e.status}`));
const operationOf = (e: Exchange) => findOperation(e.method, e.path)?.operationId ?? `unmatched ${e.method} ${e.path}`;
const parsed = (e: Exchange) => JSON.parse(e.answer) as Record<string, unknown>;

/** The answer has this status, fits the operation's declared error response, and says the same status inside. */
function expectCodatError(answer: Exchange, status: number) {
  expect(answer.status).toBe(status);
  expect(answerErrors(answer)).toEqual([]);
  expect(parsed(answer).statusCode).toBe(status);
}

describe.skipIf(!specsAvailable)('the kit’s client against the sandbox, checked against Codat’s specs', () => {
  let recorded: ReturnType<typeof recordedSandbox>;
  let sandbox: Sandbox;
  /** Each flow step that threw, with what it threw; the flow goes on where it can. */
  const failures: string[] = [];
  const seen: {
    company?: Company | undefined;
    connection?: Connection | undefined;
    linked?: Connection | undefined;
    unlinked?: Connection | undefined;
    integrations?: Integration[] | undefined;
  } = {};

  beforeAll(async () => {
    recorded = recordedSandbox();
    sandbox = recorded.sandbox;
    const client: CodatClient = createCodatClient({ baseUrl: '', fetcher: recorded.fetcher, retry: false });
    const step = async <T>(name: string, run: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await run();
      } catch (error) {
        const e = error as { code?: string; status?: number; message?: string };
        failures.push(`${name}: ${e.code ?? ''} ${e.status ?? ''} ${e.message ?? String(error)}`);
        return undefined;
      }
    };
    const company = await step('createCompany', () =>
      client.createCompany({ name: 'Contract Foods Ltd', description: 'Checked against the spec', tags: { uid: 'cust_123', region: 'uk' } }),
    );
    seen.company = company;
    if (company) {
      await step('getCompany', () => client.getCompany(company.id));
      await step('listCompanies', () => client.listCompanies({ pageSize: 10 }));
      const connection = await step('createConnection', () => client.createConnection(company.id, { platformKey: 'gbol' }));
      seen.connection = connection;
      if (connection) {
        await step('listConnections', () => client.listConnections(company.id));
        await step('getConnection', () => client.getConnection(company.id, connection.id));
        sandbox.authorize(connection.id);
        seen.linked = await step('getConnection after authorising', () => client.getConnection(company.id, connection.id));
        seen.unlinked = await step('unlinkConnection', () => client.unlinkConnection(company.id, connection.id));
        await step('deleteConnection', () => client.deleteConnection(company.id, connection.id));
      }
    }
    seen.integrations = (await step('listIntegrations', () => client.listIntegrations({ query: 'sourceType=Accounting&&enabled=true' })))?.results;
    await step('getIntegration', () => client.getIntegration('gbol'));
    await step('getIntegrationBranding', () => client.getIntegrationBranding('gbol'));
  });

  it('runs the whole flow through the kit’s client without an error', () => {
    expect(failures).toEqual([]);
    expect(seen.connection).toMatchObject({ status: 'PendingAuth', linkUrl: expect.any(String) });
    expect(seen.linked?.status).toBe('Linked');
    expect(seen.unlinked?.status).toBe('Unlinked');
    expect(seen.integrations?.length).toBeGreaterThan(0);
  });

  it('sends every request of the flow to an operation of Codat’s specs', () => {
    expect(recorded.exchanges.map(operationOf)).toEqual([
      'create-company',
      'get-company',
      'list-companies',
      'create-connection',
      'list-connections',
      'get-connection',
      'get-connection',
      'unlink-connection',
      'delete-connection',
      'list-integrations',
      'get-integration',
      'get-integrations-branding',
    ]);
  });

  it('sends only requests whose path, query and body validate against their operation', () => {
    expect(recorded.exchanges.length).toBeGreaterThan(0);
    expect(recorded.exchanges.flatMap(requestErrors)).toEqual([]);
  });

  it('gets only answers that validate against their operation’s response schema', () => {
    expect(recorded.exchanges.length).toBeGreaterThan(0);
    expect(recorded.exchanges.flatMap(answerErrors)).toEqual([]);
  });

  it('keeps the company’s tags as sent', () => {
    const created = recorded.exchanges.find((e) => operationOf(e) === 'create-company');
    expect(created && parsed(created).tags).toEqual({ uid: 'cust_123', region: 'uk' });
    expect(seen.company?.tags).toEqual({ uid: 'cust_123', region: 'uk' });
  });
});

describe.skipIf(!specsAvailable)('the sandbox’s answers beyond the flow, errors included, checked against Codat’s specs', () => {
  const setup = async () => {
    const recorded = recordedSandbox();
    const company = await recorded.send('POST', '/companies', { name: 'Errors Ltd' });
    const companyId = String(parsed(company).id);
    return { ...recorded, companyId };
  };

  it('answers an unknown platform key on create connection with 404 and Codat’s ErrorMessage', async () => {
    const { send, companyId } = await setup();
    const answer = await send('POST', `/companies/${companyId}/connections`, { platformKey: 'zzzz' });
    expect(requestErrors(answer)).toEqual([]);
    expectCodatError(answer, 404);
  });

  it.each([
    ['a PendingAuth', 'PendingAuth'],
    ['an Unlinked', 'Unlinked'],
  ])('answers unlinking %s connection with 403 and Codat’s ErrorMessage', async (_case, status) => {
    const { send, sandbox, companyId } = await setup();
    const connection = parsed(await send('POST', `/companies/${companyId}/connections`, { platformKey: 'gbol' }));
    const path = `/companies/${companyId}/connections/${String(connection.id)}`;
    if (status === 'Unlinked') {
      sandbox.authorize(String(connection.id));
      expect((await send('PATCH', path, { status: 'Unlinked' })).status).toBe(200);
    }
    expect((await send('GET', path)).answer).toContain(`"status":"${status}"`);
    const answer = await send('PATCH', path, { status: 'Unlinked' });
    expect(requestErrors(answer)).toEqual([]);
    expectCodatError(answer, 403);
  });

  const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`tag${i}`, 'x']));
  it.each([
    ['more than 10 tags', { name: 'Tagged Ltd', tags: tags(11) }],
    ['a tag key over 27 characters', { name: 'Tagged Ltd', tags: { ['k'.repeat(28)]: 'x' } }],
    ['an empty tag key', { name: 'Tagged Ltd', tags: { '': 'x' } }],
    ['a tag value over 100 characters', { name: 'Tagged Ltd', tags: { uid: 'v'.repeat(101) } }],
    ['a name made only of forbidden characters', { name: '()[]' }],
  ])('answers a create company with %s with 400, validation errors and Codat’s ErrorMessage', async (_case, body) => {
    const { send } = recordedSandbox();
    const answer = await send('POST', '/companies', body);
    // The spec refuses this body too, so the 400 is Codat's to give.
    expect(requestErrors(answer)).not.toEqual([]);
    expectCodatError(answer, 400);
    expect((parsed(answer).validation as { errors?: unknown[] } | null)?.errors?.length).toBeGreaterThan(0);
  });

  it('accepts 10 tags with a 27-character key and a 100-character value', async () => {
    const { send } = recordedSandbox();
    const body = { name: 'Tagged Ltd', tags: { ...tags(9), ['k'.repeat(27)]: 'v'.repeat(100) } };
    const answer = await send('POST', '/companies', body);
    expect(requestErrors(answer)).toEqual([]);
    expect(answer.status).toBe(200);
    expect(answerErrors(answer)).toEqual([]);
    expect(parsed(answer).tags).toEqual(body.tags);
  });

  it('stores a company name with forbidden characters stripped, as Codat does', async () => {
    const { send } = recordedSandbox();
    const created = await send('POST', '/companies', { name: 'Company (Codat[1])' });
    expect(created.status).toBe(200);
    expect(answerErrors(created)).toEqual([]);
    expect(parsed(created).name).toBe('Company Codat1');
    const read = await send('GET', `/companies/${String(parsed(created).id)}`);
    expect(answerErrors(read)).toEqual([]);
    expect(parsed(read).name).toBe('Company Codat1');
  });

  it('answers a Deauthorized connection, with its data connection error, in the shape of Codat’s Connection', async () => {
    const { send, sandbox, companyId } = await setup();
    const id = String(parsed(await send('POST', `/companies/${companyId}/connections`, { platformKey: 'qhyg' })).id);
    sandbox.authorize(id);
    sandbox.deauthorize(id);
    const answer = await send('GET', `/companies/${companyId}/connections/${id}`);
    expect(answer.status).toBe(200);
    expect(answerErrors(answer)).toEqual([]);
    expect(parsed(answer)).toMatchObject({ status: 'Deauthorized', dataConnectionErrors: [{ statusCode: '401', status: 'Active' }] });
  });

  it('deletes a company with 204 and an empty body, then answers 404 for it', async () => {
    const { send, companyId } = await setup();
    const removed = await send('DELETE', `/companies/${companyId}`);
    expect(removed.status).toBe(204);
    expect(answerErrors(removed)).toEqual([]);
    expectCodatError(await send('GET', `/companies/${companyId}`), 404);
  });

  it('answers the retired /config/integrations path with 404 and Codat’s ErrorMessage over HTTP, as api.codat.io would', async () => {
    // Over HTTP: the in-memory fetcher accepts any mount prefix, so it reads /config/integrations as /config + /integrations.
    const server = await startSandboxServer();
    try {
      const response = await fetch(`${server.url}/config/integrations`, { headers: { Authorization: 'Basic sandbox-key' } });
      expect(findOperation('GET', '/config/integrations')).toBeUndefined();
      expect(response.status).toBe(404);
      expect(validateSchema('#/components/schemas/ErrorMessage', await response.json())).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('answers branding for a known platform key and 404 with Codat’s ErrorMessage for an unknown one', async () => {
    const { send } = recordedSandbox();
    const known = await send('GET', '/integrations/gbol/branding');
    expect(known.status).toBe(200);
    expect(answerErrors(known)).toEqual([]);
    const unknown = await send('GET', '/integrations/zzzz/branding');
    expect(requestErrors(unknown)).toEqual([]);
    expectCodatError(unknown, 404);
  });
});
