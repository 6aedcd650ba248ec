import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BillPayEvent, Connection, Fetcher, LinkUrlPolicy } from '../../src/core/index.js';
import { CodatProvider, useCodatContext, useConnection, useConnections, type UseConnectionOptions } from '../../src/hooks/index.js';
import {
  codatError,
  companyBody,
  companyId,
  connectionBody,
  connectionId,
  expectBillPayError,
  failOnConsoleError,
  fresh,
  linkUrl,
  listPath,
  oneTimeLinks,
  otherCompanyId,
  pageBody,
  recordingFetcher,
  requestFailures,
  sandboxSetup,
  seeded,
  stubLocation,
  stubOpen,
  withProvider,
  wrapperFor,
} from './helpers.js';

failOnConsoleError();

afterEach(() => {
  vi.useRealTimers();
});

function renderConnection<S extends { fetcher: Fetcher }>(options: UseConnectionOptions, setup: S, strict = false, linkUrlPolicy: LinkUrlPolicy = {}) {
  const hook = renderHook((props: UseConnectionOptions) => useConnection(props), {
    initialProps: options,
    ...withProvider({ fetcher: setup.fetcher, linkUrlPolicy, clientOptions: { retry: false } }, strict),
  });
  return { ...setup, hook };
}

const getPath = `GET /companies/${companyId}/connections/${connectionId}`;
const sandboxLinkUrl = `https://link.sandbox.billpay-connect.dev/link/${companyId}/${connectionId}`;

const gets = (setup: ReturnType<typeof sandboxSetup>) => setup.sandbox.requests.filter((r) => r.operation === 'getConnection');

/** Connects an existing company with no connection yet against the sandbox under fake timers and lands in awaiting-auth. */
async function connectAndWait(options: UseConnectionOptions = {}, platformKey = 'qhyg') {
  vi.useFakeTimers({ shouldAdvanceTime: false });
  const popup = stubOpen();
  const setup = fresh();
  const rendered = renderConnection({ companyId, ...options }, setup);
  await act(async () => {
    void rendered.hook.result.current.connect(platformKey);
    await vi.advanceTimersByTimeAsync(0);
  });
  expect(rendered.hook.result.current.status).toBe('awaiting-auth');
  expect(setup.calls()).toEqual(['GET listConnections', 'POST createConnection']);
  const created = rendered.hook.result.current.connection?.id ?? '';
  return { ...rendered, ...popup, setup, created };
}

