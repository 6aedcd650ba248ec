import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { useConnection, useConnections, useCreateCompany, usePlatforms, useUnlink, type Connection } from '../src/headless.js';

function UnlinkRow({ companyId, connection }: { companyId: string; connection: Connection }) {
  const unlink = useUnlink({ companyId, connectionId: connection.id });
  return (
    <li data-status={connection.status}>
      {connection.platformName}: {connection.status}{' '}
      {connection.status === 'Linked' && unlink.status === 'idle' ? (
        <button type="button" onClick={unlink.request}>
          Unlink {connection.platformName}
        </button>
      ) : null}
      {unlink.open ? (
        <span role="group" aria-label="Confirm unlink">
          Really unlink?{' '}
          <button type="button" onClick={() => void unlink.confirm()} disabled={unlink.status === 'unlinking'}>
            Yes, unlink
          </button>{' '}
          <button type="button" onClick={unlink.cancel}>
            Keep it
          </button>
        </span>
      ) : null}
    </li>
  );
}

/** The seed flow built from the headless hooks alone: no kit components, no kit CSS. */
function HeadlessFlow() {
  const company = useCreateCompany();
  const platforms = usePlatforms();
  const [platformKey, setPlatformKey] = useState<string>();
  const companyId = company.company?.id;
  const connection = useConnection({ companyId, platformKey });
  const list = useConnections({ companyId });
  if (!companyId) {
    return (
      <button type="button" onClick={() => void company.create({ name: 'Headless Co' })} disabled={company.status === 'creating'}>
        Create customer
      </button>
    );
  }
  return (
    <div>
      <fieldset>
        <legend>Accounting software</legend>
        {platforms.platforms.map((p) => (
          <label key={p.key}>
            <input type="radio" name="platform" value={p.key} checked={platformKey === p.key} onChange={() => setPlatformKey(p.key)} /> {p.name}
          </label>
        ))}
      </fieldset>
      <button type="button" disabled={!platformKey} onClick={() => void connection.connect()}>
        Connect
      </button>
      <p role="status">Connection: {connection.status}</p>
      <ul aria-label="Connections">
        {list.connections.map((c) => (
          <UnlinkRow key={c.id} companyId={companyId} connection={c} />
        ))}
      </ul>
    </div>
  );
}

const meta = {
  title: 'Hooks/HeadlessFlow',
  component: HeadlessFlow,
} satisfies Meta<typeof HeadlessFlow>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Create company -> pick Xero -> connect -> authorise -> Linked -> unlink -> Unlinked, hooks only. */
export const SeedFlow: Story = {
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Create customer' }));
    await userEvent.click(await canvas.findByRole('radio', { name: 'Xero' }));
    await userEvent.click(canvas.getByRole('button', { name: 'Connect' }));
    await userEvent.click(await within(canvasElement.ownerDocument.body).findByRole('button', { name: 'Authorise access' }));
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('Connection: linked'), { timeout: 5000 });
    await userEvent.click(await canvas.findByRole('button', { name: 'Unlink Xero' }));
    await userEvent.click(canvas.getByRole('button', { name: 'Yes, unlink' }));
    await waitFor(() => expect(within(canvas.getByRole('list', { name: 'Connections' })).getByRole('listitem')).toHaveAttribute('data-status', 'Unlinked'));
  },
};
