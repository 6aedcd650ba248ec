import { act, render, renderHook, waitFor } from '@testing-library/react';
import { useState, type ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Connection, Fetcher } from '../../src/core/index.js';
import {
  CodatProvider,
  useConnection,
  useConnections,
  useCreateCompany,
  useLinkReturn,
  type UseConnectionOptions,
} from '../../src/hooks/index.js';
import {
  companyBody,
  companyId,
  connectionBody,
  connectionId,
  expectBillPayError,
  failOnConsoleError,
  linkUrl,
  listPath,
  pageBody,
  recordingFetcher,
  stubOpen,
  withProvider,
  wrapperFor,
} from './helpers.js';

// A hostile or broken network/backend and odd host usage against the hooks: every failure ends as a
// typed error with a way forward, no spinner is left running, no POST is sent twice.

failOnConsoleError();

afterEach(() => {
  vi.useRealTimers();
});

const newCompanyId = '5d2a7e1c-0b7f-4c3e-9f5e-8a9d0c1b2e3f';

function renderConnection(options: UseConnectionOptions, fetcher: Fetcher) {
  return renderHook((props: UseConnectionOptions) => useConnection(props), {
    initialProps: options,
    ...withProvider({ fetcher, clientOptions: { retry: false } }),
  });
}

describe('a transport that never answers and ignores the abort', () => {
  it('ends creating a company in a timeout error, not an endless spinner', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: false });
    const fetcher = vi.fn<Fetcher>(() => new Promise<Response>(() => undefined));
    const onError = vi.fn();
    const { result } = renderHook(() => useCreateCompany({ onError }), {
      wrapper: wrapperFor({ fetcher, clientOptions: { timeoutMs: 3000 } }),
    });
    act(() => {
      void result.current.create({ name: 'Acme' });
    });
    expect(result.current.status).toBe('creating');
    await act(() => vi.advanceTimersByTimeAsync(3000));
    expect(result.current.status).toBe('error');
    expectBillPayError(result.current.error, 'timeout');
    expect(onError).toHaveBeenCalledTimes(1);
    expect(fetcher).toHaveBeenCalledTimes(1);
  });
});

describe('useConnection: retrying after the company was created but the connection failed', () => {
  it('reuses the created company even when connect() is called again before a re-render', async () => {
    stubOpen();
    const onCompanyCreated = vi.fn();
    const f = recordingFetcher();
    const { result } = renderConnection({ company: { name: 'Acme' }, onCompanyCreated }, f.fetcher);
    await act(async () => {
      const first = result.current.connect('qhyg');
      f.nth(0).respond(200, companyBody({ id: newCompanyId }));
      await vi.waitFor(() => expect(f.calls).toHaveLength(2));
      f.nth(1).respond(503, { error: 'Service unavailable' });
      expect(await first).toBeUndefined();
      // The host retries straight away (e.g. `if (!(await connect())) await connect()`), before React re-renders.
      void result.current.connect('qhyg');
    });
    expect(f.requests()).toEqual(['POST /companies', `POST /companies/${newCompanyId}/connections`, `POST /companies/${newCompanyId}/connections`]);
    expect(onCompanyCreated).toHaveBeenCalledTimes(1);
  });
});

describe('useConnection: a given connection that another hook reads first', () => {
  it('does not stay loading when a list read brings the connection while its own read is in flight', async () => {
    const f = recordingFetcher();
    const { result } = renderHook(
      () => ({ one: useConnection({ companyId, connectionId }), list: useConnections({ companyId }) }),
      withProvider({ fetcher: f.fetcher, clientOptions: { retry: false } }),
    );
    await act(async () => {
      await Promise.resolve();
    });
    expect(result.current.one.status).toBe('loading');
    const list = f.calls.find((c) => c.path.includes('?'));
    act(() => list?.respond(200, { results: [connectionBody({ status: 'Deauthorized' })], pageNumber: 1, pageSize: 100, totalResults: 1 }));
    await waitFor(() => expect(result.current.list.status).toBe('success'));
    expect(result.current.one.connection?.status).toBe('Deauthorized');
    expect(result.current.one.status).toBe('ready');
  });
});

