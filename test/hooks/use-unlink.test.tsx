import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Connection } from '../../src/core/index.js';
import { useConnections, useUnlink, type UseUnlinkOptions } from '../../src/hooks/index.js';
import {
  companyId,
  connectionBody,
  connectionId,
  expectBillPayError,
  failOnConsoleError,
  recordingFetcher,
  requestFailures,
  seeded,
  withExpectedConsoleErrors,
  withProvider,
  wrapperFor,
} from './helpers.js';

failOnConsoleError();

afterEach(() => {
  vi.useRealTimers();
});

function renderUnlink(setup = seeded('Linked'), callbacks: Pick<UseUnlinkOptions, 'onUnlinked' | 'onError'> = {}) {
  const hook = renderHook(
    () => ({
      unlink: useUnlink({ companyId, connectionId, ...callbacks }),
      list: useConnections({ companyId }),
    }),
    { wrapper: wrapperFor({ fetcher: setup.fetcher }) },
  );
  return { ...setup, hook };
}

function renderDeterministic(callbacks: Pick<UseUnlinkOptions, 'onUnlinked' | 'onError'> = {}, strict = false, clientOptions = {}) {
  const f = recordingFetcher();
  const hook = renderHook(() => useUnlink({ companyId, connectionId, ...callbacks }), {
    ...withProvider({ fetcher: f.fetcher, clientOptions }, strict),
  });
  return { ...f, hook };
}

const patchPath = `/companies/${companyId}/connections/${connectionId}`;

