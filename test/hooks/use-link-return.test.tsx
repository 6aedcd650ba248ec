import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useLinkReturn } from '../../src/hooks/index.js';
import { companyId, connectionId, seeded, wrapperFor } from './helpers.js';

const back = (query: string) => `https://host.example/onboarding?tab=2&${query}`;

afterEach(() => {
  window.history.replaceState(null, '', '/');
  window.name = '';
});

describe('useLinkReturn', () => {
  it('re-reads the connection before reporting linked, and fires onConnected once', async () => {
    const setup = seeded('Linked');
    const onConnected = vi.fn();
    const { result } = renderHook(
      () => useLinkReturn({ url: back(`companyId=${companyId}&connectionId=${connectionId}&statusCode=200`), onConnected }),
      { wrapper: wrapperFor({ fetcher: setup.fetcher }, true) },
    );
    await waitFor(() => expect(result.current.status).toBe('linked'));
    expect(result.current.connection?.id).toBe(connectionId);
    expect(onConnected).toHaveBeenCalledTimes(1);
    expect(setup.calls()).toEqual(['GET getConnection']);
  });

  it('reports pending when the redirect claims success but the API does not show Linked', async () => {
    const setup = seeded('PendingAuth');
    const { result } = renderHook(() => useLinkReturn({ url: back(`companyId=${companyId}&connectionId=${connectionId}`) }), {
      wrapper: wrapperFor({ fetcher: setup.fetcher }),
    });
    await waitFor(() => expect(result.current.status).toBe('pending'));
  });

  it.each([
    ['a company id that is not a UUID', `companyId=..%2Fadmin&connectionId=${connectionId}`, undefined],
    ['another customer’s company', `companyId=${companyId}&connectionId=${connectionId}`, '11111111-1111-4111-8111-111111111111'],
  ])('ignores %s and sends no request', async (_label, query, expected) => {
    const setup = seeded('Linked');
    const { result } = renderHook(() => useLinkReturn({ url: back(query), companyId: expected }), {
      wrapper: wrapperFor({ fetcher: setup.fetcher }),
    });
    await waitFor(() => expect(result.current.status).toBe('invalid'));
    expect(setup.calls()).toEqual([]);
  });

  it('reports a failed authorisation as link-failed', async () => {
    const setup = seeded('PendingAuth');
    const onError = vi.fn();
    const { result } = renderHook(
      () => useLinkReturn({ url: back(`companyId=${companyId}&statusCode=401&errorMessage=Access%20denied`), onError }),
      { wrapper: wrapperFor({ fetcher: setup.fetcher }) },
    );
    await waitFor(() => expect(result.current.status).toBe('failed'));
    expect(result.current.error?.code).toBe('link-failed');
    expect(result.current.error?.message).toContain('Access denied');
    expect(onError).toHaveBeenCalledTimes(1);
    expect(setup.calls()).toEqual([]);
  });

  it('does nothing on a normal page load', async () => {
    const setup = seeded('Linked');
    const { result } = renderHook(() => useLinkReturn(), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    await waitFor(() => expect(result.current.link.status).toBe('none'));
    expect(result.current.status).toBe('none');
    expect(setup.calls()).toEqual([]);
  });

  it('reads the address bar, then removes Codat’s parameters and closes itself in the kit’s popup', async () => {
    window.history.replaceState(null, '', `/back?keep=1&companyId=${companyId}&connectionId=${connectionId}&statusCode=200`);
    window.name = 'bpc-link';
    const close = vi.spyOn(window, 'close').mockImplementation(() => undefined);
    const setup = seeded('Linked');
    const { result } = renderHook(() => useLinkReturn(), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    await waitFor(() => expect(result.current.status).toBe('linked'));
    expect(window.location.search).toBe('?keep=1');
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('shows a read failure as an error and recovers on refresh', async () => {
    const setup = seeded('Linked', 'qhyg', { faults: { getConnection: { kind: 'status', status: 500 } } });
    const { result } = renderHook(() => useLinkReturn({ url: back(`companyId=${companyId}&connectionId=${connectionId}`) }), {
      wrapper: wrapperFor({ fetcher: setup.fetcher, clientOptions: { retry: false } }),
    });
    await waitFor(() => expect(result.current.status).toBe('error'));
    expect(result.current.error).toMatchObject({ code: 'http', status: 500 });
    act(() => result.current.refresh());
    await waitFor(() => expect(result.current.status).toBe('linked'));
    expect(setup.calls()).toEqual(['GET getConnection', 'GET getConnection']);
  });
});
