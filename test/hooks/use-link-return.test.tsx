import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useLinkReturn, type UseLinkReturnOptions } from '../../src/hooks/index.js';
import {
  companyId,
  connectionBody,
  connectionId,
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

const back = (query: string) => `https://host.example/onboarding?tab=2&${query}`;
const success = `companyId=${companyId}&connectionId=${connectionId}&statusCode=200`;
const getPath = `GET /companies/${companyId}/connections/${connectionId}`;

afterEach(() => {
  window.history.replaceState(null, '', '/');
  window.name = '';
  vi.useRealTimers();
});

function renderDeterministic(options: UseLinkReturnOptions, strict = false, providerCompanyId?: string) {
  const f = recordingFetcher();
  const hook = renderHook((props: UseLinkReturnOptions) => useLinkReturn(props), {
    initialProps: options,
    ...withProvider({ fetcher: f.fetcher, companyId: providerCompanyId, clientOptions: { retry: false } }, strict),
  });
  return { ...f, hook };
}

describe('useLinkReturn: a redirect claiming success', () => {
  it('shows checking while it re-reads the connection, then linked, firing onConnected once', async () => {
    const onConnected = vi.fn();
    const { hook, requests, nth } = renderDeterministic({ url: back(success), onConnected });
    expect(hook.result.current.status).toBe('checking');
    expect(hook.result.current.link).toEqual({
      status: 'success',
      outcome: 'linked',
      companyId,
      connectionId,
      statusCode: 200,
      platform: undefined,
      platformName: undefined,
      sourceType: undefined,
    });
    expect(requests()).toEqual([getPath]);
    expect(onConnected).not.toHaveBeenCalled();
    act(() => nth(0).respond(200, connectionBody({ status: 'Linked' })));
    await waitFor(() => expect(hook.result.current.status).toBe('linked'));
    expect(hook.result.current.connection?.status).toBe('Linked');
    expect(onConnected).toHaveBeenCalledTimes(1);
    expect(onConnected).toHaveBeenCalledWith(hook.result.current.connection);
  });

  it('re-reads once under StrictMode against the sandbox and fires onConnected once', async () => {
    const setup = seeded('Linked');
    const onConnected = vi.fn();
    const { result } = renderHook(() => useLinkReturn({ url: back(success), onConnected }), {
      ...withProvider({ fetcher: setup.fetcher }, true),
    });
    await waitFor(() => expect(result.current.status).toBe('linked'));
    expect(result.current.connection?.id).toBe(connectionId);
    expect(onConnected).toHaveBeenCalledTimes(1);
    expect(setup.calls()).toEqual(['GET getConnection']);
  });

  it('keeps its one GET alive through StrictMode’s unmount and remount', async () => {
    const onConnected = vi.fn();
    const { hook, calls, nth } = renderDeterministic({ url: back(success), onConnected }, true);
    await act(async () => {
      await Promise.resolve();
    });
    expect(calls).toHaveLength(1);
    expect(nth(0).signal?.aborted).toBe(false);
    act(() => nth(0).respond(200, connectionBody({ status: 'Linked' })));
    await waitFor(() => expect(hook.result.current.status).toBe('linked'));
    expect(onConnected).toHaveBeenCalledTimes(1);
    expect(calls).toHaveLength(1);
  });

  it('reports pending when the API still says PendingAuth', async () => {
    const setup = seeded('PendingAuth');
    const onConnected = vi.fn();
    const { result } = renderHook(() => useLinkReturn({ url: back(success), onConnected }), {
      wrapper: wrapperFor({ fetcher: setup.fetcher }),
    });
    await waitFor(() => expect(result.current.status).toBe('pending'));
    expect(result.current.connection?.status).toBe('PendingAuth');
    expect(result.current.error).toBeUndefined();
    expect(onConnected).not.toHaveBeenCalled();
  });

  it('reads the company’s connections when the redirect names no connection, and reports the Linked one', async () => {
    const { hook, requests, nth } = renderDeterministic({ url: back(`companyId=${companyId}`) });
    expect(requests()).toEqual([`GET /companies/${companyId}/connections?page=1&pageSize=100`]);
    act(() => nth(0).respond(200, pageBody([connectionBody({ id: otherCompanyId }), connectionBody({ status: 'Linked' })])));
    await waitFor(() => expect(hook.result.current.status).toBe('linked'));
    expect(hook.result.current.connection?.id).toBe(connectionId);
  });

  it('treats Codat’s empty placeholders as absent: no connection id means reading the company’s connections', async () => {
    const { hook, requests, nth } = renderDeterministic({
      url: back(`companyId=${companyId}&connectionId=&statusCode=200&errorMessage=&statusText=`),
    });
    expect(hook.result.current.link).toEqual({
      status: 'success',
      outcome: 'linked',
      companyId,
      connectionId: undefined,
      statusCode: 200,
      platform: undefined,
      platformName: undefined,
      sourceType: undefined,
    });
    expect(hook.result.current.status).toBe('checking');
    expect(requests()).toEqual([`GET /companies/${companyId}/connections?page=1&pageSize=100`]);
    act(() => nth(0).respond(200, pageBody([connectionBody({ status: 'Linked' })])));
    await waitFor(() => expect(hook.result.current.status).toBe('linked'));
    expect(hook.result.current.connection?.id).toBe(connectionId);
  });

  it('treats a redirect whose placeholders are all empty as a normal page load and sends nothing', async () => {
    const onError = vi.fn();
    const { hook, calls } = renderDeterministic({
      url: back('companyId=&connectionId=&platform=&statusCode=&errorMessage=&statusText='),
      onError,
    });
    await waitFor(() => expect(hook.result.current.link).toEqual({ status: 'none' }));
    expect(hook.result.current).toMatchObject({ status: 'none', connection: undefined, error: undefined });
    expect(calls).toHaveLength(0);
    expect(onError).not.toHaveBeenCalled();
  });

  it('reads 201 (nothing done, e.g. already connected) as success with outcome unchanged, and still confirms it with a re-read', async () => {
    const onConnected = vi.fn();
    const onError = vi.fn();
    const { hook, requests, nth } = renderDeterministic({
      url: back(
        `companyId=${companyId}&connectionId=${connectionId}&platform=qhyg&platformName=QuickBooks%20Online&sourceType=Accounting&statusCode=201&errorMessage=&statusText=`,
      ),
      onConnected,
      onError,
    });
    expect(hook.result.current.link).toEqual({
      status: 'success',
      outcome: 'unchanged',
      companyId,
      connectionId,
      statusCode: 201,
      platform: 'qhyg',
      platformName: 'QuickBooks Online',
      sourceType: 'Accounting',
    });
    expect(hook.result.current.status).toBe('checking');
    expect(requests()).toEqual([getPath]);
    act(() => nth(0).respond(200, connectionBody({ status: 'Linked' })));
    await waitFor(() => expect(hook.result.current.status).toBe('linked'));
    expect(onConnected).toHaveBeenCalledTimes(1);
    expect(onConnected).toHaveBeenCalledWith(hook.result.current.connection);
    expect(onError).not.toHaveBeenCalled();
  });

  it('sends no new GET and fires onConnected no more when re-rendered with new but equal options', async () => {
    const onConnected = vi.fn();
    const { hook, calls, nth } = renderDeterministic({ url: back(success), onConnected: (c) => onConnected(c) });
    act(() => nth(0).respond(200, connectionBody({ status: 'Linked' })));
    await waitFor(() => expect(hook.result.current.status).toBe('linked'));
    hook.rerender({ url: back(success), onConnected: (c) => onConnected(c) });
    hook.rerender({ url: back(success), onConnected: (c) => onConnected(c) });
    expect(hook.result.current.status).toBe('linked');
    expect(calls).toHaveLength(1);
    expect(onConnected).toHaveBeenCalledTimes(1);
  });
});

describe('useLinkReturn: untrusted parameters', () => {
  it.each([
    ['a company id that is not a UUID', `companyId=..%2Fadmin&connectionId=${connectionId}`, {}, undefined],
    ['a connection id that is not a UUID', `companyId=${companyId}&connectionId=1%20OR%201%3D1`, {}, undefined],
    ['another customer’s company (hook option)', success, { companyId: otherCompanyId }, undefined],
    ['another customer’s company (provider companyId)', success, {}, otherCompanyId],
    ['a platform that is not a platform key', `${success}&platform=..%2Fqhyg`, {}, undefined],
  ])('reports invalid for %s and sends no request', async (_label, query, options, providerCompanyId) => {
    const onConnected = vi.fn();
    const onError = vi.fn();
    const { hook, calls } = renderDeterministic({ url: back(query), onConnected, onError, ...options }, false, providerCompanyId);
    await waitFor(() => expect(hook.result.current.status).toBe('invalid'));
    expect(hook.result.current.link.status).toBe('invalid');
    expect(hook.result.current.connection).toBeUndefined();
    expect(calls).toHaveLength(0);
    expect(onConnected).not.toHaveBeenCalled();
    expect(onError).not.toHaveBeenCalled();
  });

  it('accepts the redirect when it names the provider’s own company', async () => {
    const { hook, calls } = renderDeterministic({ url: back(success) }, false, companyId);
    expect(hook.result.current.status).toBe('checking');
    expect(calls).toHaveLength(1);
  });

  it.each([
    {
      label: 'a cancelled sign-in (403 "User cancelled.") as link-cancelled',
      query: 'statusCode=403&errorMessage=User%20cancelled.&statusText=',
      code: 'link-cancelled',
      outcome: 'cancelled',
      statusCode: 403,
      errorMessage: 'User cancelled.',
      statusText: undefined,
      message: 'Access was not granted: the sign-in was cancelled.',
    },
    {
      label: 'an unknown error (500) as link-failed',
      query: 'statusCode=500&errorMessage=Unknown%20error%20occurred.&statusText=invalid_grant%3A%20token%20revoked',
      code: 'link-failed',
      outcome: 'failed',
      statusCode: 500,
      errorMessage: 'Unknown error occurred.',
      statusText: 'invalid_grant: token revoked',
      message: 'Your accounting software did not grant access. Try connecting again.',
    },
    {
      label: 'a platform that is not supported (501) as link-failed, asking for another',
      query: 'statusCode=501&errorMessage=Not%20supported.&statusText=',
      code: 'link-failed',
      outcome: 'not-supported',
      statusCode: 501,
      errorMessage: 'Not supported.',
      statusText: undefined,
      message: 'This accounting software cannot be connected here. Choose another.',
    },
    {
      label: 'any other error status (401) as link-failed',
      query: 'statusCode=401&statusText=Unauthorized&errorMessage=Access%20denied',
      code: 'link-failed',
      outcome: 'failed',
      statusCode: 401,
      errorMessage: 'Access denied',
      statusText: 'Unauthorized',
      message: 'Your accounting software did not grant access. Try connecting again.',
    },
  ] as const)(
    'reports $label without a request, keeping Codat’s texts out of the message, firing onError once',
    async ({ query, code, outcome, statusCode, errorMessage, statusText, message }) => {
      const onError = vi.fn();
      const { hook, calls } = renderDeterministic(
        { url: back(`companyId=${companyId}&connectionId=${connectionId}&platform=qhyg&${query}`), onError },
        true,
      );
      await waitFor(() => expect(hook.result.current.status).toBe('failed'));
      const error = expectBillPayError(hook.result.current.error, code);
      expect(error.message).toBe(message);
      expect(error.message).not.toContain(errorMessage);
      expect(error.status).toBe(statusCode);
      expect(hook.result.current.link).toEqual({
        status: 'error',
        outcome,
        companyId,
        connectionId,
        statusCode,
        statusText,
        errorMessage,
        platform: 'qhyg',
        platformName: undefined,
        sourceType: undefined,
      });
      expect(hook.result.current.connection).toBeUndefined();
      expect(onError).toHaveBeenCalledTimes(1);
      expect(onError).toHaveBeenCalledWith(error);
      expect(calls).toHaveLength(0);
    },
  );

  it('does nothing on a normal page load', async () => {
    const setup = seeded('Linked');
    const { result } = renderHook(() => useLinkReturn(), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    await waitFor(() => expect(result.current.link.status).toBe('none'));
    expect(result.current).toMatchObject({ status: 'none', connection: undefined, error: undefined });
    expect(setup.fetcher).not.toHaveBeenCalled();
  });
});

describe('useLinkReturn: the address bar and the popup', () => {
  it('reads the address bar once under StrictMode, then removes Codat’s parameters and closes itself in the kit’s popup when the provider leaves the return to it', async () => {
    window.history.replaceState(null, '', `/back?keep=1&${success}#step`);
    window.name = 'bpc-link:r1';
    const close = vi.spyOn(window, 'close').mockImplementation(() => undefined);
    const setup = seeded('Linked');
    const { result } = renderHook(() => useLinkReturn(), withProvider({ fetcher: setup.fetcher, handleLinkReturn: false }, true));
    await waitFor(() => expect(result.current.status).toBe('linked'));
    expect(setup.calls()).toEqual(['GET getConnection']);
    expect(window.location.pathname).toBe('/back');
    expect(window.location.search).toBe('?keep=1');
    expect(window.location.hash).toBe('#step');
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('cleans the address bar after a failed authorisation too, and leaves a window it does not own open', async () => {
    window.history.replaceState(null, '', `/back?keep=1&companyId=${companyId}&connectionId=&statusCode=403&errorMessage=User%20cancelled.&statusText=`);
    window.name = 'host-window';
    const close = vi.spyOn(window, 'close').mockImplementation(() => undefined);
    const { hook } = renderDeterministic({});
    await waitFor(() => expect(hook.result.current.status).toBe('failed'));
    expectBillPayError(hook.result.current.error, 'link-cancelled');
    expect(window.location.search).toBe('?keep=1');
    expect(close).not.toHaveBeenCalled();
  });

  it('removes every parameter the kit reads, empty ones included, and keeps the host’s own parameters', async () => {
    window.history.replaceState(
      null,
      '',
      `/back?keep=1&companyId=${companyId}&connectionId=${connectionId}&platform=qhyg&platformName=QuickBooks%20Online&sourceType=Accounting&statusCode=200&errorMessage=&statusText=&ref=abc#step`,
    );
    window.name = 'host-window';
    const setup = seeded('Linked');
    const { result } = renderHook(() => useLinkReturn(), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    await waitFor(() => expect(result.current.status).toBe('linked'));
    expect(result.current.link).toMatchObject({ status: 'success', platform: 'qhyg', platformName: 'QuickBooks Online', sourceType: 'Accounting' });
    expect(window.location.pathname).toBe('/back');
    expect(window.location.search).toBe('?keep=1&ref=abc');
    expect(window.location.hash).toBe('#step');
  });

  it('keeps Codat’s parameters while the re-read fails, so a reload retries, and removes them once a refresh succeeds', async () => {
    window.history.replaceState(null, '', `/back?keep=1&${success}`);
    window.name = 'host-window';
    const setup = seeded('Linked', 'qhyg', { faults: { getConnection: { kind: 'status', status: 500, times: 1 } } });
    const { result } = renderHook(() => useLinkReturn(), { wrapper: wrapperFor({ fetcher: setup.fetcher, clientOptions: { retry: false } }) });
    await waitFor(() => expect(result.current.status).toBe('error'));
    expect(window.location.search).toBe(`?keep=1&${success}`);
    act(() => result.current.refresh());
    await waitFor(() => expect(result.current.status).toBe('linked'));
    expect(window.location.search).toBe('?keep=1');
  });

  it('leaves the address bar and the popup alone when clean and closePopup are false and the provider leaves the return to it', async () => {
    const search = `?${success}`;
    window.history.replaceState(null, '', `/back${search}`);
    window.name = 'bpc-link:r1';
    const close = vi.spyOn(window, 'close').mockImplementation(() => undefined);
    const setup = seeded('Linked');
    const { result } = renderHook(() => useLinkReturn({ clean: false, closePopup: false }), {
      wrapper: wrapperFor({ fetcher: setup.fetcher, handleLinkReturn: false }),
    });
    await waitFor(() => expect(result.current.status).toBe('linked'));
    expect(window.location.search).toBe(search);
    expect(close).not.toHaveBeenCalled();
  });
});

describe('useLinkReturn: failures', () => {
  it('shows a sandbox read failure as an error and recovers on refresh', async () => {
    const setup = seeded('Linked', 'qhyg', { faults: { getConnection: { kind: 'status', status: 500 } } });
    const onError = vi.fn();
    const { result } = renderHook(() => useLinkReturn({ url: back(success), onError }), {
      wrapper: wrapperFor({ fetcher: setup.fetcher, clientOptions: { retry: false } }),
    });
    await waitFor(() => expect(result.current.status).toBe('error'));
    expect(expectBillPayError(result.current.error, 'http').status).toBe(500);
    expect(onError).toHaveBeenCalledTimes(1);
    act(() => result.current.refresh());
    await waitFor(() => expect(result.current.status).toBe('linked'));
    expect(setup.calls()).toEqual(['GET getConnection', 'GET getConnection']);
  });

  it.each(requestFailures)('lands a $code error in state when $label and fires onError once', async ({ code, answer, check }) => {
    const onError = vi.fn();
    const { hook, nth } = renderDeterministic({ url: back(success), onError });
    act(() => answer(nth(0)));
    await waitFor(() => expect(hook.result.current.status).toBe('error'));
    const error = expectBillPayError(hook.result.current.error, code);
    check?.(error);
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it('lands a timeout in state when the re-read outlasts timeoutMs', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: false });
    const f = recordingFetcher();
    const { result } = renderHook(() => useLinkReturn({ url: back(success) }), {
      wrapper: wrapperFor({ fetcher: f.fetcher, clientOptions: { retry: false, timeoutMs: 1000 } }),
    });
    await act(() => vi.advanceTimersByTimeAsync(999));
    expect(result.current.status).toBe('checking');
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(result.current.status).toBe('error');
    expectBillPayError(result.current.error, 'timeout');
  });

  it('drops a read superseded by refresh without surfacing its abort', async () => {
    const onError = vi.fn();
    const { hook, calls, nth } = renderDeterministic({ url: back(success), onError });
    act(() => hook.result.current.refresh());
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(nth(0).signal?.aborted).toBe(true);
    expect(hook.result.current.status).toBe('checking');
    act(() => nth(1).respond(200, connectionBody({ status: 'Linked' })));
    await waitFor(() => expect(hook.result.current.status).toBe('linked'));
    expect(onError).not.toHaveBeenCalled();
  });

  it('aborts the re-read on unmount and fires nothing when a late answer arrives', async () => {
    const f = recordingFetcher({ honourAbort: false });
    const onConnected = vi.fn();
    const onError = vi.fn();
    const { unmount } = renderHook(() => useLinkReturn({ url: back(success), onConnected, onError }), {
      wrapper: wrapperFor({ fetcher: f.fetcher }),
    });
    unmount();
    await act(async () => {
      await Promise.resolve();
    });
    expect(f.nth(0).signal?.aborted).toBe(true);
    await act(async () => {
      f.nth(0).respond(200, connectionBody({ status: 'Linked' }));
      await Promise.resolve();
    });
    expect(onConnected).not.toHaveBeenCalled();
    expect(onError).not.toHaveBeenCalled();
  });
});
