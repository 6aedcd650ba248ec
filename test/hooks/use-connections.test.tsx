import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useConnections, useUnlink, type UseConnectionsOptions } from '../../src/hooks/index.js';
import {
  codatError,
  companyId,
  connectionBody,
  expectBillPayError,
  failOnConsoleError,
  otherCompanyId,
  pageBody,
  recordingFetcher,
  requestFailures,
  seeded,
  withProvider,
  wrapperFor,
} from './helpers.js';

failOnConsoleError();

afterEach(() => {
  vi.useRealTimers();
});

const listPath = (id = companyId) => `GET /companies/${id}/connections?page=1&pageSize=100`;

function renderDeterministic(options: UseConnectionsOptions, strict = false, clientOptions = {}) {
  const f = recordingFetcher();
  const hook = renderHook((props: UseConnectionsOptions) => useConnections(props), {
    initialProps: options,
    ...withProvider({ fetcher: f.fetcher, clientOptions }, strict),
  });
  return { ...f, hook };
}

describe('useConnections: reading', () => {
  it('is idle without a company and sends nothing', () => {
    const setup = seeded('Linked');
    const { result } = renderHook(() => useConnections(), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    expect(result.current).toMatchObject({ status: 'idle', error: undefined, isFetching: false });
    expect(result.current.connections).toEqual([]);
    expect(setup.fetcher).not.toHaveBeenCalled();
  });

  it('loads the provider company’s connections with status, platform and last sync from the sandbox', async () => {
    const setup = seeded('Linked');
    const { result } = renderHook(() => useConnections(), { wrapper: wrapperFor({ fetcher: setup.fetcher, companyId }) });
    expect(result.current.status).toBe('loading');
    await waitFor(() => expect(result.current.status).toBe('success'));
    expect(result.current.connections[0]).toMatchObject({ status: 'Linked', platformName: 'QuickBooks Online', lastSync: expect.any(String) });
    expect(result.current.isFetching).toBe(false);
  });

  it('is loading and fetching until the GET answers', async () => {
    const { hook, requests, nth } = renderDeterministic({ companyId });
    expect(hook.result.current).toMatchObject({ status: 'loading', isFetching: true });
    expect(requests()).toEqual([listPath()]);
    act(() => nth(0).respond(200, pageBody([connectionBody({ status: 'Deauthorized' })])));
    await waitFor(() => expect(hook.result.current.status).toBe('success'));
    expect(hook.result.current.isFetching).toBe(false);
    expect(hook.result.current.connections.map((c) => c.status)).toEqual(['Deauthorized']);
  });

  it('reads once under StrictMode against the sandbox', async () => {
    const setup = seeded('Linked');
    const { result } = renderHook(() => useConnections({ companyId }), withProvider({ fetcher: setup.fetcher }, true));
    await waitFor(() => expect(result.current.status).toBe('success'));
    expect(setup.calls()).toEqual(['GET listConnections']);
    expect(result.current.isFetching).toBe(false);
  });

  it('keeps its one GET alive through StrictMode’s unmount and remount', async () => {
    const { hook, calls, nth } = renderDeterministic({ companyId }, true);
    await act(async () => {
      await Promise.resolve();
    });
    expect(calls).toHaveLength(1);
    expect(nth(0).signal?.aborted).toBe(false);
    expect(hook.result.current.isFetching).toBe(true);
    act(() => nth(0).respond(200, pageBody([connectionBody()])));
    await waitFor(() => expect(hook.result.current.status).toBe('success'));
    expect(hook.result.current.isFetching).toBe(false);
    expect(calls).toHaveLength(1);
  });

  it('sends no new GET when re-rendered with a new but equal options object', async () => {
    const { hook, calls, nth } = renderDeterministic({ companyId, query: 'sourceType=Accounting' });
    act(() => nth(0).respond(200, pageBody([connectionBody()])));
    await waitFor(() => expect(hook.result.current.status).toBe('success'));
    hook.rerender({ companyId, query: 'sourceType=Accounting' });
    hook.rerender({ companyId, query: 'sourceType=Accounting' });
    expect(hook.result.current.isFetching).toBe(false);
    expect(calls).toHaveLength(1);
    expect(nth(0).path).toContain('query=sourceType%3DAccounting');
  });

  it('aborts the old company’s read and loads the new one when the company id changes', async () => {
    const { hook, requests, nth } = renderDeterministic({ companyId });
    hook.rerender({ companyId: otherCompanyId });
    await waitFor(() => expect(requests()).toEqual([listPath(), listPath(otherCompanyId)]));
    expect(nth(0).signal?.aborted).toBe(true);
    expect(hook.result.current.status).toBe('loading');
    act(() => nth(1).respond(200, pageBody([connectionBody({ id: '3f1c5b1e-7d3a-4f0e-9a55-2b1f6f0d9c11' })])));
    await waitFor(() => expect(hook.result.current.status).toBe('success'));
    expect(hook.result.current.connections.map((c) => c.id)).toEqual(['3f1c5b1e-7d3a-4f0e-9a55-2b1f6f0d9c11']);
  });

  it('returns to idle, not fetching, when the company id goes away mid-read', async () => {
    const { hook, nth } = renderDeterministic({ companyId });
    expect(hook.result.current.isFetching).toBe(true);
    hook.rerender({});
    await waitFor(() => expect(nth(0).signal?.aborted).toBe(true));
    expect(hook.result.current).toMatchObject({ status: 'idle', isFetching: false });
  });

  it('refreshes on demand, fetching while the list stays visible', async () => {
    const { hook, calls, nth } = renderDeterministic({ companyId });
    act(() => nth(0).respond(200, pageBody([connectionBody()])));
    await waitFor(() => expect(hook.result.current.status).toBe('success'));
    act(() => hook.result.current.refresh());
    expect(calls).toHaveLength(2);
    expect(hook.result.current).toMatchObject({ status: 'success', isFetching: true });
    expect(hook.result.current.connections).toHaveLength(1);
    act(() => nth(1).respond(200, pageBody([connectionBody({ status: 'Linked' })])));
    await waitFor(() => expect(hook.result.current.isFetching).toBe(false));
    expect(hook.result.current.connections[0]?.status).toBe('Linked');
  });
});

describe('useConnections: retries and failures', () => {
  it('waits out a 429’s Retry-After from the sandbox and then shows the list', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: false });
    const setup = seeded('Linked', 'qhyg', { faults: { listConnections: { kind: 'rate-limit', retryAfter: 2 } } });
    const { result } = renderHook(() => useConnections({ companyId }), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    await act(() => vi.advanceTimersByTimeAsync(1999));
    expect(result.current.status).toBe('loading');
    expect(setup.calls()).toEqual(['GET listConnections']);
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(result.current.status).toBe('success');
    expect(result.current.error).toBeUndefined();
    expect(setup.calls()).toEqual(['GET listConnections', 'GET listConnections']);
  });

  it('sends the retry only once Retry-After has passed, and succeeds with its answer', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: false });
    const { hook, calls, nth } = renderDeterministic({ companyId });
    await act(async () => {
      nth(0).respond(429, codatError(429, 'Rate limit exceeded.'), { 'Retry-After': '3' });
      await vi.advanceTimersByTimeAsync(2999);
    });
    expect(calls).toHaveLength(1);
    expect(hook.result.current.status).toBe('loading');
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(calls).toHaveLength(2);
    expect(nth(1).path).toBe(nth(0).path);
    await act(async () => {
      nth(1).respond(200, pageBody([connectionBody({ status: 'Linked' })]));
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(hook.result.current.status).toBe('success');
    expect(hook.result.current.connections[0]?.status).toBe('Linked');
  });

  it('gives up at once with rate-limited when Retry-After is longer than the client will wait', async () => {
    const { hook, calls, nth } = renderDeterministic({ companyId });
    act(() => nth(0).respond(429, codatError(429, 'Rate limit exceeded.'), { 'Retry-After': '600' }));
    await waitFor(() => expect(hook.result.current.status).toBe('error'));
    expect(expectBillPayError(hook.result.current.error, 'rate-limited').retryAfter).toBe(600);
    expect(calls).toHaveLength(1);
  });

  it.each(requestFailures)('lands a $code error in state when $label', async ({ code, answer, check }) => {
    const { hook, nth } = renderDeterministic({ companyId }, false, { retry: false });
    act(() => answer(nth(0)));
    await waitFor(() => expect(hook.result.current.status).toBe('error'));
    const error = expectBillPayError(hook.result.current.error, code);
    expect(error.operation).toBe('listConnections');
    check?.(error);
    expect(hook.result.current.isFetching).toBe(false);
  });

  it('lands a timeout in state when the GET outlasts timeoutMs', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: false });
    const { hook } = renderDeterministic({ companyId }, false, { retry: false, timeoutMs: 1000 });
    await act(() => vi.advanceTimersByTimeAsync(999));
    expect(hook.result.current.status).toBe('loading');
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(hook.result.current.status).toBe('error');
    expectBillPayError(hook.result.current.error, 'timeout');
  });

  it('lands a sandbox failure in state and recovers on refresh', async () => {
    const setup = seeded('Linked', 'qhyg', { faults: { listConnections: { kind: 'status', status: 404 } } });
    const { result } = renderHook(() => useConnections({ companyId }), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    await waitFor(() => expect(result.current.status).toBe('error'));
    expect(expectBillPayError(result.current.error, 'http').status).toBe(404);
    act(() => result.current.refresh());
    await waitFor(() => expect(result.current.status).toBe('success'));
    expect(result.current.error).toBeUndefined();
    expect(result.current.connections).toHaveLength(1);
  });

  it('keeps the connections read before when a refresh fails', async () => {
    const { hook, nth } = renderDeterministic({ companyId }, false, { retry: false });
    act(() => nth(0).respond(200, pageBody([connectionBody({ status: 'Linked' })])));
    await waitFor(() => expect(hook.result.current.status).toBe('success'));
    act(() => hook.result.current.refresh());
    act(() => nth(1).respond(500, codatError(500, 'Internal error.')));
    await waitFor(() => expect(hook.result.current.status).toBe('error'));
    expect(hook.result.current.connections.map((c) => c.status)).toEqual(['Linked']);
  });

  it('drops a read superseded by refresh without surfacing its abort', async () => {
    const { hook, calls, nth } = renderDeterministic({ companyId });
    act(() => hook.result.current.refresh());
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(nth(0).signal?.aborted).toBe(true);
    expect(hook.result.current).toMatchObject({ status: 'loading', error: undefined, isFetching: true });
    act(() => nth(1).respond(200, pageBody([connectionBody()])));
    await waitFor(() => expect(hook.result.current.status).toBe('success'));
    expect(hook.result.current.isFetching).toBe(false);
  });

  it('aborts its GET on unmount, and a late answer after that changes nothing', async () => {
    const f = recordingFetcher({ honourAbort: false });
    const { result, unmount } = renderHook(() => useConnections({ companyId }), { wrapper: wrapperFor({ fetcher: f.fetcher }) });
    unmount();
    await act(async () => {
      await Promise.resolve();
    });
    expect(f.nth(0).signal?.aborted).toBe(true);
    await act(async () => {
      f.nth(0).respond(200, pageBody([connectionBody()]));
      await Promise.resolve();
    });
    expect(result.current.status).toBe('loading');
  });
});

