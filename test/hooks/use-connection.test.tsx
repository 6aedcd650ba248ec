import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useConnection, type UseConnectionOptions } from '../../src/hooks/index.js';
import { companyId, connectionId, deferred, sandboxSetup, seeded, stubLocation, stubOpen, wrapperFor } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

function renderConnection(options: UseConnectionOptions, setup = sandboxSetup(), strict = false, policy = {}) {
  const hook = renderHook((props: UseConnectionOptions) => useConnection(props), {
    initialProps: options,
    wrapper: wrapperFor({ fetcher: setup.fetcher, linkUrlPolicy: policy }, strict),
  });
  return { ...setup, hook };
}

describe('useConnection: creating and launching', () => {
  it('creates the company, then the connection, for a new customer: two sequential requests', async () => {
    const { win, open } = stubOpen();
    const onCompanyCreated = vi.fn();
    const { hook, calls, sandbox, fetcher } = renderConnection({ company: { name: 'Acme' }, onCompanyCreated });
    let openedBeforeFirstAnswer = false;
    fetcher.mockImplementationOnce(async (input, init) => {
      openedBeforeFirstAnswer = open.mock.calls.length === 1;
      return sandbox.fetcher(input, init);
    });
    act(() => {
      void hook.result.current.connect('qhyg');
    });
    expect(hook.result.current.status).toBe('creating');
    await waitFor(() => expect(hook.result.current.status).toBe('awaiting-auth'));
    expect(openedBeforeFirstAnswer).toBe(true);
    expect(calls()).toEqual(['POST createCompany', 'POST createConnection']);
    const created = sandbox.requests[0];
    const connectionRequest = sandbox.requests[1];
    expect(connectionRequest?.path).toBe(`/companies/${hook.result.current.companyId}/connections`);
    expect(created && connectionRequest && connectionRequest.time >= created.time).toBe(true);
    expect(onCompanyCreated).toHaveBeenCalledTimes(1);
    expect(win.opener).toBeNull();
    expect(win.location.href).toBe(hook.result.current.connection?.linkUrl);
    expect(hook.result.current.connection?.status).toBe('PendingAuth');
  });

  it('sends exactly one request for an existing company', async () => {
    stubOpen();
    const { hook, calls } = renderConnection({ companyId }, seeded('Linked'));
    act(() => {
      void hook.result.current.connect('gbol');
    });
    await waitFor(() => expect(hook.result.current.status).toBe('awaiting-auth'));
    expect(calls()).toEqual(['POST createConnection']);
  });

  it('sends one POST for a double click and for repeated calls', async () => {
    const { open } = stubOpen();
    const { hook, calls } = renderConnection({ company: { name: 'Acme' } });
    let first: Promise<unknown> | undefined;
    let second: Promise<unknown> | undefined;
    act(() => {
      first = hook.result.current.connect('qhyg');
      second = hook.result.current.connect('qhyg');
    });
    expect(first).toBe(second);
    await waitFor(() => expect(hook.result.current.status).toBe('awaiting-auth'));
    expect(calls()).toEqual(['POST createCompany', 'POST createConnection']);
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('sends one POST per intent under StrictMode', async () => {
    stubOpen();
    const { hook, calls } = renderConnection({ companyId }, seeded('Linked'), true);
    act(() => {
      void hook.result.current.connect('qhyg');
    });
    await waitFor(() => expect(hook.result.current.status).toBe('awaiting-auth'));
    expect(calls()).toEqual(['POST createConnection']);
  });

  it('reads a given connection once under StrictMode and reports it ready', async () => {
    const { hook, calls } = renderConnection({ companyId, connectionId }, seeded('Deauthorized'), true);
    expect(hook.result.current.status).toBe('loading');
    await waitFor(() => expect(hook.result.current.status).toBe('ready'));
    expect(calls()).toEqual(['GET getConnection']);
  });

  it('reports a given Linked connection as linked without firing onConnected', async () => {
    const onConnected = vi.fn();
    const { hook } = renderConnection({ companyId, connectionId, onConnected }, seeded('Linked'));
    await waitFor(() => expect(hook.result.current.status).toBe('linked'));
    expect(onConnected).not.toHaveBeenCalled();
  });

  it('does not refetch when re-rendered with an equal but new options object', async () => {
    const { hook, calls } = renderConnection({ companyId, connectionId }, seeded('Linked'));
    await waitFor(() => expect(hook.result.current.status).toBe('linked'));
    hook.rerender({ companyId, connectionId });
    hook.rerender({ companyId, connectionId });
    expect(calls()).toEqual(['GET getConnection']);
  });
});

describe('useConnection: watching the popup', () => {
  it('polls until the connection is Linked, then closes the popup and fires onConnected once', async () => {
    vi.useFakeTimers();
    const { win } = stubOpen();
    const onConnected = vi.fn();
    const { hook, sandbox } = renderConnection({ companyId, onConnected }, seeded('Linked'));
    await act(async () => {
      void hook.result.current.connect('qhyg');
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(hook.result.current.status).toBe('awaiting-auth');
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(sandbox.requests.filter((r) => r.operation === 'getConnection')).toHaveLength(1);
    expect(hook.result.current.status).toBe('awaiting-auth');
    const id = hook.result.current.connection?.id ?? '';
    sandbox.authorize(id);
    await act(() => vi.advanceTimersByTimeAsync(3000));
    expect(hook.result.current.status).toBe('linked');
    expect(hook.result.current.connection?.status).toBe('Linked');
    expect(win.close).toHaveBeenCalled();
    expect(onConnected).toHaveBeenCalledTimes(1);
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    expect(onConnected).toHaveBeenCalledTimes(1);
    expect(sandbox.requests.filter((r) => r.operation === 'getConnection')).toHaveLength(2);
  });

  it('ends in cancelled, after one last read, when the popup is closed without authorising', async () => {
    vi.useFakeTimers();
    const { win } = stubOpen();
    const onCancelled = vi.fn();
    const onError = vi.fn();
    const { hook, sandbox } = renderConnection({ companyId, onCancelled, onError }, seeded('Linked'));
    await act(async () => {
      void hook.result.current.connect('qhyg');
      await vi.advanceTimersByTimeAsync(0);
    });
    win.closed = true;
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(hook.result.current.status).toBe('cancelled');
    expect(hook.result.current.error?.code).toBe('link-cancelled');
    expect(sandbox.requests.filter((r) => r.operation === 'getConnection')).toHaveLength(1);
    expect(onCancelled).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledTimes(1);
    await act(() => vi.advanceTimersByTimeAsync(30_000));
    expect(sandbox.requests.filter((r) => r.operation === 'getConnection')).toHaveLength(1);
  });

  it('reports linked when the user authorised just before closing the popup', async () => {
    vi.useFakeTimers();
    const { win } = stubOpen();
    const onConnected = vi.fn();
    const { hook, sandbox } = renderConnection({ companyId, onConnected }, seeded('Linked'));
    await act(async () => {
      void hook.result.current.connect('knfz');
      await vi.advanceTimersByTimeAsync(0);
    });
    sandbox.authorize(hook.result.current.connection?.id ?? '');
    win.closed = true;
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(hook.result.current.status).toBe('linked');
    expect(onConnected).toHaveBeenCalledTimes(1);
  });

  it('checks at once when the host window regains focus', async () => {
    vi.useFakeTimers();
    stubOpen();
    const { hook, sandbox } = renderConnection({ companyId }, seeded('Linked'));
    await act(async () => {
      void hook.result.current.connect('qhyg');
      await vi.advanceTimersByTimeAsync(0);
    });
    sandbox.authorize(hook.result.current.connection?.id ?? '');
    await act(async () => {
      window.dispatchEvent(new Event('focus'));
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(hook.result.current.status).toBe('linked');
  });

  it('stops watching and never sets state after unmount', async () => {
    vi.useFakeTimers();
    stubOpen();
    const onConnected = vi.fn();
    const { hook, sandbox } = renderConnection({ companyId, onConnected }, seeded('Linked'));
    await act(async () => {
      void hook.result.current.connect('qhyg');
      await vi.advanceTimersByTimeAsync(0);
    });
    sandbox.authorize(hook.result.current.connection?.id ?? '');
    hook.unmount();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sandbox.requests.filter((r) => r.operation === 'getConnection')).toHaveLength(0);
    expect(onConnected).not.toHaveBeenCalled();
  });
});

describe('useConnection: blocked popups, other launch modes and unsafe links', () => {
  it('stops at blocked without sending anything when the popup is blocked and the fallback is error', async () => {
    stubOpen(true);
    const onError = vi.fn();
    const { hook, calls } = renderConnection({ companyId, onError }, seeded('Linked'));
    await act(async () => {
      await hook.result.current.connect('qhyg');
    });
    expect(hook.result.current.status).toBe('blocked');
    expect(hook.result.current.error?.code).toBe('popup-blocked');
    expect(calls()).toEqual([]);
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it('continues in this tab when the popup is blocked and the fallback is redirect', async () => {
    stubOpen(true);
    const location = stubLocation();
    try {
      const { hook } = renderConnection({ companyId, popupFallback: 'redirect' }, seeded('Linked'));
      await act(async () => {
        await hook.result.current.connect('qhyg');
      });
      expect(hook.result.current.status).toBe('redirecting');
      expect(location.assign).toHaveBeenCalledWith(hook.result.current.connection?.linkUrl);
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
      await act(async () => {
        hook.result.current.launch('redirect');
        await Promise.resolve();
      });
      await waitFor(() => expect(hook.result.current.status).toBe('redirecting'));
      expect(calls()).toEqual(['POST createConnection']);
      expect(location.assign).toHaveBeenCalledTimes(1);
    } finally {
      location.restore();
    }
  });

  it('hands the safe linkUrl to a launch callback and watches the connection', async () => {
    const onLaunch = vi.fn();
    const onLaunched = vi.fn();
    const { hook } = renderConnection({ companyId, launch: onLaunch, onLaunched }, seeded('Linked'));
    await act(async () => {
      await hook.result.current.connect('akxx');
    });
    expect(hook.result.current.status).toBe('awaiting-auth');
    expect(onLaunch).toHaveBeenCalledWith(hook.result.current.connection?.linkUrl, hook.result.current.connection);
    expect(onLaunched).toHaveBeenCalledTimes(1);
  });

  it('opens a new tab synchronously in new-tab mode', async () => {
    const { win, open } = stubOpen();
    const { hook } = renderConnection({ companyId, launch: 'new-tab' }, seeded('Linked'));
    await act(async () => {
      await hook.result.current.connect('pdvj');
    });
    expect(open).toHaveBeenCalledWith('about:blank', '_blank', undefined);
    expect(win.location.href).toBe(hook.result.current.connection?.linkUrl);
  });

  it.each(['javascript:alert(document.cookie)', 'data:text/html,<h1>x</h1>', 'http://evil.example/link'])(
    'refuses the unsafe linkUrl %j, closes the popup and never navigates it',
    async (linkUrl) => {
      const { win } = stubOpen();
      const setup = seeded('Linked');
      setup.fetcher.mockImplementation(async (input, init) => {
        const response = await setup.sandbox.fetcher(input, init);
        if (init?.method !== 'POST') return response;
        return new Response(JSON.stringify({ ...(await response.json()), linkUrl }), { status: 200 });
      });
      const { hook } = renderConnection({ companyId }, setup);
      await act(async () => {
        await hook.result.current.connect('qhyg');
      });
      expect(hook.result.current.status).toBe('error');
      expect(hook.result.current.error?.code).toBe('unsafe-link-url');
      expect(win.close).toHaveBeenCalled();
      expect(win.location.href).toBe('about:blank');
    },
  );

  it('accepts a loopback http linkUrl only when the provider allows it', async () => {
    const { win } = stubOpen();
    const strict = renderConnection({ companyId }, seeded('Linked', 'qhyg', { linkBaseUrl: 'http://127.0.0.1:4010/link' }));
    await act(async () => {
      await strict.hook.result.current.connect('qhyg');
    });
    expect(strict.hook.result.current.error?.code).toBe('unsafe-link-url');
    const allowed = renderConnection({ companyId }, seeded('Linked', 'qhyg', { linkBaseUrl: 'http://127.0.0.1:4010/link' }), false, {
      allowInsecureLoopback: true,
    });
    await act(async () => {
      await allowed.hook.result.current.connect('qhyg');
    });
    expect(allowed.hook.result.current.status).toBe('awaiting-auth');
    expect(win.location.href).toMatch(/^http:\/\/127\.0\.0\.1:4010\/link\//);
  });

  it('relaunches an existing Deauthorized connection through its linkUrl', async () => {
    const { win, open } = stubOpen();
    const { hook, calls } = renderConnection({ companyId, connectionId }, seeded('Deauthorized'));
    await waitFor(() => expect(hook.result.current.status).toBe('ready'));
    act(() => hook.result.current.launch());
    expect(open).toHaveBeenCalledTimes(1);
    expect(win.location.href).toBe(hook.result.current.connection?.linkUrl);
    expect(hook.result.current.status).toBe('awaiting-auth');
    expect(calls()).toEqual(['GET getConnection']);
  });
});

describe('useConnection: failures', () => {
  it.each([
    ['http', { kind: 'status', status: 500 } as const],
    ['rate-limited', { kind: 'rate-limit', retryAfter: 9 } as const],
    ['network', { kind: 'network' } as const],
    ['invalid-response', { kind: 'malformed' } as const],
  ])('lands a %s failure in state, closes the popup and fires onError once', async (code, fault) => {
    const { win } = stubOpen();
    const onError = vi.fn();
    const setup = seeded('Linked', 'qhyg', { faults: { createConnection: fault } });
    const { hook, calls } = renderConnection({ companyId, onError }, setup);
    await act(async () => {
      await hook.result.current.connect('qhyg');
    });
    expect(hook.result.current.status).toBe('error');
    expect(hook.result.current.error?.code).toBe(code);
    expect(win.close).toHaveBeenCalled();
    expect(onError).toHaveBeenCalledTimes(1);
    expect(calls()).toEqual(['POST createConnection']);
  });

  it('asks for a company name before any request when there is neither a company nor a name', async () => {
    stubOpen();
    const { hook, calls } = renderConnection({});
    await act(async () => {
      await hook.result.current.connect('qhyg');
    });
    expect(hook.result.current.error).toMatchObject({ code: 'invalid-input', field: 'name' });
    expect(calls()).toEqual([]);
  });

  it('refuses an unknown platform before opening anything', async () => {
    const { open } = stubOpen();
    const { hook, calls } = renderConnection({ companyId });
    await act(async () => {
      await hook.result.current.connect('nope');
    });
    expect(hook.result.current.error).toMatchObject({ code: 'invalid-input', field: 'platformKey' });
    expect(open).not.toHaveBeenCalled();
    expect(calls()).toEqual([]);
  });

  it('aborts the request in flight on unmount and fires nothing afterwards', async () => {
    stubOpen();
    const setup = sandboxSetup();
    const gate = deferred<Response>();
    let signal: AbortSignal | undefined;
    setup.fetcher.mockImplementation((_input, init) => {
      signal = init?.signal ?? undefined;
      return gate.promise;
    });
    const onError = vi.fn();
    const onCompanyCreated = vi.fn();
    const { hook } = renderConnection({ company: { name: 'Acme' }, onError, onCompanyCreated }, setup);
    act(() => {
      void hook.result.current.connect('qhyg');
    });
    hook.unmount();
    expect(signal?.aborted).toBe(true);
    gate.resolve(new Response('{}'));
    await Promise.resolve();
    expect(onError).not.toHaveBeenCalled();
    expect(onCompanyCreated).not.toHaveBeenCalled();
  });

  it('refresh reads the connection again and fires onConnected when it became Linked', async () => {
    const onConnected = vi.fn();
    const { hook, sandbox } = renderConnection({ companyId, connectionId, onConnected }, seeded('PendingAuth'));
    await waitFor(() => expect(hook.result.current.status).toBe('ready'));
    sandbox.authorize(connectionId);
    await act(async () => {
      await hook.result.current.refresh();
    });
    expect(hook.result.current.status).toBe('linked');
    expect(onConnected).toHaveBeenCalledTimes(1);
  });
});
