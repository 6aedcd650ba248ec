import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { ConnectButton } from '../src/index.js';
import { storySandbox } from '../.storybook/story-sandbox.js';
import { COMPANY_ID, seededCompany, StateCell, StatesGrid, storyClock } from './support.js';

const meta = {
  title: 'Components/ConnectButton',
  component: ConnectButton,
  args: { platformKey: 'qhyg' },
  parameters: seededCompany([]),
} satisfies Meta<typeof ConnectButton>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Ready to connect QuickBooks Online. */
export const Idle: Story = {};

/** No platform chosen: disabled, and says why. */
export const NoPlatform: Story = { args: { platformKey: undefined } };

/** A new customer: the company is created first, in the same click. */
export const NewCustomer: Story = { args: { companyName: 'Acme Plumbing Ltd' }, parameters: { sandbox: {} } };

/** Creating the connection (the sandbox never answers). */
export const Creating: Story = {
  parameters: seededCompany([], { faults: { createConnection: { kind: 'hang' } } }),
  play: async ({ canvas }) => {
    await userEvent.click(canvas.getByRole('button'));
    await expect(canvas.getByRole('button')).toHaveAttribute('aria-busy', 'true');
  },
};

/** The Link window is open; waiting for the user to sign in. */
export const AwaitingAuthorisation: Story = {
  play: async ({ canvas }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Connect QuickBooks Online' }));
    await expect(await canvas.findByText('Waiting for you to sign in to QuickBooks Online…')).toBeVisible();
  },
};

/**
 * The company is connected to Xero and the customer asks for QuickBooks Online: Codat keeps one accounting
 * connection per company, so the button asks first, with focus on the safe answer. "Keep Xero" changes nothing.
 */
export const SwitchPlatform: Story = {
  parameters: seededCompany([{ platformKey: 'gbol', status: 'Linked' }]),
  play: async ({ canvas }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Connect QuickBooks Online' }));
    const question = await canvas.findByRole('group', { name: /Your books are connected to Xero\. Switch to QuickBooks Online\?/ });
    await expect(within(question).getByRole('button', { name: 'Keep Xero' })).toHaveFocus();
    await expect(within(question).getByRole('button', { name: 'Switch to QuickBooks Online' })).toBeVisible();
    await expect(storySandbox().sandbox.requests.map((r) => r.operation)).toEqual(['listConnections']);
    await userEvent.click(within(question).getByRole('button', { name: 'Keep Xero' }));
    await waitFor(() => expect(canvas.queryByRole('group')).toBeNull());
    await expect(storySandbox().sandbox.listConnections(COMPANY_ID).map((c) => c.integrationKey)).toEqual(['gbol']);
  },
};

/** The same question in the dark theme. */
export const SwitchPlatformDark: Story = {
  parameters: seededCompany([{ platformKey: 'gbol', status: 'Linked' }]),
  globals: { theme: 'dark' },
  play: async ({ canvas }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Connect QuickBooks Online' }));
    await expect(await canvas.findByRole('group', { name: /Switch to QuickBooks Online\?/ })).toBeVisible();
  },
};

/** Pick QuickBooks Online -> connect -> authorise -> Linked. */
export const Connected: Story = {
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Connect QuickBooks Online' }));
    const page = within(canvasElement.ownerDocument.body);
    await userEvent.click(await page.findByRole('button', { name: 'Authorise access' }));
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('QuickBooks Online is connected'), { timeout: 5000 });
  },
};

/** The user closed the Link window without granting access. */
export const Cancelled: Story = {
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Connect QuickBooks Online' }));
    await userEvent.click(await within(canvasElement.ownerDocument.body).findByRole('button', { name: 'Cancel sign-in' }));
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('cancelled before access was granted'), { timeout: 5000 });
  },
};

/** The browser blocked the popup: offer to continue in this tab. */
export const PopupBlocked: Story = {
  globals: { fault: 'popup-blocked' },
  play: async ({ canvas }) => {
    await userEvent.click(canvas.getByRole('button'));
    await expect(canvas.getByRole('alert')).toHaveTextContent('Your browser blocked the sign-in window');
    await expect(canvas.getByRole('button', { name: 'Continue in this tab' })).toBeVisible();
    await expect(storySandbox().sandbox.requests).toHaveLength(0);
  },
};

