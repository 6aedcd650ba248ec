import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Connection } from '../../src/core/index.js';
import { useConnections, useRemove, type UseRemoveOptions } from '../../src/hooks/index.js';
import {
  companyId,
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

type Callbacks = Pick<UseRemoveOptions, 'onRemoved' | 'onError'>;

/** useRemove beside a list of the same company, on the sandbox. */
function renderRemove(setup = seeded('Linked'), callbacks: Callbacks = {}, onEvent = vi.fn()) {
  const hook = renderHook(
    () => ({
      remove: useRemove({ companyId, connectionId, ...callbacks }),
      list: useConnections({ companyId }),
    }),
    { wrapper: wrapperFor({ fetcher: setup.fetcher, onEvent, clientOptions: { retry: false } }) },
  );
  return { ...setup, hook, onEvent };
}

/** useRemove alone, on a fetcher the test answers by hand. */
function renderDeterministic(callbacks: Callbacks = {}, strict = false, fetcherOptions = {}) {
  const f = recordingFetcher(fetcherOptions);
  const hook = renderHook(() => useRemove({ companyId, connectionId, ...callbacks }), {
    ...withProvider({ fetcher: f.fetcher, clientOptions: { retry: false } }, strict),
  });
  return { ...f, hook };
}

const deletePath = `DELETE /companies/${companyId}/connections/${connectionId}`;
const emptyOk = () => new Response(null, { status: 200 });

describe('useRemove: the state machine', () => {
  it('walks idle -> confirming -> removing -> removed against the sandbox, deletes the connection and drops it from the list', async () => {
    const onRemoved = vi.fn();
    const { hook, sandbox } = renderRemove(seeded('Linked', 'gbol'), { onRemoved });
    await waitFor(() => expect(hook.result.current.list.connections).toHaveLength(1));
    const listed = hook.result.current.list.connections[0];
    expect(hook.result.current.remove).toMatchObject({ status: 'idle', open: false, connection: undefined, error: undefined });
    act(() => hook.result.current.remove.request());
    expect(hook.result.current.remove).toMatchObject({ status: 'confirming', open: true });
    act(() => {
      void hook.result.current.remove.confirm();
    });
    expect(hook.result.current.remove).toMatchObject({ status: 'removing', open: true });
    await waitFor(() => expect(hook.result.current.remove.status).toBe('removed'));
    expect(hook.result.current.remove).toMatchObject({ open: false, connection: listed, error: undefined });
    expect(hook.result.current.list.connections).toEqual([]);
    expect(sandbox.findConnection(connectionId)).toBeUndefined();
    expect(onRemoved).toHaveBeenCalledExactlyOnceWith(listed);
    expect(sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /companies/${companyId}/connections?page=1&pageSize=100`,
      deletePath,
    ]);
  });

  it('emits removed with the platform and ids through the provider’s onEvent', async () => {
    const { hook, onEvent } = renderRemove(seeded('Deauthorized', 'gbol'));
    await waitFor(() => expect(hook.result.current.list.connections).toHaveLength(1));
    act(() => hook.result.current.remove.request());
    await act(async () => {
      await hook.result.current.remove.confirm();
    });
    expect(onEvent).toHaveBeenCalledExactlyOnceWith({ type: 'removed', at: expect.any(Number), platformKey: 'gbol', companyId, connectionId });
  });

  it('sends the DELETE without a body, stays removing until it answers 200 with an empty body, and resolves to undefined for a connection never read', async () => {
    const onRemoved = vi.fn();
    const { hook, requests, nth } = renderDeterministic({ onRemoved });
    act(() => hook.result.current.request());
    let pending: Promise<Connection | undefined> | undefined;
    act(() => {
      pending = hook.result.current.confirm();
    });
    expect(requests()).toEqual([deletePath]);
    expect(nth(0).body).toBeUndefined();
    act(() => hook.result.current.cancel());
    expect(hook.result.current.status).toBe('removing');
    expect(onRemoved).not.toHaveBeenCalled();
    await act(async () => {
      nth(0).resolve(emptyOk());
      await expect(pending).resolves.toBeUndefined();
    });
    expect(hook.result.current).toMatchObject({ status: 'removed', connection: undefined, open: false });
    expect(onRemoved).toHaveBeenCalledExactlyOnceWith(undefined);
  });

  it('keeps the confirmation open with the error when the DELETE fails, keeps the connection listed, and removes it on a second confirm', async () => {
    const onError = vi.fn();
    const onRemoved = vi.fn();
    const setup = seeded('Linked', 'gbol', { faults: { deleteConnection: { kind: 'status', status: 500, message: 'Codat is having trouble.' } } });
    const { hook, sandbox, onEvent } = renderRemove(setup, { onError, onRemoved });
    await waitFor(() => expect(hook.result.current.list.connections).toHaveLength(1));
    act(() => hook.result.current.remove.request());
    await act(async () => {
      await hook.result.current.remove.confirm();
    });
    expect(hook.result.current.remove).toMatchObject({ status: 'error', open: true, connection: undefined });
    const error = expectBillPayError(hook.result.current.remove.error, 'http');
    expect(error.status).toBe(500);
    expect(error.operation).toBe('deleteConnection');
    expect(error.correlationId).toEqual(expect.any(String));
    expect(onError).toHaveBeenCalledExactlyOnceWith(error);
    expect(onEvent).toHaveBeenCalledExactlyOnceWith({ type: 'error', at: expect.any(Number), error, platformKey: 'gbol' });
    expect(onRemoved).not.toHaveBeenCalled();
    expect(hook.result.current.list.connections).toHaveLength(1);
    expect(sandbox.findConnection(connectionId)).toBeDefined();
    await act(async () => {
      await hook.result.current.remove.confirm();
    });
    expect(hook.result.current.remove).toMatchObject({ status: 'removed', error: undefined });
    expect(hook.result.current.list.connections).toEqual([]);
    expect(onRemoved).toHaveBeenCalledTimes(1);
    expect(sandbox.requests.filter((r) => r.method === 'DELETE')).toHaveLength(2);
  });

  it('lands Codat’s 404 in error when the connection is already gone', async () => {
    const { hook, nth } = renderDeterministic();
    act(() => hook.result.current.request());
    let pending: Promise<Connection | undefined> | undefined;
    act(() => {
      pending = hook.result.current.confirm();
    });
    await act(async () => {
      nth(0).respond(404, { statusCode: 404, error: 'Data connection not found.', correlationId: 'abc' });
      await pending;
    });
    const error = expectBillPayError(hook.result.current.error, 'http');
    expect(error.status).toBe(404);
  });

  it('cancels from confirming and from error, ignores confirm from idle, and asks again from removed', async () => {
    const { hook, calls, nth } = renderDeterministic();
    let ignored: Connection | undefined | 'unset' = 'unset';
    await act(async () => {
      ignored = await hook.result.current.confirm();
    });
    expect(ignored).toBeUndefined();
    expect(calls).toHaveLength(0);
    act(() => hook.result.current.request());
    act(() => hook.result.current.cancel());
    expect(hook.result.current).toMatchObject({ status: 'idle', open: false });
    act(() => hook.result.current.request());
    await act(async () => {
      const pending = hook.result.current.confirm();
      nth(0).respond(503, {});
      await pending;
    });
    act(() => hook.result.current.cancel());
    expect(hook.result.current).toMatchObject({ status: 'idle', open: false, error: undefined });
    act(() => hook.result.current.request());
    await act(async () => {
      const pending = hook.result.current.confirm();
      nth(1).resolve(emptyOk());
      await pending;
    });
    expect(hook.result.current.status).toBe('removed');
    act(() => hook.result.current.request());
    expect(hook.result.current.status).toBe('confirming');
    act(() => hook.result.current.reset());
    expect(hook.result.current.status).toBe('idle');
  });

  it('throws a developer error without a company id', () => {
    withExpectedConsoleErrors(() => {
      expect(() => renderHook(() => useRemove({ connectionId }), { wrapper: wrapperFor({ fetcher: seeded('Linked').fetcher }) })).toThrow(
        /useRemove needs a companyId/,
      );
    });
  });
});

describe('useRemove: one DELETE per intent', () => {
  it('sends one DELETE for a double confirm, both calls sharing its promise', async () => {
    const onRemoved = vi.fn();
    const { hook, calls, nth } = renderDeterministic({ onRemoved });
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
      nth(0).resolve(emptyOk());
      await a;
    });
    expect(calls).toHaveLength(1);
    expect(onRemoved).toHaveBeenCalledTimes(1);
  });

  it('sends one DELETE under StrictMode and fires onRemoved once', async () => {
    const onRemoved = vi.fn();
    const { hook, requests, nth } = renderDeterministic({ onRemoved }, true);
    act(() => hook.result.current.request());
    let pending: Promise<Connection | undefined> | undefined;
    act(() => {
      pending = hook.result.current.confirm();
    });
    await act(async () => {
      nth(0).resolve(emptyOk());
      await pending;
    });
    expect(requests()).toEqual([deletePath]);
    expect(hook.result.current.status).toBe('removed');
    expect(onRemoved).toHaveBeenCalledTimes(1);
  });
});

describe('useRemove: failures', () => {
  it.each(requestFailures.filter((f) => f.code !== 'invalid-response'))('lands a $code error in state when $label and fires onError once', async ({ code, answer, check }) => {
    const onError = vi.fn();
    const onRemoved = vi.fn();
    const { hook, nth } = renderDeterministic({ onError, onRemoved });
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
    expect(error.operation).toBe('deleteConnection');
    check?.(error);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onRemoved).not.toHaveBeenCalled();
  });

  it('aborts the DELETE on unmount and, even if an answer still arrives, fires nothing', async () => {
    const onRemoved = vi.fn();
    const onError = vi.fn();
    const onEvent = vi.fn();
    const f = recordingFetcher({ honourAbort: false });
    const { result, unmount } = renderHook(() => useRemove({ companyId, connectionId, onRemoved, onError }), {
      wrapper: wrapperFor({ fetcher: f.fetcher, onEvent }),
    });
    act(() => result.current.request());
    let pending: Promise<Connection | undefined> | undefined;
    act(() => {
      pending = result.current.confirm();
    });
    unmount();
    expect(f.nth(0).signal?.aborted).toBe(true);
    f.nth(0).resolve(emptyOk());
    await pending;
    expect(onRemoved).not.toHaveBeenCalled();
    expect(onError).not.toHaveBeenCalled();
    expect(onEvent).not.toHaveBeenCalled();
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
