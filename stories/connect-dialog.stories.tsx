import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { ConnectDialog, type ConnectDialogProps } from '../src/index.js';
import { storySandbox } from '../.storybook/story-sandbox.js';
import { linkedQuickBooks, seededCompany, storyClock, withinViewport, zoom400 } from './support.js';

/** The host's page: its own button opens the dialog, which is portalled inside the themed frame. */
function HostPage(props: ConnectDialogProps) {
  const [container, setContainer] = useState<HTMLElement | null>(null);
  return (
    <div ref={setContainer}>
      <ConnectDialog container={container} trigger={<button type="button">Connect accounting software</button>} {...props} />
    </div>
  );
}

const meta = {
  title: 'Components/ConnectDialog',
  component: ConnectDialog,
  render: (args) => <HostPage {...args} />,
  args: { intro: { appName: 'Acme Pay' }, onDone: fn(), onOpenChange: fn(), clock: storyClock },
  parameters: seededCompany([]),
} satisfies Meta<typeof ConnectDialog>;

export default meta;
type Story = StoryObj<typeof meta>;

const page = (canvasElement: HTMLElement) => within(canvasElement.ownerDocument.body);

/** Closed: the host's own button. */
export const Closed: Story = {};

/** Opened from the host's button: titled, focus on the title; Escape closes it and focus returns to the button. */
export const OpenFromHostButton: Story = {
  play: async ({ args, canvas, canvasElement }) => {
    const trigger = canvas.getByRole('button', { name: 'Connect accounting software' });
    await userEvent.click(trigger);
    const dialog = page(canvasElement).getByRole('dialog', { name: 'Connect your accounting software' });
    await expect(within(dialog).getByRole('heading', { level: 2 })).toHaveFocus();
    await expect(within(dialog).getByRole('heading', { level: 3, name: 'Acme Pay wants to connect to your accounting software' })).toBeVisible();
    await userEvent.keyboard('{Escape}');
    await expect(page(canvasElement).queryByRole('dialog')).toBeNull();
    await expect(trigger).toHaveFocus();
    await expect(args.onOpenChange).toHaveBeenCalledWith(false);
  },
};

/** Open on the intro. */
export const Open: Story = { args: { defaultOpen: true } };

/** Open, in the dark theme. */
export const OpenDark: Story = { ...Open, globals: { theme: 'dark' } };

/** Open for an existing customer, without the intro: the picker and the Linked connection. */
export const OpenExistingCustomer: Story = {
  args: { defaultOpen: true, intro: false },
  parameters: seededCompany([linkedQuickBooks]),
};

/** Intro -> choose -> connect -> authorise -> success -> Done closes the dialog. */
export const IntroToSuccess: Story = {
  play: async ({ args, canvas, canvasElement }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Connect accounting software' }));
    const dialog = within(page(canvasElement).getByRole('dialog'));
    await userEvent.click(dialog.getByRole('button', { name: 'Continue' }));
    await expect(dialog.getByRole('heading', { name: 'Which accounting software do you use?' })).toHaveFocus();
    await userEvent.click(dialog.getByRole('radio', { name: /Xero/ }));
    await userEvent.click(dialog.getByRole('button', { name: 'Connect Xero' }));
    await dialog.findByText('Waiting for you to sign in to Xero…');
    storySandbox().link.authorize();
    const heading = await dialog.findByRole('heading', { name: 'Xero is connected' }, { timeout: 5000 });
    await waitFor(() => expect(heading).toHaveFocus());
    await userEvent.click(dialog.getByRole('button', { name: 'Done' }));
    await expect(args.onDone).toHaveBeenCalledTimes(1);
    await expect(page(canvasElement).queryByRole('dialog')).toBeNull();
  },
};

/** The same flow in the dark theme. */
export const IntroToSuccessDark: Story = { ...IntroToSuccess, globals: { theme: 'dark' } };

/** Closed while the Link window is open: the window closes too and nothing more is sent. */
export const ClosedMidFlow: Story = {
  args: { intro: false },
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Connect accounting software' }));
    const dialog = within(page(canvasElement).getByRole('dialog'));
    await userEvent.click(dialog.getByRole('radio', { name: /Xero/ }));
    await userEvent.click(dialog.getByRole('button', { name: 'Connect Xero' }));
    await page(canvasElement).findByRole('region', { name: 'Simulated Codat Link window' });
    await userEvent.click(dialog.getByRole('button', { name: 'Close' }));
    await expect(page(canvasElement).queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(page(canvasElement).queryByRole('region', { name: 'Simulated Codat Link window' })).toBeNull());
  },
};

/** At 400 % zoom (320 × 256 CSS px) the dialog fills the viewport and scrolls inside its body. */
export const OpenAtZoom400: Story = {
  ...zoom400,
  args: { defaultOpen: true },
  play: async ({ canvasElement }) => {
    const dialog = page(canvasElement).getByRole('dialog');
    const view = canvasElement.ownerDocument.documentElement;
    await expect(withinViewport(dialog)).toEqual({ left: true, top: true, right: true, bottom: true });
    await expect(Math.round(dialog.getBoundingClientRect().width)).toBe(view.clientWidth);
    const close = within(dialog).getByRole('button', { name: 'Close' });
    await expect(withinViewport(close)).toEqual({ left: true, top: true, right: true, bottom: true });
    await expect(view.scrollWidth).toBeLessThanOrEqual(view.clientWidth);
  },
};

/** Unstyled: the kit's classes dropped, roles and names kept. */
export const Unstyled: Story = { args: { defaultOpen: true, unstyled: true } };
