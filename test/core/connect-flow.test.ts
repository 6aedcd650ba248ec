import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createCodatClient,
  createConnectFlow,
  createKitStore,
  decideConnect,
  parseConnection,
  type BillPayEventInput,
  type Connection,
  type ConnectFlowInput,
} from '../../src/core/index.js';
import { createSandbox, type SandboxOptions, type SandboxSeedConnection } from '../../src/sandbox/index.js';

const companyId = '8a210b68-6988-11ed-a1eb-0242ac120002';

afterEach(() => {
  vi.useRealTimers();
});

const conn = (platformKey: string, status: string, created = '2026-11-01T00:00:00Z'): Connection =>
  parseConnection({ id: `${platformKey}-${status}-${created}`, integrationKey: platformKey, platformName: '', sourceType: 'Accounting', status, created, linkUrl: 'https://x' });

describe('decideConnect: one accounting connection per company', () => {
  it('shows a Linked connection to the same platform instead of creating another', () => {
    const linked = conn('gbol', 'Linked');
    expect(decideConnect([conn('gbol', 'PendingAuth', '2026-11-02T00:00:00Z'), linked], 'gbol')).toEqual({ kind: 'linked', connection: linked });
  });

  it.each(['PendingAuth', 'Unlinked', 'Deauthorized'])('continues a %s connection to the same platform', (status) => {
    const existing = conn('gbol', status);
    expect(decideConnect([existing], 'gbol')).toEqual({ kind: 'continue', connection: existing });
  });

  it.each(['Linked', 'Unlinked', 'Deauthorized'])('asks before replacing a %s connection to another platform', (status) => {
    const other = conn('qhyg', status);
    expect(decideConnect([other, conn('akxx', 'PendingAuth')], 'gbol')).toEqual({ kind: 'switch', from: other });
  });

  it('discards abandoned attempts at other platforms and creates, without asking', () => {
    const abandoned = [conn('qhyg', 'PendingAuth'), conn('akxx', 'PendingAuth')];
    expect(decideConnect(abandoned, 'gbol')).toEqual({ kind: 'create', discard: abandoned });
    expect(decideConnect([], 'gbol')).toEqual({ kind: 'create', discard: [] });
  });

  it('finds the platform by name when Codat leaves integrationKey out, and ignores banking connections', () => {
    const xero = parseConnection({ id: 'x', platformName: 'Xero', sourceType: 'Accounting', status: 'Linked', created: '', linkUrl: '' });
    const bank = parseConnection({ id: 'b', integrationKey: 'qhyg', platformName: 'Bank', sourceType: 'Banking', status: 'Linked', created: '', linkUrl: '' });
    expect(decideConnect([xero, bank], 'gbol')).toEqual({ kind: 'linked', connection: xero });
    expect(decideConnect([bank], 'gbol')).toEqual({ kind: 'create', discard: [] });
  });
});

/** A flow over the in-memory sandbox with a fake browser: windows are plain objects, timers are fake. */
function setup(connections: SandboxSeedConnection[] | null, input: Partial<ConnectFlowInput> = {}, sandboxOptions: SandboxOptions = {}) {
  vi.useFakeTimers();
  const sandbox = createSandbox({ ...sandboxOptions, seed: connections ? { companies: [{ id: companyId, name: 'Acme', connections }] } : undefined });
  const client = createCodatClient({ fetcher: sandbox.fetcher, retry: false });
  const store = createKitStore();
  const events: BillPayEventInput[] = [];
  const windows: { location: { href: string }; closed: boolean; close: () => void }[] = [];
  const navigated: string[] = [];
  const onConnected = vi.fn();
  const flow = createConnectFlow(
    () => ({
      client,
      store,
      companyId: connections ? companyId : undefined,
      company: { name: 'New Co' },
      popupTitle: 'Taking you to sign in…',
      linkUrlPolicy: {},
      popupName: 'bpc-link:test',
      emit: (event) => events.push(event),
      onConnected,
      ...input,
    }),
    {
      notify: (callback, ...args) => callback?.(...args),
      openWindow: () => {
        const win = { location: { href: 'about:blank' }, closed: false, close: () => void (win.closed = true) };
        windows.push(win);
        return win as unknown as Window;
      },
      navigate: (url) => navigated.push(url),
      onFocus: () => () => undefined,
      now: () => Date.now(),
    },
  );
  flow.start();
  const requests = () => sandbox.requests.map((r) => `${r.method} ${r.operation}`);
  return { sandbox, store, flow, events, windows, navigated, onConnected, requests };
}

