import { act, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { readFileSync } from 'node:fs';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CodatProvider,
  ConfigureCustomer,
  ConnectButton,
  ConnectionManager,
  PlatformPicker,
  type ConnectionManagerProps,
} from '../../src/index.js';
import { createSandbox, type SandboxOptions, type SandboxSeedConnection } from '../../src/sandbox/index.js';
import { companyId, connectionId, deferred, failOnConsoleError, stubOpen } from '../hooks/helpers.js';
import { expectNoAxeViolations } from './axe.js';

failOnConsoleError();

afterEach(() => {
  vi.useRealTimers();
});

const ops = (sandbox: ReturnType<typeof createSandbox>) => sandbox.requests.map((r) => `${r.method} ${r.operation}`);
const fakeTimers = () => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  return userEvent.setup({ advanceTimers: (ms) => vi.advanceTimersByTime(ms) });
};

function renderManager(connections: SandboxSeedConnection[], props: ConnectionManagerProps = {}, options: SandboxOptions = {}) {
  const sandbox = createSandbox({ seed: { companies: [{ id: companyId, name: 'Acme', connections }] }, ...options });
  const view = render(
    <CodatProvider fetcher={sandbox.fetcher} companyId={companyId} clientOptions={{ retry: false }}>
      <ConnectionManager {...props} />
    </CodatProvider>,
  );
  return { ...view, sandbox };
}

