import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { CodatProvider, ConnectionManager, type ConnectionManagerProps } from '../../src/index.js';
import { createSandbox, type SandboxOptions, type SandboxSeedConnection } from '../../src/sandbox/index.js';
import type { Fetcher } from '../../src/core/index.js';
import { companyId, connectionId, deferred, oneTimeLinks, stubLocation, stubOpen } from '../hooks/helpers.js';
import { manualClock } from '../support/manual-clock.js';
import { expectNoAxeViolations } from './axe.js';

function renderManager(
  connections: SandboxSeedConnection[],
  props: ConnectionManagerProps = {},
  options: SandboxOptions = {},
  wrap: (fetcher: Fetcher) => Fetcher = (f) => f,
) {
  const sandbox = createSandbox({ seed: { companies: [{ id: companyId, name: 'Acme', connections }] }, ...options });
  const user = userEvent.setup();
  const view = render(
    <CodatProvider fetcher={wrap(sandbox.fetcher)} companyId={companyId} clientOptions={{ retry: false }}>
      <ConnectionManager {...props} />
    </CodatProvider>,
  );
  return { ...view, sandbox, user };
}

const linked: SandboxSeedConnection = { id: connectionId, platformKey: 'qhyg', status: 'Linked', lastSync: '2026-11-20T09:30:00Z' };
const sandboxLinkUrl = `https://link.sandbox.billpay-connect.dev/link/${companyId}/${connectionId}`;
const ops = (sandbox: ReturnType<typeof createSandbox>) => sandbox.requests.map((r) => `${r.method} ${r.operation}`);
const actionNames = (row: HTMLElement) => within(row).getAllByRole('button').map((b) => b.textContent);
/** The connection rows, once listed (the loading skeleton has list items too). */
const findRows = async () => within(await screen.findByRole('list', { name: 'Connected accounting software' })).getAllByRole('listitem');

