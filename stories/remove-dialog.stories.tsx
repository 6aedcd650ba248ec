import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { RemoveDialog, useConnections, useRemove, type Connection } from '../src/index.js';
import { storySandbox } from '../.storybook/story-sandbox.js';
import { COMPANY_ID, linkedQuickBooks, seededCompany } from './support.js';

function Row({ connection, unstyled }: { connection: Connection; unstyled: boolean | undefined }) {
  const remove = useRemove({ connectionId: connection.id });
  return (
    <li data-status={connection.status}>
      {connection.platformName}{' '}
      <RemoveDialog
        remove={remove}
        platformName={connection.platformName}
        unstyled={unstyled}
        trigger={<button type="button">Delete {connection.platformName}</button>}
      />
    </li>
  );
}

/** A host's own list, with its own buttons opening the kit's `RemoveDialog` (driven by `useRemove`). */
function HostConnectionList({ unstyled }: { unstyled?: boolean }) {
  const { connections } = useConnections();
  return (
    <ul aria-label="Your connections">
      {connections.map((c) => (
        <Row key={c.id} connection={c} unstyled={unstyled} />
      ))}
    </ul>
  );
}

const meta = {
  title: 'Components/RemoveDialog',
  component: HostConnectionList,
  parameters: seededCompany([linkedQuickBooks]),
} satisfies Meta<typeof HostConnectionList>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Open: the permanent-removal explanation, focus on Cancel, a destructive confirm. */
export const Open: Story = {
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(await canvas.findByRole('button', { name: 'Delete QuickBooks Online' }));
    const dialog = within(canvasElement.ownerDocument.body).getByRole('alertdialog', { name: 'Remove QuickBooks Online?' });
    await expect(dialog).toHaveAccessibleDescription(/permanent/);
    await expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await expect(within(dialog).getByRole('button', { name: 'Remove' })).toHaveAttribute('data-variant', 'danger');
  },
};

/** Open in the dark theme. */
export const OpenDark: Story = { ...Open, globals: { theme: 'dark' } };

/** Confirmed: one DELETE, and the connection leaves the host's list. */
export const Confirmed: Story = {
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(await canvas.findByRole('button', { name: 'Delete QuickBooks Online' }));
    await userEvent.click(within(within(canvasElement.ownerDocument.body).getByRole('alertdialog')).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(canvas.queryByRole('listitem')).toBeNull());
    await expect(storySandbox().sandbox.requests.map((r) => `${r.method} ${r.path}`)).toContain(
      `DELETE /companies/${COMPANY_ID}/connections/${linkedQuickBooks.id}`,
    );
  },
};

/** Confirmed in the dark theme. */
export const ConfirmedDark: Story = { ...Confirmed, globals: { theme: 'dark' } };

/** Unstyled: the host styles it from scratch; roles, names and focus stay. */
export const Unstyled: Story = {
  args: { unstyled: true },
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(await canvas.findByRole('button', { name: 'Delete QuickBooks Online' }));
    const dialog = within(canvasElement.ownerDocument.body).getByRole('alertdialog', { name: 'Remove QuickBooks Online?' });
    await expect([...dialog.classList]).toEqual([]);
    await expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
  },
};