describe('ConnectButton under a demanding user', () => {
  it('names the platform of the flow in progress when the chosen platform changes mid-flow, and starts over once it settles', async () => {
    const user = fakeTimers();
    stubOpen();
    const sandbox = createSandbox({ seed: { companies: [{ id: companyId, name: 'Acme' }] } });
    function Page() {
      const [key, setKey] = useState('qhyg');
      return (
        <>
          <ConnectButton platformKey={key} />
          <button type="button" onClick={() => setKey('gbol')}>
            choose xero
          </button>
        </>
      );
    }
    render(
      <CodatProvider fetcher={sandbox.fetcher} companyId={companyId}>
        <Page />
      </CodatProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Connect QuickBooks Online' }));
    await screen.findByText('Waiting for you to sign in to QuickBooks Online…');
    await user.click(screen.getByRole('button', { name: 'choose xero' }));
    // The open sign-in window is still QuickBooks': the status must not claim it is Xero's.
    expect(screen.getByRole('status')).toHaveTextContent('Waiting for you to sign in to QuickBooks Online…');
    sandbox.authorize(sandbox.listConnections(companyId)[0]?.id as string);
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(screen.queryByText('Xero is connected')).toBeNull();
    // The QuickBooks flow is over; the button now offers the platform the user chose.
    expect(screen.getByRole('button', { name: 'Connect Xero', description: '' })).toHaveAttribute('aria-disabled', 'false');
    expect(ops(sandbox)).toEqual(['GET listConnections', 'POST createConnection', 'GET getConnection']);
  });

  it('in ConfigureCustomer, choosing another tile after connecting and Done offers to connect it instead of claiming it is connected', async () => {
    const user = fakeTimers();
    stubOpen();
    const sandbox = createSandbox({ seed: { companies: [{ id: companyId, name: 'Acme' }] } });
    render(
      <CodatProvider fetcher={sandbox.fetcher} companyId={companyId}>
        <ConfigureCustomer />
      </CodatProvider>,
    );
    await user.click(screen.getByRole('radio', { name: /QuickBooks Online/ }));
    await user.click(screen.getByRole('button', { name: 'Connect QuickBooks Online' }));
    await screen.findByText('Waiting for you to sign in to QuickBooks Online…');
    sandbox.authorize(sandbox.listConnections(companyId)[0]?.id as string);
    await act(() => vi.advanceTimersByTimeAsync(2000));
    await screen.findByRole('heading', { name: 'QuickBooks Online is connected' });
    await user.click(screen.getByRole('button', { name: 'Done' }));
    await user.click(screen.getByRole('radio', { name: /Xero/ }));
    expect(screen.queryByText('Xero is connected')).toBeNull();
    expect(screen.getByRole('button', { name: 'Connect Xero' })).toHaveAttribute('aria-disabled', 'false');
  });

  it('sends one request for a double click, a triple click and Enter+Space, and one read for a double click on Reopen', async () => {
    const { open } = stubOpen();
    const sandbox = createSandbox({ seed: { companies: [{ id: companyId, name: 'Acme' }] } });
    // Each answer waits for the test, so every press lands while the request it started is in flight.
    let gate = deferred<void>();
    const fetcher = vi.fn(async (input: string, init: RequestInit) => {
      await gate.promise;
      return sandbox.fetcher(input, init);
    });
    const user = userEvent.setup();
    render(
      <CodatProvider fetcher={fetcher} companyId={companyId}>
        <ConnectButton platformKey="qhyg" />
      </CodatProvider>,
    );
    const button = screen.getByRole('button', { name: 'Connect QuickBooks Online' });
    await user.tripleClick(button);
    button.focus();
    await user.keyboard('{Enter}{ }');
    expect(fetcher).toHaveBeenCalledTimes(1);
    expect(open).toHaveBeenCalledTimes(1);
    gate.resolve();
    await screen.findByText('Waiting for you to sign in to QuickBooks Online…');
    // The one press that counted read the company's (no) connections first, then created one.
    expect(ops(sandbox)).toEqual(['GET listConnections', 'POST createConnection']);
    expect(fetcher).toHaveBeenCalledTimes(2);

    // Reopen reads the connection for a fresh linkUrl: a double click sends one GET and no new POST.
    gate = deferred<void>();
    await user.dblClick(screen.getByRole('button', { name: 'Open the sign-in window again' }));
    expect(fetcher).toHaveBeenCalledTimes(3);
    expect(open).toHaveBeenCalledTimes(2);
    gate.resolve();
    await screen.findByText('Waiting for you to sign in to QuickBooks Online…');
    expect(ops(sandbox)).toEqual(['GET listConnections', 'POST createConnection', 'GET getConnection']);
    // Each click either starts the flow or reopens the same window; one window name, no new connection.
    const names = new Set(open.mock.calls.map((c) => c[1]));
    expect(names.size).toBe(1);
    expect([...names][0]).toMatch(/^bpc-link:/);
  });

  it('unmounts mid-request without React warnings and closes the window it opened', async () => {
    const { win } = stubOpen();
    const gate = deferred<void>();
    const sandbox = createSandbox({ seed: { companies: [{ id: companyId, name: 'Acme' }] } });
    const fetcher = async (input: string, init: RequestInit) => {
      await gate.promise;
      return sandbox.fetcher(input, init);
    };
    const user = userEvent.setup();
    const view = render(
      <CodatProvider fetcher={fetcher} companyId={companyId}>
        <ConnectButton platformKey="qhyg" />
      </CodatProvider>,
    );
    await user.click(screen.getByRole('button'));
    view.unmount();
    gate.resolve();
    // React's warnings would fail the test in failOnConsoleError's afterEach.
    await vi.waitFor(() => expect(win.closed).toBe(true));
  });

  it('two buttons for different platforms on one page have distinct ids and descriptions', () => {
    const sandbox = createSandbox({ seed: { companies: [{ id: companyId, name: 'Acme' }] } });
    const { container } = render(
      <CodatProvider fetcher={sandbox.fetcher} companyId={companyId}>
        <ConnectButton platformKey="qhyg" />
        <ConnectButton platformKey="gbol" />
      </CodatProvider>,
    );
    const ids = [...container.querySelectorAll('[id]')].map((el) => el.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const button of screen.getAllByRole('button')) {
      expect(document.getElementById(button.getAttribute('aria-describedby') as string)?.closest('.bpc-connect')).toBe(button.closest('.bpc-connect'));
    }
  });

  it('keeps the empty status line in the accessibility tree, so its first message is announced', () => {
    // A live region that is display:none until it gets text is not in the accessibility tree when the
    // text arrives, and screen readers skip the change.
    const css = readFileSync('src/styles/connect-button.css', 'utf8');
    const hidden = [...css.matchAll(/([^{}]*)\{([^}]*)\}/g)].filter(([, selector, body]) => /status/.test(selector ?? '') && /display:\s*none/.test(body ?? ''));
    expect(hidden.map(([, selector]) => selector?.trim())).toEqual([]);
  });
});

