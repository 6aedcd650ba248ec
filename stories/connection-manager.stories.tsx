import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { ConnectionManager } from '../src/index.js';
import { storySandbox } from '../.storybook/story-sandbox.js';
import { COMPANY_ID, linkedQuickBooks, seededCompany, StateCell, StatesGrid, storyClock, withinViewport, zoom400 } from './support.js';

const meta = {
  title: 'Components/ConnectionManager',
  component: ConnectionManager,
  args: { clock: storyClock },
  parameters: seededCompany([linkedQuickBooks]),
} satisfies Meta<typeof ConnectionManager>;

export default meta;
type Story = StoryObj<typeof meta>;

const everyStatus = [
  linkedQuickBooks,
  { platformKey: 'gbol', status: 'PendingAuth' },
  {
    platformKey: 'knfz',
    status: 'Deauthorized',
    dataConnectionErrors: [{ statusCode: '401', errorMessage: 'The access token has expired.', status: 'Active' }],
  },
  { platformKey: 'akxx', status: 'Unlinked', lastSync: '2026-10-01T12:00:00Z' },
  { platformKey: 'pdvj', status: 'Suspended' },
];

/** One Linked connection. */
export const Linked: Story = {};

/** Every connection status the kit knows, plus one it does not: each row offers a way forward, and Remove. */
export const EveryStatus: Story = {
  parameters: seededCompany(everyStatus),
  play: async ({ canvas }) => {
    await waitFor(() => expect(canvas.getAllByRole('listitem')).toHaveLength(5));
    const actions = canvas.getAllByRole('listitem').map((row) => within(row).getAllByRole('button').map((b) => b.textContent));
    await expect(actions).toEqual([['Unlink', 'Remove'], ['Continue', 'Remove'], ['Reconnect', 'Remove'], ['Reconnect', 'Remove'], ['Remove']]);
  },
};

/** `actions={{ unlink: false }}`: no Unlink; Remove and every way forward stay. */
export const WithoutUnlink: Story = {
  args: { actions: { unlink: false } },
  parameters: seededCompany(everyStatus),
  play: async ({ canvas }) => {
    await waitFor(() => expect(canvas.getAllByRole('listitem')).toHaveLength(5));
    await expect(canvas.queryByRole('button', { name: 'Unlink' })).toBeNull();
    await expect(canvas.getAllByRole('button', { name: 'Remove' })).toHaveLength(5);
  },
};

/** `actions={{ remove: false }}`: no Remove; Unlink, Reconnect and Continue stay. */
export const WithoutRemove: Story = {
  args: { actions: { remove: false } },
  parameters: seededCompany(everyStatus),
  play: async ({ canvas }) => {
    await waitFor(() => expect(canvas.getAllByRole('listitem')).toHaveLength(5));
    await expect(canvas.queryByRole('button', { name: 'Remove' })).toBeNull();
    await expect(canvas.getAllByRole('button', { name: 'Reconnect' })).toHaveLength(2);
  },
};

/** Waiting for the list. */
export const Loading: Story = { parameters: seededCompany([], { faults: { listConnections: { kind: 'hang' } } }) };

/** No connections yet: what is missing and the next step, here with the host's own button (`emptyAction`). */
export const Empty: Story = {
  args: { emptyAction: <button type="button">Connect accounting software</button> },
  parameters: seededCompany([]),
  play: async ({ canvas }) => {
    await expect(await canvas.findByText('No accounting software is connected yet.')).toBeVisible();
    await expect(canvas.getByText('Connect it to keep your bills and payments in sync.')).toBeVisible();
  },
};

/** The list failed to load, with a retry. */
export const Failed: Story = {
  parameters: seededCompany([linkedQuickBooks], { faults: { listConnections: { kind: 'status', status: 500, message: 'Codat had an internal error.' } } }),
  play: async ({ canvas }) => {
    const alert = await canvas.findByRole('alert');
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    await expect(await canvas.findByRole('button', { name: 'Unlink' })).toBeVisible();
  },
};

/** The unlink confirmation is open, focus on Cancel. */
export const DialogOpen: Story = {
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(await canvas.findByRole('button', { name: 'Unlink' }));
    const dialog = within(canvasElement.ownerDocument.body).getByRole('alertdialog', { name: 'Unlink QuickBooks Online?' });
    await expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
  },
};