describe('useConnections: answers out of order', () => {
  it('keeps an unlinked connection Unlinked when a list read sent before the unlink answers after it', async () => {
    const f = recordingFetcher();
    const hook = renderHook(
      () => ({ list: useConnections(), unlink: useUnlink({ companyId, connectionId: 'c1' }) }),
      withProvider({ fetcher: f.fetcher, companyId, clientOptions: { retry: false } }),
    );
    act(() => f.nth(0).respond(200, pageBody([connectionBody({ id: 'c1', status: 'Linked' })])));
    await waitFor(() => expect(hook.result.current.list.connections[0]?.status).toBe('Linked'));
    act(() => hook.result.current.list.refresh());
    await waitFor(() => expect(f.calls).toHaveLength(2));
    act(() => hook.result.current.unlink.request());
    let unlinked: Promise<unknown> | undefined;
    act(() => {
      unlinked = hook.result.current.unlink.confirm();
    });
    await act(async () => {
      f.nth(2).respond(200, connectionBody({ id: 'c1', status: 'Unlinked' }));
      await unlinked;
    });
    expect(hook.result.current.list.connections[0]?.status).toBe('Unlinked');
    act(() => f.nth(1).respond(200, pageBody([connectionBody({ id: 'c1', status: 'Linked' })])));
    await waitFor(() => expect(hook.result.current.list.isFetching).toBe(false));
    expect(hook.result.current.list.connections.map((c) => `${c.id}:${c.status}`)).toEqual(['c1:Unlinked']);
    expect(f.requests()).toEqual([listPath(), listPath(), 'PATCH /companies/' + companyId + '/connections/c1']);
  });
});
