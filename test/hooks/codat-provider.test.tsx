import { act, render, renderHook, waitFor } from '@testing-library/react';
import { useEffect, useState, type ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { createCodatClient } from '../../src/core/index.js';
import {
  CodatProvider,
  useCodatContext,
  useConnection,
  useConnections,
  useCreateCompany,
  useLinkReturn,
  usePlatforms,
  useUnlink,
  type UseConnectionsResult,
  type UseUnlinkResult,
} from '../../src/hooks/index.js';
import { useMessages } from '../../src/components/index.js';
import {
  companyId,
  connectionBody,
  connectionId,
  failOnConsoleError,
  pageBody,
  recordingFetcher,
  seeded,
  withExpectedConsoleErrors,
  withProvider,
} from './helpers.js';

failOnConsoleError();

describe('CodatProvider', () => {
  it('lets a nested provider inherit the company and messages while overriding the fetcher', async () => {
    const outer = seeded('Linked');
    const inner = seeded('Deauthorized');
    const wrapper = ({ children }: { children?: ReactNode }) => (
      <CodatProvider fetcher={outer.fetcher} companyId={companyId} messages={{ retry: 'Again' }} linkUrlPolicy={{ allowInsecureLoopback: true }}>
        <CodatProvider fetcher={inner.fetcher} messages={{ unlink: 'Disconnect' }}>
          {children}
        </CodatProvider>
      </CodatProvider>
    );
    const { result } = renderHook(() => ({ list: useConnections(), messages: useMessages(), context: useCodatContext('test') }), {
      wrapper,
    });
    await waitFor(() => expect(result.current.list.status).toBe('success'));
    expect(result.current.list.connections[0]?.status).toBe('Deauthorized');
    expect(result.current.context.companyId).toBe(companyId);
    expect(result.current.context.linkUrlPolicy).toEqual({ allowInsecureLoopback: true });
    expect(result.current.messages.retry).toBe('Again');
    expect(result.current.messages.unlink).toBe('Disconnect');
    expect(inner.calls()).toEqual(['GET listConnections']);
    expect(outer.calls()).toEqual([]);
  });

  it('lets a nested provider without a transport share its parent’s client and cache', async () => {
    const setup = seeded('Linked');
    let list: UseConnectionsResult | undefined;
    let unlink: UseUnlinkResult | undefined;
    function List() {
      list = useConnections({ companyId });
      return null;
    }
    function Unlink() {
      unlink = useUnlink({ connectionId });
      return null;
    }
    render(
      <CodatProvider fetcher={setup.fetcher}>
        <List />
        <CodatProvider companyId={companyId}>
          <Unlink />
        </CodatProvider>
      </CodatProvider>,
    );
    await waitFor(() => expect(list?.connections[0]?.status).toBe('Linked'));
    act(() => unlink?.request());
    await act(async () => {
      await unlink?.confirm();
    });
    expect(list?.connections[0]?.status).toBe('Unlinked');
    expect(setup.calls()).toEqual(['GET listConnections', 'PATCH unlinkConnection']);
  });

  it('remounts effects once under the StrictMode render option the StrictMode tests use', () => {
    const log: string[] = [];
    renderHook(
      () =>
        useEffect(() => {
          log.push('mount');
          return () => {
            log.push('unmount');
          };
        }, []),
      withProvider({ fetcher: seeded('Linked').fetcher }, true),
    );
    expect(log).toEqual(['mount', 'unmount', 'mount']);
  });

  it.each<[string, () => unknown]>([
    ['useCreateCompany', () => useCreateCompany()],
    ['useUnlink', () => useUnlink({ companyId, connectionId })],
    ['usePlatforms', () => usePlatforms()],
    ['useConnections', () => useConnections({ companyId })],
    ['useConnection', () => useConnection({ companyId })],
    ['useLinkReturn', () => useLinkReturn()],
  ])('throws a developer error naming %s when it is used outside a provider without a fetcher or client', (name, hook) => {
    withExpectedConsoleErrors(() => {
      expect(() => renderHook(hook)).toThrow(new RegExp(`${name} must be used inside <CodatProvider>, or be given a \`client\` or \`fetcher\``));
    });
  });

  it('works without a provider when a hook is given a fetcher', async () => {
    const f = recordingFetcher();
    const { result } = renderHook(() => useConnections({ companyId, fetcher: f.fetcher }));
    expect(f.requests()).toEqual([`GET /companies/${companyId}/connections?page=1&pageSize=100`]);
    act(() => f.nth(0).respond(200, pageBody([connectionBody({ status: 'Linked' })])));
    await waitFor(() => expect(result.current.status).toBe('success'));
    expect(result.current.connections[0]?.status).toBe('Linked');
  });

  it('works without a provider when a hook is given a client', async () => {
    const setup = seeded('Linked');
    const client = createCodatClient({ fetcher: setup.fetcher, baseUrl: '/backend/codat' });
    const { result } = renderHook(() => useConnections({ companyId, client }));
    await waitFor(() => expect(result.current.status).toBe('success'));
    expect(setup.fetcher.mock.calls[0]?.[0]).toBe(`/backend/codat/companies/${companyId}/connections?page=1&pageSize=100`);
  });

  it('lets a hook’s fetcher override win over the provider’s client', async () => {
    const providerSide = seeded('Linked');
    const hookSide = seeded('Deauthorized');
    const { result } = renderHook(() => useConnections({ companyId, fetcher: hookSide.fetcher }), {
      wrapper: ({ children }: { children?: ReactNode }) => <CodatProvider fetcher={providerSide.fetcher}>{children}</CodatProvider>,
    });
    await waitFor(() => expect(result.current.status).toBe('success'));
    expect(result.current.connections[0]?.status).toBe('Deauthorized');
    expect(providerSide.calls()).toEqual([]);
  });

  it('keeps its client and cache when the provider’s fetcher identity changes on every render, and calls the latest one', async () => {
    const setup = seeded('Linked');
    const used: number[] = [];
    let bump: () => void = () => undefined;
    function Host({ children }: { children?: ReactNode }) {
      const [n, setN] = useState(0);
      bump = () => setN((v) => v + 1);
      return (
        <CodatProvider
          fetcher={(input, init) => {
            used.push(n);
            return setup.fetcher(input, init);
          }}
        >
          {children}
        </CodatProvider>
      );
    }
    const { result } = renderHook(() => useConnections({ companyId }), { wrapper: Host });
    await waitFor(() => expect(result.current.status).toBe('success'));
    const list = result.current.connections;
    act(() => bump());
    act(() => bump());
    expect(result.current.status).toBe('success');
    expect(result.current.connections).toBe(list);
    expect(setup.calls()).toEqual(['GET listConnections']);
    act(() => result.current.refresh());
    await waitFor(() => expect(result.current.isFetching).toBe(false));
    expect(used).toEqual([0, 2]);
  });

  it('keeps a hook’s state and sends no new request when the hook’s inline fetcher changes identity every render', async () => {
    const setup = seeded('Linked');
    const { result, rerender } = renderHook(() => useConnections({ companyId, fetcher: (input, init) => setup.fetcher(input, init) }));
    await waitFor(() => expect(result.current.status).toBe('success'));
    const list = result.current.connections;
    rerender();
    rerender();
    expect(result.current.status).toBe('success');
    expect(result.current.connections).toBe(list);
    expect(setup.calls()).toEqual(['GET listConnections']);
  });
});
