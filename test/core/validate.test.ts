import { describe, expect, it } from 'vitest';
import { assertSafeLinkUrl, filterPlatforms, BILL_PAY_ASYNC_PLATFORMS, BILL_PAY_PLATFORMS, isSafeLinkUrl, parseLinkReturn } from '../../src/core/index.js';

const companyId = '8a210b68-6988-11ed-a1eb-0242ac120002';
const connectionId = '2e9d2c44-f675-40ba-8049-353bfcb5e171';

describe('assertSafeLinkUrl', () => {
  it('accepts an https URL and returns it normalised', () => {
    expect(assertSafeLinkUrl(' https://link.codat.io/start?x=1 ')).toBe('https://link.codat.io/start?x=1');
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'http://link.codat.io/start',
    'ftp://link.codat.io',
    '/relative/path',
    '//link.codat.io/start',
    'https://user:pass@link.codat.io/',
    '',
  ])('refuses %j with unsafe-link-url', (url) => {
    expect(() => assertSafeLinkUrl(url)).toThrowError(expect.objectContaining({ code: 'unsafe-link-url' }));
  });

  it('refuses values that are not strings', () => {
    expect(isSafeLinkUrl(undefined)).toBe(false);
    expect(isSafeLinkUrl({ href: 'https://x' })).toBe(false);
  });

  it('accepts loopback http only when allowed, and never another host over http', () => {
    expect(isSafeLinkUrl('http://127.0.0.1:4010/link/a')).toBe(false);
    expect(isSafeLinkUrl('http://127.0.0.1:4010/link/a', { allowInsecureLoopback: true })).toBe(true);
    expect(isSafeLinkUrl('http://localhost:4010/', { allowInsecureLoopback: true })).toBe(true);
    expect(isSafeLinkUrl('http://evil.example/', { allowInsecureLoopback: true })).toBe(false);
  });

  it('restricts hosts to the allowed list, subdomains included', () => {
    const policy = { allowedHosts: ['codat.io'] };
    expect(isSafeLinkUrl('https://link.codat.io/x', policy)).toBe(true);
    expect(isSafeLinkUrl('https://codat.io/x', policy)).toBe(true);
    expect(isSafeLinkUrl('https://codat.io.evil.example/x', policy)).toBe(false);
    expect(isSafeLinkUrl('https://evilcodat.io/x', policy)).toBe(false);
  });
});

describe('parseLinkReturn', () => {
  it('finds nothing in a URL without Codat parameters', () => {
    expect(parseLinkReturn('https://host.example/onboarding?tab=2')).toEqual({ status: 'none' });
  });

  it('reads a successful return from a URL, a URL object or a query string', () => {
    const expected = {
      status: 'success',
      outcome: 'linked',
      companyId,
      connectionId,
      statusCode: 200,
      platform: undefined,
      platformName: undefined,
      sourceType: undefined,
    };
    const query = `?companyId=${companyId}&connectionId=${connectionId}&statusCode=200`;
    expect(parseLinkReturn(`https://host.example/back${query}`)).toEqual(expected);
    expect(parseLinkReturn(new URL(`https://host.example/back${query}`))).toEqual(expected);
    expect(parseLinkReturn(query)).toEqual(expected);
  });

  it('reads a failed return with its plain, capped texts', () => {
    const long = 'x'.repeat(600);
    const result = parseLinkReturn(`?companyId=${companyId}&statusCode=401&statusText=Unauthorized&errorMessage=${long}%0A%3Cb%3E`);
    expect(result).toMatchObject({ status: 'error', outcome: 'failed', statusCode: 401, statusText: 'Unauthorized' });
    if (result.status !== 'error') throw new Error('narrowing');
    expect(result.errorMessage).toHaveLength(501);
    expect(result.errorMessage).not.toMatch(/\n/);
  });

  it.each([
    ['a company id that is not a UUID', `?companyId=../../admin&statusCode=200`, 'companyId is not a UUID'],
    ['a connection id that is not a UUID', `?companyId=${companyId}&connectionId=1;drop`, 'connectionId is not a UUID'],
    ['a status code out of range', `?companyId=${companyId}&statusCode=999`, 'statusCode is not an HTTP status'],
    ['a success without a company', `?connectionId=${connectionId}&statusCode=200`, 'companyId is missing'],
  ])('marks %s as invalid', (_label, query, reason) => {
    expect(parseLinkReturn(query)).toEqual({ status: 'invalid', reason });
  });

  it('marks a return for another customer’s company as invalid', () => {
    const other = '11111111-1111-4111-8111-111111111111';
    expect(parseLinkReturn(`?companyId=${companyId}`, { expectedCompanyId: other })).toEqual({
      status: 'invalid',
      reason: 'companyId does not match this customer',
    });
    expect(parseLinkReturn(`?companyId=${companyId}`, { expectedCompanyId: companyId.toUpperCase() }).status).toBe('success');
  });
});

describe('filterPlatforms', () => {
  it('matches names case- and accent-insensitively, and exact keys', () => {
    expect(filterPlatforms(BILL_PAY_PLATFORMS, 'quick').map((p) => p.key)).toEqual(['qhyg']);
    expect(filterPlatforms(BILL_PAY_ASYNC_PLATFORMS, 'quick').map((p) => p.key)).toEqual(['qhyg', 'pqsw']);
    expect(filterPlatforms(BILL_PAY_PLATFORMS, 'SAGE').map((p) => p.key)).toEqual(['knfz']);
    expect(filterPlatforms([{ key: 'abcd', name: 'Équipe' }], 'equipe')).toHaveLength(1);
    expect(filterPlatforms(BILL_PAY_PLATFORMS, 'gbol').map((p) => p.name)).toEqual(['Xero']);
    expect(filterPlatforms(BILL_PAY_PLATFORMS, '  ')).toHaveLength(6);
    expect(filterPlatforms(BILL_PAY_PLATFORMS, 'zzz')).toEqual([]);
  });
});
