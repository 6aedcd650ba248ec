import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { useConnections, useUnlink } from '../../src/hooks/index.js';
import { companyId, connectionId, seeded, wrapperFor } from './helpers.js';

function renderUnlink(setup = seeded('Linked'), callbacks: { onUnlinked?: () => void; onError?: () => void } = {}) {
  const hook = renderHook(
    () => ({
      unlink: useUnlink({ companyId, connectionId, ...callbacks }),
      list: useConnections({ companyId }),
    }),
    { wrapper: wrapperFor({ fetcher: setup.fetcher }) },
  );
  return { ...setup, hook };
}

describe('useUnlink', () => {
  it('walks idle -> confirming -> unlinking -> unlinked and fires onUnlinked once', async () => {
    const onUnlinked = vi.fn();
    const { hook, calls } = renderUnlink(seeded('Linked'), { onUnlinked });
    await waitFor(() => expect(hook.result.current.list.status).toBe('success'));
    expect(hook.result.current.unlink).toMatchObject({ status: 'idle', open: false });
    act(() => hook.result.current.unlink.request());
    expect(hook.result.current.unlink).toMatchObject({ status: 'confirming', open: true });
    act(() => {
      void hook.result.current.unlink.confirm();
    });
    expect(hook.result.current.unlink).toMatchObject({ status: 'unlinking', open: true });
    await waitFor(() => expect(hook.result.current.unlink.status).toBe('unlinked'));
    expect(hook.result.current.unlink.open).toBe(false);
    expect(hook.result.current.unlink.connection?.status).toBe('Unlinked');
    expect(onUnlinked).toHaveBeenCalledTimes(1);
    expect(calls()).toEqual(['GET listConnections', 'PATCH unlinkConnection']);
  });

  it('updates the connection list in the same provider without a refetch', async () => {
    const { hook, calls } = renderUnlink();
    await waitFor(() => expect(hook.result.current.list.connections[0]?.status).toBe('Linked'));
    act(() => hook.result.current.unlink.request());
    await act(async () => {
      await hook.result.current.unlink.confirm();
    });
    expect(hook.result.current.list.connections[0]?.status).toBe('Unlinked');
    expect(calls().filter((c) => c === 'GET listConnections')).toHaveLength(1);
  });

  it('cancels from confirming and from error, and ignores confirm from idle', async () => {
    const { hook, calls } = renderUnlink(seeded('Linked', 'qhyg', { faults: { unlinkConnection: { kind: 'status', status: 500 } } }));
    await act(async () => {
      await hook.result.current.unlink.confirm();
    });
    expect(hook.result.current.unlink.status).toBe('idle');
    act(() => hook.result.current.unlink.request());
    act(() => hook.result.current.unlink.cancel());
    expect(hook.result.current.unlink.status).toBe('idle');
    act(() => hook.result.current.unlink.request());
    await act(async () => {
      await hook.result.current.unlink.confirm();
    });
    expect(hook.result.current.unlink.status).toBe('error');
    act(() => hook.result.current.unlink.cancel());
    expect(hook.result.current.unlink.status).toBe('idle');
    expect(calls().filter((c) => c.startsWith('PATCH'))).toHaveLength(1);
  });

  it('retries a 503 on unlink by itself and ends unlinked without an error', async () => {
    const onError = vi.fn();
    const { hook } = renderUnlink(seeded('Linked', 'qhyg', { faults: { unlinkConnection: { kind: 'status', status: 503 } } }), { onError });
    act(() => hook.result.current.unlink.request());
    await act(async () => {
      await hook.result.current.unlink.confirm();
    });
    await waitFor(() => expect(hook.result.current.unlink.status).toBe('unlinked'));
    expect(onError).not.toHaveBeenCalled();
  });

  it('lands a non-retryable failure in state with the typed error and a retry path', async () => {
    const onError = vi.fn();
    const { hook } = renderUnlink(seeded('Linked', 'qhyg', { faults: { unlinkConnection: { kind: 'status', status: 409 } } }), { onError });
    act(() => hook.result.current.unlink.request());
    await act(async () => {
      await hook.result.current.unlink.confirm();
    });
    expect(hook.result.current.unlink.status).toBe('error');
    expect(hook.result.current.unlink.error).toMatchObject({ code: 'http', status: 409 });
    expect(hook.result.current.unlink.open).toBe(true);
    expect(onError).toHaveBeenCalledTimes(1);
    await act(async () => {
      await hook.result.current.unlink.confirm();
    });
    expect(hook.result.current.unlink.status).toBe('unlinked');
  });

  it('sends one PATCH for a double confirm', async () => {
    const { hook, calls } = renderUnlink();
    act(() => hook.result.current.unlink.request());
    let a: Promise<unknown> | undefined;
    let b: Promise<unknown> | undefined;
    act(() => {
      a = hook.result.current.unlink.confirm();
      b = hook.result.current.unlink.confirm();
    });
    expect(a).toBe(b);
    await waitFor(() => expect(hook.result.current.unlink.status).toBe('unlinked'));
    expect(calls().filter((c) => c.startsWith('PATCH'))).toHaveLength(1);
  });

  it('throws a developer error without a company id', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => renderHook(() => useUnlink({ connectionId }), { wrapper: wrapperFor({ fetcher: seeded('Linked').fetcher }) })).toThrow(
      /useUnlink needs a companyId/,
    );
    spy.mockRestore();
  });
});
