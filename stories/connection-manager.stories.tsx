import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { ConnectionManager } from '../src/index.js';
import { storySandbox } from '../.storybook/story-sandbox.js';
import { COMPANY_ID, linkedQuickBooks, seededCompany, StateCell, StatesGrid, withinViewport, zoom400 } from './support.js';

const meta = {
  title: 'Components/ConnectionManager',
  component: ConnectionManager,
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

/** Every connection status the kit knows, plus one it does not. */
export const EveryStatus: Story = { parameters: seededCompany(everyStatus) };

/** Waiting for the list. */
export const Loading: Story = { parameters: seededCompany([], { faults: { listConnections: { kind: 'hang' } } }) };

/** No connections yet. */
export const Empty: Story = { parameters: seededCompany([]) };

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

/** Unlink -> confirm -> Unlinked. */
export const UnlinkConfirmed: Story = {
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(await canvas.findByRole('button', { name: 'Unlink' }));
    const dialog = within(canvasElement.ownerDocument.body).getByRole('alertdialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Unlink' }));
    await waitFor(() => expect(canvas.getByRole('listitem')).toHaveAttribute('data-status', 'unlinked'));
    await expect(canvas.getByRole('heading', { name: 'Connected accounting software' })).toHaveFocus();
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
        <ConnectionManager headingLevel={3} />
      </StateCell>
      <StateCell title="Loading" companyId={COMPANY_ID} sandbox={seededCompany([], { faults: { listConnections: { kind: 'hang' } } }).sandbox}>
        <ConnectionManager headingLevel={3} />
      </StateCell>
      <StateCell title="Empty" companyId={COMPANY_ID} sandbox={seededCompany([]).sandbox}>
        <ConnectionManager headingLevel={3} />
      </StateCell>
      <StateCell title="Error" companyId={COMPANY_ID} sandbox={seededCompany([], { faults: { listConnections: { kind: 'status', status: 500 } } }).sandbox}>
        <ConnectionManager headingLevel={3} />
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