describe('useUnlink: the state machine', () => {
  it('walks idle -> confirming -> unlinking -> unlinked against the sandbox and fires onUnlinked once', async () => {
    const onUnlinked = vi.fn();
    const { hook, calls, sandbox } = renderUnlink(seeded('Linked'), { onUnlinked });
    await waitFor(() => expect(hook.result.current.list.status).toBe('success'));
    expect(hook.result.current.unlink).toMatchObject({ status: 'idle', open: false, connection: undefined, error: undefined });
    act(() => hook.result.current.unlink.request());
    expect(hook.result.current.unlink).toMatchObject({ status: 'confirming', open: true });
    act(() => {
      void hook.result.current.unlink.confirm();
    });
    expect(hook.result.current.unlink).toMatchObject({ status: 'unlinking', open: true });
    await waitFor(() => expect(hook.result.current.unlink.status).toBe('unlinked'));
    expect(hook.result.current.unlink.open).toBe(false);
    expect(hook.result.current.unlink.connection?.status).toBe('Unlinked');
    expect(sandbox.findConnection(connectionId)?.connection.status).toBe('Unlinked');
    expect(onUnlinked).toHaveBeenCalledTimes(1);
    expect(onUnlinked).toHaveBeenCalledWith(hook.result.current.unlink.connection);
    expect(calls()).toEqual(['GET listConnections', 'PATCH unlinkConnection']);
  });

  it('stays unlinking until the PATCH answers, which carries status Unlinked', async () => {
    const onUnlinked = vi.fn();
    const { hook, requests, nth } = renderDeterministic({ onUnlinked });
    act(() => hook.result.current.request());
    let pending: Promise<Connection | undefined> | undefined;
    act(() => {
      pending = hook.result.current.confirm();
    });
    expect(requests()).toEqual([`PATCH ${patchPath}`]);
    expect(nth(0).body).toEqual({ status: 'Unlinked' });
    act(() => hook.result.current.cancel());
    expect(hook.result.current.status).toBe('unlinking');
    expect(onUnlinked).not.toHaveBeenCalled();
    await act(async () => {
      nth(0).respond(200, connectionBody({ status: 'Unlinked' }));
      await pending;
    });
    expect(hook.result.current.status).toBe('unlinked');
    expect(onUnlinked).toHaveBeenCalledTimes(1);
  });

  it('updates useConnections in the same provider to Unlinked without a refetch', async () => {
    const { hook, calls } = renderUnlink();
    await waitFor(() => expect(hook.result.current.list.connections[0]?.status).toBe('Linked'));
    act(() => hook.result.current.unlink.request());
    await act(async () => {
      await hook.result.current.unlink.confirm();
    });
    expect(hook.result.current.list.status).toBe('success');
    expect(hook.result.current.list.connections[0]?.status).toBe('Unlinked');
    expect(calls().filter((c) => c === 'GET listConnections')).toHaveLength(1);
  });

  it('cancels from confirming and from error, and ignores confirm from idle', async () => {
    const { hook, calls } = renderUnlink(seeded('Linked', 'qhyg', { faults: { unlinkConnection: { kind: 'status', status: 500 } } }));
    let ignored: Connection | undefined | 'unset' = 'unset';
    await act(async () => {
      ignored = await hook.result.current.unlink.confirm();
    });
    expect(ignored).toBeUndefined();
    expect(hook.result.current.unlink.status).toBe('idle');
    expect(calls().filter((c) => c.startsWith('PATCH'))).toHaveLength(0);
    act(() => hook.result.current.unlink.request());
    act(() => hook.result.current.unlink.cancel());
    expect(hook.result.current.unlink).toMatchObject({ status: 'idle', open: false });
    act(() => hook.result.current.unlink.request());
    await act(async () => {
      await hook.result.current.unlink.confirm();
    });
    expect(hook.result.current.unlink.status).toBe('error');
    act(() => hook.result.current.unlink.cancel());
    expect(hook.result.current.unlink).toMatchObject({ status: 'idle', open: false, error: undefined });
    expect(calls().filter((c) => c.startsWith('PATCH'))).toHaveLength(1);
  });

  it('keeps the error and the confirmation open when unlink fails, and unlinks on a second confirm', async () => {
    const onError = vi.fn();
    const onUnlinked = vi.fn();
    const { hook, calls } = renderUnlink(seeded('Linked', 'qhyg', { faults: { unlinkConnection: { kind: 'status', status: 409 } } }), {
      onError,
      onUnlinked,
    });
    act(() => hook.result.current.unlink.request());
    await act(async () => {
      await hook.result.current.unlink.confirm();
    });
    expect(hook.result.current.unlink.status).toBe('error');
    const error = expectBillPayError(hook.result.current.unlink.error, 'http');
    expect(error.status).toBe(409);
    expect(error.correlationId).toEqual(expect.any(String));
    expect(hook.result.current.unlink.open).toBe(true);
    expect(onError).toHaveBeenCalledTimes(1);
    act(() => hook.result.current.unlink.request());
    expect(hook.result.current.unlink.status).toBe('error');
    await act(async () => {
      await hook.result.current.unlink.confirm();
    });
    expect(hook.result.current.unlink).toMatchObject({ status: 'unlinked', error: undefined });
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onUnlinked).toHaveBeenCalledTimes(1);
    expect(calls().filter((c) => c.startsWith('PATCH'))).toHaveLength(2);
  });

  it.each(['PendingAuth', 'Deauthorized', 'Unlinked'])(
    'keeps the confirmation open with Codat’s 403 when the connection is %s, as only Linked connections can be unlinked',
    async (status) => {
      const onError = vi.fn();
      const onUnlinked = vi.fn();
      const { hook, calls, sandbox } = renderUnlink(seeded(status), { onError, onUnlinked });
      act(() => hook.result.current.unlink.request());
      let answer: Connection | undefined | 'unset' = 'unset';
      await act(async () => {
        answer = await hook.result.current.unlink.confirm();
      });
      expect(answer).toBeUndefined();
      expect(hook.result.current.unlink).toMatchObject({ status: 'error', open: true, connection: undefined });
      const error = expectBillPayError(hook.result.current.unlink.error, 'http');
      expect(error.status).toBe(403);
      expect(error.operation).toBe('unlinkConnection');
      expect(error.retryable).toBe(false);
      expect(onError).toHaveBeenCalledTimes(1);
      expect(onError).toHaveBeenCalledWith(error);
      expect(onUnlinked).not.toHaveBeenCalled();
      expect(sandbox.findConnection(connectionId)?.connection.status).toBe(status);
      expect(calls().filter((c) => c.startsWith('PATCH'))).toEqual(['PATCH unlinkConnection']);
    },
  );

  it('asks again from unlinked, and reset returns to idle', async () => {
    const { hook } = renderUnlink();
    act(() => hook.result.current.unlink.request());
    await act(async () => {
      await hook.result.current.unlink.confirm();
    });
    expect(hook.result.current.unlink.status).toBe('unlinked');
    act(() => hook.result.current.unlink.request());
    expect(hook.result.current.unlink.status).toBe('confirming');
    act(() => hook.result.current.unlink.reset());
    expect(hook.result.current.unlink.status).toBe('idle');
  });

  it('throws a developer error without a company id', () => {
    withExpectedConsoleErrors(() => {
      expect(() => renderHook(() => useUnlink({ connectionId }), { wrapper: wrapperFor({ fetcher: seeded('Linked').fetcher }) })).toThrow(
        /useUnlink needs a companyId/,
      );
    });
  });
});

