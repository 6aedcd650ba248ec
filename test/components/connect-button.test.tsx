import { act, render, screen, within } from '@testing-library/react';
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
  const button = () => screen.getByRole('button', { name: /./, description: /.*/ });
  return { ...view, sandbox, user, button };
}

const ops = (sandbox: ReturnType<typeof createSandbox>) => sandbox.requests.map((r) => `${r.method} ${r.operation}`);

describe('ConnectButton', () => {
  it('is disabled and says to choose a platform when none is chosen', async () => {
    const { user, button, sandbox, container } = renderButton();
    expect(button()).toHaveAccessibleName('Choose your accounting software');
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
    expect(screen.getByRole('status')).toHaveTextContent('The sign-in window was closed before access was granted.');
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

  it('shows Codat’s error with a support reference and retries on click', async () => {
    stubOpen();
    const { user, button, sandbox, container } = renderButton({ platformKey: 'qhyg' }, { faults: { createConnection: { kind: 'status', status: 500, message: 'Internal error.' } } });
    await user.click(button());
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Internal error.');
    expect(alert).toHaveTextContent(/Support reference: [0-9a-f-]{36}/);
    expect(button()).toHaveAccessibleName('Try again');
    await expectNoAxeViolations(container);
    await user.click(button());
    await screen.findByText(/Waiting for you to sign in/);
    // The first click read the company's (no) connections; the retry knows them and only creates.
    expect(ops(sandbox)).toEqual(['GET listConnections', 'POST createConnection', 'POST createConnection']);
  });

  it('shows how long to wait when rate limited', async () => {
    stubOpen();
    const { user, button } = renderButton({ platformKey: 'qhyg' }, { faults: { createConnection: { kind: 'rate-limit', retryAfter: 30 } } });
    await user.click(button());
    expect(await screen.findByRole('alert')).toHaveTextContent('You can try again in 30 seconds.');
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