describe('useConnection: hostile popups', () => {
  async function connected(options: UseConnectionOptions, tweak: (win: ReturnType<typeof stubOpen>['win']) => void) {
    vi.useFakeTimers({ shouldAdvanceTime: false });
    const popup = stubOpen();
    tweak(popup.win);
    const f = recordingFetcher();
    const hook = renderConnection({ companyId, ...options }, f.fetcher);
    act(() => {
      void hook.result.current.connect('qhyg');
    });
    return { ...popup, f, hook };
  }

  /** Answers the read of the company's (no) connections that comes first; returns the POST that follows. */
  async function listed(f: ReturnType<typeof recordingFetcher>) {
    await act(async () => {
      f.nth(0).respond(200, pageBody([]));
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(f.requests()).toEqual([`GET ${listPath}`, `POST /companies/${companyId}/connections`]);
    return f.nth(1);
  }

  it('treats a window that is closed the moment it opens as a blocked popup, before any request', async () => {
    const onError = vi.fn();
    const { f, hook } = await connected({ onError }, (win) => {
      vi.mocked(window.open).mockImplementation(() => {
        win.closed = true;
        return win as unknown as Window;
      });
    });
    expect(hook.result.current.status).toBe('blocked');
    expectBillPayError(hook.result.current.error, 'popup-blocked');
    expect(f.calls).toHaveLength(0);
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it('keeps watching, without throwing from a timer, when reading `closed` throws', async () => {
    const onCancelled = vi.fn();
    const { f, hook, win } = await connected({ maxWaitMs: 10_000, onCancelled }, () => undefined);
    const post = await listed(f);
    act(() => post.respond(200, connectionBody()));
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(hook.result.current.status).toBe('awaiting-auth');
    Object.defineProperty(win, 'closed', {
      get() {
        throw new DOMException('Blocked a frame from accessing a cross-origin frame.', 'SecurityError');
      },
    });
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(hook.result.current.status).toBe('awaiting-auth');
    act(() => f.last().respond(200, connectionBody()));
    await act(() => vi.advanceTimersByTimeAsync(10_000));
    expect(hook.result.current.status).toBe('cancelled');
    expect(onCancelled).toHaveBeenCalledTimes(1);
  });

  it('lands in blocked, offering another way, when the popup refuses navigation', async () => {
    const onError = vi.fn();
    const { f, hook, win } = await connected({ onError }, (w) => {
      Object.defineProperty(w, 'location', {
        get: () => ({
          set href(_value: string) {
            throw new DOMException('Navigation refused.', 'SecurityError');
          },
        }),
      });
    });
    const post = await listed(f);
    await act(async () => {
      post.respond(200, connectionBody());
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(hook.result.current.status).toBe('blocked');
    expectBillPayError(hook.result.current.error, 'popup-blocked');
    expect(win.close).toHaveBeenCalled();
    expect(onError).toHaveBeenCalledTimes(1);
    expect(f.calls).toHaveLength(2);
  });

  it.each([Infinity, 2 ** 40])('does not cancel at once with maxWaitMs %s', async (maxWaitMs) => {
    const onCancelled = vi.fn();
    const { f, hook } = await connected({ maxWaitMs, onCancelled }, () => undefined);
    const post = await listed(f);
    act(() => post.respond(200, connectionBody()));
    await act(() => vi.advanceTimersByTimeAsync(100));
    expect(hook.result.current.status).toBe('awaiting-auth');
    expect(onCancelled).not.toHaveBeenCalled();
  });

  it('sends at most one read at a time through a storm of focus events', async () => {
    const { f, hook } = await connected({}, () => undefined);
    const post = await listed(f);
    act(() => post.respond(200, connectionBody()));
    await act(() => vi.advanceTimersByTimeAsync(0));
    act(() => {
      for (let i = 0; i < 100; i++) window.dispatchEvent(new Event('focus'));
    });
    expect(f.calls).toHaveLength(3);
    act(() => f.nth(2).respond(200, connectionBody({ status: 'Linked' })));
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(hook.result.current.status).toBe('linked');
  });
});

describe('CodatProvider: props changing under a nested provider', () => {
  it('keeps the nested provider’s cache (and the flow) when the outer provider re-renders with new values', async () => {
    stubOpen();
    const f = recordingFetcher();
    let setOuter!: (v: number) => void;
    const seen: string[] = [];
    function Outer({ children }: { children: ReactNode }) {
      const [n, set] = useState(0);
      setOuter = set;
      return (
        <CodatProvider companyId={companyId} messages={{ connectRedirecting: `Going ${n}` }}>
          <CodatProvider fetcher={(i, init) => f.fetcher(i, init)}>{children}</CodatProvider>
        </CodatProvider>
      );
    }
    let connect!: () => Promise<Connection | undefined>;
    function Probe() {
      const c = useConnection({});
      connect = () => c.connect('qhyg');
      seen.push(c.status);
      return <output>{c.status}</output>;
    }
    const view = render(
      <Outer>
        <Probe />
      </Outer>,
    );
    act(() => {
      void connect();
    });
    act(() => f.nth(0).respond(200, pageBody([])));
    await waitFor(() => expect(f.calls).toHaveLength(2));
    act(() => f.nth(1).respond(200, connectionBody()));
    await waitFor(() => expect(view.container.textContent).toBe('awaiting-auth'));
    expect(f.requests()).toEqual([`GET ${listPath}`, `POST /companies/${companyId}/connections`]);
    act(() => setOuter(1));
    expect(view.container.textContent).toBe('awaiting-auth');
  });
});

describe('useLinkReturn: hostile redirect parameters', () => {
  it('caps an enormous errorMessage, keeps it out of the user’s message and ignores a second companyId', async () => {
    const huge = 'x'.repeat(200_000);
    const f = recordingFetcher();
    const url = `https://host.example/back?companyId=${companyId}&companyId=${newCompanyId}&statusCode=500&errorMessage=${huge}&errorMessage=second`;
    const { result } = renderHook(() => useLinkReturn({ url }), withProvider({ fetcher: f.fetcher, companyId }));
    await waitFor(() => expect(result.current.status).toBe('failed'));
    expect(result.current.link).toMatchObject({ status: 'error', outcome: 'failed', companyId });
    const kept = result.current.link.status === 'error' ? result.current.link.errorMessage : undefined;
    expect(kept).toBe(`${'x'.repeat(500)}…`);
    expect(result.current.error?.message.length).toBeLessThan(700);
    expect(result.current.error?.message).toBe('Your accounting software did not grant access. Try connecting again.');
    expect(f.calls).toHaveLength(0);
  });
});

describe('unsafe linkUrls from the network', () => {
  it.each([
    ['missing', undefined],
    ['null', null],
    ['with credentials', 'https://user:pass@link.codat.io/start'],
    ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
    ['protocol-relative', '//evil.example/start'],
    ['whitespace only', '   '],
  ])('refuses a linkUrl that is %s, closes the popup and offers a retry', async (_label, value) => {
    const { win } = stubOpen();
    const onError = vi.fn();
    const f = recordingFetcher();
    const { result } = renderConnection({ companyId, onError }, f.fetcher);
    act(() => {
      void result.current.connect('qhyg');
    });
    act(() => f.nth(0).respond(200, pageBody([])));
    await waitFor(() => expect(f.calls).toHaveLength(2));
    await act(async () => {
      f.nth(1).respond(200, connectionBody({ linkUrl: value }));
      await Promise.resolve();
    });
    await waitFor(() => expect(result.current.status).toBe('error'));
    expectBillPayError(result.current.error, 'unsafe-link-url');
    expect(win.location.href).toBe('about:blank');
    expect(win.close).toHaveBeenCalled();
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it('opens a linkUrl padded with whitespace, trimmed', async () => {
    const { win } = stubOpen();
    const f = recordingFetcher();
    const { result } = renderConnection({ companyId }, f.fetcher);
    act(() => {
      void result.current.connect('qhyg');
    });
    act(() => f.nth(0).respond(200, pageBody([])));
    await waitFor(() => expect(f.calls).toHaveLength(2));
    act(() => f.nth(1).respond(200, connectionBody({ linkUrl: `  ${linkUrl}\n` })));
    await waitFor(() => expect(result.current.status).toBe('awaiting-auth'));
    expect(win.location.href).toBe(linkUrl);
  });
});