describe('useConnection: creating and launching', () => {
  it('opens the popup inside connect(), then sends POST /companies and, only after it answers, POST /connections', async () => {
    const { win, open } = stubOpen();
    const onCompanyCreated = vi.fn();
    const onLaunched = vi.fn();
    const f = recordingFetcher();
    const newCompanyId = '5d2a7e1c-0b7f-4c3e-9f5e-8a9d0c1b2e3f';
    const { hook } = renderConnection({ company: { name: ' Acme ' }, onCompanyCreated, onLaunched }, f);
    expect(hook.result.current.status).toBe('idle');
    act(() => {
      void hook.result.current.connect('qhyg');
    });
    expect(open).toHaveBeenCalledTimes(1);
    expect(open.mock.calls[0]?.[1]).toMatch(/^bpc-link:\w+$/);
    expect(open.mock.invocationCallOrder[0]).toBeLessThan(f.fetcher.mock.invocationCallOrder[0] ?? 0);
    expect(win.opener).toBeNull();
    expect(win.document.title).not.toBe('');
    expect(win.location.href).toBe('about:blank');
    expect(hook.result.current.status).toBe('creating');
    expect(f.requests()).toEqual(['POST /companies']);
    expect(f.nth(0).body).toEqual({ name: 'Acme' });
    await act(async () => {
      await Promise.resolve();
    });
    expect(f.calls).toHaveLength(1);
    await act(async () => {
      f.nth(0).respond(200, companyBody({ id: newCompanyId }));
    });
    await waitFor(() => expect(f.calls).toHaveLength(2));
    expect(f.nth(1)).toMatchObject({ method: 'POST', path: `/companies/${newCompanyId}/connections`, body: { platformKey: 'qhyg' } });
    expect(f.nth(1).inFlightAtStart).toBe(0);
    expect(onCompanyCreated).toHaveBeenCalledTimes(1);
    expect(hook.result.current.companyId).toBe(newCompanyId);
    expect(win.location.href).toBe('about:blank');
    act(() => f.nth(1).respond(200, connectionBody({ linkUrl: `https://link.codat.io/companies/${newCompanyId}/start` })));
    await waitFor(() => expect(hook.result.current.status).toBe('awaiting-auth'));
    expect(win.location.href).toBe(`https://link.codat.io/companies/${newCompanyId}/start`);
    expect(hook.result.current.connection?.status).toBe('PendingAuth');
    expect(onLaunched).toHaveBeenCalledTimes(1);
    expect(f.calls).toHaveLength(2);
  });

  it('creates the company, then the connection, for a new customer against the sandbox', async () => {
    const { win } = stubOpen();
    const setup = sandboxSetup();
    const { hook, calls, sandbox } = renderConnection({ company: { name: 'Acme' } }, setup);
    act(() => {
      void hook.result.current.connect('qhyg');
    });
    await waitFor(() => expect(hook.result.current.status).toBe('awaiting-auth'));
    expect(calls()).toEqual(['POST createCompany', 'POST createConnection']);
    expect(sandbox.requests[1]?.path).toBe(`/companies/${hook.result.current.companyId}/connections`);
    expect(win.location.href).toBe(hook.result.current.connection?.linkUrl);
  });

  it('sends exactly two requests for an existing company whose connections the page has not read: the list, then the POST', async () => {
    stubOpen();
    const f = recordingFetcher();
    const { hook } = renderConnection({ companyId }, f);
    act(() => {
      void hook.result.current.connect('gbol');
    });
    expect(f.requests()).toEqual([`GET ${listPath}`]);
    expect(hook.result.current.status).toBe('creating');
    act(() => f.nth(0).respond(200, pageBody([])));
    await waitFor(() => expect(f.calls).toHaveLength(2));
    expect(f.requests()).toEqual([`GET ${listPath}`, `POST /companies/${companyId}/connections`]);
    expect(f.nth(1)).toMatchObject({ body: { platformKey: 'gbol' }, inFlightAtStart: 0 });
    act(() => f.nth(1).respond(200, connectionBody({ integrationKey: 'gbol' })));
    await waitFor(() => expect(hook.result.current.status).toBe('awaiting-auth'));
    expect(f.calls).toHaveLength(2);
    expect(hook.result.current.platformKey).toBe('gbol');
  });

  it('sends exactly one request, the POST, for an existing company whose (empty) list the page already read', async () => {
    const { open } = stubOpen();
    const f = recordingFetcher();
    const { result } = renderHook(() => ({ one: useConnection({ companyId }), list: useConnections({ companyId }) }), {
      ...withProvider({ fetcher: f.fetcher, clientOptions: { retry: false } }),
    });
    await act(async () => {
      f.nth(0).respond(200, pageBody([]));
      await Promise.resolve();
    });
    await waitFor(() => expect(result.current.list.status).toBe('success'));
    expect(f.requests()).toEqual([`GET ${listPath}`]);
    act(() => {
      void result.current.one.connect('gbol');
    });
    expect(open).toHaveBeenCalledTimes(1);
    expect(f.requests()).toEqual([`GET ${listPath}`, `POST /companies/${companyId}/connections`]);
    act(() => f.nth(1).respond(200, connectionBody({ integrationKey: 'gbol' })));
    await waitFor(() => expect(result.current.one.status).toBe('awaiting-auth'));
    expect(f.calls).toHaveLength(2);
  });

  it('connects with the platformKey option when connect() is called without one', async () => {
    stubOpen();
    const setup = fresh();
    const { hook, sandbox, calls } = renderConnection({ companyId, platformKey: 'knfz' }, setup);
    await act(async () => {
      await hook.result.current.connect();
    });
    expect(calls()).toEqual(['GET listConnections', 'POST createConnection']);
    expect(sandbox.requests.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual([{ platformKey: 'knfz' }]);
  });

  it('sends one POST and opens one popup for a double click, handing both callers the same promise', async () => {
    const { open } = stubOpen();
    const setup = sandboxSetup();
    const { hook, calls } = renderConnection({ company: { name: 'Acme' } }, setup);
    let first: Promise<Connection | undefined> | undefined;
    let second: Promise<Connection | undefined> | undefined;
    act(() => {
      first = hook.result.current.connect('qhyg');
      second = hook.result.current.connect('qhyg');
    });
    expect(first).toBe(second);
    await waitFor(() => expect(hook.result.current.status).toBe('awaiting-auth'));
    expect(calls()).toEqual(['POST createCompany', 'POST createConnection']);
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('sends one POST for repeated calls across renders while one is in flight', async () => {
    const { open } = stubOpen();
    const f = recordingFetcher();
    const { hook } = renderConnection({ companyId }, f);
    const connect = hook.result.current.connect;
    act(() => {
      void hook.result.current.connect('qhyg');
    });
    hook.rerender({ companyId });
    expect(hook.result.current.connect).toBe(connect);
    act(() => {
      void hook.result.current.connect('qhyg');
      void hook.result.current.connect('gbol');
    });
    expect(f.requests()).toEqual([`GET ${listPath}`]);
    expect(open).toHaveBeenCalledTimes(1);
    act(() => f.nth(0).respond(200, pageBody([])));
    await waitFor(() => expect(f.calls).toHaveLength(2));
    expect(f.nth(1)).toMatchObject({ method: 'POST', path: `/companies/${companyId}/connections`, body: { platformKey: 'qhyg' } });
    act(() => f.nth(1).respond(200, connectionBody()));
    await waitFor(() => expect(hook.result.current.status).toBe('awaiting-auth'));
    expect(f.calls).toHaveLength(2);
    expect(open).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['a new customer', { company: { name: 'Acme' } }, ['POST createCompany', 'POST createConnection'], 1],
    ['an existing company', { companyId }, ['GET listConnections', 'POST createConnection'], 0],
  ])('sends one POST per intent under StrictMode for %s', async (_label, options, expected, companies) => {
    stubOpen();
    const onCompanyCreated = vi.fn();
    const setup = fresh();
    const { hook, calls } = renderConnection({ ...options, onCompanyCreated }, setup, true);
    expect(calls()).toEqual([]);
    act(() => {
      void hook.result.current.connect('qhyg');
    });
    await waitFor(() => expect(hook.result.current.status).toBe('awaiting-auth'));
    expect(calls()).toEqual(expected);
    expect(onCompanyCreated).toHaveBeenCalledTimes(companies);
  });
});

describe('useConnection: a given connection', () => {
  it('reads it once under StrictMode against the sandbox and reports a Deauthorized one as ready', async () => {
    const setup = seeded('Deauthorized');
    const { hook, calls } = renderConnection({ companyId, connectionId }, setup, true);
    expect(hook.result.current.status).toBe('loading');
    await waitFor(() => expect(hook.result.current.status).toBe('ready'));
    expect(hook.result.current.connection?.status).toBe('Deauthorized');
    expect(calls()).toEqual(['GET getConnection']);
  });

  it('keeps its one GET alive through StrictMode’s unmount and remount', async () => {
    const f = recordingFetcher();
    const { hook } = renderConnection({ companyId, connectionId }, f, true);
    await act(async () => {
      await Promise.resolve();
    });
    expect(f.requests()).toEqual([`GET /companies/${companyId}/connections/${connectionId}`]);
    expect(f.nth(0).signal?.aborted).toBe(false);
    act(() => f.nth(0).respond(200, connectionBody({ status: 'PendingAuth' })));
    await waitFor(() => expect(hook.result.current.status).toBe('ready'));
    expect(f.calls).toHaveLength(1);
  });

  it('reports a given Linked connection as linked without firing onConnected', async () => {
    const onConnected = vi.fn();
    const { hook } = renderConnection({ companyId, connectionId, onConnected }, seeded('Linked'));
    await waitFor(() => expect(hook.result.current.status).toBe('linked'));
    expect(onConnected).not.toHaveBeenCalled();
  });

  it('sends no new GET when re-rendered with new but equal options, while loading or after', async () => {
    const f = recordingFetcher();
    const { hook } = renderConnection({ companyId, connectionId, onConnected: () => undefined }, f);
    hook.rerender({ companyId, connectionId, onConnected: () => undefined });
    await act(async () => {
      await Promise.resolve();
    });
    expect(f.calls).toHaveLength(1);
    expect(f.nth(0).signal?.aborted).toBe(false);
    act(() => f.nth(0).respond(200, connectionBody({ status: 'Linked' })));
    await waitFor(() => expect(hook.result.current.status).toBe('linked'));
    hook.rerender({ companyId, connectionId, onConnected: () => undefined });
    hook.rerender({ companyId, connectionId, onConnected: () => undefined });
    expect(f.calls).toHaveLength(1);
  });

  it('reads the connection again when the connection id changes', async () => {
    const f = recordingFetcher();
    const { hook } = renderConnection({ companyId, connectionId }, f);
    act(() => f.nth(0).respond(200, connectionBody({ status: 'Linked' })));
    await waitFor(() => expect(hook.result.current.status).toBe('linked'));
    hook.rerender({ companyId, connectionId: otherCompanyId });
    expect(hook.result.current.status).toBe('loading');
    expect(f.requests()[1]).toBe(`GET /companies/${companyId}/connections/${otherCompanyId}`);
  });

  it.each(requestFailures)('lands a $code read failure in state and fires onError once, under StrictMode', async ({ code, answer, check }) => {
    const onError = vi.fn();
    const f = recordingFetcher();
    const { hook } = renderConnection({ companyId, connectionId, onError }, f, true);
    act(() => answer(f.nth(0)));
    await waitFor(() => expect(hook.result.current.status).toBe('error'));
    const error = expectBillPayError(hook.result.current.error, code);
    expect(error.operation).toBe('getConnection');
    check?.(error);
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it('recovers from a failed read on refresh', async () => {
    const onError = vi.fn();
    const f = recordingFetcher();
    const { hook } = renderConnection({ companyId, connectionId, onError }, f);
    act(() => f.nth(0).respond(404, codatError(404, 'Data connection not found.')));
    await waitFor(() => expect(hook.result.current.status).toBe('error'));
    let refreshed: Promise<Connection | undefined> | undefined;
    act(() => {
      refreshed = hook.result.current.refresh();
    });
    await act(async () => {
      f.nth(1).respond(200, connectionBody({ status: 'PendingAuth' }));
      await refreshed;
    });
    expect(hook.result.current).toMatchObject({ status: 'ready', error: undefined });
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it('shows the answer of the last refresh when an earlier, overlapping refresh answers after it', async () => {
    const f = recordingFetcher();
    const { hook } = renderConnection({ companyId, connectionId }, f);
    act(() => f.nth(0).respond(200, connectionBody({ status: 'PendingAuth' })));
    await waitFor(() => expect(hook.result.current.status).toBe('ready'));
    let older: Promise<Connection | undefined> | undefined;
    let newer: Promise<Connection | undefined> | undefined;
    act(() => {
      older = hook.result.current.refresh();
      newer = hook.result.current.refresh();
    });
    await act(async () => {
      f.nth(2).respond(200, connectionBody({ status: 'Linked' }));
      await newer;
    });
    expect(hook.result.current.status).toBe('linked');
    let olderAnswer: Connection | undefined;
    await act(async () => {
      f.nth(1).respond(200, connectionBody({ status: 'PendingAuth' }));
      olderAnswer = await older;
    });
    expect(hook.result.current.status).toBe('linked');
    expect(olderAnswer?.status).toBe('Linked');
  });

  it('refresh reads the connection again and fires onConnected when it became Linked', async () => {
    const onConnected = vi.fn();
    const setup = seeded('PendingAuth');
    const { hook, sandbox } = renderConnection({ companyId, connectionId, onConnected }, setup);
    await waitFor(() => expect(hook.result.current.status).toBe('ready'));
    sandbox.authorize(connectionId);
    await act(async () => {
      await hook.result.current.refresh();
    });
    expect(hook.result.current.status).toBe('linked');
    await act(async () => {
      await hook.result.current.refresh();
    });
    expect(onConnected).toHaveBeenCalledTimes(1);
  });

  it('relaunches an existing Deauthorized connection through a freshly read linkUrl, without a POST, until it is Linked again', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: false });
    const { win, open } = stubOpen();
    const onConnected = vi.fn();
    const setup = seeded('Deauthorized');
    // Codat's one-time links: each read of the connection hands out a new linkUrl.
    const { hook, calls, sandbox } = renderConnection({ companyId, connectionId, onConnected }, { ...setup, fetcher: oneTimeLinks(setup.fetcher) });
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(hook.result.current.status).toBe('ready');
    expect(hook.result.current.connection?.linkUrl).toBe(`${sandboxLinkUrl}?otp=1`);
    act(() => hook.result.current.launch());
    expect(open).toHaveBeenCalledTimes(1);
    expect(win.opener).toBeNull();
    expect(win.location.href).toBe('about:blank');
    expect(hook.result.current.status).toBe('loading');
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(hook.result.current.status).toBe('awaiting-auth');
    expect(win.location.href).toBe(`${sandboxLinkUrl}?otp=2`);
    expect(hook.result.current.connection?.linkUrl).toBe(`${sandboxLinkUrl}?otp=2`);
    expect(calls()).toEqual(['GET getConnection', 'GET getConnection']);
    sandbox.authorize(connectionId);
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(hook.result.current.status).toBe('linked');
    expect(win.close).toHaveBeenCalled();
    expect(onConnected).toHaveBeenCalledTimes(1);
    expect(calls()).toEqual(['GET getConnection', 'GET getConnection', 'GET getConnection']);
  });

  it('stays loading while a relaunch reads the connection, ignores a second launch meanwhile, then opens the linkUrl that read returned', async () => {
    const { win, open } = stubOpen();
    const onLaunched = vi.fn();
    const f = recordingFetcher();
    const { hook } = renderConnection({ companyId, connectionId, onLaunched }, f);
    act(() => f.nth(0).respond(200, connectionBody({ status: 'Deauthorized', linkUrl: `${linkUrl}?otp=kept` })));
    await waitFor(() => expect(hook.result.current.status).toBe('ready'));
    act(() => hook.result.current.launch());
    expect(open).toHaveBeenCalledTimes(1);
    expect(hook.result.current.status).toBe('loading');
    act(() => hook.result.current.launch());
    expect(open).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(f.calls).toHaveLength(2));
    expect(f.requests()).toEqual([getPath, getPath]);
    expect(f.nth(1).body).toBeUndefined();
    expect(win.location.href).toBe('about:blank');
    expect(onLaunched).not.toHaveBeenCalled();
    act(() => f.nth(1).respond(200, connectionBody({ status: 'Deauthorized', linkUrl: `${linkUrl}?otp=fresh` })));
    await waitFor(() => expect(hook.result.current.status).toBe('awaiting-auth'));
    expect(win.location.href).toBe(`${linkUrl}?otp=fresh`);
    expect(onLaunched).toHaveBeenCalledTimes(1);
    expect(onLaunched).toHaveBeenCalledWith(hook.result.current.connection);
    expect(f.calls).toHaveLength(2);
  });

  it('closes the popup without navigating it and lands the error when the read before a relaunch fails', async () => {
    const { win } = stubOpen();
    const onError = vi.fn();
    const onLaunched = vi.fn();
    const f = recordingFetcher();
    const { hook } = renderConnection({ companyId, connectionId, onError, onLaunched }, f);
    act(() => f.nth(0).respond(200, connectionBody({ status: 'Deauthorized' })));
    await waitFor(() => expect(hook.result.current.status).toBe('ready'));
    act(() => hook.result.current.launch());
    await waitFor(() => expect(f.calls).toHaveLength(2));
    act(() => f.nth(1).respond(404, codatError(404, 'Connection not found.')));
    await waitFor(() => expect(hook.result.current.status).toBe('error'));
    const error = expectBillPayError(hook.result.current.error, 'http');
    expect(error.status).toBe(404);
    expect(error.operation).toBe('getConnection');
    expect(win.close).toHaveBeenCalled();
    expect(win.location.href).toBe('about:blank');
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith(error);
    expect(onLaunched).not.toHaveBeenCalled();
    expect(f.requests()).toEqual([getPath, getPath]);
  });
});

describe('useConnection: watching the popup', () => {
  it('polls until the sandbox authorises, then closes the popup, stops polling and fires onConnected once', async () => {
    const onConnected = vi.fn();
    const { hook, sandbox, setup, win, created } = await connectAndWait({ onConnected });
    await act(() => vi.advanceTimersByTimeAsync(1999));
    expect(gets(setup)).toHaveLength(0);
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(gets(setup)).toHaveLength(1);
    expect(hook.result.current.status).toBe('awaiting-auth');
    sandbox.authorize(created);
    await act(() => vi.advanceTimersByTimeAsync(3000));
    expect(gets(setup)).toHaveLength(2);
    expect(hook.result.current.status).toBe('linked');
    expect(hook.result.current.connection?.status).toBe('Linked');
    expect(win.close).toHaveBeenCalled();
    expect(onConnected).toHaveBeenCalledTimes(1);
    expect(onConnected).toHaveBeenCalledWith(hook.result.current.connection);
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    expect(onConnected).toHaveBeenCalledTimes(1);
    expect(gets(setup)).toHaveLength(2);
  });

  it('ends in cancelled, after exactly one last read, when the popup is closed without authorising', async () => {
    const onCancelled = vi.fn();
    const onError = vi.fn();
    const onConnected = vi.fn();
    const { hook, setup, win } = await connectAndWait({ onCancelled, onError, onConnected });
    win.closed = true;
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(hook.result.current.status).toBe('cancelled');
    const error = expectBillPayError(hook.result.current.error, 'link-cancelled');
    expect(gets(setup)).toHaveLength(1);
    expect(onCancelled).toHaveBeenCalledTimes(1);
    expect(onCancelled).toHaveBeenCalledWith(hook.result.current.connection);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith(error);
    await act(() => vi.advanceTimersByTimeAsync(30_000));
    expect(gets(setup)).toHaveLength(1);
    expect(onCancelled).toHaveBeenCalledTimes(1);
    expect(onConnected).not.toHaveBeenCalled();
  });

  it('reports linked when the user authorised just before closing the popup', async () => {
    const onConnected = vi.fn();
    const onCancelled = vi.fn();
    const { hook, sandbox, win, created, setup } = await connectAndWait({ onConnected, onCancelled }, 'knfz');
    sandbox.authorize(created);
    win.closed = true;
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(hook.result.current.status).toBe('linked');
    expect(onConnected).toHaveBeenCalledTimes(1);
    expect(onCancelled).not.toHaveBeenCalled();
    expect(gets(setup)).toHaveLength(1);
  });

  it('ends the flow at once, closing the popup and stopping the watch, when a manual refresh sees Linked', async () => {
    const onConnected = vi.fn();
    const { hook, sandbox, created, win, setup } = await connectAndWait({ onConnected });
    sandbox.authorize(created);
    await act(async () => {
      await hook.result.current.refresh();
    });
    expect(hook.result.current.status).toBe('linked');
    expect(win.close).toHaveBeenCalled();
    expect(onConnected).toHaveBeenCalledTimes(1);
    expect(gets(setup)).toHaveLength(1);
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    expect(gets(setup)).toHaveLength(1);
    expect(onConnected).toHaveBeenCalledTimes(1);
  });

  it('checks at once when the host window regains focus', async () => {
    const { hook, sandbox, created, setup } = await connectAndWait();
    sandbox.authorize(created);
    await act(async () => {
      window.dispatchEvent(new Event('focus'));
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(gets(setup)).toHaveLength(1);
    expect(hook.result.current.status).toBe('linked');
  });

  it('keeps watching through a transient read failure', async () => {
    const onError = vi.fn();
    const { hook, sandbox, created, setup } = await connectAndWait({ onError });
    sandbox.fail('getConnection', { kind: 'status', status: 503 });
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(hook.result.current.status).toBe('awaiting-auth');
    sandbox.authorize(created);
    await act(() => vi.advanceTimersByTimeAsync(3000));
    expect(hook.result.current.status).toBe('linked');
    expect(gets(setup)).toHaveLength(2);
    expect(onError).not.toHaveBeenCalled();
  });

  it('stops watching with the error when a read fails for good', async () => {
    const onError = vi.fn();
    const { hook, sandbox, setup } = await connectAndWait({ onError });
    sandbox.fail('getConnection', { kind: 'status', status: 404 });
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(hook.result.current.status).toBe('error');
    expect(expectBillPayError(hook.result.current.error, 'http').status).toBe(404);
    expect(onError).toHaveBeenCalledTimes(1);
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    expect(gets(setup)).toHaveLength(1);
  });

  it('gives up as cancelled after maxWaitMs and closes the popup', async () => {
    const onCancelled = vi.fn();
    const { hook, win } = await connectAndWait({ maxWaitMs: 10_000, onCancelled });
    await act(() => vi.advanceTimersByTimeAsync(9_999));
    expect(hook.result.current.status).toBe('awaiting-auth');
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(hook.result.current.status).toBe('cancelled');
    expect(win.close).toHaveBeenCalled();
    expect(onCancelled).toHaveBeenCalledTimes(1);
  });

  it('stops polling and returns to idle on reset', async () => {
    const { hook, setup } = await connectAndWait();
    act(() => hook.result.current.reset());
    expect(hook.result.current.status).toBe('idle');
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    expect(gets(setup)).toHaveLength(0);
  });

  it('reuses the company it created when connect is called again after a cancel: one POST for the new intent, the abandoned attempt deleted first', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: false });
    const { win } = stubOpen();
    const onCompanyCreated = vi.fn();
    const setup = sandboxSetup();
    const { hook, calls } = renderConnection({ company: { name: 'Acme' }, onCompanyCreated }, setup);
    await act(async () => {
      void hook.result.current.connect('qhyg');
      await vi.advanceTimersByTimeAsync(0);
    });
    win.closed = true;
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(hook.result.current.status).toBe('cancelled');
    const created = hook.result.current.companyId;
    win.closed = false;
    await act(async () => {
      void hook.result.current.connect('gbol');
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(hook.result.current.status).toBe('awaiting-auth');
    expect(hook.result.current.companyId).toBe(created);
    // The company is new, so the flow knows its connections: no list read. The abandoned QuickBooks attempt
    // (PendingAuth) is deleted before the Xero connection is created, leaving one connection.
    expect(calls()).toEqual(['POST createCompany', 'POST createConnection', 'GET getConnection', 'DELETE deleteConnection', 'POST createConnection']);
    expect(setup.sandbox.listConnections(created ?? '').map((c) => [c.integrationKey, c.status])).toEqual([['gbol', 'PendingAuth']]);
    expect(onCompanyCreated).toHaveBeenCalledTimes(1);
  });

  it('stops watching on unmount and sends nothing more', async () => {
    const onConnected = vi.fn();
    const { hook, sandbox, created, setup } = await connectAndWait({ onConnected });
    sandbox.authorize(created);
    hook.unmount();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(gets(setup)).toHaveLength(0);
    expect(onConnected).not.toHaveBeenCalled();
  });

  it('closes the Link window it was watching when it unmounts mid-flow', async () => {
    const onCancelled = vi.fn();
    const onError = vi.fn();
    const { hook, win } = await connectAndWait({ onCancelled, onError });
    expect(win.close).not.toHaveBeenCalled();
    hook.unmount();
    expect(win.close).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(onCancelled).not.toHaveBeenCalled();
    expect(onError).not.toHaveBeenCalled();
  });

  it('leaves a Link window alone on unmount once the flow has ended', async () => {
    const { hook, win } = await connectAndWait();
    win.closed = true;
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(hook.result.current.status).toBe('cancelled');
    vi.mocked(win.close).mockClear();
    hook.unmount();
    expect(win.close).not.toHaveBeenCalled();
  });

  it('aborts a poll in flight on unmount and fires nothing even if its answer still arrives', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: false });
    stubOpen();
    const f = recordingFetcher({ honourAbort: false });
    const onConnected = vi.fn();
    const onError = vi.fn();
    const { result, unmount } = renderHook(
      () => ({ connection: useConnection({ companyId, onConnected, onError }), context: useCodatContext('test') }),
      { wrapper: wrapperFor({ fetcher: f.fetcher }) },
    );
    const { store } = result.current.context;
    act(() => {
      void result.current.connection.connect('qhyg');
    });
    await act(async () => {
      f.nth(0).respond(200, pageBody([]));
      await vi.advanceTimersByTimeAsync(0);
    });
    await act(async () => {
      f.nth(1).respond(200, connectionBody());
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(result.current.connection.status).toBe('awaiting-auth');
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(f.requests()).toEqual([`GET ${listPath}`, `POST /companies/${companyId}/connections`, `GET /companies/${companyId}/connections/${connectionId}`]);
    unmount();
    expect(f.nth(2).signal?.aborted).toBe(true);
    f.nth(2).respond(200, connectionBody({ status: 'Linked' }));
    await act(() => vi.advanceTimersByTimeAsync(0));
    // The client discards an answer that arrives after its caller aborted, so the cache keeps the last read.
    expect(store.getConnection(companyId, connectionId)?.status).toBe('PendingAuth');
    expect(onConnected).not.toHaveBeenCalled();
    expect(onError).not.toHaveBeenCalled();
  });
});

describe('useConnection: blocked popups, other launch modes and unsafe links', () => {
  it('stops at blocked without sending anything when the popup is blocked and the fallback is error', async () => {
    stubOpen(true);
    const onError = vi.fn();
    const f = recordingFetcher();
    const { hook } = renderConnection({ companyId, onError, popupFallback: 'error' }, f);
    let result: Connection | undefined | 'unset' = 'unset';
    await act(async () => {
      result = await hook.result.current.connect('qhyg');
    });
    expect(result).toBeUndefined();
    expect(hook.result.current.status).toBe('blocked');
    expectBillPayError(hook.result.current.error, 'popup-blocked');
    expect(f.calls).toHaveLength(0);
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it('continues in this tab when the popup is blocked and the fallback is redirect', async () => {
    stubOpen(true);
    const location = stubLocation();
    try {
      const f = recordingFetcher();
      const { hook } = renderConnection({ companyId, popupFallback: 'redirect' }, f);
      act(() => {
        void hook.result.current.connect('qhyg');
      });
      expect(location.assign).not.toHaveBeenCalled();
      act(() => f.nth(0).respond(200, pageBody([])));
      await waitFor(() => expect(f.calls).toHaveLength(2));
      expect(location.assign).not.toHaveBeenCalled();
      act(() => f.nth(1).respond(200, connectionBody()));
      await waitFor(() => expect(hook.result.current.status).toBe('redirecting'));
      expect(f.requests()).toEqual([`GET ${listPath}`, `POST /companies/${companyId}/connections`]);
      expect(location.assign).toHaveBeenCalledTimes(1);
      expect(location.assign).toHaveBeenCalledWith(linkUrl);
    } finally {
      location.restore();
    }
  });

  it('offers launch("redirect") as the way forward from blocked', async () => {
    stubOpen(true);
    const location = stubLocation();
    try {
      const { hook, calls } = renderConnection({ companyId, platformKey: 'gbol' }, fresh());
      await act(async () => {
        await hook.result.current.connect();
      });
      expect(hook.result.current.status).toBe('blocked');
      expect(calls()).toEqual([]);
      act(() => hook.result.current.launch('redirect'));
      await waitFor(() => expect(hook.result.current.status).toBe('redirecting'));
      expect(calls()).toEqual(['GET listConnections', 'POST createConnection']);
      expect(location.assign).toHaveBeenCalledTimes(1);
      expect(location.assign).toHaveBeenCalledWith(hook.result.current.connection?.linkUrl);
    } finally {
      location.restore();
    }
  });

  it('navigates this tab without opening a window in redirect mode', async () => {
    const { open } = stubOpen();
    const location = stubLocation();
    try {
      const { hook, calls } = renderConnection({ companyId, launch: 'redirect' }, fresh());
      await act(async () => {
        await hook.result.current.connect('qhyg');
      });
      expect(calls()).toEqual(['GET listConnections', 'POST createConnection']);
      expect(open).not.toHaveBeenCalled();
      expect(hook.result.current.status).toBe('redirecting');
      expect(location.assign).toHaveBeenCalledWith(hook.result.current.connection?.linkUrl);
    } finally {
      location.restore();
    }
  });

  it('hands the safe, normalised linkUrl to a launch callback and watches the connection', async () => {
    const { open } = stubOpen();
    const onLaunch = vi.fn();
    const onLaunched = vi.fn();
    const f = recordingFetcher();
    const { hook } = renderConnection({ companyId, launch: onLaunch, onLaunched }, f);
    act(() => {
      void hook.result.current.connect('akxx');
    });
    act(() => f.nth(0).respond(200, pageBody([])));
    await waitFor(() => expect(f.calls).toHaveLength(2));
    expect(onLaunch).not.toHaveBeenCalled();
    act(() => f.nth(1).respond(200, connectionBody({ linkUrl: 'HTTPS://Link.Codat.io/start?x=1' })));
    await waitFor(() => expect(hook.result.current.status).toBe('awaiting-auth'));
    expect(open).not.toHaveBeenCalled();
    expect(onLaunch).toHaveBeenCalledTimes(1);
    expect(onLaunch).toHaveBeenCalledWith('https://link.codat.io/start?x=1', hook.result.current.connection);
    expect(onLaunched).toHaveBeenCalledTimes(1);
  });

  it('opens a new tab synchronously in new-tab mode and points it at the linkUrl', async () => {
    const { win, open } = stubOpen();
    const f = recordingFetcher();
    const { hook } = renderConnection({ companyId, launch: 'new-tab' }, f);
    act(() => {
      void hook.result.current.connect('pdvj');
    });
    expect(open).toHaveBeenCalledWith('about:blank', '_blank', undefined);
    expect(win.opener).toBeNull();
    expect(f.requests()).toEqual([`GET ${listPath}`]);
    act(() => f.nth(0).respond(200, pageBody([])));
    await waitFor(() => expect(f.calls).toHaveLength(2));
    expect(win.location.href).toBe('about:blank');
    act(() => f.nth(1).respond(200, connectionBody()));
    await waitFor(() => expect(hook.result.current.status).toBe('awaiting-auth'));
    expect(win.location.href).toBe(linkUrl);
  });

  it('continues in this tab when a new tab is blocked', async () => {
    stubOpen(true);
    const location = stubLocation();
    try {
      const { hook, calls } = renderConnection({ companyId, launch: 'new-tab' }, fresh());
      await act(async () => {
        await hook.result.current.connect('pdvj');
      });
      expect(calls()).toEqual(['GET listConnections', 'POST createConnection']);
      expect(hook.result.current.status).toBe('redirecting');
      expect(location.assign).toHaveBeenCalledTimes(1);
    } finally {
      location.restore();
    }
  });

  it.each(['javascript:alert(document.cookie)', 'data:text/html,<h1>x</h1>', 'http://evil.example/link', 'https://user:pw@link.codat.io/x'])(
    'refuses the unsafe linkUrl %j: error unsafe-link-url, the popup closed and never navigated',
    async (unsafe) => {
      const { win } = stubOpen();
      const onError = vi.fn();
      const onLaunched = vi.fn();
      const f = recordingFetcher();
      const { hook } = renderConnection({ companyId, onError, onLaunched }, f);
      let pending: Promise<Connection | undefined> | undefined;
      act(() => {
        pending = hook.result.current.connect('qhyg');
      });
      act(() => f.nth(0).respond(200, pageBody([])));
      await waitFor(() => expect(f.calls).toHaveLength(2));
      await act(async () => {
        f.nth(1).respond(200, connectionBody({ linkUrl: unsafe }));
        await pending;
      });
      expect(f.requests()).toEqual([`GET ${listPath}`, `POST /companies/${companyId}/connections`]);
      expect(hook.result.current.status).toBe('error');
      expectBillPayError(hook.result.current.error, 'unsafe-link-url');
      expect(win.close).toHaveBeenCalled();
      expect(win.location.href).toBe('about:blank');
      expect(onError).toHaveBeenCalledTimes(1);
      expect(onLaunched).not.toHaveBeenCalled();
    },
  );

  it('never hands an unsafe linkUrl to a launch callback or to the address bar', async () => {
    stubOpen(true);
    const location = stubLocation();
    try {
      const onLaunch = vi.fn();
      const viaCallback = recordingFetcher();
      const callback = renderConnection({ companyId, launch: onLaunch }, viaCallback);
      act(() => {
        void callback.hook.result.current.connect('qhyg');
      });
      act(() => viaCallback.nth(0).respond(200, pageBody([])));
      await waitFor(() => expect(viaCallback.calls).toHaveLength(2));
      act(() => viaCallback.nth(1).respond(200, connectionBody({ linkUrl: 'javascript:alert(1)' })));
      await waitFor(() => expect(callback.hook.result.current.status).toBe('error'));
      expectBillPayError(callback.hook.result.current.error, 'unsafe-link-url');
      expect(onLaunch).not.toHaveBeenCalled();

      const viaRedirect = recordingFetcher();
      const redirect = renderConnection({ companyId, popupFallback: 'redirect' }, viaRedirect);
      act(() => {
        void redirect.hook.result.current.connect('qhyg');
      });
      act(() => viaRedirect.nth(0).respond(200, pageBody([])));
      await waitFor(() => expect(viaRedirect.calls).toHaveLength(2));
      act(() => viaRedirect.nth(1).respond(200, connectionBody({ linkUrl: 'javascript:alert(1)' })));
      await waitFor(() => expect(redirect.hook.result.current.status).toBe('error'));
      expectBillPayError(redirect.hook.result.current.error, 'unsafe-link-url');
      expect(location.assign).not.toHaveBeenCalled();
    } finally {
      location.restore();
    }
  });

  it('accepts a loopback http linkUrl only when the provider allows it', async () => {
    const { win } = stubOpen();
    const refused = renderConnection({ companyId }, fresh({ linkBaseUrl: 'http://127.0.0.1:4010/link' }));
    await act(async () => {
      await refused.hook.result.current.connect('qhyg');
    });
    expect(refused.hook.result.current.status).toBe('error');
    expectBillPayError(refused.hook.result.current.error, 'unsafe-link-url');
    expect(refused.calls()).toEqual(['GET listConnections', 'POST createConnection']);
    expect(win.location.href).toBe('about:blank');
    win.closed = false;
    const allowed = renderConnection({ companyId }, fresh({ linkBaseUrl: 'http://127.0.0.1:4010/link' }), false, {
      allowInsecureLoopback: true,
    });
    await act(async () => {
      await allowed.hook.result.current.connect('qhyg');
    });
    expect(allowed.hook.result.current.status).toBe('awaiting-auth');
    expect(win.location.href).toMatch(/^http:\/\/127\.0\.0\.1:4010\/link\//);
  });
});

describe('useConnection: failures', () => {
  it.each(requestFailures)(
    'lands a $code error in state when $label on POST /connections, closes the popup and fires onError once',
    async ({ code, answer, check }) => {
      const { win } = stubOpen();
      const onError = vi.fn();
      const onLaunched = vi.fn();
      const f = recordingFetcher();
      const { hook } = renderConnection({ companyId, onError, onLaunched }, f);
      let pending: Promise<Connection | undefined> | undefined;
      act(() => {
        pending = hook.result.current.connect('qhyg');
      });
      act(() => f.nth(0).respond(200, pageBody([])));
      await waitFor(() => expect(f.calls).toHaveLength(2));
      await act(async () => {
        answer(f.nth(1));
        await expect(pending).resolves.toBeUndefined();
      });
      expect(hook.result.current.status).toBe('error');
      const error = expectBillPayError(hook.result.current.error, code);
      expect(error.operation).toBe('createConnection');
      check?.(error);
      expect(win.close).toHaveBeenCalled();
      expect(onError).toHaveBeenCalledTimes(1);
      expect(onLaunched).not.toHaveBeenCalled();
      expect(f.requests()).toEqual([`GET ${listPath}`, `POST /companies/${companyId}/connections`]);
    },
  );

  it.each(requestFailures)(
    'lands a $code error in state when $label on the list read before the POST, closes the popup and creates nothing',
    async ({ code, answer, check }) => {
      const { win } = stubOpen();
      const onError = vi.fn();
      const onLaunched = vi.fn();
      const f = recordingFetcher();
      const { hook } = renderConnection({ companyId, onError, onLaunched }, f);
      let pending: Promise<Connection | undefined> | undefined;
      act(() => {
        pending = hook.result.current.connect('qhyg');
      });
      await act(async () => {
        answer(f.nth(0));
        await expect(pending).resolves.toBeUndefined();
      });
      expect(hook.result.current.status).toBe('error');
      const error = expectBillPayError(hook.result.current.error, code);
      expect(error.operation).toBe('listConnections');
      check?.(error);
      expect(win.close).toHaveBeenCalled();
      expect(win.location.href).toBe('about:blank');
      expect(onError).toHaveBeenCalledTimes(1);
      expect(onLaunched).not.toHaveBeenCalled();
      expect(f.requests()).toEqual([`GET ${listPath}`]);
    },
  );

  it.each(requestFailures)('stops after POST /companies when $label, without creating a connection', async ({ code, answer }) => {
    const { win } = stubOpen();
    const onError = vi.fn();
    const onCompanyCreated = vi.fn();
    const f = recordingFetcher();
    const { hook } = renderConnection({ company: { name: 'Acme' }, onError, onCompanyCreated }, f);
    let pending: Promise<Connection | undefined> | undefined;
    act(() => {
      pending = hook.result.current.connect('qhyg');
    });
    await act(async () => {
      answer(f.nth(0));
      await pending;
    });
    expect(hook.result.current.status).toBe('error');
    expect(expectBillPayError(hook.result.current.error, code).operation).toBe('createCompany');
    expect(f.calls).toHaveLength(1);
    expect(win.close).toHaveBeenCalled();
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onCompanyCreated).not.toHaveBeenCalled();
  });

  it('lands a timeout in state when the POST outlasts timeoutMs', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: false });
    stubOpen();
    const onError = vi.fn();
    const f = recordingFetcher();
    const { result } = renderHook(() => useConnection({ companyId, onError }), {
      wrapper: wrapperFor({ fetcher: f.fetcher, clientOptions: { timeoutMs: 3000 } }),
    });
    act(() => {
      void result.current.connect('qhyg');
    });
    await act(async () => {
      f.nth(0).respond(200, pageBody([]));
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(f.requests()).toEqual([`GET ${listPath}`, `POST /companies/${companyId}/connections`]);
    await act(() => vi.advanceTimersByTimeAsync(2999));
    expect(result.current.status).toBe('creating');
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(result.current.status).toBe('error');
    expect(expectBillPayError(result.current.error, 'timeout').operation).toBe('createConnection');
    expect(onError).toHaveBeenCalledTimes(1);
    expect(f.calls).toHaveLength(2);
  });

  it('never retries POST /connections after a 429, however long one waits', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: false });
    stubOpen();
    const f = recordingFetcher();
    const { result } = renderHook(() => useConnection({ companyId }), { wrapper: wrapperFor({ fetcher: f.fetcher }) });
    act(() => {
      void result.current.connect('qhyg');
    });
    await act(async () => {
      f.nth(0).respond(200, pageBody([]));
      await vi.advanceTimersByTimeAsync(0);
    });
    await act(async () => {
      f.nth(1).respond(429, codatError(429, 'Rate limit exceeded.'), { 'Retry-After': '1' });
      await vi.advanceTimersByTimeAsync(60_000);
    });
    expect(f.requests()).toEqual([`GET ${listPath}`, `POST /companies/${companyId}/connections`]);
    expect(expectBillPayError(result.current.error, 'rate-limited').retryAfter).toBe(1);
  });

  it('asks for a company name before any request when there is neither a company nor a name', async () => {
    const { win } = stubOpen();
    const onError = vi.fn();
    const f = recordingFetcher();
    const { hook } = renderConnection({ onError }, f);
    await act(async () => {
      await hook.result.current.connect('qhyg');
    });
    expect(hook.result.current.status).toBe('error');
    expect(expectBillPayError(hook.result.current.error, 'invalid-input').field).toBe('name');
    expect(win.close).toHaveBeenCalled();
    expect(onError).toHaveBeenCalledTimes(1);
    expect(f.calls).toHaveLength(0);
  });

  it('refuses an unknown platform before opening anything', async () => {
    const { open } = stubOpen();
    const f = recordingFetcher();
    const { hook } = renderConnection({ companyId }, f);
    await act(async () => {
      await hook.result.current.connect('nope');
    });
    expect(hook.result.current.status).toBe('error');
    expect(expectBillPayError(hook.result.current.error, 'invalid-input').field).toBe('platformKey');
    expect(open).not.toHaveBeenCalled();
    expect(f.calls).toHaveLength(0);
  });

  it('lands Codat’s 403 in error and closes the popup when the platform is not enabled for the client', async () => {
    const { win } = stubOpen();
    const onError = vi.fn();
    const onLaunched = vi.fn();
    const setup = fresh({ enabledPlatforms: ['qhyg'] });
    const { hook, calls, sandbox } = renderConnection({ companyId, onError, onLaunched }, setup);
    await act(async () => {
      await hook.result.current.connect('gbol');
    });
    expect(hook.result.current.status).toBe('error');
    const error = expectBillPayError(hook.result.current.error, 'http');
    expect(error.status).toBe(403);
    expect(error.operation).toBe('createConnection');
    expect(hook.result.current.connection).toBeUndefined();
    expect(win.close).toHaveBeenCalled();
    expect(win.location.href).toBe('about:blank');
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onLaunched).not.toHaveBeenCalled();
    expect(calls()).toEqual(['GET listConnections', 'POST createConnection']);
    expect(sandbox.listConnections(companyId)).toEqual([]);
  });

  it.each(['fbrh', 'rwuv', 'pdvj', 'pqsw'])('accepts the Bill Pay platform %s, of either list, by default', async (platformKey) => {
    const { win } = stubOpen();
    const { hook, calls } = renderConnection({ companyId }, fresh());
    await act(async () => {
      await hook.result.current.connect(platformKey);
    });
    expect(hook.result.current.status).toBe('awaiting-auth');
    expect(hook.result.current.connection?.integrationKey).toBe(platformKey);
    expect(win.location.href).toBe(hook.result.current.connection?.linkUrl);
    expect(calls()).toEqual(['GET listConnections', 'POST createConnection']);
  });

  it('aborts the request in flight on unmount, closes the popup and fires nothing even if an answer still arrives', async () => {
    const { win } = stubOpen();
    const f = recordingFetcher({ honourAbort: false });
    const onError = vi.fn();
    const onCompanyCreated = vi.fn();
    const onLaunched = vi.fn();
    const { hook } = renderConnection({ company: { name: 'Acme' }, onError, onCompanyCreated, onLaunched }, f);
    let pending: Promise<Connection | undefined> | undefined;
    act(() => {
      pending = hook.result.current.connect('qhyg');
    });
    hook.unmount();
    expect(f.nth(0).signal?.aborted).toBe(true);
    f.nth(0).respond(200, companyBody());
    await expect(pending).resolves.toBeUndefined();
    expect(f.calls).toHaveLength(1);
    expect(win.close).toHaveBeenCalled();
    expect(onCompanyCreated).not.toHaveBeenCalled();
    expect(onLaunched).not.toHaveBeenCalled();
    expect(onError).not.toHaveBeenCalled();
  });

  it('does not surface the abort as an error when the transport rejects on unmount', async () => {
    stubOpen();
    const f = recordingFetcher();
    const onError = vi.fn();
    const { hook } = renderConnection({ companyId, onError }, f);
    let pending: Promise<Connection | undefined> | undefined;
    act(() => {
      pending = hook.result.current.connect('qhyg');
    });
    hook.unmount();
    await expect(pending).resolves.toBeUndefined();
    expect(f.nth(0).settled).toBe(true);
    expect(onError).not.toHaveBeenCalled();
  });
});