describe('PlatformPicker under a demanding user', () => {
  it('returns Tab focus to the checked tile after a controlled parent changes the value', async () => {
    function Controlled() {
      const [value, setValue] = useState<string | null>('qhyg');
      return (
        <>
          <PlatformPicker value={value} searchable={false} />
          <button type="button" onClick={() => setValue('gbol')}>
            pick xero
          </button>
        </>
      );
    }
    const user = userEvent.setup();
    render(
      <CodatProvider fetcher={createSandbox().fetcher}>
        <Controlled />
      </CodatProvider>,
    );
    // The parent ignores the user's choice, so Sage gets focus without being checked.
    await user.click(screen.getByRole('radio', { name: /Sage/ }));
    await user.click(screen.getByRole('button', { name: 'pick xero' }));
    expect(screen.getByRole('radio', { name: /Xero/ })).toHaveAttribute('aria-checked', 'true');
    const tabbable = screen.getAllByRole('radio').filter((r) => r.tabIndex === 0);
    expect(tabbable.map((r) => r.textContent)).toEqual(['XXero']);
    await user.tab({ shift: true });
    expect(screen.getByRole('radio', { name: /Xero/ })).toHaveFocus();
  });

  it('keeps the chosen tile shown and checked while a search leaves it out, and one tab stop throughout', async () => {
    const user = userEvent.setup();
    const { container } = render(
      <CodatProvider fetcher={createSandbox().fetcher}>
        <PlatformPicker defaultValue="gbol" name="platform" />
      </CodatProvider>,
    );
    const search = screen.getByRole('searchbox');
    await user.type(search, 'quick');
    // The match, and Xero in its place: what Connect would connect never goes out of sight.
    expect(screen.getAllByRole('radio').map((r) => r.getAttribute('aria-label'))).toEqual(['QuickBooks Online', 'Xero']);
    expect(screen.getByRole('status')).toHaveTextContent('1 platform');
    expect(screen.getAllByRole('radio').filter((r) => r.tabIndex === 0)).toHaveLength(1);
    expect(screen.getByRole('radio', { checked: true })).toHaveAccessibleName('Xero');
    expect(container.querySelector('input[type="hidden"]')).toHaveValue('gbol');
    await user.clear(search);
    expect(screen.getByRole('radio', { name: /Xero/ })).toHaveAttribute('aria-checked', 'true');
    await user.tab();
    expect(screen.getByRole('radio', { name: /Xero/ })).toHaveFocus();
  });

  it('moves focus to the loaded tiles after Try again instead of dropping it on the page', async () => {
    const sandbox = createSandbox({ faults: { listIntegrations: { kind: 'status', status: 500 } } });
    const user = userEvent.setup();
    render(
      <CodatProvider fetcher={sandbox.fetcher} clientOptions={{ retry: false }}>
        <PlatformPicker source="integrations" />
      </CodatProvider>,
    );
    const alert = await screen.findByRole('alert');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    await waitFor(() => expect(document.activeElement).not.toBe(document.body));
    expect(document.activeElement).toHaveAttribute('role', 'radio');
    expect(document.activeElement).toHaveAttribute('tabindex', '0');
  });

  it('moves focus to the new Try again when the retry fails too', async () => {
    const sandbox = createSandbox({ faults: { listIntegrations: { kind: 'status', status: 500, times: 2 } } });
    const user = userEvent.setup();
    render(
      <CodatProvider fetcher={sandbox.fetcher} clientOptions={{ retry: false }}>
        <PlatformPicker source="integrations" />
      </CodatProvider>,
    );
    await user.click(within(await screen.findByRole('alert')).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(sandbox.requests.filter((r) => r.operation === 'listIntegrations')).toHaveLength(2));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Try again' })).toHaveFocus());
  });

  it('moves by arrows mirrored in a right-to-left layout', async () => {
    const user = userEvent.setup();
    render(
      <CodatProvider fetcher={createSandbox().fetcher}>
        <div dir="rtl" style={{ direction: 'rtl' }}>
          <PlatformPicker searchable={false} />
        </div>
      </CodatProvider>,
    );
    await user.tab();
    await user.keyboard('{ArrowLeft}');
    expect(screen.getByRole('radio', { name: /NetSuite/ })).toHaveFocus();
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('radio', { name: /FreeAgent/ })).toHaveFocus();
  });

  it('follows a columns change for ArrowDown', async () => {
    const user = userEvent.setup();
    const sandbox = createSandbox();
    const view = render(
      <CodatProvider fetcher={sandbox.fetcher}>
        <PlatformPicker searchable={false} columns={3} />
      </CodatProvider>,
    );
    await user.tab();
    view.rerender(
      <CodatProvider fetcher={sandbox.fetcher}>
        <PlatformPicker searchable={false} columns={2} />
      </CodatProvider>,
    );
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('radio', { name: /QuickBooks Online/ })).toHaveFocus();
  });

  it('a disabled picker has no tab stop, ignores keys and is not axe-flagged', async () => {
    const onValueChange = vi.fn();
    const user = userEvent.setup();
    const { container } = render(
      <CodatProvider fetcher={createSandbox().fetcher}>
        <PlatformPicker disabled searchable={false} onValueChange={onValueChange} />
      </CodatProvider>,
    );
    expect(screen.getAllByRole('radio').filter((r) => r.tabIndex === 0)).toHaveLength(0);
    act(() => screen.getByRole('radio', { name: /Xero/ }).focus());
    await user.keyboard('{ArrowLeft}{Home}{ }{Enter}m');
    expect(onValueChange).not.toHaveBeenCalled();
    await expectNoAxeViolations(container);
  });

  it('two pickers on one page have no duplicate ids', () => {
    const { container } = render(
      <CodatProvider fetcher={createSandbox().fetcher}>
        <PlatformPicker />
        <PlatformPicker />
      </CodatProvider>,
    );
    const ids = [...container.querySelectorAll('[id]')].map((el) => el.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const el of container.querySelectorAll('[aria-labelledby], [aria-controls]')) {
      for (const ref of `${el.getAttribute('aria-labelledby') ?? ''} ${el.getAttribute('aria-controls') ?? ''}`.trim().split(/\s+/)) {
        expect(document.getElementById(ref)).not.toBeNull();
      }
    }
  });

  it('unmounts while the integrations load without React warnings, and stops the load', async () => {
    const sandbox = createSandbox({ faults: { listIntegrations: { kind: 'hang' } } });
    const signals: AbortSignal[] = [];
    const fetcher = (input: string, init: RequestInit) => {
      if (init.signal) signals.push(init.signal);
      return sandbox.fetcher(input, init);
    };
    const view = render(
      <CodatProvider fetcher={fetcher}>
        <PlatformPicker source="integrations" />
      </CodatProvider>,
    );
    await vi.waitFor(() => expect(signals).not.toHaveLength(0));
    view.unmount();
    await vi.waitFor(() => expect(signals.every((signal) => signal.aborted)).toBe(true));
  });
});