/** Unlink -> confirm -> Unlinked: the dialog says it keeps the data and can be undone, and focus lands on the row's Reconnect. */
export const UnlinkConfirmed: Story = {
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(await canvas.findByRole('button', { name: 'Unlink' }));
    const dialog = within(canvasElement.ownerDocument.body).getByRole('alertdialog', { name: 'Unlink QuickBooks Online?' });
    await expect(dialog).toHaveAccessibleDescription(/data already synced is kept.*undo this.*by reconnecting/);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Unlink' }));
    await waitFor(() => expect(canvas.getByRole('listitem')).toHaveAttribute('data-status', 'unlinked'));
    await waitFor(() => expect(canvas.getByRole('button', { name: 'Reconnect' })).toHaveFocus());
  },
};

/** The unlink confirmation in the dark theme. */
export const UnlinkConfirmedDark: Story = { ...UnlinkConfirmed, globals: { theme: 'dark' } };

const xeroExpired = { id: '3f0a7c55-1b2d-4c3e-8f4a-5b6c7d8e9f01', platformKey: 'gbol', status: 'Deauthorized' };

/** The remove confirmation is open: it says removal is permanent, focus is on Cancel, and the confirm is destructive. */
export const RemoveDialogOpen: Story = {
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(await canvas.findByRole('button', { name: 'Remove' }));
    const dialog = within(canvasElement.ownerDocument.body).getByRole('alertdialog', { name: 'Remove QuickBooks Online?' });
    await expect(dialog).toHaveAccessibleDescription(/permanent.*deleted.*sign in to QuickBooks Online anew/);
    await expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await expect(within(dialog).getByRole('button', { name: 'Remove' })).toHaveAttribute('data-variant', 'danger');
  },
};

/** The remove confirmation in the dark theme. */
export const RemoveDialogOpenDark: Story = { ...RemoveDialogOpen, globals: { theme: 'dark' } };