/** The connection came back with a `javascript:` linkUrl (toolbar fault): refused, never opened. */
export const UnsafeLinkUrl: Story = {
  globals: { fault: 'unsafe-link-url' },
  play: async ({ canvas }) => {
    await userEvent.click(canvas.getByRole('button'));
    await expect(await canvas.findByRole('alert')).toHaveTextContent('The sign-in link we received is not safe to open');
    await expect(storySandbox().link.navigations).toEqual([]);
  },
};

/** Codat never answered (toolbar fault `timeout`: the provider gives up after 3 s): a timeout with a retry. */
export const TimedOut: Story = {
  globals: { fault: 'timeout' },
  play: async ({ canvas }) => {
    await userEvent.click(canvas.getByRole('button'));
    await expect(await canvas.findByRole('alert', {}, { timeout: 6000 })).toHaveTextContent('The server took too long to answer');
    await expect(canvas.getByRole('button', { name: 'Try again' })).toBeVisible();
  },
};

/** Codat failed: the kit's message, then Try again in the notice; Codat's text and the support reference wait in the collapsed details. */
export const Failed: Story = {
  parameters: seededCompany([], { faults: { createConnection: { kind: 'status', status: 500, message: 'Codat had an internal error.' } } }),
  play: async ({ canvas }) => {
    await userEvent.click(canvas.getByRole('button'));
    const alert = await canvas.findByRole('alert');
    await expect(alert).toHaveTextContent('Support reference');
    await expect(within(alert).getByText('Codat had an internal error.')).not.toBeVisible();
    await expect(within(alert).getByRole('button', { name: 'Try again' })).toBeVisible();
    await expect(canvas.getByRole('button', { name: 'Connect QuickBooks Online' })).toBeVisible();
  },
};

/** Every state side by side (the interactive ones are driven by the play function). */
export const AllStates: Story = {
  render: () => (
    <StatesGrid>
      <StateCell title="Idle" companyId={COMPANY_ID} sandbox={seededCompany([]).sandbox}>
        <ConnectButton platformKey="gbol" />
      </StateCell>
      <StateCell title="No platform" companyId={COMPANY_ID} sandbox={seededCompany([]).sandbox}>
        <ConnectButton />
      </StateCell>
      <StateCell title="Creating" companyId={COMPANY_ID} sandbox={seededCompany([], { faults: { createConnection: { kind: 'hang' } } }).sandbox}>
        <ConnectButton platformKey="knfz" />
      </StateCell>
      <StateCell title="Waiting for sign-in" companyId={COMPANY_ID} sandbox={seededCompany([]).sandbox}>
        <ConnectButton platformKey="qhyg" />
      </StateCell>
      <StateCell title="Error" companyId={COMPANY_ID} sandbox={seededCompany([], { faults: { createConnection: { kind: 'status', status: 500 } } }).sandbox}>
        <ConnectButton platformKey="akxx" />
      </StateCell>
      <StateCell title="Rate limited" companyId={COMPANY_ID} sandbox={seededCompany([], { faults: { createConnection: { kind: 'rate-limit', retryAfter: 30 } } }).sandbox}>
        <ConnectButton platformKey="pdvj" clock={storyClock} />
      </StateCell>
    </StatesGrid>
  ),
  play: async ({ canvas }) => {
    for (const name of ['Creating', 'Error', 'Rate limited']) {
      await userEvent.click(within(canvas.getByRole('region', { name })).getByRole('button'));
    }
    await expect(await within(canvas.getByRole('region', { name: 'Rate limited' })).findByRole('alert')).toHaveTextContent('30 seconds');
    await expect(await within(canvas.getByRole('region', { name: 'Error' })).findByRole('alert')).toBeVisible();
    // Last: the cells share the one named Link window, and a failing cell closes it, which would cancel this sign-in.
    const waiting = within(canvas.getByRole('region', { name: 'Waiting for sign-in' }));
    await userEvent.click(waiting.getByRole('button'));
    await expect(await waiting.findByText('Waiting for you to sign in to QuickBooks Online…')).toBeVisible();
  },
};

/** The same grid in the dark theme. */
export const AllStatesDark: Story = { ...AllStates, globals: { theme: 'dark' } };
