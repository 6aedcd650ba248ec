import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { usePlatforms, type UsePlatformsOptions } from '../../src/hooks/index.js';
import {
  expectBillPayError,
  failOnConsoleError,
  pageBody,
  recordingFetcher,
  requestFailures,
  sandboxSetup,
  withProvider,
  wrapperFor,
} from './helpers.js';

failOnConsoleError();

afterEach(() => {
  vi.useRealTimers();
});

const integration = (key: string, name: string, extra: Record<string, unknown> = {}) => ({
  key,
  name,
  logoUrl: `https://static.codat.io/public/officialLogos/Square/${key}.png`,
  enabled: true,
  ...extra,
});

function renderDeterministic(options: UsePlatformsOptions, strict = false, clientOptions = {}) {
  const f = recordingFetcher();
  const hook = renderHook((props: UsePlatformsOptions) => usePlatforms(props), {
    initialProps: options,
    ...withProvider({ fetcher: f.fetcher, clientOptions }, strict),
  });
  return { ...f, hook };
}

describe('usePlatforms: the built-in list', () => {
  it('offers Codat’s current (synchronous) Bill Pay platforms by default, in order, without a request', () => {
    const setup = sandboxSetup();
    const { result } = renderHook(() => usePlatforms(), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    expect(result.current).toMatchObject({ status: 'success', error: undefined });
    expect(result.current.platforms.map((p) => p.name)).toEqual([
      'FreeAgent',
      'Oracle NetSuite',
      'QuickBooks Online',
      'Sage Intacct',
      'Xero',
      'Zoho Books',
    ]);
    expect(result.current.platforms.map((p) => p.key)).toEqual(['fbrh', 'akxx', 'qhyg', 'knfz', 'gbol', 'rwuv']);
    expect(setup.fetcher).not.toHaveBeenCalled();
  });

  it('offers the asynchronous Bill Pay platforms, in order, when platformList is async', () => {
    const setup = sandboxSetup();
    const { result } = renderHook(() => usePlatforms({ platformList: 'async' }), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    expect(result.current).toMatchObject({ status: 'success', error: undefined });
    expect(result.current.platforms.map((p) => p.name)).toEqual([
      'MYOB Business',
      'Oracle NetSuite',
      'QuickBooks Online',
      'QuickBooks Desktop',
      'Sage Intacct',
      'Xero',
    ]);
    expect(result.current.platforms.map((p) => p.key)).toEqual(['pdvj', 'akxx', 'qhyg', 'pqsw', 'knfz', 'gbol']);
    expect(result.current.platforms.filter((p) => p.isOfflineConnector).map((p) => p.key)).toEqual(['pqsw']);
    expect(setup.fetcher).not.toHaveBeenCalled();
  });

  it('takes the provider’s platformList, and lets the hook’s own option win over it', () => {
    const setup = sandboxSetup();
    const wrapper = wrapperFor({ fetcher: setup.fetcher, platformList: 'async' });
    const inherited = renderHook(() => usePlatforms(), { wrapper });
    expect(inherited.result.current.platforms.map((p) => p.key)).toEqual(['pdvj', 'akxx', 'qhyg', 'pqsw', 'knfz', 'gbol']);
    const overridden = renderHook(() => usePlatforms({ platformList: 'sync' }), { wrapper });
    expect(overridden.result.current.platforms.map((p) => p.key)).toEqual(['fbrh', 'akxx', 'qhyg', 'knfz', 'gbol', 'rwuv']);
    expect(setup.fetcher).not.toHaveBeenCalled();
  });

  it('filters by text and keeps the full list alongside', () => {
    const setup = sandboxSetup();
    const { result } = renderHook(() => usePlatforms({ defaultQuery: 'books' }), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    expect(result.current.platforms.map((p) => p.key)).toEqual(['qhyg', 'rwuv']);
    act(() => result.current.setQuery('xero'));
    expect(result.current.query).toBe('xero');
    expect(result.current.platforms.map((p) => p.key)).toEqual(['gbol']);
    expect(result.current.allPlatforms).toHaveLength(6);
  });

  it('filters the asynchronous list by text too', () => {
    const setup = sandboxSetup();
    const { result } = renderHook(() => usePlatforms({ platformList: 'async', defaultQuery: 'quick' }), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    expect(result.current.platforms.map((p) => p.key)).toEqual(['qhyg', 'pqsw']);
    expect(result.current.allPlatforms).toHaveLength(6);
  });

  it('follows a controlled query and reports changes through onQueryChange', () => {
    const setup = sandboxSetup();
    const onQueryChange = vi.fn();
    const { result, rerender } = renderHook((props: UsePlatformsOptions) => usePlatforms(props), {
      initialProps: { query: 'sage', onQueryChange },
      wrapper: wrapperFor({ fetcher: setup.fetcher }),
    });
    expect(result.current.platforms.map((p) => p.key)).toEqual(['knfz']);
    act(() => result.current.setQuery('xero'));
    expect(onQueryChange).toHaveBeenCalledWith('xero');
    expect(result.current.platforms.map((p) => p.key)).toEqual(['knfz']);
    rerender({ query: 'xero', onQueryChange });
    expect(result.current.platforms.map((p) => p.key)).toEqual(['gbol']);
  });

  it('offers only the given platform keys, in the given order', () => {
    const setup = sandboxSetup();
    const { result } = renderHook(() => usePlatforms({ platformKeys: ['gbol', 'pdvj'] }), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    expect(result.current.platforms.map((p) => p.key)).toEqual(['gbol', 'pdvj']);
  });
});

describe('usePlatforms: the integrations endpoint', () => {
  it('reads the integrations endpoint once under StrictMode against the sandbox', async () => {
    const setup = sandboxSetup();
    const { result } = renderHook(() => usePlatforms({ source: 'integrations', platformKeys: ['gbol', 'qhyg'] }), {
      ...withProvider({ fetcher: setup.fetcher }, true),
    });
    expect(result.current.status).toBe('loading');
    expect(result.current.platforms).toEqual([]);
    await waitFor(() => expect(result.current.status).toBe('success'));
    expect(result.current.platforms.map((p) => p.key)).toEqual(['gbol', 'qhyg']);
    expect(result.current.platforms[0]?.logoUrl).toMatch(/^https:/);
    expect(setup.calls()).toEqual(['GET listIntegrations']);
  });

  it('narrows the chosen list, in its order, to the platforms the Codat client has enabled', async () => {
    const setup = sandboxSetup({ enabledPlatforms: ['gbol', 'pdvj', 'qhyg', 'mqjo'] });
    const sync = renderHook(() => usePlatforms({ source: 'integrations' }), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    await waitFor(() => expect(sync.result.current.status).toBe('success'));
    expect(sync.result.current.platforms.map((p) => p.key)).toEqual(['qhyg', 'gbol']);
    const asyncList = renderHook(() => usePlatforms({ source: 'integrations', platformList: 'async' }), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    await waitFor(() => expect(asyncList.result.current.status).toBe('success'));
    expect(asyncList.result.current.platforms.map((p) => p.key)).toEqual(['pdvj', 'qhyg', 'gbol']);
    expect(setup.sandbox.requests.map((r) => r.path)).toEqual([
      '/integrations?page=1&pageSize=500&query=sourceType%3DAccounting',
      '/integrations?page=1&pageSize=500&query=sourceType%3DAccounting',
    ]);
  });

  it('keeps its one GET alive through StrictMode’s unmount and remount', async () => {
    const { hook, calls, nth } = renderDeterministic({ source: 'integrations' }, true);
    expect(calls).toHaveLength(1);
    await act(async () => {
      await Promise.resolve();
    });
    expect(nth(0).signal?.aborted).toBe(false);
    expect(nth(0).path).toBe('/integrations?page=1&pageSize=500&query=sourceType%3DAccounting');
    act(() => nth(0).respond(200, pageBody([integration('gbol', 'Xero'), integration('qhyg', 'QuickBooks Online')])));
    await waitFor(() => expect(hook.result.current.status).toBe('success'));
    expect(hook.result.current.platforms.map((p) => p.key)).toEqual(['qhyg', 'gbol']);
    expect(calls).toHaveLength(1);
  });

  it('hides disabled integrations unless includeDisabled is set', async () => {
    const body = pageBody([integration('gbol', 'Xero', { enabled: false }), integration('qhyg', 'QuickBooks Online', { isBeta: true })]);
    const hidden = renderDeterministic({ source: 'integrations' });
    act(() => hidden.nth(0).respond(200, body));
    await waitFor(() => expect(hidden.hook.result.current.status).toBe('success'));
    expect(hidden.hook.result.current.platforms.map((p) => p.key)).toEqual(['qhyg']);
    expect(hidden.hook.result.current.platforms[0]?.isBeta).toBe(true);
    const shown = renderDeterministic({ source: 'integrations', includeDisabled: true });
    act(() => shown.nth(0).respond(200, body));
    await waitFor(() => expect(shown.hook.result.current.status).toBe('success'));
    expect(shown.hook.result.current.platforms.map((p) => `${p.key}:${String(p.enabled)}`)).toEqual(['qhyg:true', 'gbol:false']);
  });

  it('sends no new GET when re-rendered with a new but equal options object', async () => {
    const { hook, calls, nth } = renderDeterministic({ source: 'integrations', platformKeys: ['gbol'] });
    act(() => nth(0).respond(200, pageBody([integration('gbol', 'Xero')])));
    await waitFor(() => expect(hook.result.current.status).toBe('success'));
    hook.rerender({ source: 'integrations', platformKeys: ['gbol'] });
    hook.rerender({ source: 'integrations', platformKeys: ['gbol'] });
    expect(hook.result.current.status).toBe('success');
    expect(calls).toHaveLength(1);
  });

  it('falls back to the built-in list with the error when the endpoint fails, and refetches', async () => {
    const setup = sandboxSetup({ faults: { listIntegrations: { kind: 'status', status: 403 } } });
    const { result } = renderHook(() => usePlatforms({ source: 'integrations' }), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    await waitFor(() => expect(result.current.status).toBe('error'));
    expect(expectBillPayError(result.current.error, 'http').status).toBe(403);
    expect(result.current.platforms).toHaveLength(6);
    act(() => result.current.refetch());
    expect(result.current.status).toBe('loading');
    await waitFor(() => expect(result.current.status).toBe('success'));
    expect(setup.calls()).toEqual(['GET listIntegrations', 'GET listIntegrations']);
  });

  it.each(requestFailures)('lands a $code error in state when $label', async ({ code, answer, check }) => {
    const { hook, nth } = renderDeterministic({ source: 'integrations' }, false, { retry: false });
    act(() => answer(nth(0)));
    await waitFor(() => expect(hook.result.current.status).toBe('error'));
    const error = expectBillPayError(hook.result.current.error, code);
    expect(error.operation).toBe('listIntegrations');
    check?.(error);
    expect(hook.result.current.platforms).toHaveLength(6);
  });

  it('lands a timeout in state when the GET outlasts timeoutMs', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: false });
    const { hook } = renderDeterministic({ source: 'integrations' }, false, { retry: false, timeoutMs: 1000 });
    await act(() => vi.advanceTimersByTimeAsync(999));
    expect(hook.result.current.status).toBe('loading');
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(hook.result.current.status).toBe('error');
    expectBillPayError(hook.result.current.error, 'timeout');
  });

  it('drops a superseded read without surfacing its abort', async () => {
    const { hook, nth, calls } = renderDeterministic({ source: 'integrations' });
    act(() => hook.result.current.refetch());
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(nth(0).signal?.aborted).toBe(true);
    expect(hook.result.current.status).toBe('loading');
    act(() => nth(1).respond(200, pageBody([integration('gbol', 'Xero')])));
    await waitFor(() => expect(hook.result.current.status).toBe('success'));
    expect(hook.result.current.error).toBeUndefined();
  });

  it('aborts its GET on unmount, and a late answer after that changes nothing', async () => {
    const f = recordingFetcher({ honourAbort: false });
    const { result, unmount } = renderHook(() => usePlatforms({ source: 'integrations' }), { wrapper: wrapperFor({ fetcher: f.fetcher }) });
    unmount();
    await act(async () => {
      await Promise.resolve();
    });
    expect(f.nth(0).signal?.aborted).toBe(true);
    await act(async () => {
      f.nth(0).respond(200, pageBody([integration('gbol', 'Xero')]));
      await Promise.resolve();
    });
    expect(result.current.status).toBe('loading');
  });
});