describe('useUnlink: one PATCH per intent', () => {
  it('sends one PATCH for a double confirm', async () => {
    const onUnlinked = vi.fn();
    const { hook, calls, nth } = renderDeterministic({ onUnlinked });
    act(() => hook.result.current.request());
    let a: Promise<Connection | undefined> | undefined;
    let b: Promise<Connection | undefined> | undefined;
    act(() => {
      a = hook.result.current.confirm();
      b = hook.result.current.confirm();
    });
    expect(a).toBe(b);
    act(() => {
      void hook.result.current.confirm();
    });
    await act(async () => {
      nth(0).respond(200, connectionBody({ status: 'Unlinked' }));
      await a;
    });
    expect(calls).toHaveLength(1);
    expect(onUnlinked).toHaveBeenCalledTimes(1);
  });

  it('sends one PATCH under StrictMode', async () => {
    const onUnlinked = vi.fn();
    const { hook, calls, nth } = renderDeterministic({ onUnlinked }, true);
    act(() => hook.result.current.request());
    let pending: Promise<Connection | undefined> | undefined;
    act(() => {
      pending = hook.result.current.confirm();
    });
    await act(async () => {
      nth(0).respond(200, connectionBody({ status: 'Unlinked' }));
      await pending;
    });
    expect(calls).toHaveLength(1);
    expect(hook.result.current.status).toBe('unlinked');
    expect(onUnlinked).toHaveBeenCalledTimes(1);
  });

  it('waits out a 503 with backoff, retries the idempotent PATCH once and ends unlinked without an error', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: false });
    const onError = vi.fn();
    const { hook, calls } = renderUnlink(seeded('Linked', 'qhyg', { faults: { unlinkConnection: { kind: 'status', status: 503 } } }), { onError });
    act(() => hook.result.current.unlink.request());
    act(() => {
      void hook.result.current.unlink.confirm();
    });
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(hook.result.current.unlink.status).toBe('unlinking');
    expect(calls().filter((c) => c.startsWith('PATCH'))).toHaveLength(1);
    await act(() => vi.advanceTimersByTimeAsync(300));
    expect(hook.result.current.unlink.status).toBe('unlinked');
    expect(calls().filter((c) => c.startsWith('PATCH'))).toHaveLength(2);
    expect(onError).not.toHaveBeenCalled();
  });
});

