import { describe, expect, it } from 'vitest';
import {
  BillPayError,
  isBillPayError,
  parseCompany,
  parseConnection,
  parseErrorBody,
  parseIntegration,
  toBillPayError,
} from '../../src/core/index.js';

describe('parseConnection', () => {
  it('keeps fields Codat adds that the kit does not model', () => {
    const c = parseConnection({ id: 'c1', status: 'Linked', newField: { a: 1 } });
    expect(c.newField).toEqual({ a: 1 });
    expect(c.status).toBe('Linked');
  });

  it('maps an unknown status to unknown and keeps the raw value', () => {
    const c = parseConnection({ id: 'c1', status: 'Suspended', sourceType: 'Payroll' });
    expect(c.status).toBe('unknown');
    expect(c.rawStatus).toBe('Suspended');
    expect(c.sourceType).toBe('unknown');
  });

  it('fills missing optional lists and parses data connection errors', () => {
    expect(parseConnection({ id: 'c1' }).dataConnectionErrors).toEqual([]);
    expect(parseConnection({ id: 'c1', dataConnectionErrors: null }).dataConnectionErrors).toEqual([]);
    const c = parseConnection({
      id: 'c1',
      dataConnectionErrors: [{ statusCode: 401, errorMessage: 'expired', status: 'Active' }, 'junk', { status: 'Weird' }],
    });
    expect(c.dataConnectionErrors).toEqual([
      expect.objectContaining({ statusCode: '401', errorMessage: 'expired', status: 'Active' }),
      expect.objectContaining({ status: 'unknown' }),
    ]);
  });

  it('refuses a connection without an id as invalid-response', () => {
    expect(() => parseConnection({ status: 'Linked' })).toThrowError(expect.objectContaining({ code: 'invalid-response' }));
    expect(() => parseConnection('nope')).toThrowError(expect.objectContaining({ code: 'invalid-response' }));
  });
});

describe('parseCompany and parseIntegration', () => {
  it('parses a company with its data connections and drops non-string tags', () => {
    const company = parseCompany({
      id: 'co',
      name: 'Acme',
      tags: { region: 'uk', n: 3 },
      products: ['payables', 7],
      dataConnections: [{ id: 'c1', status: 'PendingAuth' }],
    });
    expect(company.tags).toEqual({ region: 'uk' });
    expect(company.products).toEqual(['payables']);
    expect(company.dataConnections[0]?.status).toBe('PendingAuth');
  });

  it('parses an integration, defaulting the name to the key and enabled to true', () => {
    expect(parseIntegration({ key: 'gbol' })).toMatchObject({ key: 'gbol', name: 'gbol', enabled: true });
    expect(parseIntegration({ key: 'pqsw', enabled: false, isOfflineConnector: true })).toMatchObject({
      enabled: false,
      isOfflineConnector: true,
    });
  });
});

describe('parseErrorBody', () => {
  it('reads Codat’s ErrorMessage body', () => {
    const body = parseErrorBody(
      { statusCode: 400, error: 'Invalid', correlationId: 'id', canBeRetried: 'False', validation: { errors: [{ message: 'm', itemId: 'name' }] } },
      400,
    );
    expect(body).toMatchObject({ statusCode: 400, error: 'Invalid', correlationId: 'id', canBeRetried: 'False' });
    expect(body?.validation).toEqual({ errors: [{ itemId: 'name', message: 'm', validatorName: undefined }], warnings: [] });
  });

  it('returns undefined for bodies that are not an error message', () => {
    expect(parseErrorBody({ foo: 1 }, 500)).toBeUndefined();
    expect(parseErrorBody('text', 500)).toBeUndefined();
    expect(parseErrorBody({ message: 'proxy said no' }, 403)).toMatchObject({ statusCode: 403, error: 'proxy said no' });
  });
});

describe('BillPayError', () => {
  it('says which errors are worth retrying', () => {
    expect(new BillPayError('network').retryable).toBe(true);
    expect(new BillPayError('invalid-input').retryable).toBe(false);
    expect(new BillPayError('aborted').retryable).toBe(false);
    expect(new BillPayError('http', { status: 500 }).retryable).toBe(true);
    expect(new BillPayError('http', { status: 404 }).retryable).toBe(false);
    expect(new BillPayError('http', { status: 409 }).retryable).toBe(true);
    const codat = { statusCode: 400, error: 'x' };
    expect(new BillPayError('http', { status: 400, codat: { ...codat, canBeRetried: 'True' } }).retryable).toBe(true);
    expect(new BillPayError('http', { status: 500, codat: { ...codat, canBeRetried: 'False' } }).retryable).toBe(false);
  });

  it('recognises a copy from another bundle by name and code', () => {
    const foreign = Object.assign(new Error('x'), { name: 'BillPayError', code: 'network' });
    expect(isBillPayError(foreign)).toBe(true);
    expect(isBillPayError(new Error('x'))).toBe(false);
  });

  it('wraps an AbortError as aborted and anything else as network, keeping the cause', () => {
    const abort = new DOMException('stop', 'AbortError');
    expect(toBillPayError(abort).code).toBe('aborted');
    const other = new Error('boom');
    const wrapped = toBillPayError(other, 'getCompany');
    expect(wrapped).toMatchObject({ code: 'network', operation: 'getCompany' });
    expect(wrapped.cause).toBe(other);
    const same = new BillPayError('timeout');
    expect(toBillPayError(same)).toBe(same);
  });
});
