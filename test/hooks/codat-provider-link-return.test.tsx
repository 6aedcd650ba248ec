import { act, render, renderHook, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { parseLinkReturn } from '../../src/core/index.js';
import { CodatProvider, useCodatContext, useLinkReturn, type CodatContextValue, type CodatProviderProps } from '../../src/hooks/index.js';
import { companyId, connectionBody, connectionId, failOnConsoleError, otherCompanyId, recordingFetcher, seeded } from './helpers.js';

failOnConsoleError();

const success = `companyId=${companyId}&connectionId=${connectionId}&statusCode=200&errorMessage=&statusText=`;
const cancelled = `companyId=${companyId}&connectionId=${connectionId}&statusCode=403&errorMessage=User%20cancelled.&statusText=`;

/** The other end of the link channel: what another window of this origin hears. */
function otherWindow() {
  const channel = new BroadcastChannel('bpc-link-return');
  const received: { query: string }[] = [];
  const waiters: (() => void)[] = [];
  channel.addEventListener('message', (event: MessageEvent) => {
    received.push(event.data as { query: string });
    waiters.splice(0).forEach((w) => w());
  });
  return {
    received,
    next: () => new Promise<void>((resolve) => waiters.push(resolve)),
    close: () => channel.close(),
  };
}

let other: ReturnType<typeof otherWindow>;
let close: MockInstance<() => void>;
let warn: MockInstance<(...args: unknown[]) => void>;
beforeEach(() => {
  other = otherWindow();
  close = vi.spyOn(window, 'close').mockImplementation(() => undefined);
  warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => {
  other.close();
  window.history.replaceState(null, '', '/');
  window.name = '';
  vi.unstubAllEnvs();
});

/** Lands this window where Codat redirected it. */
function arrive(path: string, name = '') {
  window.history.replaceState(null, '', path);
  window.name = name;
}

/** What a component below the provider sees. */
function useContextValue(): CodatContextValue {
  return useCodatContext('test');
}

function HostApp() {
  return <h1>Connect your accounting software</h1>;
}

function renderProvider(props: Omit<CodatProviderProps, 'children'>, children: ReactNode = <HostApp />, strict = false) {
  return render(<CodatProvider {...props}>{children}</CodatProvider>, { reactStrictMode: strict });
}

describe('CodatProvider in the kit’s Link popup', () => {
  it('renders only a status instead of the host’s page, tells the opener the outcome and closes, without a request', async () => {
    arrive(`/onboarding?tenant=7&${success}`, 'bpc-link:r1');
    const setup = seeded('Linked');
    const rendered = vi.fn();
    function Child() {
      rendered();
      return <HostApp />;
    }
    const heard = other.next();
    renderProvider({ fetcher: setup.fetcher }, <Child />, true);
    expect(screen.getByRole('status')).toHaveTextContent('Finishing… you can close this window.');
    expect(screen.queryByRole('heading')).toBeNull();
    expect(rendered).not.toHaveBeenCalled();
    await heard;
    expect(other.received).toHaveLength(1);
    expect(parseLinkReturn(`?${other.received[0]?.query ?? ''}`)).toEqual(parseLinkReturn(`?${success}`));
    expect(close).toHaveBeenCalledTimes(1);
    expect(setup.fetcher).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });

  it('tells the opener about a cancelled sign-in too, in the provider’s words when given', async () => {
    arrive(`/back?${cancelled}`, 'bpc-link:r1');
    const heard = other.next();
    renderProvider({ fetcher: seeded('PendingAuth').fetcher, messages: { linkReturnClosing: 'Nearly done' } });
    expect(screen.getByRole('status')).toHaveTextContent('Nearly done');
    await heard;
    expect(parseLinkReturn(`?${other.received[0]?.query ?? ''}`)).toMatchObject({ status: 'error', outcome: 'cancelled' });
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('closes but warns once, with the Redirect URL to set, when Codat sent none of the kit’s parameters', async () => {
    arrive('/onboarding?tenant=7&companyId=&connectionId=&statusCode=&errorMessage=&statusText=#step', 'bpc-link:r1');
    renderProvider({ fetcher: seeded('Linked').fetcher }, <HostApp />, true);
    expect(screen.queryByRole('heading')).toBeNull();
    await waitFor(() => expect(close).toHaveBeenCalledTimes(1));
    expect(warn).toHaveBeenCalledTimes(1);
    const message = String(warn.mock.calls[0]?.[0]);
    expect(message).toContain('Redirect URL');
    expect(message).toContain(
      'http://localhost:3000/onboarding?tenant=7&companyId={companyId}&connectionId={connectionId}&platform={platform}&statusCode={statusCode}&errorMessage={errorMessage}&statusText={statusText}#step',
    );
    expect(other.received).toEqual([]);
  });

  it('warns once and tells the opener nothing when the return names another company than the provider’s', async () => {
    arrive(`/back?${success}`, 'bpc-link:r1');
    renderProvider({ fetcher: seeded('Linked').fetcher, companyId: otherCompanyId }, <HostApp />, true);
    await waitFor(() => expect(close).toHaveBeenCalledTimes(1));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain(`names company ${companyId}, not this CodatProvider's companyId ${otherCompanyId}`);
    expect(other.received).toEqual([]);
  });

  it('prints no development warning in production', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    arrive('/back', 'bpc-link:r1');
    renderProvider({ fetcher: seeded('Linked').fetcher });
    await waitFor(() => expect(close).toHaveBeenCalledTimes(1));
    expect(warn).not.toHaveBeenCalled();
  });

  it('leaves the popup to the host with handleLinkReturn={false}', async () => {
    arrive(`/back?${success}`, 'bpc-link:r1');
    renderProvider({ fetcher: seeded('Linked').fetcher, handleLinkReturn: false });
    expect(screen.getByRole('heading', { name: 'Connect your accounting software' })).toBeInTheDocument();
    await act(async () => {
      await Promise.resolve();
    });
    expect(close).not.toHaveBeenCalled();
    expect(window.location.search).toBe(`?${success}`);
  });
});

describe('CodatProvider on the return page in a tab', () => {
  it('reads the return once, re-reads the connection into the store and offers the outcome below it', async () => {
    arrive(`/onboarding?tenant=7&${success}&ref=abc#step`);
    const setup = seeded('Linked');
    const { result } = renderHook(() => useContextValue(), {
      wrapper: ({ children }) => <CodatProvider fetcher={setup.fetcher}>{children}</CodatProvider>,
      reactStrictMode: true,
    });
    await waitFor(() => expect(result.current.linkReturn?.status).toBe('linked'));
    const linkReturn = result.current.linkReturn;
    expect(linkReturn?.link).toEqual(parseLinkReturn(`?${success}`));
    expect(linkReturn?.connection?.id).toBe(connectionId);
    expect(result.current.store.getConnection(companyId, connectionId)?.status).toBe('Linked');
    expect(setup.calls()).toEqual(['GET getConnection']);
    // Only the kit's parameters go; the host's stay, in their order, with the hash.
    expect(window.location.pathname).toBe('/onboarding');
    expect(window.location.search).toBe('?tenant=7&ref=abc');
    expect(window.location.hash).toBe('#step');
    expect(close).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });

  it('tells the host’s other tabs once, so a Link flow opened in a new tab finishes there', async () => {
    arrive(`/back?${success}`);
    const heard = other.next();
    const setup = seeded('Linked');
    const { result } = renderHook(() => useContextValue(), {
      wrapper: ({ children }) => <CodatProvider fetcher={setup.fetcher}>{children}</CodatProvider>,
      reactStrictMode: true,
    });
    await waitFor(() => expect(result.current.linkReturn?.status).toBe('linked'));
    await heard;
    expect(other.received).toHaveLength(1);
    expect(parseLinkReturn(`?${other.received[0]?.query ?? ''}`)).toEqual(parseLinkReturn(`?${success}`));
  });

  it('reports a cancelled sign-in in the kit’s words without a request, and clears the kit’s parameters', async () => {
    arrive(`/back?tenant=7&${cancelled}`);
    const setup = seeded('PendingAuth');
    const { result } = renderHook(() => useContextValue(), {
      wrapper: ({ children }) => <CodatProvider fetcher={setup.fetcher}>{children}</CodatProvider>,
    });
    await waitFor(() => expect(result.current.linkReturn?.status).toBe('failed'));
    expect(result.current.linkReturn?.error?.code).toBe('link-cancelled');
    expect(result.current.linkReturn?.error?.message).toBe('Access was not granted: the sign-in was cancelled.');
    await waitFor(() => expect(window.location.search).toBe('?tenant=7'));
    expect(setup.fetcher).not.toHaveBeenCalled();
  });

  it('sends one GET and fires each callback once when the page also calls useLinkReturn, twice (one naming the company), under StrictMode', async () => {
    arrive(`/back?${success}`);
    const { fetcher, calls, nth } = recordingFetcher();
    const first = vi.fn();
    const second = vi.fn();
    const { result } = renderHook(
      () => ({ a: useLinkReturn({ onConnected: first }), b: useLinkReturn({ onConnected: second, companyId }) }),
      { wrapper: ({ children }) => <CodatProvider fetcher={fetcher}>{children}</CodatProvider>, reactStrictMode: true },
    );
    await waitFor(() => expect(result.current.a.status).toBe('checking'));
    expect(calls).toHaveLength(1);
    act(() => nth(0).respond(200, connectionBody({ status: 'Linked' })));
    await waitFor(() => expect(result.current.b.status).toBe('linked'));
    expect(result.current.a.status).toBe('linked');
    expect(calls).toHaveLength(1);
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(1);
    expect(window.location.search).toBe('');
  });

  it('shares the GET with a useLinkReturn given the same return as its url', async () => {
    arrive(`/back?${success}`);
    const { fetcher, calls, nth } = recordingFetcher();
    const onConnected = vi.fn();
    const { result } = renderHook(() => useLinkReturn({ url: `https://host.example/back?${success}`, onConnected }), {
      wrapper: ({ children }) => <CodatProvider fetcher={fetcher}>{children}</CodatProvider>,
    });
    await waitFor(() => expect(result.current.status).toBe('checking'));
    expect(calls).toHaveLength(1);
    act(() => nth(0).respond(200, connectionBody({ status: 'Linked' })));
    await waitFor(() => expect(result.current.status).toBe('linked'));
    expect(calls).toHaveLength(1);
    expect(onConnected).toHaveBeenCalledTimes(1);
  });

  it('lets a nested provider share the outer one’s reading instead of reading again', async () => {
    arrive(`/back?${success}`);
    const setup = seeded('Linked');
    const { result } = renderHook(() => useContextValue(), {
      wrapper: ({ children }) => (
        <CodatProvider fetcher={setup.fetcher}>
          <CodatProvider companyId={companyId} messages={{ retry: 'Again' }}>
            {children}
          </CodatProvider>
        </CodatProvider>
      ),
    });
    await waitFor(() => expect(result.current.linkReturn?.status).toBe('linked'));
    expect(setup.calls()).toEqual(['GET getConnection']);
  });

  it('refuses a return naming another company than the provider’s, warns once, and sends nothing', async () => {
    arrive(`/back?keep=1&${success}`);
    const setup = seeded('Linked');
    const { result } = renderHook(() => useContextValue(), {
      wrapper: ({ children }) => (
        <CodatProvider fetcher={setup.fetcher} companyId={otherCompanyId}>
          {children}
        </CodatProvider>
      ),
      reactStrictMode: true,
    });
    await waitFor(() => expect(result.current.linkReturn?.status).toBe('invalid'));
    await waitFor(() => expect(window.location.search).toBe('?keep=1'));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain(`not this CodatProvider's companyId ${otherCompanyId}`);
    expect(setup.fetcher).not.toHaveBeenCalled();
    expect(other.received).toEqual([]);
  });

  it('does nothing on a normal page load', async () => {
    arrive('/back?tenant=7');
    const setup = seeded('Linked');
    const { result } = renderHook(() => useContextValue(), {
      wrapper: ({ children }) => <CodatProvider fetcher={setup.fetcher}>{children}</CodatProvider>,
    });
    await act(async () => {
      await Promise.resolve();
    });
    expect(result.current.linkReturn).toMatchObject({ status: 'none', link: { status: 'none' } });
    expect(setup.fetcher).not.toHaveBeenCalled();
    expect(window.location.search).toBe('?tenant=7');
    expect(warn).not.toHaveBeenCalled();
  });

  it('leaves the return to useLinkReturn with handleLinkReturn={false}, inherited by nested providers', async () => {
    arrive(`/back?${success}`);
    const setup = seeded('Linked');
    const { result } = renderHook(() => ({ context: useContextValue(), own: useLinkReturn({ clean: false }) }), {
      wrapper: ({ children }) => (
        <CodatProvider fetcher={setup.fetcher} handleLinkReturn={false}>
          <CodatProvider companyId={companyId}>{children}</CodatProvider>
        </CodatProvider>
      ),
    });
    await waitFor(() => expect(result.current.own.status).toBe('linked'));
    expect(result.current.context.linkReturn).toBeUndefined();
    expect(setup.calls()).toEqual(['GET getConnection']);
    expect(window.location.search).toBe(`?${success}`);
    expect(other.received).toEqual([]);
  });
});