describe('ConnectionManager under a demanding user', () => {
  it('passes unstyled to its unlink dialog', async () => {
    const user = userEvent.setup();
    const { container } = renderManager([{ id: connectionId, platformKey: 'qhyg', status: 'Linked' }], { unstyled: true });
    await user.click(await screen.findByRole('button', { name: 'Unlink' }));
    screen.getByRole('alertdialog');
    const kitClasses = [...container.querySelectorAll('[class]')].flatMap((el) => [...el.classList]).filter((c) => c.startsWith('bpc-'));
    expect(new Set(kitClasses)).toEqual(new Set(['bpc-sr']));
  });

  it('puts focus on the row’s Unlink button when a reconnect succeeds and the Reconnect button goes away', async () => {
    const user = fakeTimers();
    stubOpen();
    const { sandbox } = renderManager([{ id: connectionId, platformKey: 'knfz', status: 'Deauthorized' }]);
    await user.click(await screen.findByRole('button', { name: 'Reconnect' }));
    await screen.findByText('Waiting for you to sign in to Sage Intacct…');
    sandbox.authorize(connectionId);
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(screen.getByRole('listitem')).toHaveAttribute('data-status', 'linked');
    expect(screen.getByRole('button', { name: 'Unlink' })).toHaveFocus();
  });

  it('leaves focus on Reconnect when the sign-in window is closed without authorising', async () => {
    const user = fakeTimers();
    const { win } = stubOpen();
    renderManager([{ id: connectionId, platformKey: 'knfz', status: 'Deauthorized' }]);
    const reconnect = await screen.findByRole('button', { name: 'Reconnect' });
    await user.click(reconnect);
    win.closed = true;
    await act(() => vi.advanceTimersByTimeAsync(600));
    expect(await screen.findByRole('alert')).toHaveTextContent('The sign-in was cancelled before access was granted.');
    expect(screen.getByRole('button', { name: 'Reconnect' })).toHaveFocus();
  });

  it('moves focus to the heading when Try again loads the list and the notice goes away', async () => {
    const user = userEvent.setup();
    renderManager([{ id: connectionId, platformKey: 'qhyg', status: 'Linked' }], {}, { faults: { listConnections: { kind: 'status', status: 500 } } });
    await user.click(within(await screen.findByRole('alert')).getByRole('button', { name: 'Try again' }));
    await screen.findByRole('button', { name: 'Unlink' });
    expect(screen.getByRole('heading', { name: 'Connected accounting software' })).toHaveFocus();
  });

  it('announces a second unlink of the same platform too', async () => {
    const user = userEvent.setup();
    renderManager([
      { id: connectionId, platformKey: 'qhyg', status: 'Linked' },
      { platformKey: 'qhyg', status: 'Linked' },
    ]);
    const status = () => screen.getAllByRole('status').at(-1) as HTMLElement;
    const announcements: string[] = [];
    const observer = new MutationObserver(() => announcements.push(status().textContent ?? ''));
    await screen.findAllByRole('button', { name: 'Unlink' });
    observer.observe(status(), { childList: true, characterData: true, subtree: true });
    for (let i = 0; i < 2; i++) {
      await user.click(screen.getAllByRole('button', { name: 'Unlink' })[0] as HTMLElement);
      await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Unlink' }));
      await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
      await act(() => Promise.resolve());
    }
    observer.disconnect();
    expect(announcements.filter(Boolean)).toHaveLength(2);
    expect(announcements.every((a) => !a || a.trim() === 'QuickBooks Online was unlinked')).toBe(true);
  });

  it('renders 50 connections with unknown statuses and many errors: unique ids, valid references, no axe violations', async () => {
    const statuses = ['Linked', 'PendingAuth', 'Deauthorized', 'Unlinked', 'Paused'];
    const keys = ['qhyg', 'gbol', 'knfz', 'akxx', 'pdvj'];
    const connections: SandboxSeedConnection[] = Array.from({ length: 50 }, (_, i) => ({
      platformKey: keys[i % 5] as string,
      status: statuses[i % 5] as string,
      dataConnectionErrors:
        i === 2 ? Array.from({ length: 20 }, (_, n) => ({ errorMessage: `Problem ${n}`, status: n % 2 ? 'Resolved' : 'Active' })) : [],
    }));
    const { container } = renderManager(connections);
    await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(50));
    const rows = screen.getAllByRole('listitem');
    expect(rows.filter((r) => r.getAttribute('data-status') === 'unknown')).toHaveLength(10);
    expect(within(rows[2] as HTMLElement).getAllByText(/Problem/)).toHaveLength(10);
    const ids = [...container.querySelectorAll('[id]')].map((el) => el.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const el of container.querySelectorAll('[aria-describedby], [aria-labelledby]')) {
      for (const ref of `${el.getAttribute('aria-describedby') ?? ''} ${el.getAttribute('aria-labelledby') ?? ''}`.trim().split(/\s+/)) {
        expect(document.getElementById(ref)).not.toBeNull();
      }
    }
    await expectNoAxeViolations(container);
  });

  it('unmounts while unlinking, with the dialog open, without React warnings and un-inerts the page', async () => {
    const sandbox = createSandbox({ seed: { companies: [{ id: companyId, name: 'Acme', connections: [{ id: connectionId, platformKey: 'qhyg', status: 'Linked' }] }] } });
    const gate = deferred<void>();
    const unlinked = deferred<void>();
    const fetcher = async (input: string, init: RequestInit) => {
      if (init.method !== 'PATCH') return sandbox.fetcher(input, init);
      await gate.promise;
      try {
        return await sandbox.fetcher(input, init);
      } finally {
        unlinked.resolve();
      }
    };
    const user = userEvent.setup();
    function Host() {
      const [shown, setShown] = useState(true);
      return (
        <>
          <button type="button" onClick={() => setShown(false)}>
            hide
          </button>
          {shown ? <ConnectionManager /> : null}
        </>
      );
    }
    render(
      <CodatProvider fetcher={fetcher} companyId={companyId}>
        <Host />
      </CodatProvider>,
    );
    await user.click(await screen.findByRole('button', { name: 'Unlink' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Unlink' }));
    act(() => screen.getByText('hide').click());
    gate.resolve();
    await act(() => unlinked.promise);
    expect(document.querySelectorAll('[inert]')).toHaveLength(0);
  });
});

describe('ConfigureCustomer under a demanding user', () => {
  it('moves focus to the platform search once the company is created from the name form', async () => {
    const sandbox = createSandbox();
    const user = userEvent.setup();
    render(
      <CodatProvider fetcher={sandbox.fetcher}>
        <ConfigureCustomer />
      </CodatProvider>,
    );
    await user.type(screen.getByRole('textbox', { name: 'Company name' }), 'Acme Ltd{Enter}');
    await screen.findByRole('radiogroup');
    expect(screen.getByRole('searchbox')).toHaveFocus();
  });

  it('creates one company however often the form is submitted', async () => {
    const sandbox = createSandbox();
    const gate = deferred<void>();
    const fetcher = async (input: string, init: RequestInit) => {
      await gate.promise;
      return sandbox.fetcher(input, init);
    };
    const user = userEvent.setup();
    render(
      <CodatProvider fetcher={fetcher}>
        <ConfigureCustomer defaultCompanyName="Acme" />
      </CodatProvider>,
    );
    const submit = screen.getByRole('button', { name: 'Continue' });
    await user.tripleClick(submit);
    await user.type(screen.getByRole('textbox'), '{Enter}');
    expect(submit).toHaveAttribute('aria-disabled', 'true');
    gate.resolve();
    await screen.findByRole('radiogroup');
    expect(ops(sandbox).filter((o) => o.startsWith('POST'))).toEqual(['POST createCompany']);
  });

  it('keeps a sensible Tab order: the listed connection’s actions first, then search, the picker’s one tab stop, Connect', async () => {
    const sandbox = createSandbox({ seed: { companies: [{ id: companyId, name: 'Acme', connections: [{ platformKey: 'gbol', status: 'Linked' }] }] } });
    const user = userEvent.setup();
    render(
      <CodatProvider fetcher={sandbox.fetcher} companyId={companyId}>
        <ConfigureCustomer />
      </CodatProvider>,
    );
    await screen.findByRole('button', { name: 'Unlink' });
    const order: string[] = [];
    for (let i = 0; i < 5; i++) {
      await user.tab();
      const el = document.activeElement as HTMLElement;
      order.push(`${el.getAttribute('role') ?? el.tagName.toLowerCase()}:${el.getAttribute('aria-label') || el.textContent || el.getAttribute('type')}`);
    }
    expect(order).toEqual(['button:Unlink', 'button:Remove', 'input:search', 'radio:FreeAgent', 'button:Choose your software']);
  });

  it('reaches every ConfigureCustomer string through messages', async () => {
    const sandbox = createSandbox();
    const user = userEvent.setup();
    render(
      <CodatProvider fetcher={sandbox.fetcher}>
        <ConfigureCustomer
          messages={{
            nameTitle: 'Connectez votre logiciel',
            nameDescription: 'D’abord, le nom de votre entreprise.',
            companyNameLabel: 'Nom',
            companyCreate: 'Continuer',
            chooseTitle: 'Quel logiciel utilisez-vous ?',
            chooseDescription: 'Bill Pay synchronise vos factures.',
            pickerSearchLabel: 'Chercher',
            connectChoosePlatform: 'Choisissez',
          }}
        />
      </CodatProvider>,
    );
    expect(screen.getByRole('heading', { name: 'Connectez votre logiciel' })).toBeInTheDocument();
    expect(screen.getByText('D’abord, le nom de votre entreprise.')).toBeInTheDocument();
    await user.type(screen.getByRole('textbox', { name: 'Nom' }), 'Acme');
    await user.click(screen.getByRole('button', { name: 'Continuer' }));
    expect(await screen.findByRole('searchbox', { name: 'Chercher' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Quel logiciel utilisez-vous ?' })).toBeInTheDocument();
    expect(screen.getByText('Bill Pay synchronise vos factures.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Choisissez' })).toBeInTheDocument();
  });

  it('reaches the strings of a company with a connection through messages too', async () => {
    const sandbox = createSandbox({ seed: { companies: [{ id: companyId, name: 'Acme', connections: [{ platformKey: 'gbol', status: 'Linked' }] }] } });
    render(
      <CodatProvider fetcher={sandbox.fetcher} companyId={companyId}>
        <ConfigureCustomer messages={{ connectedTitle: 'Votre logiciel', managerHeading: 'Connexions', chooseAnotherTitle: 'Changer de logiciel' }} />
      </CodatProvider>,
    );
    expect(await screen.findByRole('heading', { name: 'Votre logiciel' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Connexions' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Changer de logiciel' })).toBeInTheDocument();
  });
});
