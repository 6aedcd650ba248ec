import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Connection, Fetcher, LinkUrlPolicy } from '../../src/core/index.js';
import { useCodatContext, useConnection, type UseConnectionOptions } from '../../src/hooks/index.js';
import {
  codatError,
  companyBody,
  companyId,
  connectionBody,
  connectionId,
  expectBillPayError,
  failOnConsoleError,
  linkUrl,
  oneTimeLinks,
  otherCompanyId,
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

/** Connects an existing company against the sandbox under fake timers and lands in awaiting-auth. */
async function connectAndWait(options: UseConnectionOptions = {}, platformKey = 'qhyg') {
  vi.useFakeTimers({ shouldAdvanceTime: false });
  const popup = stubOpen();
  const setup = seeded('Linked');
  const rendered = renderConnection({ companyId, ...options }, setup);
  await act(async () => {
    void rendered.hook.result.current.connect(platformKey);
    await vi.advanceTimersByTimeAsync(0);
  });
  expect(rendered.hook.result.current.status).toBe('awaiting-auth');
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

  it('sends exactly one request for an existing company', async () => {
    stubOpen();
    const f = recordingFetcher();
    const { hook } = renderConnection({ companyId }, f);
    act(() => {
      void hook.result.current.connect('gbol');
    });
    expect(f.requests()).toEqual([`POST /companies/${companyId}/connections`]);
    act(() => f.nth(0).respond(200, connectionBody({ integrationKey: 'gbol' })));
    await waitFor(() => expect(hook.result.current.status).toBe('awaiting-auth'));
    expect(f.calls).toHaveLength(1);
    expect(hook.result.current.platformKey).toBe('gbol');
  });

  it('connects with the platformKey option when connect() is called without one', async () => {
    stubOpen();
    const setup = seeded('Linked');
    const { hook, sandbox } = renderConnection({ companyId, platformKey: 'knfz' }, setup);
    await act(async () => {
      await hook.result.current.connect();
    });
    expect(sandbox.requests.map((r) => r.body)).toEqual([{ platformKey: 'knfz' }]);
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
    expect(f.calls).toHaveLength(1);
    expect(open).toHaveBeenCalledTimes(1);
    act(() => f.nth(0).respond(200, connectionBody()));
    await waitFor(() => expect(hook.result.current.status).toBe('awaiting-auth'));
    expect(f.calls).toHaveLength(1);
  });

  it.each([
    ['a new customer', { company: { name: 'Acme' } }, ['POST createCompany', 'POST createConnection']],
    ['an existing company', { companyId }, ['POST createConnection']],
  ])('sends one POST per intent under StrictMode for %s', async (_label, options, expected) => {
    stubOpen();
    const onCompanyCreated = vi.fn();
    const setup = seeded('Linked');
    const { hook, calls } = renderConnection({ ...options, onCompanyCreated }, setup, true);
    expect(calls()).toEqual([]);
    act(() => {
      void hook.result.current.connect('qhyg');
    });
    await waitFor(() => expect(hook.result.current.status).toBe('awaiting-auth'));
    expect(calls()).toEqual(expected);
    expect(onCompanyCreated).toHaveBeenCalledTimes(expected.length - 1);
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

  it('reuses the company it created when connect is called again after a cancel: one POST for the new intent', async () => {
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
    expect(calls()).toEqual(['POST createCompany', 'POST createConnection', 'GET getConnection', 'POST createConnection']);
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
      f.nth(0).respond(200, connectionBody());
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(result.current.connection.status).toBe('awaiting-auth');
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(f.requests()[1]).toBe(`GET /companies/${companyId}/connections/${connectionId}`);
    unmount();
    expect(f.nth(1).signal?.aborted).toBe(true);
    f.nth(1).respond(200, connectionBody({ status: 'Linked' }));
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
      act(() => f.nth(0).respond(200, connectionBody()));
      await waitFor(() => expect(hook.result.current.status).toBe('redirecting'));
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
      const { hook, calls } = renderConnection({ companyId, platformKey: 'gbol' }, seeded('Linked'));
      await act(async () => {
        await hook.result.current.connect();
      });
      expect(hook.result.current.status).toBe('blocked');
      act(() => hook.result.current.launch('redirect'));
      await waitFor(() => expect(hook.result.current.status).toBe('redirecting'));
      expect(calls()).toEqual(['POST createConnection']);
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
      const { hook } = renderConnection({ companyId, launch: 'redirect' }, seeded('Linked'));
      await act(async () => {
        await hook.result.current.connect('qhyg');
      });
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
    act(() => f.nth(0).respond(200, connectionBody({ linkUrl: 'HTTPS://Link.Codat.io/start?x=1' })));
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
    act(() => f.nth(0).respond(200, connectionBody()));
    await waitFor(() => expect(hook.result.current.status).toBe('awaiting-auth'));
    expect(win.location.href).toBe(linkUrl);
  });

  it('continues in this tab when a new tab is blocked', async () => {
    stubOpen(true);
    const location = stubLocation();
    try {
      const { hook } = renderConnection({ companyId, launch: 'new-tab' }, seeded('Linked'));
      await act(async () => {
        await hook.result.current.connect('pdvj');
      });
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
      await act(async () => {
        f.nth(0).respond(200, connectionBody({ linkUrl: unsafe }));
        await pending;
      });
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
      act(() => viaCallback.nth(0).respond(200, connectionBody({ linkUrl: 'javascript:alert(1)' })));
      await waitFor(() => expect(callback.hook.result.current.status).toBe('error'));
      expectBillPayError(callback.hook.result.current.error, 'unsafe-link-url');
      expect(onLaunch).not.toHaveBeenCalled();

      const viaRedirect = recordingFetcher();
      const redirect = renderConnection({ companyId, popupFallback: 'redirect' }, viaRedirect);
      act(() => {
        void redirect.hook.result.current.connect('qhyg');
      });
      act(() => viaRedirect.nth(0).respond(200, connectionBody({ linkUrl: 'javascript:alert(1)' })));
      await waitFor(() => expect(redirect.hook.result.current.status).toBe('error'));
      expectBillPayError(redirect.hook.result.current.error, 'unsafe-link-url');
      expect(location.assign).not.toHaveBeenCalled();
    } finally {
      location.restore();
    }
  });

  it('accepts a loopback http linkUrl only when the provider allows it', async () => {
    const { win } = stubOpen();
    const refused = renderConnection({ companyId }, seeded('Linked', 'qhyg', { linkBaseUrl: 'http://127.0.0.1:4010/link' }));
    await act(async () => {
      await refused.hook.result.current.connect('qhyg');
    });
    expect(refused.hook.result.current.status).toBe('error');
    expectBillPayError(refused.hook.result.current.error, 'unsafe-link-url');
    expect(win.location.href).toBe('about:blank');
    win.closed = false;
    const allowed = renderConnection({ companyId }, seeded('Linked', 'qhyg', { linkBaseUrl: 'http://127.0.0.1:4010/link' }), false, {
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
      await act(async () => {
        answer(f.nth(0));
        await expect(pending).resolves.toBeUndefined();
      });
      expect(hook.result.current.status).toBe('error');
      const error = expectBillPayError(hook.result.current.error, code);
      expect(error.operation).toBe('createConnection');
      check?.(error);
      expect(win.close).toHaveBeenCalled();
      expect(onError).toHaveBeenCalledTimes(1);
      expect(onLaunched).not.toHaveBeenCalled();
      expect(f.calls).toHaveLength(1);
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
    await act(() => vi.advanceTimersByTimeAsync(2999));
    expect(result.current.status).toBe('creating');
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(result.current.status).toBe('error');
    expectBillPayError(result.current.error, 'timeout');
    expect(onError).toHaveBeenCalledTimes(1);
    expect(f.calls).toHaveLength(1);
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
      f.nth(0).respond(429, codatError(429, 'Rate limit exceeded.'), { 'Retry-After': '1' });
      await vi.advanceTimersByTimeAsync(60_000);
    });
    expect(f.calls).toHaveLength(1);
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
    const setup = seeded('Linked', 'qhyg', { enabledPlatforms: ['qhyg'] });
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
    expect(calls()).toEqual(['POST createConnection']);
    expect(sandbox.listConnections(companyId).map((c) => c.integrationKey)).toEqual(['qhyg']);
  });

  it.each(['fbrh', 'rwuv', 'pdvj', 'pqsw'])('accepts the Bill Pay platform %s, of either list, by default', async (platformKey) => {
    const { win } = stubOpen();
    const { hook, calls } = renderConnection({ companyId }, seeded('Linked'));
    await act(async () => {
      await hook.result.current.connect(platformKey);
    });
    expect(hook.result.current.status).toBe('awaiting-auth');
    expect(hook.result.current.connection?.integrationKey).toBe(platformKey);
    expect(win.location.href).toBe(hook.result.current.connection?.linkUrl);
    expect(calls()).toEqual(['POST createConnection']);
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
    const setup = seeded('Linked');
    const { result } = renderHook(() => ({ a: useConnection({ companyId }), b: useConnection({ companyId }) }), {
      wrapper: wrapperFor({ fetcher: setup.fetcher }),
    });
    await act(async () => {
      await result.current.a.connect('qhyg');
      await result.current.b.connect('gbol');
    });
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
    const setup = seeded('Linked');
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