describe('useConnection: a watch that fails for good', () => {
  it('closes the Link window and lands the error when a poll answers 404', async () => {
    const onError = vi.fn();
    const { hook, setup, win } = await connectAndWait({ onError });
    setup.sandbox.fail('getConnection', { kind: 'status', status: 404, message: 'Connection not found.' });
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(hook.result.current.status).toBe('error');
    expect(expectBillPayError(hook.result.current.error, 'http').status).toBe(404);
    expect(win.close).toHaveBeenCalled();
    expect(onError).toHaveBeenCalledTimes(1);
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    expect(gets(setup)).toHaveLength(1);
  });
});

describe('useConnection: two flows on one page', () => {
  it('gives each hook instance its own popup name, so a second connect never takes over the first window', async () => {
    const { open } = stubOpen();
    // Two customers on one page (one accounting connection each), each connecting for the first time.
    const setup = sandboxSetup({
      seed: {
        companies: [
          { id: companyId, name: 'Acme', connections: [] },
          { id: otherCompanyId, name: 'Globex', connections: [] },
        ],
      },
    });
    const { result } = renderHook(() => ({ a: useConnection({ companyId }), b: useConnection({ companyId: otherCompanyId }) }), {
      wrapper: wrapperFor({ fetcher: setup.fetcher }),
    });
    await act(async () => {
      await result.current.a.connect('qhyg');
      await result.current.b.connect('gbol');
    });
    expect(result.current.a.status).toBe('awaiting-auth');
    expect(result.current.b.status).toBe('awaiting-auth');
    expect(setup.calls()).toEqual(['GET listConnections', 'POST createConnection', 'GET listConnections', 'POST createConnection']);
    expect(open).toHaveBeenCalledTimes(2);
    const [first, second] = open.mock.calls.map((c) => c[1]);
    expect(first).toMatch(/^bpc-link:/);
    expect(second).toMatch(/^bpc-link:/);
    expect(first).not.toBe(second);
  });
});