/** Remove -> confirm: one DELETE, the row goes, and focus moves to the next row's first action. */
export const RemoveConfirmed: Story = {
  parameters: seededCompany([linkedQuickBooks, xeroExpired]),
  play: async ({ canvas, canvasElement }) => {
    await waitFor(() => expect(canvas.getAllByRole('listitem')).toHaveLength(2));
    await userEvent.click(within(canvas.getAllByRole('listitem')[0] as HTMLElement).getByRole('button', { name: 'Remove' }));
    const dialog = within(canvasElement.ownerDocument.body).getByRole('alertdialog', { name: 'Remove QuickBooks Online?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(canvas.getAllByRole('listitem')).toHaveLength(1));
    await expect(canvas.getByRole('listitem')).toHaveTextContent('Xero');
    await waitFor(() => expect(canvas.getByRole('button', { name: 'Reconnect' })).toHaveFocus());
    await expect(storySandbox().sandbox.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([
      `/companies/${COMPANY_ID}/connections/${linkedQuickBooks.id}`,
    ]);
  },
};

/** The same removal in the dark theme. */
export const RemoveConfirmedDark: Story = { ...RemoveConfirmed, globals: { theme: 'dark' } };

/** Remove the only connection: focus goes to the list heading. */
export const RemoveLast: Story = {
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(await canvas.findByRole('button', { name: 'Remove' }));
    await userEvent.click(within(within(canvasElement.ownerDocument.body).getByRole('alertdialog')).getByRole('button', { name: 'Remove' }));
    await expect(await canvas.findByText('No accounting software is connected yet.')).toBeVisible();
    await waitFor(() => expect(canvas.getByRole('heading', { name: 'Connected accounting software' })).toHaveFocus());
  },
};

/** Remove -> Escape: nothing sent, focus back on Remove. */
export const RemoveCancelled: Story = {
  play: async ({ canvas }) => {
    const trigger = await canvas.findByRole('button', { name: 'Remove' });
    await userEvent.click(trigger);
    await userEvent.keyboard('{Escape}');
    await expect(trigger).toHaveFocus();
    await expect(storySandbox().sandbox.requests.filter((r) => r.method === 'DELETE')).toHaveLength(0);
  },
};

/** Removing in progress (the sandbox never answers). */
export const Removing: Story = {
  parameters: seededCompany([linkedQuickBooks], { faults: { deleteConnection: { kind: 'hang' } } }),
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(await canvas.findByRole('button', { name: 'Remove' }));
    const dialog = within(canvasElement.ownerDocument.body).getByRole('alertdialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
    await expect(dialog).toHaveAttribute('aria-busy', 'true');
    await expect(within(dialog).getByRole('button', { name: 'Removing…' })).toHaveAttribute('aria-disabled', 'true');
  },
};

/** Remove fails -> the error shows in the dialog -> retry succeeds and the row goes. */
export const RemoveFailedThenRetried: Story = {
  parameters: seededCompany([linkedQuickBooks], { faults: { deleteConnection: { kind: 'status', status: 500, message: 'Codat had an internal error.' } } }),
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(await canvas.findByRole('button', { name: 'Remove' }));
    const dialog = within(canvasElement.ownerDocument.body).getByRole('alertdialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
    await expect(await within(dialog).findByRole('alert')).toHaveTextContent('Codat had an internal error.');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Try again' }));
    await expect(await canvas.findByText('No accounting software is connected yet.')).toBeVisible();
  },
};

/** The remove confirmation at 400 % zoom: its longer text scrolls inside the dialog, the buttons stay in view. */
export const RemoveDialogAtZoom400: Story = {
  ...zoom400,
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(await canvas.findByRole('button', { name: 'Remove' }));
    const dialog = within(canvasElement.ownerDocument.body).getByRole('alertdialog', { name: 'Remove QuickBooks Online?' });
    const inView = { left: true, top: true, right: true, bottom: true };
    await expect(withinViewport(dialog)).toEqual(inView);
    await expect(withinViewport(within(dialog).getByRole('button', { name: 'Cancel' }))).toEqual(inView);
    dialog.scrollTop = dialog.scrollHeight;
    await expect(withinViewport(within(dialog).getByRole('button', { name: 'Remove' }))).toEqual(inView);
  },
};

/** Unlink -> cancel: nothing sent, focus back on Unlink. */
export const UnlinkCancelled: Story = {
  play: async ({ canvas, canvasElement }) => {
    const trigger = await canvas.findByRole('button', { name: 'Unlink' });
    await userEvent.click(trigger);
    await userEvent.click(within(canvasElement.ownerDocument.body).getByRole('button', { name: 'Cancel' }));
    await expect(trigger).toHaveFocus();
    await expect(storySandbox().sandbox.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
  },
};

/** The unlink confirmation at 400 % zoom (320 × 256 CSS px): it fits the viewport and scrolls inside itself. */
export const DialogAtZoom400: Story = {
  ...zoom400,
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(await canvas.findByRole('button', { name: 'Unlink' }));
    const dialog = within(canvasElement.ownerDocument.body).getByRole('alertdialog', { name: 'Unlink QuickBooks Online?' });
    const inView = { left: true, top: true, right: true, bottom: true };
    await expect(withinViewport(dialog)).toEqual(inView);
    const cancel = within(dialog).getByRole('button', { name: 'Cancel' });
    await expect(cancel).toHaveFocus();
    await expect(withinViewport(cancel)).toEqual(inView);
    // The page behind cannot scroll while the dialog is open: every part of the dialog must scroll into view within it.
    dialog.scrollTop = 0;
    await expect(withinViewport(within(dialog).getByRole('heading', { name: 'Unlink QuickBooks Online?' }))).toEqual(inView);
    dialog.scrollTop = dialog.scrollHeight;
    await expect(withinViewport(within(dialog).getByRole('button', { name: 'Unlink' }))).toEqual(inView);
  },
};

/** At 400 % zoom an unlink that fails shows the error without pushing the focused "Try again" out of the dialog's view. */
export const UnlinkFailedAtZoom400: Story = {
  ...zoom400,
  parameters: {
    ...zoom400.parameters,
    ...seededCompany([linkedQuickBooks], {
      faults: { unlinkConnection: { kind: 'status', status: 409, message: 'The connection is busy syncing. Wait a few minutes, then try again.' } },
    }),
  },
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(await canvas.findByRole('button', { name: 'Unlink' }));
    const dialog = within(canvasElement.ownerDocument.body).getByRole('alertdialog');
    await userEvent.keyboard('{Tab}{Enter}');
    await within(dialog).findByRole('alert');
    const retry = within(dialog).getByRole('button', { name: 'Try again' });
    await expect(retry).toHaveFocus();
    const [box, view] = [retry.getBoundingClientRect(), dialog.getBoundingClientRect()];
    await expect({ top: box.top >= view.top, bottom: box.bottom <= view.bottom }).toEqual({ top: true, bottom: true });
    await expect(withinViewport(retry)).toEqual({ left: true, top: true, right: true, bottom: true });
  },
};

