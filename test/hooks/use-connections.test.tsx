import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useConnections } from '../../src/hooks/index.js';
import { companyId, seeded, wrapperFor } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('useConnections', () => {
  it('is idle without a company and sends nothing', () => {
    const setup = seeded('Linked');
    const { result } = renderHook(() => useConnections(), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    expect(result.current.status).toBe('idle');
    expect(result.current.connections).toEqual([]);
    expect(setup.calls()).toEqual([]);
  });

  it('loads the provider company’s connections with status, platform and last sync', async () => {
    const setup = seeded('Linked');
    const { result } = renderHook(() => useConnections(), { wrapper: wrapperFor({ fetcher: setup.fetcher, companyId }) });
    expect(result.current.status).toBe('loading');
    await waitFor(() => expect(result.current.status).toBe('success'));
    expect(result.current.connections[0]).toMatchObject({ status: 'Linked', platformName: 'QuickBooks Online', lastSync: expect.any(String) });
    expect(result.current.isFetching).toBe(false);
  });

  it('reads once under StrictMode', async () => {
    const setup = seeded('Linked');
    const { result } = renderHook(() => useConnections({ companyId }), { wrapper: wrapperFor({ fetcher: setup.fetcher }, true) });
    await waitFor(() => expect(result.current.status).toBe('success'));
    expect(setup.calls()).toEqual(['GET listConnections']);
    expect(result.current.isFetching).toBe(false);
  });

  it('waits out a 429’s Retry-After and then shows the list', async () => {
    vi.useFakeTimers();
    const setup = seeded('Linked', 'qhyg', { faults: { listConnections: { kind: 'rate-limit', retryAfter: 2 } } });
    const { result } = renderHook(() => useConnections({ companyId }), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    await act(() => vi.advanceTimersByTimeAsync(1999));
    expect(result.current.status).toBe('loading');
    expect(setup.calls()).toEqual(['GET listConnections']);
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(result.current.status).toBe('success');
    expect(setup.calls()).toEqual(['GET listConnections', 'GET listConnections']);
  });

  it('lands a failure in state and recovers on refresh', async () => {
    const setup = seeded('Linked', 'qhyg', { faults: { listConnections: { kind: 'status', status: 404 } } });
    const { result } = renderHook(() => useConnections({ companyId }), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    await waitFor(() => expect(result.current.status).toBe('error'));
    expect(result.current.error).toMatchObject({ code: 'http', status: 404 });
    act(() => result.current.refresh());
    await waitFor(() => expect(result.current.status).toBe('success'));
    expect(result.current.connections).toHaveLength(1);
  });

  it('aborts its read on unmount', async () => {
    const setup = seeded('Linked', 'qhyg', { faults: { listConnections: { kind: 'hang' } } });
    const { unmount } = renderHook(() => useConnections({ companyId }), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    await waitFor(() => expect(setup.fetcher).toHaveBeenCalledTimes(1));
    const init = setup.fetcher.mock.calls[0]?.[1];
    unmount();
    await Promise.resolve();
    await Promise.resolve();
    expect(init?.signal?.aborted).toBe(true);
  });
});
