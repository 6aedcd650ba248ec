import { act, renderHook, waitFor } from '@testing-library/react';
import { useState, type ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { createCodatClient } from '../../src/core/index.js';
import { CodatProvider, useConnections, useMessages, useCodatContext } from '../../src/hooks/index.js';
import { companyId, seeded } from './helpers.js';

describe('CodatProvider', () => {
  it('lets a nested provider inherit the company and messages while overriding the fetcher', async () => {
    const outer = seeded('Linked');
    const inner = seeded('Deauthorized');
    const wrapper = ({ children }: { children?: ReactNode }) => (
      <CodatProvider fetcher={outer.fetcher} companyId={companyId} messages={{ retry: 'Again' }}>
        <CodatProvider fetcher={inner.fetcher} messages={{ unlink: 'Disconnect' }}>
          {children}
        </CodatProvider>
      </CodatProvider>
    );
    const { result } = renderHook(() => ({ list: useConnections(), messages: useMessages() }), { wrapper });
    await waitFor(() => expect(result.current.list.status).toBe('success'));
    expect(result.current.list.connections[0]?.status).toBe('Deauthorized');
    expect(result.current.messages.retry).toBe('Again');
    expect(result.current.messages.unlink).toBe('Disconnect');
    expect(outer.calls()).toEqual([]);
  });

  it('throws a developer error naming the hook outside a provider', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => renderHook(() => useConnections({ companyId }))).toThrow(/useConnections must be used inside <CodatProvider>/);
    spy.mockRestore();
  });

  it('works without a provider when a hook is given a fetcher or a client', async () => {
    const setup = seeded('Linked');
    const byFetcher = renderHook(() => useConnections({ companyId, fetcher: setup.fetcher }));
    await waitFor(() => expect(byFetcher.result.current.status).toBe('success'));
    const client = createCodatClient({ fetcher: setup.fetcher });
    const byClient = renderHook(() => useCodatContext('test', { client }));
    expect(byClient.result.current.client).toBe(client);
  });

  it('keeps its client and cache when the fetcher’s identity changes on every render', async () => {
    const setup = seeded('Linked');
    let bump: () => void = () => undefined;
    function Host({ children }: { children?: ReactNode }) {
      const [n, setN] = useState(0);
      bump = () => setN(n + 1);
      return <CodatProvider fetcher={(input, init) => setup.fetcher(input, init)}>{children}</CodatProvider>;
    }
    const { result } = renderHook(() => useConnections({ companyId }), { wrapper: Host });
    await waitFor(() => expect(result.current.status).toBe('success'));
    act(() => bump());
    act(() => bump());
    await waitFor(() => expect(result.current.status).toBe('success'));
    expect(setup.calls()).toEqual(['GET listConnections']);
  });
});
