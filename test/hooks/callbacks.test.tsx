import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useConnection, useCreateCompany, useUnlink } from '../../src/hooks/index.js';
import { companyId, connectionId, fresh, oneTimeLinks, sandboxSetup, seeded, stubLocation, stubOpen, wrapperFor } from './helpers.js';

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
    const setup = fresh();
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
    expect(setup.calls()).toEqual(['GET listConnections', 'POST createConnection', 'GET getConnection']);
  });

  it('useConnection lands in blocked, with a way forward in this tab, when the launch callback throws', async () => {
    captureReports();
    const location = stubLocation();
    try {
      const setup = sandboxSetup();
      const { result } = renderHook(() => useConnection({ companyId: undefined, company: { name: 'Acme' }, launch: throwing }), {
        wrapper: wrapperFor({ fetcher: oneTimeLinks(setup.fetcher) }),
      });
      await act(async () => {
        await result.current.connect('qhyg');
      });
      expect(result.current.status).toBe('blocked');
      expect(result.current.error).toMatchObject({ code: 'popup-blocked', cause: hostBug });
      expect(reported).toHaveBeenCalledWith(hostBug);
      const stored = result.current.connection?.linkUrl ?? '';
      expect(stored).toMatch(/\?otp=1$/);
      // The connection exists: continuing in this tab reuses it (no second POST), reading its linkUrl afresh.
      act(() => result.current.launch('redirect'));
      expect(result.current.status).toBe('loading');
      expect(location.assign).not.toHaveBeenCalled();
      await waitFor(() => expect(result.current.status).toBe('redirecting'));
      expect(location.assign).toHaveBeenCalledTimes(1);
      expect(location.assign).toHaveBeenCalledWith(stored.replace(/otp=1$/, 'otp=2'));
      expect(result.current.connection?.linkUrl).toBe(stored.replace(/otp=1$/, 'otp=2'));
      expect(setup.calls()).toEqual(['POST createCompany', 'POST createConnection', 'GET getConnection']);
    } finally {
      location.restore();
    }
  });
});