describe('useConnection: switching customer mid-flow', () => {
  it('ends the old company’s flow: no more polling and no onConnected for it', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: false });
    stubOpen();
    const onConnected = vi.fn();
    const setup = fresh();
    const { hook } = renderConnection({ companyId, onConnected }, setup);
    await act(async () => {
      void hook.result.current.connect('qhyg');
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(hook.result.current.status).toBe('awaiting-auth');
    const created = hook.result.current.connection?.id ?? '';
    hook.rerender({ companyId: otherCompanyId, onConnected });
    expect(hook.result.current.status).toBe('idle');
    expect(hook.result.current.companyId).toBe(otherCompanyId);
    setup.sandbox.authorize(created);
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    expect(gets(setup)).toHaveLength(0);
    expect(onConnected).not.toHaveBeenCalled();
  });
});

/** Renders the hook beside `useConnections`, so the store holds the company's list before connect() decides. */
async function renderWithList<S extends { fetcher: Fetcher }>(options: UseConnectionOptions, setup: S, strict = false) {
  const hook = renderHook((props: UseConnectionOptions) => ({ one: useConnection(props), list: useConnections({ companyId }) }), {
    initialProps: options,
    ...withProvider({ fetcher: setup.fetcher, clientOptions: { retry: false } }, strict),
  });
  if (vi.isFakeTimers()) await act(() => vi.advanceTimersByTimeAsync(0));
  else await waitFor(() => expect(hook.result.current.list.status).toBe('success'));
  expect(hook.result.current.list.status).toBe('success');
  return { ...setup, hook };
}