describe('createConnectFlow, without React', () => {
  it('creates the company and the connection, opens Link in the popup, and finishes when Codat says Linked', async () => {
    const { flow, sandbox, windows, events, onConnected, requests } = setup(null);
    const done = flow.connect('gbol');
    expect(windows).toHaveLength(1);
    const created = await done;
    expect(flow.getSnapshot().step).toEqual({ status: 'awaiting-auth' });
    expect(windows[0]?.location.href).toBe(created?.linkUrl);
    sandbox.authorize(created?.id ?? '');
    await vi.advanceTimersByTimeAsync(2000);
    expect(flow.getSnapshot().step).toBeNull();
    expect(windows[0]?.closed).toBe(true);
    expect(onConnected).toHaveBeenCalledTimes(1);
    expect(requests()).toEqual(['POST createCompany', 'POST createConnection', 'GET getConnection']);
    expect(events.map((e) => e.type)).toEqual(['connect-started', 'link-opened', 'linked']);
    expect(events[1]).toMatchObject({ platformKey: 'gbol', mode: 'popup', connectionId: created?.id });
  });

  it('continues the company’s PendingAuth connection to the same platform instead of creating a second', async () => {
    const { flow, sandbox, windows, requests } = setup([{ platformKey: 'gbol', status: 'PendingAuth' }]);
    const existing = sandbox.listConnections(companyId)[0];
    const opened = await flow.connect('gbol');
    expect(opened?.id).toBe(existing?.id);
    expect(windows[0]?.location.href).toBe(existing?.linkUrl);
    expect(requests()).toEqual(['GET listConnections']);
    expect(sandbox.listConnections(companyId)).toHaveLength(1);
  });

  it('asks before switching from a Linked platform, opening no window, then replaces it in the confirming click', async () => {
    const { flow, sandbox, windows, requests, store } = setup([{ platformKey: 'qhyg', status: 'Linked' }]);
    store.setConnections(companyId, (await createCodatClient({ fetcher: sandbox.fetcher }).listAllConnections(companyId)) as Connection[]);
    sandbox.reset();
    await flow.connect('gbol');
    expect(flow.getSnapshot().step).toMatchObject({ status: 'confirm-switch', to: 'gbol', from: { integrationKey: 'qhyg' } });
    expect(windows).toHaveLength(0);
    expect(requests()).toEqual([]);
    flow.confirmSwitch();
    expect(windows).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(requests()).toEqual(['DELETE deleteConnection', 'POST createConnection']);
    expect(sandbox.listConnections(companyId).map((c) => [c.integrationKey, c.status])).toEqual([['gbol', 'PendingAuth']]);
    expect(flow.getSnapshot().step).toEqual({ status: 'awaiting-auth' });
  });

  it('keeps the existing connection when the switch is cancelled', async () => {
    const { flow, sandbox, requests } = setup([{ platformKey: 'qhyg', status: 'Linked' }]);
    await flow.connect('gbol');
    expect(flow.getSnapshot().step?.status).toBe('confirm-switch');
    flow.cancelSwitch();
    expect(flow.getSnapshot().step).toBeNull();
    expect(requests()).toEqual(['GET listConnections']);
    expect(sandbox.listConnections(companyId)).toHaveLength(1);
  });

  it('deletes an abandoned attempt at another platform before creating the new one, leaving one row', async () => {
    const { flow, sandbox, requests } = setup([{ platformKey: 'qhyg', status: 'PendingAuth' }]);
    await flow.connect('gbol');
    expect(requests()).toEqual(['GET listConnections', 'DELETE deleteConnection', 'POST createConnection']);
    expect(sandbox.listConnections(companyId).map((c) => c.integrationKey)).toEqual(['gbol']);
  });

  it('reads the connection again before reopening it, and opens the fresh linkUrl', async () => {
    const { flow, sandbox, windows, requests } = setup([{ platformKey: 'gbol', status: 'Deauthorized' }], { connectionId: undefined });
    await flow.connect('gbol');
    const first = windows[0]?.location.href;
    flow.launch('popup');
    expect(flow.getSnapshot().step).toEqual({ status: 'loading' });
    await vi.advanceTimersByTimeAsync(0);
    expect(windows[1]?.location.href).toBe(first);
    expect(requests()).toEqual(['GET listConnections', 'GET getConnection']);
    expect(sandbox.listConnections(companyId)).toHaveLength(1);
  });

  it('reports a cancelled flow once, with its timing, when the popup closes without authorising', async () => {
    const { flow, windows, events } = setup(null);
    await flow.connect('gbol');
    const win = windows[0];
    if (win) win.closed = true;
    await vi.advanceTimersByTimeAsync(500);
    expect(flow.getSnapshot().step).toMatchObject({ status: 'cancelled', error: { code: 'link-cancelled' } });
    expect(events.map((e) => e.type)).toEqual(['connect-started', 'link-opened', 'cancelled']);
    expect(events[2]).toMatchObject({ platformKey: 'gbol', elapsedMs: 500 });
  });

  it('sets nothing and reports nothing after stop', async () => {
    const { flow, events, onConnected } = setup(null);
    const done = flow.connect('gbol');
    flow.stop();
    await done;
    await vi.advanceTimersByTimeAsync(5000);
    expect(flow.getSnapshot().step).toEqual({ status: 'creating' });
    expect(onConnected).not.toHaveBeenCalled();
    expect(events.map((e) => e.type)).toEqual(['connect-started']);
  });

  it('warns developers once, naming linkUrlPolicy, when it refuses a loopback linkUrl, and lands in unsafe-link-url', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { flow, windows } = setup(null, {}, { linkBaseUrl: 'http://127.0.0.1:4010/link' });
    await flow.connect('gbol');
    expect(flow.getSnapshot().step).toMatchObject({ status: 'error', error: { code: 'unsafe-link-url' } });
    expect(windows[0]?.closed).toBe(true);
    expect(windows[0]?.location.href).toBe('about:blank');
    flow.reset();
    await flow.connect('gbol');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/^billpay-connect: refused to open the linkUrl "http:\/\/127\.0\.0\.1:4010.*allowInsecureLoopback: true/);
    warn.mockRestore();
  });

  it('decides from the company’s whole list, not from a store that holds only single reads', async () => {
    const { flow, sandbox, store, requests } = setup([
      { platformKey: 'qhyg', status: 'PendingAuth' },
      { platformKey: 'gbol', status: 'Linked' },
    ]);
    const pendingQuickBooks = sandbox.listConnections(companyId).find((c) => c.integrationKey === 'qhyg');
    store.upsertConnection(companyId, parseConnection(pendingQuickBooks));
    expect(store.hasList(companyId)).toBe(false);
    await flow.connect('gbol');
    expect(requests()).toEqual(['GET listConnections']);
    expect(flow.getSnapshot()).toMatchObject({ step: null, connectionId: sandbox.listConnections(companyId).find((c) => c.integrationKey === 'gbol')?.id });
    expect(sandbox.listConnections(companyId)).toHaveLength(2);
  });
});
