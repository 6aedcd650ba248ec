import { describe, expect, it } from 'vitest';
import { isLinkPopup, LINK_POPUP_NAME, LINK_RETURN_PARAMS, parseLinkReturn } from '../../src/core/index.js';
import { LINK_REDIRECT_QUERY, linkRedirectUrl } from '../../src/server/index.js';

describe('isLinkPopup', () => {
  it('recognises the kit’s popup names and nothing else', () => {
    expect(LINK_POPUP_NAME).toBe('bpc-link');
    expect(isLinkPopup('bpc-link')).toBe(true);
    expect(isLinkPopup('bpc-link:r1')).toBe(true);
    expect(isLinkPopup('bpc-linked')).toBe(false);
    expect(isLinkPopup('')).toBe(false);
  });

  it('reads no window on the server', () => {
    expect(typeof window).toBe('undefined');
    expect(isLinkPopup()).toBe(false);
  });
});

describe('parseLinkReturn on Codat’s Redirect URL placeholders', () => {
  const companyId = '8a210b68-6988-11ed-a1eb-0242ac120002';
  const connectionId = '2e9d2c44-f675-40ba-8049-353bfcb5e171';
  // What Codat makes of the kit's placeholders: every one present, empty where it has no value.
  const back = (values: Record<string, string>) => {
    const filled = LINK_REDIRECT_QUERY.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ''));
    return `https://app.example/codat/return?tab=billing&${filled}`;
  };

  it('reads a 200 with empty errorMessage and statusText as linked, with the platform it names', () => {
    expect(parseLinkReturn(back({ companyId, connectionId, statusCode: '200', platform: 'gbol' }))).toEqual({
      status: 'success',
      outcome: 'linked',
      companyId,
      connectionId,
      statusCode: 200,
      platform: 'gbol',
      platformName: undefined,
      sourceType: undefined,
    });
  });

  it('reads 201 as a success where nothing was done', () => {
    expect(parseLinkReturn(back({ companyId, connectionId, statusCode: '201' }))).toMatchObject({ status: 'success', outcome: 'unchanged', statusCode: 201 });
  });

  it.each([
    ['403', 'User cancelled.', 'cancelled'],
    ['501', 'Not supported.', 'not-supported'],
    ['500', 'Unknown error occurred.', 'failed'],
  ])('reads statusCode %s as an error with outcome %s', (statusCode, errorMessage, outcome) => {
    expect(parseLinkReturn(back({ companyId, connectionId, statusCode, errorMessage, statusText: 'raw platform text' }))).toEqual({
      status: 'error',
      outcome,
      companyId,
      connectionId,
      statusCode: Number(statusCode),
      statusText: 'raw platform text',
      errorMessage,
      platform: undefined,
      platformName: undefined,
      sourceType: undefined,
    });
  });

  it('treats a return whose placeholders are all empty as no return at all', () => {
    expect(parseLinkReturn(back({}))).toEqual({ status: 'none' });
  });

  it('refuses a platform that is not a 4-letter key, and placeholders Codat did not substitute', () => {
    expect(parseLinkReturn(back({ companyId, statusCode: '200', platform: '<script>' }))).toEqual({
      status: 'invalid',
      reason: 'platform is not a platform key',
    });
    expect(parseLinkReturn('?companyId={companyId}&statusCode={statusCode}')).toMatchObject({ status: 'invalid' });
  });

  it('reads platformName and sourceType as plain, capped text', () => {
    const more = `&platformName=${encodeURIComponent('Xero\n<b>')}&sourceType=Accounting`;
    const result = parseLinkReturn(back({ companyId, statusCode: '200' }) + more);
    expect(result).toMatchObject({ status: 'success', platformName: 'Xero <b>', sourceType: 'Accounting' });
  });
});

describe('linkRedirectUrl', () => {
  it('adds the kit’s placeholders to the return page’s URL, unencoded, keeping its own query and fragment', () => {
    expect(linkRedirectUrl('https://app.example/codat/return')).toBe(`https://app.example/codat/return?${LINK_REDIRECT_QUERY}`);
    expect(linkRedirectUrl('https://app.example/return?tenant=7#top')).toBe(`https://app.example/return?tenant=7&${LINK_REDIRECT_QUERY}#top`);
    expect(LINK_REDIRECT_QUERY).toContain('statusCode={statusCode}');
  });

  it('names every placeholder it adds in LINK_RETURN_PARAMS, so the kit can remove exactly those', () => {
    const names = [...LINK_REDIRECT_QUERY.matchAll(/(\w+)=\{/g)].map((m) => m[1]);
    expect(names.every((name) => LINK_RETURN_PARAMS.includes(name as string))).toBe(true);
  });
});