/** Unlinking in progress (the sandbox never answers). */
export const Unlinking: Story = {
  parameters: seededCompany([linkedQuickBooks], { faults: { unlinkConnection: { kind: 'hang' } } }),
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(await canvas.findByRole('button', { name: 'Unlink' }));
    const dialog = within(canvasElement.ownerDocument.body).getByRole('alertdialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Unlink' }));
    await expect(dialog).toHaveAttribute('aria-busy', 'true');
  },
};

/** Unlink fails -> the error shows in the dialog -> retry succeeds. */
export const UnlinkFailedThenRetried: Story = {
  parameters: seededCompany([linkedQuickBooks], { faults: { unlinkConnection: { kind: 'status', status: 409, message: 'The connection is busy syncing.' } } }),
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(await canvas.findByRole('button', { name: 'Unlink' }));
    const dialog = within(canvasElement.ownerDocument.body).getByRole('alertdialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Unlink' }));
    const alert = await within(dialog).findByRole('alert');
    await expect(alert).toHaveTextContent('The connection is busy syncing.');
    await expect(within(alert).getByText('The connection is busy syncing.')).not.toBeVisible();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(canvas.getByRole('listitem')).toHaveAttribute('data-status', 'unlinked'));
  },
};

/** Reconnect an Unlinked connection: unlinking is undone through the same connection's Link flow. */
export const ReconnectUnlinked: Story = {
  parameters: seededCompany([{ platformKey: 'akxx', status: 'Unlinked' }]),
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(await canvas.findByRole('button', { name: 'Reconnect' }));
    await userEvent.click(await within(canvasElement.ownerDocument.body).findByRole('button', { name: 'Authorise access' }));
    await waitFor(() => expect(canvas.getByRole('listitem')).toHaveAttribute('data-status', 'linked'), { timeout: 5000 });
    await expect(storySandbox().sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  },
};

/** Reconnect a Deauthorized connection through the simulated Link window. */
export const Reconnect: Story = {
  parameters: seededCompany([{ platformKey: 'knfz', status: 'Deauthorized' }]),
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(await canvas.findByRole('button', { name: 'Reconnect' }));
    await userEvent.click(await within(canvasElement.ownerDocument.body).findByRole('button', { name: 'Authorise access' }));
    await waitFor(() => expect(canvas.getByRole('listitem')).toHaveAttribute('data-status', 'linked'), { timeout: 5000 });
  },
};

/** Every state side by side. */
export const AllStates: Story = {
  render: () => (
    <StatesGrid>
      <StateCell title="Every status" companyId={COMPANY_ID} sandbox={seededCompany(everyStatus).sandbox}>
        <ConnectionManager headingLevel={3} clock={storyClock} />
      </StateCell>
      <StateCell title="Loading" companyId={COMPANY_ID} sandbox={seededCompany([], { faults: { listConnections: { kind: 'hang' } } }).sandbox}>
        <ConnectionManager headingLevel={3} clock={storyClock} />
      </StateCell>
      <StateCell title="Empty" companyId={COMPANY_ID} sandbox={seededCompany([]).sandbox}>
        <ConnectionManager headingLevel={3} clock={storyClock} />
      </StateCell>
      <StateCell title="Error" companyId={COMPANY_ID} sandbox={seededCompany([], { faults: { listConnections: { kind: 'status', status: 500 } } }).sandbox}>
        <ConnectionManager headingLevel={3} clock={storyClock} />
      </StateCell>
    </StatesGrid>
  ),
  play: async ({ canvas }) => {
    const everyStatusCell = within(canvas.getByRole('region', { name: 'Every status' }));
    await waitFor(() => expect(everyStatusCell.getAllByRole('listitem')).toHaveLength(5));
    await expect(await within(canvas.getByRole('region', { name: 'Error' })).findByRole('alert')).toBeVisible();
  },
};

/** The same grid in the dark theme. */
export const AllStatesDark: Story = { ...AllStates, globals: { theme: 'dark' } };
