import { render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { CodatProvider, ConfigureCustomer, RemoveDialog, UnlinkDialog, useRemove, useUnlink, type RemoveDialogProps } from '../../src/index.js';
import { createSandbox } from '../../src/sandbox/index.js';
import { companyId, connectionId } from '../hooks/helpers.js';
import { expectNoAxeViolations } from './axe.js';

/** A host's own row: its own Remove and Unlink buttons driving the kit's dialogs. */
function HostRow(props: Partial<RemoveDialogProps> & { onRemoved?: () => void }) {
  const remove = useRemove({ connectionId, onRemoved: props.onRemoved });
  const unlink = useUnlink({ connectionId });
  return (
    <div>
      <UnlinkDialog unlink={unlink} platformName="Xero" trigger={<button type="button">Disconnect Xero</button>} />
      <RemoveDialog {...props} remove={remove} platformName="Xero" trigger={<button type="button">Delete Xero</button>} />
    </div>
  );
}

function renderRow(props: Parameters<typeof HostRow>[0] = {}) {
  const sandbox = createSandbox({ seed: { companies: [{ id: companyId, name: 'Acme', connections: [{ id: connectionId, platformKey: 'gbol', status: 'Linked' }] }] } });
  const user = userEvent.setup();
  const view = render(
    <CodatProvider fetcher={sandbox.fetcher} companyId={companyId}>
      <HostRow {...props} />
    </CodatProvider>,
  );
  return { ...view, sandbox, user };
}

describe('RemoveDialog', () => {
  it('is an alert dialog named by its title, explaining that removal is permanent, with focus on Cancel and a destructive confirm', async () => {
    const { user, container } = renderRow();
    await user.click(screen.getByRole('button', { name: 'Delete Xero' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Remove Xero?' });
    expect(dialog).toHaveAttribute('data-status', 'confirming');
    expect(dialog).toHaveAccessibleDescription(/^This is permanent: the connection to Xero and the data synced from it are deleted\. To connect again, you will sign in to Xero anew\.$/);
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    expect(within(dialog).getByRole('button', { name: 'Remove' })).toHaveAttribute('data-variant', 'danger');
    await expectNoAxeViolations(container.ownerDocument.body);
  });

  it('says the opposite of Unlink: Unlink keeps the synced data and is undone by reconnecting', async () => {
    const { user } = renderRow();
    await user.click(screen.getByRole('button', { name: 'Disconnect Xero' }));
    const unlink = screen.getByRole('alertdialog', { name: 'Unlink Xero?' });
    expect(unlink).toHaveAccessibleDescription(/data already synced is kept.*undo this.*by reconnecting/);
    expect(unlink).not.toHaveAccessibleDescription(/permanent|deleted/);
    await user.keyboard('{Escape}');
    await user.click(screen.getByRole('button', { name: 'Delete Xero' }));
    expect(screen.getByRole('alertdialog', { name: 'Remove Xero?' })).toHaveAccessibleDescription(/permanent.*deleted.*sign in to Xero anew/);
  });

  it('cancels with Escape, returns focus to its trigger and sends nothing', async () => {
    const { user, sandbox } = renderRow();
    const trigger = screen.getByRole('button', { name: 'Delete Xero' });
    await user.click(trigger);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(trigger).toHaveFocus();
    expect(sandbox.requests).toEqual([]);
  });

  it('deletes on confirm, closes, and hands focus back to the host’s trigger', async () => {
    const onRemoved = vi.fn();
    const { user, sandbox } = renderRow({ onRemoved });
    const trigger = screen.getByRole('button', { name: 'Delete Xero' });
    await user.click(trigger);
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    await waitFor(() => expect(trigger).toHaveFocus());
    expect(onRemoved).toHaveBeenCalledTimes(1);
    expect(sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE /companies/${companyId}/connections/${connectionId}`]);
  });

  it('drops every kit class when unstyled and takes the host’s classes per part', async () => {
    const { user } = renderRow({ unstyled: true, className: 'host-dialog', classNames: { confirm: 'host-danger' } });
    await user.click(screen.getByRole('button', { name: 'Delete Xero' }));
    const dialog = screen.getByRole('alertdialog');
    expect(dialog).toHaveClass('host-dialog', { exact: true });
    expect(within(dialog).getByRole('button', { name: 'Remove' })).toHaveClass('host-danger', { exact: true });
    const kitClasses = [...document.body.querySelectorAll('[class]')].flatMap((el) => [...el.classList]).filter((c) => c.startsWith('bpc-'));
    expect(kitClasses).toEqual([]);
  });
});

describe('ConfigureCustomer passes Remove through to its connection list', () => {
  it('hides Remove with actions and reports removals with onRemoved', async () => {
    const sandbox = createSandbox({ seed: { companies: [{ id: companyId, name: 'Acme', connections: [{ platformKey: 'gbol', status: 'Linked' }, { platformKey: 'qhyg', status: 'Deauthorized' }] }] } });
    const onRemoved = vi.fn();
    const user = userEvent.setup();
    const view = render(
      <CodatProvider fetcher={sandbox.fetcher} companyId={companyId}>
        <ConfigureCustomer actions={{ unlink: false }} onRemoved={onRemoved} />
      </CodatProvider>,
    );
    const list = await screen.findByRole('list', { name: 'Connected accounting software' });
    expect(within(list).queryByRole('button', { name: 'Unlink' })).toBeNull();
    await user.click(within(list).getAllByRole('button', { name: 'Remove' })[0] as HTMLElement);
    await user.click(within(screen.getByRole('alertdialog', { name: 'Remove Xero?' })).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(onRemoved).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ platformName: 'Xero' })));
    view.rerender(
      <CodatProvider fetcher={sandbox.fetcher} companyId={companyId}>
        <ConfigureCustomer actions={{ remove: false }} />
      </CodatProvider>,
    );
    const row = within(screen.getByRole('list', { name: 'Connected accounting software' })).getByRole('listitem');
    expect(within(row).getByRole('button', { name: 'Reconnect' })).toBeInTheDocument();
    expect(within(row).queryByRole('button', { name: 'Remove' })).toBeNull();
  });
});