describe('useUnlink: failures', () => {
  it.each(requestFailures)('lands a $code error in state when $label and fires onError once', async ({ code, answer, check }) => {
    const onError = vi.fn();
    const onUnlinked = vi.fn();
    const { hook, nth } = renderDeterministic({ onError, onUnlinked }, false, { retry: false });
    act(() => hook.result.current.request());
    let pending: Promise<Connection | undefined> | undefined;
    act(() => {
      pending = hook.result.current.confirm();
    });
    await act(async () => {
      answer(nth(0));
      await expect(pending).resolves.toBeUndefined();
    });
    expect(hook.result.current).toMatchObject({ status: 'error', open: true });
    const error = expectBillPayError(hook.result.current.error, code);
    expect(error.operation).toBe('unlinkConnection');
    check?.(error);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onUnlinked).not.toHaveBeenCalled();
  });

  it('lands a timeout in state when the PATCH outlasts timeoutMs', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: false });
    const onError = vi.fn();
    const { hook } = renderDeterministic({ onError }, false, { retry: false, timeoutMs: 2000 });
    act(() => hook.result.current.request());
    act(() => {
      void hook.result.current.confirm();
    });
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(hook.result.current.status).toBe('error');
    expectBillPayError(hook.result.current.error, 'timeout');
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it('aborts the PATCH on unmount and, even if an answer still arrives, fires nothing', async () => {
    const f = recordingFetcher({ honourAbort: false });
    const onUnlinked = vi.fn();
    const onError = vi.fn();
    const { result, unmount } = renderHook(() => useUnlink({ companyId, connectionId, onUnlinked, onError }), {
      wrapper: wrapperFor({ fetcher: f.fetcher }),
    });
    act(() => result.current.request());
    let pending: Promise<Connection | undefined> | undefined;
    act(() => {
      pending = result.current.confirm();
    });
    unmount();
    expect(f.nth(0).signal?.aborted).toBe(true);
    f.nth(0).respond(200, connectionBody({ status: 'Unlinked' }));
    await pending;
    expect(onUnlinked).not.toHaveBeenCalled();
    expect(onError).not.toHaveBeenCalled();
  });

  it('does not surface the abort as an error when the transport rejects on unmount', async () => {
    const onError = vi.fn();
    const { hook, nth } = renderDeterministic({ onError });
    act(() => hook.result.current.request());
    let pending: Promise<Connection | undefined> | undefined;
    act(() => {
      pending = hook.result.current.confirm();
    });
    hook.unmount();
    await expect(pending).resolves.toBeUndefined();
    expect(nth(0).settled).toBe(true);
    expect(onError).not.toHaveBeenCalled();
  });
});

describe('useUnlink: analytics', () => {
  it('emits unlinked with the platform and ids through the provider’s onEvent', async () => {
    const onEvent = vi.fn();
    const setup = seeded('Linked', 'gbol');
    const { result } = renderHook(() => ({ unlink: useUnlink({ companyId, connectionId }), list: useConnections({ companyId }) }), {
      wrapper: wrapperFor({ fetcher: setup.fetcher, onEvent }),
    });
    await waitFor(() => expect(result.current.list.status).toBe('success'));
    act(() => result.current.unlink.request());
    await act(async () => {
      await result.current.unlink.confirm();
    });
    expect(onEvent).toHaveBeenCalledExactlyOnceWith({ type: 'unlinked', at: expect.any(Number), platformKey: 'gbol', companyId, connectionId });
  });

  it('emits error with the platform when unlink fails, and nothing for a cancelled confirmation', async () => {
    const onEvent = vi.fn();
    const setup = seeded('Linked', 'gbol', { faults: { unlinkConnection: { kind: 'status', status: 500 } } });
    const { result } = renderHook(() => ({ unlink: useUnlink({ companyId, connectionId }), list: useConnections({ companyId }) }), {
      wrapper: wrapperFor({ fetcher: setup.fetcher, onEvent, clientOptions: { retry: false } }),
    });
    await waitFor(() => expect(result.current.list.status).toBe('success'));
    act(() => result.current.unlink.request());
    act(() => result.current.unlink.cancel());
    expect(onEvent).not.toHaveBeenCalled();
    act(() => result.current.unlink.request());
    await act(async () => {
      await result.current.unlink.confirm();
    });
    expect(onEvent).toHaveBeenCalledExactlyOnceWith({ type: 'error', at: expect.any(Number), error: result.current.unlink.error, platformKey: 'gbol' });
  });
});