describe('ConnectionManager', () => {
  it.each([
    [2 * 60_000, 'Last synced 2 minutes ago'],
    [3 * 3_600_000, 'Last synced 3 hours ago'],
    [30 * 3_600_000, 'Last synced yesterday'],
    [4 * 86_400_000, 'Last synced 4 days ago'],
    [40 * 86_400_000, 'Last synced Nov 20, 2026'],
  ])('says when the connection last synced in the reader’s words, relative while recent, with no seconds or zone (%i ms later)', async (later, text) => {
    const clock = manualClock(Date.parse(linked.lastSync!) + later).clock;
    renderManager([linked], { clock });
    const time = (await screen.findByText(/Last synced/)).closest('time');
    expect(time).toHaveTextContent(text);
    expect(time).toHaveAttribute('dateTime', '2026-11-20T09:30:00Z');
    expect(time).not.toHaveTextContent(/UTC|\d:\d\d:\d\d/);
  });

  it('lists each connection with its status badge, last sync and active errors', async () => {
    const { container } = renderManager([
      linked,
      { platformKey: 'gbol', status: 'PendingAuth' },
      {
        platformKey: 'knfz',
        status: 'Deauthorized',
        dataConnectionErrors: [
          { errorMessage: 'Token expired', status: 'Active' },
          { errorMessage: 'Old problem', status: 'Resolved' },
        ],
      },
      { platformKey: 'akxx', status: 'Unlinked' },
      { platformKey: 'pdvj', status: 'Paused' },
    ]);
    const list = await screen.findByRole('list', { name: 'Connected accounting software' });
    const rows = within(list).getAllByRole('listitem');
    expect(rows.map((r) => r.getAttribute('data-status'))).toEqual(['linked', 'pending-auth', 'deauthorized', 'unlinked', 'unknown']);
    expect(rows[0]).toHaveTextContent('QuickBooks Online');
    expect(rows[0]).toHaveTextContent('Connected');
    expect(within(rows[0] as HTMLElement).getByText(/Last synced/).closest('time')).toHaveAttribute('dateTime', '2026-11-20T09:30:00Z');
    expect(rows[1]).toHaveTextContent('Waiting for sign-in');
    expect(rows[1]).toHaveTextContent('Not synced yet');
    // An expired access is said once, by the badge (with Reconnect as its way forward); the platform's own text is
    // for support, in collapsed details.
    expect(rows[2]).toHaveTextContent('Access expired');
    expect(within(rows[2] as HTMLElement).queryByText(/reported a problem with this connection/)).toBeNull();
    const support = (rows[2] as HTMLElement).querySelector('details') as HTMLDetailsElement;
    expect(support.open).toBe(false);
    expect(support.querySelector('summary')).toHaveTextContent('Details for support');
    expect(support).toHaveTextContent('Token expired');
    expect(rows[2]).not.toHaveTextContent('Old problem');
    expect(rows[2]?.querySelector('[role="alert"]')).toBeNull();
    expect(rows[0]?.querySelector('details')).toBeNull();
    expect(rows[4]).toHaveTextContent('Unknown');
    expect(within(rows[0] as HTMLElement).getByRole('button', { name: 'Unlink' })).toHaveAccessibleDescription('QuickBooks Online');
    expect(within(rows[0] as HTMLElement).getByRole('button', { name: 'Remove' })).toHaveAccessibleDescription('QuickBooks Online');
    expect(rows.map(actionNames)).toEqual([
      ['Unlink', 'Remove'],
      ['Continue', 'Remove'],
      ['Reconnect', 'Remove'],
      ['Reconnect', 'Remove'],
      ['Remove'],
    ]);
    await expectNoAxeViolations(container);
  });

  it('shows a busy list while loading and an empty state with its next step when there are none', async () => {
    const { container } = renderManager([], { emptyAction: <button type="button">Connect accounting software</button> });
    expect(container.firstElementChild).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByRole('list', { name: 'Loading connections' })).toBeInTheDocument();
    expect(screen.queryByRole('listitem')).toBeNull();
    expect(await screen.findByText('No accounting software is connected yet.')).toBeInTheDocument();
    expect(screen.getByText('Connect it to keep your bills and payments in sync.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Connect accounting software' })).toBeInTheDocument();
    await expectNoAxeViolations(container);
  });

  it('still says on a Linked row when the platform reports a problem', async () => {
    renderManager([{ ...linked, dataConnectionErrors: [{ errorMessage: 'Rate limit at the platform', status: 'Active' }] }]);
    const [row] = await findRows();
    expect(within(row as HTMLElement).getByText(/reported a problem with this connection/)).toBeInTheDocument();
    expect((row as HTMLElement).querySelector('details')).toHaveTextContent('Rate limit at the platform');
  });

  it('shows a read failure with a retry that loads the list', async () => {
    const { user, container } = renderManager([linked], {}, { faults: { listConnections: { kind: 'status', status: 500 } } });
    const alert = await screen.findByRole('alert');
    await expectNoAxeViolations(container);
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('button', { name: 'Unlink' })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('offers no Try again when the list read is refused for good, and says what to do instead', async () => {
    const { sandbox, container } = renderManager([linked], {}, { faults: { listConnections: { kind: 'status', status: 403, message: 'Forbidden.' } } });
    const alert = await screen.findByRole('alert');
    expect(alert.querySelector('p')).toHaveTextContent('We could not complete this request. Contact support if you need help.');
    expect(within(alert).queryByRole('button')).toBeNull();
    expect(ops(sandbox)).toEqual(['GET listConnections']);
    await expectNoAxeViolations(container);
  });

  it('unlinks by keyboard alone: the dialog names the platform and says it can be undone, focus starts on Cancel, the row offers Reconnect', async () => {
    const onUnlinked = vi.fn();
    const { user, sandbox, container } = renderManager([linked], { onUnlinked });
    await screen.findByRole('button', { name: 'Unlink' });
    await user.tab();
    expect(screen.getByRole('button', { name: 'Unlink' })).toHaveFocus();
    await user.keyboard('{Enter}');
    const dialog = screen.getByRole('alertdialog', { name: 'Unlink QuickBooks Online?' });
    expect(dialog).toHaveAccessibleDescription(
      'We will stop reading data from QuickBooks Online. The data already synced is kept, and you can undo this at any time by reconnecting.',
    );
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await expectNoAxeViolations(container);
    await user.tab();
    expect(within(dialog).getByRole('button', { name: 'Unlink' })).toHaveFocus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(screen.getByRole('listitem')).toHaveAttribute('data-status', 'unlinked');
    expect(screen.getByRole('status')).toHaveTextContent('QuickBooks Online was unlinked');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Reconnect' })).toHaveFocus());
    expect(onUnlinked).toHaveBeenCalledTimes(1);
    expect(ops(sandbox)).toEqual(['GET listConnections', 'PATCH unlinkConnection']);
  });

  it('cancels with Escape and with Cancel, returning focus to the Unlink button and sending nothing', async () => {
    const { user, sandbox } = renderManager([linked]);
    const trigger = await screen.findByRole('button', { name: 'Unlink' });
    await user.click(trigger);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(trigger).toHaveFocus();
    await user.click(trigger);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(trigger).toHaveFocus();
    expect(ops(sandbox)).toEqual(['GET listConnections']);
  });

  it('stops the page behind the dialog from scrolling, and gives the host its own root styles back on close', async () => {
    const html = document.documentElement;
    html.style.overflow = 'scroll';
    try {
      const { user } = renderManager([linked]);
      await user.click(await screen.findByRole('button', { name: 'Unlink' }));
      expect(html.style.overflow).toBe('hidden');
      await user.keyboard('{Escape}');
      expect(screen.queryByRole('alertdialog')).toBeNull();
      expect(html.style.overflow).toBe('scroll');
      expect(html.style.paddingRight).toBe('');
    } finally {
      html.style.overflow = '';
    }
  });

  it('ignores clicks outside the dialog', async () => {
    const { user, container } = renderManager([linked]);
    await user.click(await screen.findByRole('button', { name: 'Unlink' }));
    const outside = userEvent.setup({ pointerEventsCheck: 0 });
    await outside.click(container.querySelector('.bpc-dialog__overlay') as Element);
    await outside.click(document.body);
    expect(screen.getByRole('alertdialog')).toBeInTheDocument();
  });

  it('keeps the dialog open and shows the error when unlink fails, then a retry succeeds', async () => {
    const { user, sandbox, container } = renderManager([linked], {}, { faults: { unlinkConnection: { kind: 'status', status: 500, message: 'Codat is having trouble.' } } });
    await user.click(await screen.findByRole('button', { name: 'Unlink' }));
    const dialog = screen.getByRole('alertdialog');
    await user.click(within(dialog).getByRole('button', { name: 'Unlink' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.querySelector('p')).toHaveTextContent('Something went wrong on our side.');
    expect(alert.querySelector('details')).toHaveTextContent('Codat is having trouble.');
    expect(screen.getByRole('alertdialog')).toBeInTheDocument();
    // The notice carries the one way forward, and focus moves to it: no second Unlink beside it.
    expect(within(alert).getByRole('button', { name: 'Try again' })).toHaveFocus();
    expect(within(dialog).getAllByRole('button').map((b) => b.textContent)).toEqual(['Try again', 'Cancel']);
    await expectNoAxeViolations(container);
    await user.click(within(dialog).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(screen.getByRole('listitem')).toHaveAttribute('data-status', 'unlinked');
    expect(ops(sandbox)).toEqual(['GET listConnections', 'PATCH unlinkConnection', 'PATCH unlinkConnection']);
  });

  it('moves focus to the new Try again when an unlink retried from the notice fails again', async () => {
    const { user, sandbox } = renderManager([linked], {}, { faults: { unlinkConnection: { kind: 'network', times: 2 } } });
    await user.click(await screen.findByRole('button', { name: 'Unlink' }));
    const dialog = screen.getByRole('alertdialog');
    await user.click(within(dialog).getByRole('button', { name: 'Unlink' }));
    const first = await within(dialog).findByRole('alert');
    await user.click(within(first).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(within(dialog).getByRole('alert')).not.toBe(first));
    expect(within(within(dialog).getByRole('alert')).getByRole('button', { name: 'Try again' })).toHaveFocus();
    expect(ops(sandbox)).toEqual(['GET listConnections', 'PATCH unlinkConnection', 'PATCH unlinkConnection']);
  });

  it('offers no Try again when the unlink is refused for good: the message says what to do, focus goes to Cancel', async () => {
    const { user, sandbox, container } = renderManager([linked], {}, { faults: { unlinkConnection: { kind: 'status', status: 404, message: 'Connection not found.' } } });
    await user.click(await screen.findByRole('button', { name: 'Unlink' }));
    const dialog = screen.getByRole('alertdialog');
    await user.click(within(dialog).getByRole('button', { name: 'Unlink' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.querySelector('p')).toHaveTextContent('We could not complete this request. Contact support if you need help.');
    expect(within(dialog).getAllByRole('button').map((b) => b.textContent)).toEqual(['Cancel']);
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await expectNoAxeViolations(container);
    expect(ops(sandbox)).toEqual(['GET listConnections', 'PATCH unlinkConnection']);
  });

  it('shows progress while unlinking and sends one PATCH however often confirm is pressed', async () => {
    const sandbox = createSandbox({ seed: { companies: [{ id: companyId, name: 'Acme', connections: [linked] }] } });
    const gate = deferred<void>();
    const fetcher = async (input: string, init: RequestInit) => {
      if (init.method === 'PATCH') await gate.promise;
      return sandbox.fetcher(input, init);
    };
    const user = userEvent.setup();
    render(
      <CodatProvider fetcher={fetcher} companyId={companyId}>
        <ConnectionManager />
      </CodatProvider>,
    );
    await user.click(await screen.findByRole('button', { name: 'Unlink' }));
    const dialog = screen.getByRole('alertdialog');
    const confirm = within(dialog).getByRole('button', { name: 'Unlink' });
    await user.click(confirm);
    expect(dialog).toHaveAttribute('aria-busy', 'true');
    expect(confirm).toHaveTextContent('Unlinking…');
    expect(confirm).toHaveAttribute('aria-disabled', 'true');
    await user.click(confirm);
    await user.keyboard('{Escape}');
    expect(screen.getByRole('alertdialog')).toBeInTheDocument();
    gate.resolve();
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(ops(sandbox).filter((o) => o.startsWith('PATCH'))).toHaveLength(1);
  });

  it('reconnects a Deauthorized connection through a freshly read linkUrl without creating a new one', async () => {
    const { win, open } = stubOpen();
    // Codat's one-time links: the list hands out ?otp=1, the read before reconnecting ?otp=2.
    const { user, sandbox } = renderManager([{ id: connectionId, platformKey: 'knfz', status: 'Deauthorized' }], {}, {}, oneTimeLinks);
    await user.click(await screen.findByRole('button', { name: 'Reconnect' }));
    expect(open).toHaveBeenCalledTimes(1);
    expect(await screen.findByText('Waiting for you to sign in to Sage Intacct…')).toBeInTheDocument();
    expect(win.location.href).toContain(connectionId);
    expect(win.location.href).toBe(`${sandboxLinkUrl}?otp=2`);
    expect(ops(sandbox)).toEqual(['GET listConnections', 'GET getConnection']);
  });

  it('continues Reconnect in this tab when the popup is blocked and popupFallback is redirect', async () => {
    stubOpen(true);
    const location = stubLocation();
    try {
      const { user, sandbox } = renderManager([{ id: connectionId, platformKey: 'knfz', status: 'Deauthorized' }], { popupFallback: 'redirect' }, {}, oneTimeLinks);
      await user.click(await screen.findByRole('button', { name: 'Reconnect' }));
      await waitFor(() => expect(location.assign).toHaveBeenCalledTimes(1));
      expect(location.assign).toHaveBeenCalledWith(expect.stringContaining(connectionId));
      expect(location.assign).toHaveBeenCalledWith(`${sandboxLinkUrl}?otp=2`);
      expect(screen.queryByRole('button', { name: 'Continue in this tab' })).toBeNull();
      expect(ops(sandbox)).toEqual(['GET listConnections', 'GET getConnection']);
    } finally {
      location.restore();
    }
  });

  it('drops every kit class when unstyled, the blocked-reconnect notice included', async () => {
    stubOpen(true);
    const { user, container } = renderManager([{ id: connectionId, platformKey: 'knfz', status: 'Deauthorized' }], { unstyled: true });
    await user.click(await screen.findByRole('button', { name: 'Reconnect' }));
    expect(await screen.findByRole('button', { name: 'Continue in this tab' })).toBeInTheDocument();
    // Only the visually-hidden utility for live regions stays, so announcements stay hidden.
    const kitClasses = [...container.querySelectorAll('[class]')].flatMap((el) => [...el.classList]).filter((c) => c.startsWith('bpc-'));
    expect(new Set(kitClasses)).toEqual(new Set(['bpc-sr']));
  });
});

describe('ConnectionManager: Remove, and a way forward on every row', () => {
  const xero: SandboxSeedConnection = { id: '3f0a7c55-1b2d-4c3e-8f4a-5b6c7d8e9f01', platformKey: 'gbol', status: 'Deauthorized' };

  it('removes by keyboard alone: the dialog says it is permanent, focus starts on Cancel, the row goes and focus moves to the next row’s first action', async () => {
    const onRemoved = vi.fn();
    const onEvent = vi.fn();
    const sandbox = createSandbox({ seed: { companies: [{ id: companyId, name: 'Acme', connections: [linked, xero] }] } });
    const user = userEvent.setup();
    const { container } = render(
      <CodatProvider fetcher={sandbox.fetcher} companyId={companyId} onEvent={onEvent}>
        <ConnectionManager onRemoved={onRemoved} />
      </CodatProvider>,
    );
    const [first] = await findRows();
    const trigger = within(first as HTMLElement).getByRole('button', { name: 'Remove' });
    trigger.focus();
    await user.keyboard('{Enter}');
    const dialog = screen.getByRole('alertdialog', { name: 'Remove QuickBooks Online?' });
    expect(dialog).toHaveAccessibleDescription(
      'This is permanent: the connection to QuickBooks Online and the data synced from it are deleted. To connect again, you will sign in to QuickBooks Online anew.',
    );
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    const confirm = within(dialog).getByRole('button', { name: 'Remove' });
    expect(confirm).toHaveAttribute('data-variant', 'danger');
    await expectNoAxeViolations(container);
    await user.tab();
    expect(confirm).toHaveFocus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(1));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.getByRole('listitem')).toHaveTextContent('Xero');
    expect(screen.getByRole('status')).toHaveTextContent('QuickBooks Online was removed');
    await waitFor(() => expect(within(screen.getByRole('listitem')).getByRole('button', { name: 'Reconnect' })).toHaveFocus());
    expect(onRemoved).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ id: connectionId, platformName: 'QuickBooks Online' }));
    expect(onEvent).toHaveBeenCalledExactlyOnceWith({ type: 'removed', at: expect.any(Number), platformKey: 'qhyg', companyId, connectionId });
    expect(sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /companies/${companyId}/connections?page=1&pageSize=100`,
      `DELETE /companies/${companyId}/connections/${connectionId}`,
    ]);
    expect(sandbox.findConnection(connectionId)).toBeUndefined();
  });

  it('moves focus to the list heading when the last row is removed', async () => {
    const { user } = renderManager([linked]);
    await user.click(await screen.findByRole('button', { name: 'Remove' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Remove' }));
    expect(await screen.findByText('No accounting software is connected yet.')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Connected accounting software' })).toHaveFocus());
  });

  it('moves focus to the next row, not back up, when a row in the middle is removed', async () => {
    const { user } = renderManager([linked, { platformKey: 'akxx', status: 'Unlinked' }, { platformKey: 'gbol', status: 'PendingAuth' }]);
    const rows = await findRows();
    await user.click(within(rows[1] as HTMLElement).getByRole('button', { name: 'Remove' }));
    await user.click(within(screen.getByRole('alertdialog', { name: 'Remove Oracle NetSuite?' })).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(2));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Continue' })).toHaveFocus());
  });

  it('cancels Remove with Escape and with Cancel, returning focus to the Remove button and sending nothing', async () => {
    const { user, sandbox } = renderManager([linked]);
    const trigger = await screen.findByRole('button', { name: 'Remove' });
    await user.click(trigger);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(trigger).toHaveFocus();
    await user.click(trigger);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(trigger).toHaveFocus();
    expect(ops(sandbox)).toEqual(['GET listConnections']);
  });

  it('keeps the Remove dialog open with the error when the DELETE fails, reports it once, and a retry removes the row', async () => {
    const onError = vi.fn();
    const { user, sandbox, container } = renderManager([linked], { onError }, { faults: { deleteConnection: { kind: 'status', status: 500, message: 'Codat is having trouble.' } } });
    await user.click(await screen.findByRole('button', { name: 'Remove' }));
    const dialog = screen.getByRole('alertdialog');
    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Codat is having trouble.');
    expect(dialog).toHaveAttribute('data-status', 'error');
    // The list stays; it is inert and hidden from the accessibility tree behind the dialog.
    expect(screen.getByRole('listitem', { hidden: true })).toHaveAttribute('data-status', 'linked');
    expect(onError).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ code: 'http', status: 500, operation: 'deleteConnection' }));
    await expectNoAxeViolations(container);
    await user.click(within(dialog).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.queryByRole('listitem')).toBeNull());
    expect(ops(sandbox)).toEqual(['GET listConnections', 'DELETE deleteConnection', 'DELETE deleteConnection']);
  });

  it('shows progress while removing, keeps the dialog through Escape, and sends one DELETE however often confirm is pressed', async () => {
    const sandbox = createSandbox({ seed: { companies: [{ id: companyId, name: 'Acme', connections: [linked] }] } });
    const gate = deferred<void>();
    const fetcher = async (input: string, init: RequestInit) => {
      if (init.method === 'DELETE') await gate.promise;
      return sandbox.fetcher(input, init);
    };
    const user = userEvent.setup();
    render(
      <CodatProvider fetcher={fetcher} companyId={companyId}>
        <ConnectionManager />
      </CodatProvider>,
    );
    await user.click(await screen.findByRole('button', { name: 'Remove' }));
    const dialog = screen.getByRole('alertdialog');
    const confirm = within(dialog).getByRole('button', { name: 'Remove' });
    await user.click(confirm);
    expect(dialog).toHaveAttribute('aria-busy', 'true');
    expect(dialog).toHaveAttribute('data-status', 'removing');
    expect(confirm).toHaveTextContent('Removing…');
    expect(confirm).toHaveAttribute('aria-disabled', 'true');
    await user.click(confirm);
    await user.keyboard('{Escape}');
    expect(screen.getByRole('alertdialog')).toBeInTheDocument();
    gate.resolve();
    await waitFor(() => expect(screen.queryByRole('listitem')).toBeNull());
    expect(ops(sandbox).filter((o) => o.startsWith('DELETE'))).toHaveLength(1);
  });

  it('stops the page behind the Remove dialog from scrolling, as the Unlink dialog does', async () => {
    const html = document.documentElement;
    const { user } = renderManager([linked]);
    await user.click(await screen.findByRole('button', { name: 'Remove' }));
    expect(html.style.overflow).toBe('hidden');
    await user.keyboard('{Escape}');
    expect(html.style.overflow).toBe('');
  });

  it('hides Unlink with actions={{ unlink: false }}, keeping Remove and every way forward', async () => {
    renderManager([linked, { platformKey: 'akxx', status: 'Unlinked' }], { actions: { unlink: false } });
    const rows = await findRows();
    expect(rows.map(actionNames)).toEqual([['Remove'], ['Reconnect', 'Remove']]);
  });

  it('hides Remove with actions={{ remove: false }}, keeping Unlink, Reconnect and Continue', async () => {
    renderManager([linked, { platformKey: 'akxx', status: 'Unlinked' }, { platformKey: 'gbol', status: 'PendingAuth' }], { actions: { remove: false } });
    const rows = await findRows();
    expect(rows.map(actionNames)).toEqual([['Unlink'], ['Reconnect'], ['Continue']]);
  });

  it('reconnects an Unlinked connection through a freshly read linkUrl, without creating a new one', async () => {
    const { win, open } = stubOpen();
    const { user, sandbox } = renderManager([{ id: connectionId, platformKey: 'akxx', status: 'Unlinked' }], {}, {}, oneTimeLinks);
    await user.click(await screen.findByRole('button', { name: 'Reconnect' }));
    expect(open).toHaveBeenCalledTimes(1);
    expect(await screen.findByText('Waiting for you to sign in to Oracle NetSuite…')).toBeInTheDocument();
    expect(win.location.href).toBe(`${sandboxLinkUrl}?otp=2`);
    expect(ops(sandbox)).toEqual(['GET listConnections', 'GET getConnection']);
  });

  it('continues a connection waiting for sign-in through a freshly read linkUrl', async () => {
    const { win } = stubOpen();
    const { user, sandbox } = renderManager([{ id: connectionId, platformKey: 'gbol', status: 'PendingAuth' }], {}, {}, oneTimeLinks);
    const resume = await screen.findByRole('button', { name: 'Continue' });
    expect(resume).toHaveAccessibleDescription('Xero');
    await user.click(resume);
    expect(await screen.findByText('Waiting for you to sign in to Xero…')).toBeInTheDocument();
    expect(win.location.href).toBe(`${sandboxLinkUrl}?otp=2`);
    expect(ops(sandbox)).toEqual(['GET listConnections', 'GET getConnection']);
  });

  it('takes the Remove texts and the Continue label from messages', async () => {
    const { user } = renderManager([{ platformKey: 'gbol', status: 'PendingAuth' }], {
      messages: {
        continue: 'Reprendre',
        remove: 'Supprimer',
        removeTitle: (name) => `Supprimer ${name} ?`,
        removeDescription: (name) => `Définitif : ${name} et ses données sont effacés.`,
        removeCancel: 'Annuler',
        removeConfirm: 'Supprimer définitivement',
      },
    });
    expect(await screen.findByRole('button', { name: 'Reprendre' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Supprimer' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Supprimer Xero ?' });
    expect(dialog).toHaveAccessibleDescription('Définitif : Xero et ses données sont effacés.');
    expect(within(dialog).getByRole('button', { name: 'Annuler' })).toHaveFocus();
    expect(within(dialog).getByRole('button', { name: 'Supprimer définitivement' })).toBeInTheDocument();
  });
});

describe('ConnectionManager logos', () => {
  /** Codat often leaves integrationKey out of a connection: the kit then knows the platform by its name. */
  const withoutIntegrationKey =
    (fetcher: Fetcher): Fetcher =>
    async (input, init) => {
      const response = await fetcher(input, init);
      if (!response.ok || !input.includes('/connections')) return response;
      const body = (await response.json()) as { results?: Record<string, unknown>[] };
      const results = body.results?.map(({ integrationKey: _key, ...rest }) => rest);
      return new Response(JSON.stringify({ ...body, results }), { status: response.status, headers: response.headers });
    };

  it('shows each row’s platform logo from the proxy over its monogram, finding the platform by name without integrationKey', async () => {
    renderManager([linked, { platformKey: 'gbol', status: 'PendingAuth' }], { showLogos: true }, {}, withoutIntegrationKey);
    const [quickBooks, xero] = await findRows();
    const image = quickBooks!.querySelector('img') as HTMLImageElement;
    expect(image.getAttribute('src')).toBe('/api/codat/integrations/qhyg/logo');
    expect(image).toHaveAttribute('alt', '');
    expect(image).toHaveClass('bpc-manager__logo', 'bpc-picker__logo');
    expect(xero!.querySelector('img')?.getAttribute('src')).toBe('/api/codat/integrations/gbol/logo');
    const mark = quickBooks!.querySelector('.bpc-manager__monogram') as HTMLElement;
    expect(mark).toHaveAttribute('data-platform', 'qhyg');
    expect(mark).toHaveTextContent('QB');
    fireEvent.load(image);
    expect(mark).toHaveAttribute('data-logo', 'loaded');
    expect(mark.textContent).toBe('');
    fireEvent.error(xero!.querySelector('img') as HTMLImageElement);
    expect(xero!.querySelector('img')).toBeNull();
    expect(xero).toHaveTextContent('X');
  });

  it('shows monograms only on the sandbox fetcher by default', async () => {
    renderManager([linked]);
    const [row] = await findRows();
    expect(row!.querySelector('img')).toBeNull();
    expect(row!.querySelector('.bpc-manager__monogram')).toHaveTextContent('QB');
  });
});
