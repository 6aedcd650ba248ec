import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { ConfigureCustomer } from '../src/index.js';
import { storySandbox } from '../.storybook/story-sandbox.js';
import { COMPANY_ID, linkedQuickBooks, outlineContrast, seededCompany, StateCell, StatesGrid, storyClock, zoom400 } from './support.js';

const meta = {
  title: 'Flows/ConfigureCustomer',
  component: ConfigureCustomer,
  args: { companyName: 'Acme Plumbing Ltd', clock: storyClock },
} satisfies Meta<typeof ConfigureCustomer>;

export default meta;
type Story = StoryObj<typeof meta>;

/** A new customer: pick a platform and connect. */
export const NewCustomer: Story = {};

/** No company and no name yet: ask for the name first. The empty field's outline stands out at 3:1 or more. */
export const AskForName: Story = {
  args: { companyName: undefined },
  play: async ({ canvas }) => {
    await expect(outlineContrast(canvas.getByRole('textbox', { name: 'Company name' }))).toBeGreaterThanOrEqual(3);
  },
};

/** The name form in the dark theme; the field's outline stands out at 3:1 or more there too. */
export const AskForNameDark: Story = { ...AskForName, globals: { theme: 'dark' } };

/** The name form at 400 % zoom (320 × 256 CSS px): the field fits its column and nothing scrolls sideways. */
export const AskForNameAtZoom400: Story = {
  ...zoom400,
  args: { companyName: undefined },
  play: async ({ canvas, canvasElement }) => {
    const input = canvas.getByRole('textbox', { name: 'Company name' });
    await expect(input.getBoundingClientRect().right).toBeLessThanOrEqual(input.closest('form')!.getBoundingClientRect().right);
    const page = canvasElement.ownerDocument.documentElement;
    await expect(page.scrollWidth).toBeLessThanOrEqual(page.clientWidth);
  },
};

/** An existing customer with a Linked connection. */
export const ExistingCustomer: Story = { args: { companyName: undefined }, parameters: seededCompany([linkedQuickBooks]) };

/** The seed flow end to end: QuickBooks Online -> connect -> authorise -> Linked -> unlink -> Unlinked. */
export const SeedFlow: Story = {
  play: async ({ canvas, canvasElement }) => {
    const body = within(canvasElement.ownerDocument.body);
    await userEvent.click(canvas.getByRole('radio', { name: /QuickBooks Online/ }));
    await userEvent.click(canvas.getByRole('button', { name: 'Connect QuickBooks Online' }));
    await userEvent.click(await body.findByRole('button', { name: 'Authorise access' }));
    const row = await canvas.findByRole('listitem', {}, { timeout: 5000 });
    await waitFor(() => expect(row).toHaveAttribute('data-status', 'linked'), { timeout: 5000 });
    await userEvent.click(within(row).getByRole('button', { name: 'Unlink' }));
    await userEvent.click(within(body.getByRole('alertdialog')).getByRole('button', { name: 'Unlink' }));
    await waitFor(() => expect(canvas.getByRole('listitem')).toHaveAttribute('data-status', 'unlinked'));
    const writes = storySandbox().sandbox.requests.filter((r) => r.method !== 'GET').map((r) => r.operation);
    await expect(writes).toEqual(['createCompany', 'createConnection', 'unlinkConnection']);
  },
};

/** The optional intro: who asks for access, what Bill Pay reads and writes, and that the customer can disconnect. */
export const Intro: Story = {
  args: { intro: { appName: 'Acme Pay' } },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('heading', { name: 'Acme Pay wants to connect to your accounting software' })).toBeVisible();
    await expect(canvas.queryByRole('radiogroup')).toBeNull();
  },
};

/** The intro in the dark theme. */
export const IntroDark: Story = { ...Intro, globals: { theme: 'dark' } };

/** Intro -> choose -> connect -> authorise -> the success step, focus on its heading -> Done. */
export const IntroToSuccess: Story = {
  args: { intro: { appName: 'Acme Pay' }, onDone: fn() },
  play: async ({ args, canvas, canvasElement }) => {
    const body = within(canvasElement.ownerDocument.body);
    await userEvent.click(canvas.getByRole('button', { name: 'Continue' }));
    await expect(canvas.getByRole('heading', { name: 'Which accounting software do you use?' })).toHaveFocus();
    await userEvent.click(canvas.getByRole('radio', { name: /Xero/ }));
    await userEvent.click(canvas.getByRole('button', { name: 'Connect Xero' }));
    await userEvent.click(await body.findByRole('button', { name: 'Authorise access' }));
    const heading = await canvas.findByRole('heading', { name: 'Xero is connected' }, { timeout: 5000 });
    await waitFor(() => expect(heading).toHaveFocus());
    await expect(canvas.getByText('Your bills will sync from Xero over the next few minutes.')).toBeVisible();
    await waitFor(() => expect(canvas.getByRole('listitem')).toHaveAttribute('data-status', 'linked'), { timeout: 5000 });
    await userEvent.click(canvas.getByRole('button', { name: 'Done' }));
    await expect(args.onDone).toHaveBeenCalledTimes(1);
  },
};

/** The same flow in the dark theme. */
export const IntroToSuccessDark: Story = { ...IntroToSuccess, globals: { theme: 'dark' } };

/** Every step that shows without interaction, side by side (the success step: `IntroToSuccess`). */
export const AllStates: Story = {
  render: () => (
    <StatesGrid>
      <StateCell title="Intro" companyId={COMPANY_ID} sandbox={seededCompany([]).sandbox}>
        <ConfigureCustomer intro={{ appName: 'Acme Pay' }} headingLevel={3} clock={storyClock} />
      </StateCell>
      <StateCell title="Name">
        <ConfigureCustomer headingLevel={3} clock={storyClock} />
      </StateCell>
      <StateCell title="Choose" companyId={COMPANY_ID} sandbox={seededCompany([linkedQuickBooks]).sandbox}>
        <ConfigureCustomer headingLevel={3} clock={storyClock} />
      </StateCell>
    </StatesGrid>
  ),
  play: async ({ canvas }) => {
    await expect(within(canvas.getByRole('region', { name: 'Intro' })).getByRole('button', { name: 'Continue' })).toBeVisible();
    await expect(within(canvas.getByRole('region', { name: 'Name' })).getByRole('textbox', { name: 'Company name' })).toBeVisible();
    await expect(await within(canvas.getByRole('region', { name: 'Choose' })).findByRole('listitem')).toHaveAttribute('data-status', 'linked');
  },
};

/** The same grid in the dark theme. */
export const AllStatesDark: Story = { ...AllStates, globals: { theme: 'dark' } };
