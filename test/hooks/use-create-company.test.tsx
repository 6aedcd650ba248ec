import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { useCreateCompany } from '../../src/hooks/index.js';
import { deferred, sandboxSetup, wrapperFor } from './helpers.js';

describe('useCreateCompany', () => {
  it('creates the company and fires onCompanyCreated once', async () => {
    const setup = sandboxSetup();
    const onCompanyCreated = vi.fn();
    const { result } = renderHook(() => useCreateCompany({ onCompanyCreated }), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    expect(result.current.status).toBe('idle');
    let created: unknown;
    await act(async () => {
      created = await result.current.create({ name: '  Acme  ' });
    });
    expect(result.current.status).toBe('success');
    expect(result.current.company?.name).toBe('Acme');
    expect(created).toBe(result.current.company);
    expect(onCompanyCreated).toHaveBeenCalledTimes(1);
  });

  it('shares one POST between calls made while it is in flight', async () => {
    const setup = sandboxSetup();
    const { result } = renderHook(() => useCreateCompany(), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    act(() => {
      void result.current.create({ name: 'A' });
      void result.current.create({ name: 'A' });
    });
    expect(result.current.status).toBe('creating');
    await waitFor(() => expect(result.current.status).toBe('success'));
    expect(setup.calls()).toEqual(['POST createCompany']);
  });

  it('lands invalid input in state without a request and resolves undefined', async () => {
    const setup = sandboxSetup();
    const onError = vi.fn();
    const { result } = renderHook(() => useCreateCompany({ onError }), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    let created: unknown = 'unset';
    await act(async () => {
      created = await result.current.create({ name: '   ' });
    });
    expect(created).toBeUndefined();
    expect(result.current.status).toBe('error');
    expect(result.current.error).toMatchObject({ code: 'invalid-input', field: 'name' });
    expect(onError).toHaveBeenCalledTimes(1);
    expect(setup.calls()).toEqual([]);
    act(() => result.current.reset());
    expect(result.current.status).toBe('idle');
  });

  it('does not retry a failed POST and shows Codat’s error', async () => {
    const setup = sandboxSetup({ faults: { createCompany: { kind: 'status', status: 503 } } });
    const { result } = renderHook(() => useCreateCompany(), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    await act(async () => {
      await result.current.create({ name: 'A' });
    });
    expect(result.current.error).toMatchObject({ code: 'http', status: 503 });
    expect(result.current.error?.correlationId).toEqual(expect.any(String));
    expect(setup.calls()).toEqual(['POST createCompany']);
  });

  it('aborts on unmount and sets no state afterwards', async () => {
    const setup = sandboxSetup();
    const gate = deferred<Response>();
    let signal: AbortSignal | undefined;
    setup.fetcher.mockImplementation((_i, init) => {
      signal = init?.signal ?? undefined;
      return gate.promise;
    });
    const onError = vi.fn();
    const { result, unmount } = renderHook(() => useCreateCompany({ onError }), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    act(() => {
      void result.current.create({ name: 'A' });
    });
    unmount();
    expect(signal?.aborted).toBe(true);
    gate.reject(new DOMException('aborted', 'AbortError'));
    await Promise.resolve();
    expect(onError).not.toHaveBeenCalled();
  });
});
