import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { ConfigureCustomer } from '../src/index.js';
import { storySandbox } from '../.storybook/story-sandbox.js';
import { linkedQuickBooks, outlineContrast, seededCompany, zoom400 } from './support.js';

const meta = {
  title: 'Flows/ConfigureCustomer',
  component: ConfigureCustomer,
  args: { companyName: 'Acme Plumbing Ltd' },
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
