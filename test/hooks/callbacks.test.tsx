import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useConnection, useCreateCompany, useUnlink } from '../../src/hooks/index.js';
import { companyId, connectionId, sandboxSetup, seeded, stubOpen, wrapperFor } from './helpers.js';

// A host callback that throws is the host's bug, but it must not break the kit's state machine or
// surface as an unhandled rejection: the error is reported (reportError) and the flow carries on.
const hostBug = new Error('host callback failed');
const throwing = () => {
  throw hostBug;
};

let reported: ReturnType<typeof vi.fn>;
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});
function captureReports() {
  reported = vi.fn();
  vi.stubGlobal('reportError', reported);
}

describe('host callbacks that throw', () => {
  it('useCreateCompany still lands in success and resolves create() with the company', async () => {
    captureReports();
    const setup = sandboxSetup();
    const { result } = renderHook(() => useCreateCompany({ onCompanyCreated: throwing }), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    let company: unknown;
    await act(async () => {
      company = await result.current.create({ name: 'Acme' });
    });
    expect(result.current.status).toBe('success');
    expect(company).toEqual(result.current.company);
    expect(reported).toHaveBeenCalledWith(hostBug);
  });

  it('useUnlink still lands in unlinked', async () => {
    captureReports();
    const setup = seeded('Linked');
    const { result } = renderHook(() => useUnlink({ companyId, connectionId, onUnlinked: throwing }), { wrapper: wrapperFor({ fetcher: setup.fetcher }) });
    act(() => result.current.request());
    await act(async () => {
      await result.current.confirm();
    });
    expect(result.current.status).toBe('unlinked');
    expect(reported).toHaveBeenCalledTimes(1);
  });

  it('useConnection still closes the popup and ends linked when onConnected throws during the watch', async () => {
    captureReports();
    vi.useFakeTimers({ shouldAdvanceTime: false });
    const { win } = stubOpen();
    const setup = seeded('Linked');
    const { result } = renderHook(() => useConnection({ companyId, onConnected: throwing, onLaunched: throwing }), {
      wrapper: wrapperFor({ fetcher: setup.fetcher }),
    });
    await act(async () => {
      void result.current.connect('qhyg');
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(result.current.status).toBe('awaiting-auth');
    setup.sandbox.authorize(result.current.connection?.id ?? '');
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(result.current.status).toBe('linked');
    expect(win.close).toHaveBeenCalled();
    expect(reported).toHaveBeenCalledTimes(2);
  });
});