/** The company's connections in the sandbox, as [platform, status]. */
const rows = (setup: ReturnType<typeof sandboxSetup>) => setup.sandbox.listConnections(companyId).map((c) => [c.integrationKey, c.status]);

const notLinked = ['PendingAuth', 'Unlinked', 'Deauthorized'] as const;
const authorised = ['Linked', 'Unlinked', 'Deauthorized'] as const;

describe('useConnection: one accounting connection per company', () => {
  describe('a Linked connection to the same platform', () => {
    it('after reading the list: linked, the popup opened in the click closed, nothing created, onConnected not fired', async () => {
      const { win, open } = stubOpen();
      const onConnected = vi.fn();
      const onLaunched = vi.fn();
      const setup = seeded('Linked');
      const { hook, calls } = renderConnection({ companyId, onConnected, onLaunched }, setup);
      let pending: Promise<Connection | undefined> | undefined;
      act(() => {
        pending = hook.result.current.connect('qhyg');
      });
      expect(open).toHaveBeenCalledTimes(1);
      expect(hook.result.current.status).toBe('creating');
      let answer: Connection | undefined;
      await act(async () => {
        answer = await pending;
      });
      expect(hook.result.current.status).toBe('linked');
      expect(hook.result.current.connection?.id).toBe(connectionId);
      expect(answer?.id).toBe(connectionId);
      expect(win.close).toHaveBeenCalled();
      expect(win.location.href).toBe('about:blank');
      expect(calls()).toEqual(['GET listConnections']);
      expect(rows(setup)).toEqual([['qhyg', 'Linked']]);
      expect(onConnected).not.toHaveBeenCalled();
      expect(onLaunched).not.toHaveBeenCalled();
    });

    it('known from the store: linked at once, no popup, no request, onConnected not fired', async () => {
      const { open } = stubOpen();
      const onConnected = vi.fn();
      const setup = seeded('Linked');
      const { hook, calls } = await renderWithList({ companyId, onConnected }, setup);
      expect(hook.result.current.one.status).toBe('idle');
      let pending: Promise<Connection | undefined> | undefined;
      act(() => {
        pending = hook.result.current.one.connect('qhyg');
      });
      expect(hook.result.current.one.status).toBe('linked');
      expect(hook.result.current.one.connection?.id).toBe(connectionId);
      await expect(pending).resolves.toMatchObject({ id: connectionId, status: 'Linked' });
      expect(open).not.toHaveBeenCalled();
      expect(calls()).toEqual(['GET listConnections']);
      expect(onConnected).not.toHaveBeenCalled();
    });
  });

  describe('a connection to the same platform that is not Linked', () => {
    it.each(notLinked)('continues a %s one after reading the list: opens the linkUrl the list brought, no POST, until Linked', async (status) => {
      vi.useFakeTimers({ shouldAdvanceTime: false });
      const { win, open } = stubOpen();
      const onConnected = vi.fn();
      const onLaunched = vi.fn();
      const setup = seeded(status);
      const { hook, calls, sandbox } = renderConnection({ companyId, onConnected, onLaunched }, { ...setup, fetcher: oneTimeLinks(setup.fetcher) });
      act(() => {
        void hook.result.current.connect('qhyg');
      });
      expect(open).toHaveBeenCalledTimes(1);
      expect(win.location.href).toBe('about:blank');
      await act(() => vi.advanceTimersByTimeAsync(0));
      expect(hook.result.current.status).toBe('awaiting-auth');
      expect(hook.result.current.connection?.id).toBe(connectionId);
      expect(win.location.href).toBe(`${sandboxLinkUrl}?otp=1`);
      expect(calls()).toEqual(['GET listConnections']);
      expect(onLaunched).toHaveBeenCalledTimes(1);
      sandbox.authorize(connectionId);
      await act(() => vi.advanceTimersByTimeAsync(2000));
      expect(hook.result.current.status).toBe('linked');
      expect(win.close).toHaveBeenCalled();
      expect(onConnected).toHaveBeenCalledTimes(1);
      expect(calls()).toEqual(['GET listConnections', 'GET getConnection']);
      expect(rows(setup)).toEqual([['qhyg', 'Linked']]);
    });

    it.each(notLinked)('continues a %s one known from the store: the popup in the click, one fresh read of the connection, no list read, no POST', async (status) => {
      vi.useFakeTimers({ shouldAdvanceTime: false });
      const { win, open } = stubOpen();
      const onLaunched = vi.fn();
      const setup = seeded(status);
      const { hook, calls } = await renderWithList({ companyId, onLaunched }, { ...setup, fetcher: oneTimeLinks(setup.fetcher) });
      expect(hook.result.current.list.connections[0]?.linkUrl).toBe(`${sandboxLinkUrl}?otp=1`);
      act(() => {
        void hook.result.current.one.connect('qhyg');
      });
      expect(open).toHaveBeenCalledTimes(1);
      expect(win.location.href).toBe('about:blank');
      await act(() => vi.advanceTimersByTimeAsync(0));
      expect(hook.result.current.one.status).toBe('awaiting-auth');
      expect(hook.result.current.one.connection?.id).toBe(connectionId);
      // Never the linkUrl kept from the list: Codat's one-time links are single use.
      expect(win.location.href).toBe(`${sandboxLinkUrl}?otp=2`);
      expect(calls()).toEqual(['GET listConnections', 'GET getConnection']);
      expect(onLaunched).toHaveBeenCalledTimes(1);
      expect(rows(setup)).toEqual([['qhyg', status]]);
    });
  });

  describe('a connection to another platform that was authorised', () => {
    it.each(authorised)('asks to confirm before replacing a %s one read from the list: the popup closed, nothing deleted or created', async (status) => {
      const { win, open } = stubOpen();
      const onLaunched = vi.fn();
      const onError = vi.fn();
      const setup = seeded(status, 'gbol');
      const { hook, calls } = renderConnection({ companyId, onLaunched, onError }, setup);
      let answer: Connection | undefined | 'unset' = 'unset';
      await act(async () => {
        answer = await hook.result.current.connect('qhyg');
      });
      expect(answer).toBeUndefined();
      expect(hook.result.current).toMatchObject({ status: 'confirm-switch', switchTo: 'qhyg', error: undefined });
      expect(hook.result.current.connection).toMatchObject({ id: connectionId, integrationKey: 'gbol', status });
      expect(open).toHaveBeenCalledTimes(1);
      expect(win.close).toHaveBeenCalled();
      expect(win.location.href).toBe('about:blank');
      expect(calls()).toEqual(['GET listConnections']);
      expect(rows(setup)).toEqual([['gbol', status]]);
      expect(onLaunched).not.toHaveBeenCalled();
      expect(onError).not.toHaveBeenCalled();
    });

    it.each(authorised)('asks to confirm before replacing a %s one known from the store: no popup, no request', async (status) => {
      const { open } = stubOpen();
      const setup = seeded(status, 'gbol');
      const { hook, calls } = await renderWithList({ companyId }, setup);
      let pending: Promise<Connection | undefined> | undefined;
      act(() => {
        pending = hook.result.current.one.connect('qhyg');
      });
      expect(hook.result.current.one).toMatchObject({ status: 'confirm-switch', switchTo: 'qhyg' });
      expect(hook.result.current.one.connection).toMatchObject({ id: connectionId, integrationKey: 'gbol' });
      await expect(pending).resolves.toBeUndefined();
      expect(open).not.toHaveBeenCalled();
      expect(calls()).toEqual(['GET listConnections']);
    });

    it('confirmSwitch, called in the click, opens the popup first, then sends exactly DELETE of the old connection and POST of the new, one at a time', async () => {
      const { win, open } = stubOpen();
      const onLaunched = vi.fn();
      const f = recordingFetcher();
      const { hook } = renderConnection({ companyId, onLaunched }, f);
      act(() => {
        void hook.result.current.connect('qhyg');
      });
      await act(async () => {
        f.nth(0).respond(200, pageBody([connectionBody({ integrationKey: 'gbol', platformName: 'Xero', status: 'Linked' })]));
        await Promise.resolve();
      });
      await waitFor(() => expect(hook.result.current.status).toBe('confirm-switch'));
      expect(f.requests()).toEqual([`GET ${listPath}`]);
      expect(open).toHaveBeenCalledTimes(1);
      expect(win.closed).toBe(true);
      act(() => hook.result.current.confirmSwitch());
      expect(open).toHaveBeenCalledTimes(2);
      expect(win.closed).toBe(false);
      expect(win.location.href).toBe('about:blank');
      expect(hook.result.current.status).toBe('creating');
      expect(f.requests()).toEqual([`GET ${listPath}`, `DELETE /companies/${companyId}/connections/${connectionId}`]);
      expect(open.mock.invocationCallOrder[1]).toBeLessThan(f.fetcher.mock.invocationCallOrder[1] ?? 0);
      act(() => f.nth(1).resolve(new Response(null, { status: 200 })));
      await waitFor(() => expect(f.calls).toHaveLength(3));
      expect(f.nth(2)).toMatchObject({ method: 'POST', path: `/companies/${companyId}/connections`, body: { platformKey: 'qhyg' }, inFlightAtStart: 0 });
      const newId = '9c0f1e2d-3b4a-4c5d-8e6f-7a8b9c0d1e2f';
      const newLink = `https://link.codat.io/companies/${companyId}/connections/${newId}/start`;
      act(() => f.nth(2).respond(200, connectionBody({ id: newId, linkUrl: newLink })));
      await waitFor(() => expect(hook.result.current.status).toBe('awaiting-auth'));
      expect(hook.result.current.connection?.id).toBe(newId);
      expect(hook.result.current.switchTo).toBeUndefined();
      expect(win.location.href).toBe(newLink);
      expect(onLaunched).toHaveBeenCalledTimes(1);
      expect(f.calls).toHaveLength(3);
    });

    it('confirmSwitch against the sandbox, decided from the store: DELETE then POST, one connection left, the new one linked', async () => {
      vi.useFakeTimers({ shouldAdvanceTime: false });
      const { win, open } = stubOpen();
      const onConnected = vi.fn();
      const setup = seeded('Linked', 'gbol');
      const { hook, calls, sandbox } = await renderWithList({ companyId, onConnected }, setup);
      act(() => {
        void hook.result.current.one.connect('qhyg');
      });
      expect(hook.result.current.one.status).toBe('confirm-switch');
      expect(open).not.toHaveBeenCalled();
      act(() => hook.result.current.one.confirmSwitch());
      expect(open).toHaveBeenCalledTimes(1);
      await act(() => vi.advanceTimersByTimeAsync(0));
      expect(hook.result.current.one.status).toBe('awaiting-auth');
      expect(calls()).toEqual(['GET listConnections', 'DELETE deleteConnection', 'POST createConnection']);
      expect(sandbox.requests[1]?.path).toBe(`/companies/${companyId}/connections/${connectionId}`);
      expect(rows(setup)).toEqual([['qhyg', 'PendingAuth']]);
      expect(hook.result.current.list.connections.map((c) => c.integrationKey)).toEqual(['qhyg']);
      const created = hook.result.current.one.connection?.id ?? '';
      expect(win.location.href).toBe(hook.result.current.one.connection?.linkUrl);
      sandbox.authorize(created);
      await act(() => vi.advanceTimersByTimeAsync(2000));
      expect(hook.result.current.one.status).toBe('linked');
      expect(onConnected).toHaveBeenCalledTimes(1);
      expect(rows(setup)).toEqual([['qhyg', 'Linked']]);
    });

    it('confirmSwitch on a hook given the old connection never reads the deleted connection back nor reports an error', async () => {
      vi.useFakeTimers({ shouldAdvanceTime: false });
      stubOpen();
      const onError = vi.fn();
      const setup = seeded('Linked', 'gbol');
      const { hook, calls } = await renderWithList({ companyId, connectionId, onError }, setup);
      act(() => {
        void hook.result.current.one.connect('qhyg');
      });
      expect(hook.result.current.one.status).toBe('confirm-switch');
      act(() => hook.result.current.one.confirmSwitch());
      await act(() => vi.advanceTimersByTimeAsync(0));
      expect(hook.result.current.one.status).toBe('awaiting-auth');
      // The given connection is read once on mount; never again after the switch deleted it.
      expect(calls()).toEqual(['GET getConnection', 'GET listConnections', 'DELETE deleteConnection', 'POST createConnection']);
      expect(onError).not.toHaveBeenCalled();
    });

    it('cancelSwitch keeps the existing connection and returns to the state before connect()', async () => {
      const { open } = stubOpen();
      const setup = seeded('Linked', 'gbol');
      const { hook, calls } = await renderWithList({ companyId }, setup);
      act(() => {
        void hook.result.current.one.connect('qhyg');
      });
      expect(hook.result.current.one.status).toBe('confirm-switch');
      act(() => hook.result.current.one.cancelSwitch());
      expect(hook.result.current.one).toMatchObject({ status: 'idle', connection: undefined, switchTo: undefined, error: undefined });
      // confirmSwitch after a cancel does nothing.
      act(() => hook.result.current.one.confirmSwitch());
      expect(hook.result.current.one.status).toBe('idle');
      expect(open).not.toHaveBeenCalled();
      expect(calls()).toEqual(['GET listConnections']);
      expect(rows(setup)).toEqual([['gbol', 'Linked']]);
    });

    it('cancelSwitch on a hook showing the connection returns to linked', async () => {
      const setup = seeded('Linked', 'gbol');
      const { hook, calls } = await renderWithList({ companyId, connectionId }, setup);
      await waitFor(() => expect(hook.result.current.one.status).toBe('linked'));
      act(() => {
        void hook.result.current.one.connect('qhyg');
      });
      expect(hook.result.current.one).toMatchObject({ status: 'confirm-switch', switchTo: 'qhyg' });
      act(() => hook.result.current.one.cancelSwitch());
      expect(hook.result.current.one).toMatchObject({ status: 'linked', switchTo: undefined });
      expect(hook.result.current.one.connection?.id).toBe(connectionId);
      expect(calls()).toEqual(['GET getConnection', 'GET listConnections']);
      expect(rows(setup)).toEqual([['gbol', 'Linked']]);
    });
  });

  describe('only abandoned attempts (PendingAuth) at other platforms', () => {
    const attempts = () =>
      sandboxSetup({
        seed: {
          companies: [
            {
              id: companyId,
              name: 'Acme',
              connections: [
                { id: connectionId, platformKey: 'gbol', status: 'PendingAuth' },
                { id: otherCompanyId, platformKey: 'knfz', status: 'PendingAuth' },
              ],
            },
          ],
        },
      });

    it('after reading the list: deletes them, then creates the connection, in the popup opened in the click', async () => {
      const { win, open } = stubOpen();
      const setup = attempts();
      const { hook, calls, sandbox } = renderConnection({ companyId }, setup);
      act(() => {
        void hook.result.current.connect('qhyg');
      });
      expect(open).toHaveBeenCalledTimes(1);
      await waitFor(() => expect(hook.result.current.status).toBe('awaiting-auth'));
      expect(calls()).toEqual(['GET listConnections', 'DELETE deleteConnection', 'DELETE deleteConnection', 'POST createConnection']);
      expect(sandbox.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual(
        expect.arrayContaining([`/companies/${companyId}/connections/${connectionId}`, `/companies/${companyId}/connections/${otherCompanyId}`]),
      );
      expect(rows(setup)).toEqual([['qhyg', 'PendingAuth']]);
      expect(win.location.href).toBe(hook.result.current.connection?.linkUrl);
      expect(open).toHaveBeenCalledTimes(1);
    });

    it('known from the store: deletes them, then creates the connection, without reading the list again', async () => {
      const { open } = stubOpen();
      const setup = attempts();
      const { hook, calls } = await renderWithList({ companyId }, setup);
      act(() => {
        void hook.result.current.one.connect('qhyg');
      });
      expect(open).toHaveBeenCalledTimes(1);
      await waitFor(() => expect(hook.result.current.one.status).toBe('awaiting-auth'));
      expect(calls()).toEqual(['GET listConnections', 'DELETE deleteConnection', 'DELETE deleteConnection', 'POST createConnection']);
      expect(rows(setup)).toEqual([['qhyg', 'PendingAuth']]);
      expect(hook.result.current.list.connections.map((c) => c.integrationKey)).toEqual(['qhyg']);
    });
  });

  it('cancel then connect again leaves exactly one connection in the sandbox, continued rather than created again', async () => {
    const onConnected = vi.fn();
    const { hook, setup, win, open, created, calls } = await connectAndWait({ onConnected });
    win.closed = true;
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(hook.result.current.status).toBe('cancelled');
    act(() => {
      void hook.result.current.connect('qhyg');
    });
    expect(open).toHaveBeenCalledTimes(2);
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(hook.result.current.status).toBe('awaiting-auth');
    expect(hook.result.current.connection?.id).toBe(created);
    expect(calls()).toEqual(['GET listConnections', 'POST createConnection', 'GET getConnection', 'GET getConnection']);
    expect(setup.sandbox.listConnections(companyId)).toHaveLength(1);
    setup.sandbox.authorize(created);
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(hook.result.current.status).toBe('linked');
    expect(onConnected).toHaveBeenCalledTimes(1);
    expect(rows(setup)).toEqual([['qhyg', 'Linked']]);
  });
});

describe('useConnection: analytics events', () => {
  function renderWithEvents(options: UseConnectionOptions, fetcher: Fetcher) {
    const events: BillPayEvent[] = [];
    const hook = renderHook((props: UseConnectionOptions) => useConnection(props), {
      initialProps: options,
      wrapper: ({ children }: { children?: ReactNode }) => (
        <CodatProvider fetcher={fetcher} clientOptions={{ retry: false }} onEvent={(event) => events.push(event)}>
          {children}
        </CodatProvider>
      ),
    });
    return { hook, events };
  }

  it('reports connect-started, link-opened (popup) and linked, with the platform, ids and timing', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: false, now: new Date('2026-12-01T12:00:00Z') });
    stubOpen();
    const setup = fresh();
    const { hook, events } = renderWithEvents({ companyId }, setup.fetcher);
    await act(async () => {
      void hook.result.current.connect('qhyg');
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(hook.result.current.status).toBe('awaiting-auth');
    const created = hook.result.current.connection?.id ?? '';
    setup.sandbox.authorize(created);
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(hook.result.current.status).toBe('linked');
    const at = Date.parse('2026-12-01T12:00:00Z');
    expect(events).toEqual([
      { type: 'connect-started', platformKey: 'qhyg', companyId, at },
      { type: 'link-opened', platformKey: 'qhyg', companyId, connectionId: created, mode: 'popup', elapsedMs: 0, at },
      { type: 'linked', platformKey: 'qhyg', companyId, connectionId: created, elapsedMs: 2000, at: at + 2000 },
    ]);
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    expect(events).toHaveLength(3);
  });

  it('reports connect-started, link-opened, then cancelled (not an error: the user chose it) when the popup is closed', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: false, now: new Date('2026-12-01T12:00:00Z') });
    const { win } = stubOpen();
    const setup = fresh();
    const { hook, events } = renderWithEvents({ companyId }, setup.fetcher);
    await act(async () => {
      void hook.result.current.connect('gbol');
      await vi.advanceTimersByTimeAsync(0);
    });
    const created = hook.result.current.connection?.id ?? '';
    win.closed = true;
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(hook.result.current.status).toBe('cancelled');
    expect(events.map((e) => e.type)).toEqual(['connect-started', 'link-opened', 'cancelled']);
    expect(events[1]).toMatchObject({ mode: 'popup', connectionId: created, platformKey: 'gbol' });
    expect(events[2]).toEqual({ type: 'cancelled', platformKey: 'gbol', companyId, connectionId: created, elapsedMs: 500, at: Date.parse('2026-12-01T12:00:00.500Z') });
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    expect(events).toHaveLength(3);
  });

  it('reports connect-started then one error, and no link-opened, when the POST fails', async () => {
    stubOpen();
    const setup = fresh({ faults: { createConnection: { kind: 'status', status: 400, message: 'Bad platform.' } } });
    const { hook, events } = renderWithEvents({ companyId }, setup.fetcher);
    await act(async () => {
      await hook.result.current.connect('qhyg');
    });
    expect(hook.result.current.status).toBe('error');
    expect(events.map((e) => e.type)).toEqual(['connect-started', 'error']);
    const error = events[1]?.type === 'error' ? events[1].error : undefined;
    expect(error).toBe(hook.result.current.error);
    expect(error).toMatchObject({ code: 'http', status: 400, operation: 'createConnection' });
    expect(events[1]).toMatchObject({ platformKey: 'qhyg' });
  });

  it.each([
    ['redirect', 'redirect'],
    ['new-tab', 'new-tab'],
  ] as const)('reports link-opened with mode %s', async (launch, mode) => {
    stubOpen();
    const location = stubLocation();
    try {
      const setup = fresh();
      const { hook, events } = renderWithEvents({ companyId, launch }, setup.fetcher);
      await act(async () => {
        await hook.result.current.connect('qhyg');
      });
      expect(events.map((e) => e.type)).toEqual(['connect-started', 'link-opened']);
      expect(events[1]).toMatchObject({ mode, connectionId: hook.result.current.connection?.id });
    } finally {
      location.restore();
    }
  });

  it('reports only connect-started when the platform is already connected: nothing was opened or linked in this flow', async () => {
    stubOpen();
    const setup = seeded('Linked');
    const { hook, events } = renderWithEvents({ companyId }, setup.fetcher);
    await act(async () => {
      await hook.result.current.connect('qhyg');
    });
    expect(hook.result.current.status).toBe('linked');
    expect(events.map((e) => e.type)).toEqual(['connect-started']);
  });
});
