import { describe, expect, it } from 'vitest';
import { findOperation, findOperations, skipNotice, specsAvailable, validateRequest, validateResponse, validateSchema } from './openapi.js';

if (!specsAvailable) console.warn(skipNotice);

const companyId = '8a210b68-6988-11ed-a1eb-0242ac120002';
const connectionId = '2e9d2c44-f675-40ba-8049-353bfcb5e171';

const connection = {
  id: connectionId,
  integrationId: 'bf083d72-62c7-493e-aec9-81b4dbba7e2c',
  sourceId: 'bdd831ce-eebd-4896-89a7-20e5ee8989ee',
  sourceType: 'Accounting',
  platformName: 'Xero',
  linkUrl: `https://link-api.codat.io/companies/${companyId}/connections/${connectionId}/start`,
  status: 'PendingAuth',
  created: '2022-10-27T09:53:29Z',
};

// The contract suites are only as strict as these validators: each check here proves one of them can fail.
describe.skipIf(!specsAvailable)('Codat spec validators', () => {
  it('matches a concrete path to its template and reads the path parameters', () => {
    expect(findOperation('POST', `/companies/${companyId}/connections`)).toEqual({
      spec: 'Codat-Platform',
      operationId: 'create-connection',
      method: 'POST',
      template: '/companies/{companyId}/connections',
      pathParams: { companyId },
    });
    expect(findOperations('GET', `/companies/${companyId}/connections/${connectionId}?x=1`).map((o) => o.spec)).toEqual(['Codat-Platform', 'Codat-Sync-Payables']);
    expect(findOperation('GET', '/integrations/gbol/branding')?.operationId).toBe('get-integrations-branding');
  });

  it('finds no operation for the retired /config/integrations path', () => {
    expect(findOperation('GET', '/config/integrations')).toBeUndefined();
    expect(validateRequest({ method: 'GET', path: '/config/integrations' })).toEqual([expect.stringContaining('matches no operation')]);
  });

  it('reports a query parameter the operation does not declare and a page below 1', () => {
    expect(validateRequest({ method: 'GET', path: '/companies?page=1&pageSize=100&tags=uid%3Dcust_1' })).toEqual([]);
    const errors = validateRequest({ method: 'GET', path: '/integrations?page=0&evil=1' });
    expect(errors).toContainEqual(expect.stringMatching(/query parameter page: must be >= 1/));
    expect(errors).toContainEqual(expect.stringMatching(/query parameter evil is not declared/));
  });

  it('checks company tags through the schema the create-company body borrows from Company', () => {
    expect(validateRequest({ method: 'POST', path: '/companies', body: { name: 'Acme', tags: { uid: 'cust_1' } } })).toEqual([]);
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v']));
    expect(validateRequest({ method: 'POST', path: '/companies', body: { name: 'Acme', tags: eleven } })).toContainEqual(expect.stringMatching(/tags: must NOT have more than 10 properties/));
    expect(validateRequest({ method: 'POST', path: '/companies', body: { name: 'Acme', tags: { ['k'.repeat(28)]: 'v' } } })).not.toEqual([]);
    expect(validateRequest({ method: 'POST', path: '/companies', body: { name: 'Acme (UK)' } })).toContainEqual(expect.stringMatching(/request body \/name: must match pattern/));
  });

  it('checks a platform key through the schema of the platformKey parameter', () => {
    expect(validateRequest({ method: 'POST', path: `/companies/${companyId}/connections`, body: { platformKey: 'gbol' } })).toEqual([]);
    expect(validateRequest({ method: 'POST', path: `/companies/${companyId}/connections`, body: { platformKey: 'gbols' } })).toContainEqual(
      expect.stringMatching(/request body \/platformKey: must NOT have more than 4 characters/),
    );
    expect(validateRequest({ method: 'POST', path: '/companies/not-a-uuid/connections', body: {} })).toContainEqual(expect.stringMatching(/path parameter companyId: must match format "uuid"/));
  });

  it('refuses a connection with an unknown status or a field the schema does not allow', () => {
    const get = { method: 'GET', path: `/companies/${companyId}/connections/${connectionId}`, status: 200 };
    expect(validateResponse({ ...get, body: JSON.stringify(connection) })).toEqual([]);
    const errors = validateResponse({ ...get, body: JSON.stringify({ ...connection, status: 'Paused', extra: 1 }) });
    expect(errors).toContainEqual(expect.stringMatching(/\/status: must be equal to one of the allowed values \(PendingAuth, Linked, Unlinked, Deauthorized\)/));
    expect(errors).toContainEqual(expect.stringMatching(/must NOT have additional properties \(extra\)/));
  });

  it('accepts null where the spec marks a field nullable the OpenAPI 3.0 way, and only there', () => {
    const get = { method: 'GET', path: `/companies/${companyId}/connections/${connectionId}`, status: 200 };
    expect(validateResponse({ ...get, body: JSON.stringify({ ...connection, connectionInfo: null, lastSync: null }) })).toEqual([]);
    expect(validateResponse({ ...get, body: JSON.stringify({ ...connection, platformName: null }) })).not.toEqual([]);
    expect(validateSchema('#/components/schemas/ErrorMessage', { statusCode: 404, error: 'Not found', validation: null })).toEqual([]);
    expect(validateSchema('#/components/schemas/ErrorMessage', { statusCode: '404', canBeRetried: false })).toHaveLength(2);
  });

  it('wants an empty body for a 2xx without content, and a declared status', () => {
    const remove = { method: 'DELETE', path: `/companies/${companyId}` };
    expect(validateResponse({ ...remove, status: 204, body: '' })).toEqual([]);
    // Both specs hold these operations, so each reports.
    expect(validateResponse({ ...remove, status: 204, body: '{}' })).toEqual([
      expect.stringMatching(/^Codat-Platform delete-company 204 declares no content/),
      expect.stringMatching(/^Codat-Sync-Payables delete-company 204 declares no content/),
    ]);
    expect(validateResponse({ ...remove, status: 200, body: '' })).toEqual(Array(2).fill(expect.stringContaining('does not declare status 200')));
    expect(validateResponse({ method: 'GET', path: `/companies/${companyId}`, status: 404, body: 'Not found' })).toEqual(Array(2).fill(expect.stringContaining('body is not JSON')));
  });
});
