import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CodatProvider, ConnectButton, type ConnectButtonProps } from '../../src/index.js';
import { createSandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import type { Fetcher } from '../../src/core/index.js';
import { companyId, oneTimeLinks, stubLocation, stubOpen } from '../hooks/helpers.js';
import { expectNoAxeViolations } from './axe.js';

afterEach(() => {
  vi.useRealTimers();
});

function renderButton(props: ConnectButtonProps = {}, options: SandboxOptions = {}, wrap: (fetcher: Fetcher) => Fetcher = (f) => f) {
  const sandbox = createSandbox({ seed: { companies: [{ id: companyId, name: 'Acme' }] }, ...options });
  const user = userEvent.setup({ advanceTimers: (ms) => (vi.isFakeTimers() ? vi.advanceTimersByTime(ms) : undefined) });
  const view = render(
    <CodatProvider fetcher={wrap(sandbox.fetcher)} companyId={companyId}>
      <ConnectButton {...props} />
    </CodatProvider>,
  );
  // The main button comes first; a notice's action, when there is one, follows it.
  const button = () => screen.getAllByRole('button')[0] as HTMLElement;
  return { ...view, sandbox, user, button };
}

const ops = (sandbox: ReturnType<typeof createSandbox>) => sandbox.requests.map((r) => `${r.method} ${r.operation}`);

describe('ConnectButton', () => {
  it('is disabled and says to choose a platform when none is chosen', async () => {
    const { user, button, sandbox, container } = renderButton();
    expect(button()).toHaveAccessibleName('Choose your software');
    expect(button()).toHaveAttribute('aria-disabled', 'true');
    await user.click(button());
    expect(ops(sandbox)).toEqual([]);
    await expectNoAxeViolations(container);
  });

  it('creates the connection, opens the popup and waits for sign-in, then shows connected and takes focus back', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { win } = stubOpen();
    const onConnected = vi.fn();
    const { user, button, sandbox, container } = renderButton({ platformKey: 'qhyg', onConnected });
    expect(button()).toHaveAccessibleName('Connect QuickBooks Online');
    await user.click(button());
    await screen.findByText('Waiting for you to sign in to QuickBooks Online…');
    expect(container.firstElementChild).toHaveAttribute('data-status', 'awaiting-auth');
    expect(button()).toHaveAccessibleName('Open the sign-in window again');
    expect(win.location.href).toMatch(/^https:/);
    await expectNoAxeViolations(container);
    act(() => (document.activeElement as HTMLElement | null)?.blur());
    const id = sandbox.requests.length ? (sandbox.listConnections(companyId)[0]?.id as string) : '';
    sandbox.authorize(id);
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(screen.getByRole('status')).toHaveTextContent('QuickBooks Online is connected');
    expect(container.firstElementChild).toHaveAttribute('data-status', 'linked');
    expect(button()).toHaveAttribute('aria-disabled', 'true');
    expect(button()).toHaveFocus();
    expect(onConnected).toHaveBeenCalledTimes(1);
    expect(ops(sandbox)).toEqual(['GET listConnections', 'POST createConnection', 'GET getConnection']);
  });

  it('reopens the same sign-in window without a new connection, pointing it at a freshly read linkUrl', async () => {
    const { open, win } = stubOpen();
    // Codat's one-time links: each answer carrying the connection hands out a new linkUrl.
    const { user, button, sandbox } = renderButton({ platformKey: 'gbol' }, {}, oneTimeLinks);
    await user.click(button());
    await screen.findByText(/Waiting for you to sign in to Xero/);
    const created = sandbox.listConnections(companyId)[0]?.linkUrl as string;
    expect(win.location.href).toBe(`${created}?otp=1`);
    await user.click(button());
    expect(open).toHaveBeenCalledTimes(2);
    expect(new Set(open.mock.calls.map((c) => c[1])).size).toBe(1);
    await screen.findByText(/Waiting for you to sign in to Xero/);
    expect(win.location.href).toBe(`${created}?otp=2`);
    expect(ops(sandbox)).toEqual(['GET listConnections', 'POST createConnection', 'GET getConnection']);
  });

  it('says the window was closed and offers to connect again after a cancelled sign-in', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { win } = stubOpen();
    const { user, button } = renderButton({ platformKey: 'knfz' });
    await user.click(button());
    await screen.findByText(/Waiting for you to sign in/);
    win.closed = true;
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(screen.getByRole('status')).toHaveTextContent('The sign-in was cancelled before access was granted.');
    expect(button()).toHaveAccessibleName('Connect Sage Intacct');
    expect(button()).toHaveFocus();
  });

  it('explains a blocked popup and continues in this tab', async () => {
    stubOpen(true);
    const location = stubLocation();
    try {
      const { user, button, sandbox, container } = renderButton({ platformKey: 'qhyg' });
      await user.click(button());
      const alert = screen.getByRole('alert');
      expect(alert).toHaveTextContent('Your browser blocked the sign-in window');
      expect(ops(sandbox)).toEqual([]);
      await expectNoAxeViolations(container);
      await user.click(within(alert).getByRole('button', { name: 'Continue in this tab' }));
      await vi.waitFor(() => expect(location.assign).toHaveBeenCalledTimes(1));
      expect(ops(sandbox)).toEqual(['GET listConnections', 'POST createConnection']);
      expect(screen.getByRole('status')).toHaveTextContent('Taking you to sign in…');
    } finally {
      location.restore();
    }
  });

  it('shows Codat’s error in the kit’s words with Codat’s text and the support reference in collapsed details, and retries from the notice', async () => {
    stubOpen();
    const { user, button, sandbox, container } = renderButton({ platformKey: 'qhyg' }, { faults: { createConnection: { kind: 'status', status: 500, message: 'Internal error.' } } });
    await user.click(button());
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveAttribute('data-code', 'http');
    expect(alert.querySelector('p')).toHaveTextContent('Something went wrong on our side. Try again, or contact support if it keeps happening.');
    const details = alert.querySelector('details') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    expect(within(details).getByText('Details for support')).toBeInTheDocument();
    expect(details).toHaveTextContent('Internal error.');
    expect(details).toHaveTextContent(/Support reference: [0-9a-f-]{36}/);
    expect(details).toHaveTextContent('HTTP status: 500');
    expect(alert.querySelector('p')).not.toHaveTextContent('Internal error.');
    // The main button keeps its label; the notice carries the one action.
    expect(button()).toHaveAccessibleName('Connect QuickBooks Online');
    await expectNoAxeViolations(container);
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    await screen.findByText(/Waiting for you to sign in/);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(button()).toHaveFocus();
    // The first click read the company's (no) connections; the retry knows them and only creates.
    expect(ops(sandbox)).toEqual(['GET listConnections', 'POST createConnection', 'POST createConnection']);
  });

  it('shows how long to wait when rate limited', async () => {
    stubOpen();
    const { user, button } = renderButton({ platformKey: 'qhyg' }, { faults: { createConnection: { kind: 'rate-limit', retryAfter: 30 } } });
    await user.click(button());
    expect(await screen.findByRole('alert')).toHaveTextContent('You can try again in 30 seconds.');
  });

  it('waits out a rate limit: the notice’s retry and the button stay disabled while “Try again in N s” counts down, and work once it ends', async () => {
    // Fake timers that move only when told (user-event and findBy* would wait on them): clicks are fireEvent,
    // and the sandbox's answers arrive as the microtasks act() flushes.
    vi.useFakeTimers();
    stubOpen();
    const { button, sandbox, container } = renderButton({ platformKey: 'qhyg' }, { faults: { createConnection: { kind: 'rate-limit', retryAfter: 30 } } });
    const click = async (element: HTMLElement) => {
      fireEvent.click(element);
      await act(() => vi.advanceTimersByTimeAsync(0));
    };
    await click(button());
    const alert = screen.getByRole('alert');
    expect(alert).toHaveAttribute('data-code', 'rate-limited');
    const retry = within(alert).getByRole('button', { name: 'Try again' });
    expect(retry).toHaveAttribute('aria-disabled', 'true');
    expect(retry).toHaveTextContent('Try again in 30 s');
    expect(button()).toHaveAccessibleName('Connect QuickBooks Online');
    expect(button()).toHaveAttribute('aria-disabled', 'true');

    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(retry).toHaveTextContent('Try again in 29 s');
    await act(() => vi.advanceTimersByTimeAsync(28_999));
    expect(retry).toHaveTextContent('Try again in 1 s');
    expect(retry).toHaveAttribute('aria-disabled', 'true');
    await click(retry);
    await click(button());
    expect(ops(sandbox)).toEqual(['GET listConnections', 'POST createConnection']);
    // One alert node throughout: announced once, not once a second.
    expect(screen.getByRole('alert')).toBe(alert);

    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(retry).not.toHaveAttribute('aria-disabled');
    expect(retry).toHaveTextContent(/^Try again$/);
    expect(button()).toHaveAttribute('aria-disabled', 'false');
    vi.useRealTimers();
    await expectNoAxeViolations(container);
    retry.focus();
    fireEvent.click(retry);
    expect(await screen.findByText(/Waiting for you to sign in/)).toBeInTheDocument();
    expect(button()).toHaveFocus();
    expect(ops(sandbox)).toEqual(['GET listConnections', 'POST createConnection', 'POST createConnection']);
  });

  it('moves focus to the new notice’s Try again when a retry from the notice fails again', async () => {
    stubOpen();
    const { user, button, sandbox } = renderButton({ platformKey: 'qhyg' }, { faults: { createConnection: { kind: 'network', times: 2 } } });
    await user.click(button());
    const first = await screen.findByRole('alert');
    await user.click(within(first).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.getByRole('alert')).not.toBe(first));
    expect(within(screen.getByRole('alert')).getByRole('button', { name: 'Try again' })).toHaveFocus();
    expect(ops(sandbox)).toEqual(['GET listConnections', 'POST createConnection', 'POST createConnection']);
  });

  it('offers no Try again when retrying cannot help, and says what to do instead while the button stays usable', async () => {
    stubOpen();
    const { user, button, container } = renderButton({ platformKey: 'qhyg' }, { faults: { createConnection: { kind: 'status', status: 400, message: 'Integration not enabled.' } } });
    await user.click(button());
    const alert = await screen.findByRole('alert');
    expect(alert.querySelector('p')).toHaveTextContent('We could not connect this accounting software. Choose another one, or contact support.');
    expect(within(alert).queryByRole('button')).toBeNull();
    expect(alert.querySelector('details')).toHaveTextContent('Integration not enabled.');
    expect(button()).toHaveAccessibleName('Connect QuickBooks Online');
    expect(button()).toHaveAttribute('aria-disabled', 'false');
    await expectNoAxeViolations(container);
  });

  it('creates the company first for a new customer: two requests, in order', async () => {
    stubOpen();
    const sandbox = createSandbox();
    const onCompanyCreated = vi.fn();
    const user = userEvent.setup();
    render(
      <CodatProvider fetcher={sandbox.fetcher} platformList="async">
        <ConnectButton platformKey="pdvj" companyName="New Co" onCompanyCreated={onCompanyCreated} />
      </CodatProvider>,
    );
    await user.click(screen.getByRole('button'));
    await screen.findByText(/Waiting for you to sign in to MYOB Business/);
    expect(ops(sandbox)).toEqual(['POST createCompany', 'POST createConnection']);
    expect(onCompanyCreated).toHaveBeenCalledWith(expect.objectContaining({ name: 'New Co' }));
  });

  it('applies className, classNames and unstyled', () => {
    const { container, rerender } = renderButton({ platformKey: 'qhyg', className: 'mine', classNames: { button: 'btn' } });
    expect(container.firstElementChild?.className).toBe('bpc-connect mine');
    expect(screen.getByRole('button').className).toBe('bpc-connect__button bpc-button btn');
    rerender(
      <CodatProvider fetcher={createSandbox().fetcher} companyId={companyId}>
        <ConnectButton platformKey="qhyg" unstyled />
      </CodatProvider>,
    );
    expect(screen.getByRole('button').getAttribute('class')).toBeNull();
  });
});
