import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { usePlatforms } from '../../src/hooks/index.js';
import { sandboxSetup, wrapperFor } from './helpers.js';

describe('usePlatforms', () => {
  it('offers the six Bill Pay platforms from the built-in list without a request', () => {
    const setup = sandboxSetup();
    const { result } = renderHook(() => usePlatforms(), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    expect(result.current.status).toBe('success');
    expect(result.current.platforms.map((p) => p.name)).toEqual([
      'MYOB Business',
      'Oracle NetSuite',
      'QuickBooks Online',
      'QuickBooks Desktop',
      'Sage Intacct',
      'Xero',
    ]);
    expect(setup.calls()).toEqual([]);
  });

  it('filters by text and keeps the full list alongside', () => {
    const setup = sandboxSetup();
    const { result } = renderHook(() => usePlatforms({ defaultQuery: 'quick' }), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    expect(result.current.platforms.map((p) => p.key)).toEqual(['qhyg', 'pqsw']);
    act(() => result.current.setQuery('xero'));
    expect(result.current.platforms.map((p) => p.key)).toEqual(['gbol']);
    expect(result.current.allPlatforms).toHaveLength(6);
  });

  it('reads the integrations endpoint once under StrictMode when asked', async () => {
    const setup = sandboxSetup();
    const { result } = renderHook(() => usePlatforms({ source: 'integrations', platformKeys: ['gbol', 'qhyg'] }), {
      wrapper: wrapperFor({ fetcher: setup.fetcher }, true),
    });
    expect(result.current.status).toBe('loading');
    expect(result.current.platforms).toEqual([]);
    await waitFor(() => expect(result.current.status).toBe('success'));
    expect(result.current.platforms.map((p) => p.key)).toEqual(['gbol', 'qhyg']);
    expect(result.current.platforms[0]?.logoUrl).toMatch(/^https:/);
    expect(setup.calls()).toEqual(['GET listIntegrations']);
  });

  it('falls back to the built-in list with the error when the endpoint fails, and refetches', async () => {
    const setup = sandboxSetup({ faults: { listIntegrations: { kind: 'status', status: 403 } } });
    const { result } = renderHook(() => usePlatforms({ source: 'integrations' }), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    await waitFor(() => expect(result.current.status).toBe('error'));
    expect(result.current.error).toMatchObject({ code: 'http', status: 403 });
    expect(result.current.platforms).toHaveLength(6);
    act(() => result.current.refetch());
    await waitFor(() => expect(result.current.status).toBe('success'));
    expect(setup.calls()).toEqual(['GET listIntegrations', 'GET listIntegrations']);
  });
});
