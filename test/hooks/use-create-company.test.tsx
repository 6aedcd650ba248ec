import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Company } from '../../src/core/index.js';
import { useCreateCompany, type UseCreateCompanyOptions } from '../../src/hooks/index.js';
import {
  codatError,
  companyBody,
  expectBillPayError,
  failOnConsoleError,
  recordingFetcher,
  requestFailures,
  sandboxSetup,
  withProvider,
  wrapperFor,
} from './helpers.js';

failOnConsoleError();

afterEach(() => {
  vi.useRealTimers();
});

function renderCreate(options: UseCreateCompanyOptions = {}, strict = false, clientOptions = {}) {
  const f = recordingFetcher();
  const hook = renderHook((props: UseCreateCompanyOptions) => useCreateCompany(props), {
    initialProps: options,
    ...withProvider({ fetcher: f.fetcher, clientOptions }, strict),
  });
  return { ...f, hook };
}

describe('useCreateCompany', () => {
  it('walks idle -> creating -> success against the sandbox and fires onCompanyCreated once', async () => {
    const setup = sandboxSetup();
    const onCompanyCreated = vi.fn();
    const { result } = renderHook(() => useCreateCompany({ onCompanyCreated }), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    expect(result.current).toMatchObject({ status: 'idle', company: undefined, error: undefined });
    let created: Company | undefined;
    await act(async () => {
      created = await result.current.create({ name: '  Acme  ' });
    });
    expect(result.current.status).toBe('success');
    expect(result.current.company?.name).toBe('Acme');
    expect(created).toBe(result.current.company);
    expect(setup.sandbox.getCompany(created?.id ?? '')).toMatchObject({ name: 'Acme' });
    expect(onCompanyCreated).toHaveBeenCalledTimes(1);
    expect(onCompanyCreated).toHaveBeenCalledWith(result.current.company);
  });

  it('shows creating until the POST answers, sending the trimmed name', async () => {
    const onCompanyCreated = vi.fn();
    const { hook, nth, requests } = renderCreate({ onCompanyCreated });
    let pending: Promise<Company | undefined> | undefined;
    act(() => {
      pending = hook.result.current.create({ name: ' Acme Ltd ', description: '  ' });
    });
    expect(hook.result.current.status).toBe('creating');
    expect(requests()).toEqual(['POST /companies']);
    expect(nth(0).body).toEqual({ name: 'Acme Ltd' });
    expect(onCompanyCreated).not.toHaveBeenCalled();
    await act(async () => {
      nth(0).respond(200, companyBody({ name: 'Acme Ltd' }));
      await pending;
    });
    expect(hook.result.current.status).toBe('success');
    expect(hook.result.current.company?.name).toBe('Acme Ltd');
    expect(onCompanyCreated).toHaveBeenCalledTimes(1);
  });

  it('sends one POST for a double click and hands both callers the same promise', async () => {
    const { hook, calls, nth } = renderCreate();
    let first: Promise<Company | undefined> | undefined;
    let second: Promise<Company | undefined> | undefined;
    act(() => {
      first = hook.result.current.create({ name: 'Acme' });
      second = hook.result.current.create({ name: 'Acme' });
    });
    expect(first).toBe(second);
    expect(calls).toHaveLength(1);
    await act(async () => {
      nth(0).respond(200, companyBody());
      await first;
    });
    expect(calls).toHaveLength(1);
  });

  it('sends one POST for repeated calls across renders while one is in flight, and a new one for a new intent', async () => {
    const onCompanyCreated = vi.fn();
    const { hook, calls, nth } = renderCreate({ onCompanyCreated });
    act(() => {
      void hook.result.current.create({ name: 'Acme' });
    });
    hook.rerender({ onCompanyCreated });
    let again: Promise<Company | undefined> | undefined;
    act(() => {
      again = hook.result.current.create({ name: 'Acme' });
    });
    expect(calls).toHaveLength(1);
    await act(async () => {
      nth(0).respond(200, companyBody());
      await again;
    });
    expect(onCompanyCreated).toHaveBeenCalledTimes(1);
    act(() => {
      void hook.result.current.create({ name: 'Acme 2' });
    });
    expect(calls).toHaveLength(2);
  });

  it('sends one POST per intent under StrictMode', async () => {
    const onCompanyCreated = vi.fn();
    const { hook, calls, nth } = renderCreate({ onCompanyCreated }, true);
    expect(calls).toHaveLength(0);
    let pending: Promise<Company | undefined> | undefined;
    act(() => {
      pending = hook.result.current.create({ name: 'Acme' });
    });
    await act(async () => {
      nth(0).respond(200, companyBody());
      await pending;
    });
    expect(calls).toHaveLength(1);
    expect(hook.result.current.status).toBe('success');
    expect(onCompanyCreated).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['a blank name', { name: '   ' }, {}],
    ['a name of only characters Codat strips', { name: '([{<#*>}])' }, {}],
    ['a name over the configured maximum', { name: 'Acme Holdings' }, { maxCompanyNameLength: 5 }],
  ])('lands %s in state as invalid-input without a request, and resolves undefined', async (_label, input, clientOptions) => {
    const onError = vi.fn();
    const { hook, calls } = renderCreate({ onError }, false, clientOptions);
    let created: Company | undefined | 'unset' = 'unset';
    await act(async () => {
      created = await hook.result.current.create(input);
    });
    expect(created).toBeUndefined();
    expect(hook.result.current.status).toBe('error');
    expect(expectBillPayError(hook.result.current.error, 'invalid-input').field).toBe('name');
    expect(onError).toHaveBeenCalledTimes(1);
    expect(calls).toHaveLength(0);
    act(() => hook.result.current.reset());
    expect(hook.result.current).toMatchObject({ status: 'idle', error: undefined });
  });

  it.each([
    ['more than 10 tags', Object.fromEntries(Array.from({ length: 11 }, (_, n) => [`tag${n}`, 'x']))],
    ['a tag key longer than 27 characters', { ['k'.repeat(28)]: 'x' }],
    ['an empty tag key', { '': 'x' }],
    ['a tag value longer than 100 characters', { uid: 'v'.repeat(101) }],
  ])('lands %s in state as invalid-input on tags without a request', async (_label, tags) => {
    const onError = vi.fn();
    const { hook, calls } = renderCreate({ onError });
    let created: Company | undefined | 'unset' = 'unset';
    await act(async () => {
      created = await hook.result.current.create({ name: 'Acme', tags });
    });
    expect(created).toBeUndefined();
    expect(hook.result.current.status).toBe('error');
    const error = expectBillPayError(hook.result.current.error, 'invalid-input');
    expect(error.field).toBe('tags');
    expect(onError).toHaveBeenCalledTimes(1);
    expect(calls).toHaveLength(0);
  });

  it('sends 10 tags at Codat’s limits unchanged', async () => {
    const tags = Object.fromEntries(Array.from({ length: 10 }, (_, n) => [`${'k'.repeat(26)}${n}`, 'v'.repeat(100)]));
    const { hook, nth } = renderCreate();
    act(() => {
      void hook.result.current.create({ name: 'Acme', tags });
    });
    expect(nth(0).body).toEqual({ name: 'Acme', tags });
  });

  it('sends and shows the name as Codat keeps it, without the characters Codat strips', async () => {
    const { hook, nth } = renderCreate();
    let pending: Promise<Company | undefined> | undefined;
    act(() => {
      pending = hook.result.current.create({ name: ' Company (Codat[1]) ' });
    });
    expect(nth(0).body).toEqual({ name: 'Company Codat1' });
    await act(async () => {
      nth(0).respond(200, companyBody({ name: 'Company Codat1' }));
      await pending;
    });
    expect(hook.result.current.company?.name).toBe('Company Codat1');

    const setup = sandboxSetup();
    const { result } = renderHook(() => useCreateCompany(), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    let created: Company | undefined;
    await act(async () => {
      created = await result.current.create({ name: "O'Brien & Sons, Ltd. @ Cork?! (IE)" });
    });
    expect(created?.name).toBe("O'Brien & Sons, Ltd. @ Cork?! IE");
    expect(setup.sandbox.getCompany(created?.id ?? '')).toMatchObject({ name: "O'Brien & Sons, Ltd. @ Cork?! IE" });
  });

  it.each(requestFailures)('lands a $code error in state when $label, fires onError once and never rejects', async ({ code, answer, check }) => {
    const onError = vi.fn();
    const onCompanyCreated = vi.fn();
    const { hook, nth } = renderCreate({ onError, onCompanyCreated });
    let pending: Promise<Company | undefined> | undefined;
    act(() => {
      pending = hook.result.current.create({ name: 'Acme' });
    });
    await act(async () => {
      answer(nth(0));
      await expect(pending).resolves.toBeUndefined();
    });
    expect(hook.result.current.status).toBe('error');
    const error = expectBillPayError(hook.result.current.error, code);
    expect(error.operation).toBe('createCompany');
    check?.(error);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith(error);
    expect(onCompanyCreated).not.toHaveBeenCalled();
  });

  it('lands a timeout in state when the POST outlasts timeoutMs', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: false });
    const onError = vi.fn();
    const { hook, calls } = renderCreate({ onError }, false, { timeoutMs: 5000 });
    act(() => {
      void hook.result.current.create({ name: 'Acme' });
    });
    await act(() => vi.advanceTimersByTimeAsync(4999));
    expect(hook.result.current.status).toBe('creating');
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(calls[0]?.signal?.aborted).toBe(true);
    expect(hook.result.current.status).toBe('error');
    expectBillPayError(hook.result.current.error, 'timeout');
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['429 with Retry-After', 429, { 'Retry-After': '1' }],
    ['503', 503, {}],
  ])('never retries the POST after a %s', async (_label, status, headers) => {
    vi.useFakeTimers({ shouldAdvanceTime: false });
    const { hook, calls, nth } = renderCreate();
    act(() => {
      void hook.result.current.create({ name: 'Acme' });
    });
    await act(async () => {
      nth(0).respond(status, codatError(status, 'Try later.'), headers);
      await vi.advanceTimersByTimeAsync(60_000);
    });
    expect(calls).toHaveLength(1);
    expect(hook.result.current.error?.status).toBe(status);
  });

  it('succeeds when created again after a failure', async () => {
    const { hook, nth } = renderCreate();
    await act(async () => {
      const pending = hook.result.current.create({ name: 'Acme' });
      nth(0).reject(new TypeError('Failed to fetch'));
      await pending;
    });
    expect(hook.result.current.status).toBe('error');
    await act(async () => {
      const pending = hook.result.current.create({ name: 'Acme' });
      expect(hook.result.current.status).toBe('error');
      nth(1).respond(200, companyBody());
      await pending;
    });
    expect(hook.result.current).toMatchObject({ status: 'success', error: undefined });
  });

  it('aborts the POST on unmount and, even if an answer still arrives, fires nothing', async () => {
    const f = recordingFetcher({ honourAbort: false });
    const onError = vi.fn();
    const onCompanyCreated = vi.fn();
    const { result, unmount } = renderHook(() => useCreateCompany({ onError, onCompanyCreated }), {
      wrapper: wrapperFor({ fetcher: f.fetcher }),
    });
    let pending: Promise<Company | undefined> | undefined;
    act(() => {
      pending = result.current.create({ name: 'Acme' });
    });
    unmount();
    expect(f.nth(0).signal?.aborted).toBe(true);
    f.nth(0).respond(200, companyBody());
    await pending;
    expect(onCompanyCreated).not.toHaveBeenCalled();
    expect(onError).not.toHaveBeenCalled();
  });

  it('does not surface the abort as an error when the transport rejects on unmount', async () => {
    const f = recordingFetcher();
    const onError = vi.fn();
    const { result, unmount } = renderHook(() => useCreateCompany({ onError }), { wrapper: wrapperFor({ fetcher: f.fetcher }) });
    let pending: Promise<Company | undefined> | undefined;
    act(() => {
      pending = result.current.create({ name: 'Acme' });
    });
    unmount();
    await expect(pending).resolves.toBeUndefined();
    expect(f.nth(0).settled).toBe(true);
    expect(onError).not.toHaveBeenCalled();
  });
});
