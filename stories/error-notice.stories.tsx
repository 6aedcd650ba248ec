import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState, type ReactNode } from 'react';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { BillPayError, defaultMessages, ErrorNotice, type CodatErrorBody } from '../src/index.js';
import { manualClock } from '../test/support/manual-clock.js';

const codat = (statusCode: number, error: string, extra: Partial<CodatErrorBody> = {}): CodatErrorBody => ({
  statusCode,
  error,
  correlationId: '7d3c6e0f-5b1a-4c2e-9f8d-2a6b4c8e0d13',
  ...extra,
});

/** One error per code (and both kinds of HTTP error), with the one action each should offer. */
const errors: { title: string; error: BillPayError; action: string | null }[] = [
  { title: 'network', error: new BillPayError('network'), action: 'Try again' },
  { title: 'timeout', error: new BillPayError('timeout'), action: 'Try again' },
  {
    title: 'http (retryable 500)',
    error: new BillPayError('http', { status: 500, codat: codat(500, 'Codat had an internal error.', { canBeRetried: 'True' }) }),
    action: 'Try again',
  },
  {
    title: 'http (400, not retryable)',
    error: new BillPayError('http', {
      status: 400,
      operation: 'createConnection',
      codat: codat(400, 'Integration is not enabled.', {
        canBeRetried: 'False',
        validation: { errors: [{ itemId: 'platformKey', message: 'The platform key is disabled for this client.' }], warnings: [] },
      }),
    }),
    action: null,
  },
  { title: 'rate-limited', error: new BillPayError('rate-limited', { status: 429, retryAfter: 30, codat: codat(429, 'Rate limit exceeded.') }), action: 'Try again' },
  { title: 'invalid-response', error: new BillPayError('invalid-response'), action: 'Try again' },
  { title: 'invalid-input', error: new BillPayError('invalid-input', { field: 'name', message: 'Enter the company name.' }), action: null },
  { title: 'popup-blocked', error: new BillPayError('popup-blocked'), action: 'Continue in this tab' },
  { title: 'unsafe-link-url', error: new BillPayError('unsafe-link-url', { message: 'Refused a javascript: linkUrl.' }), action: null },
  { title: 'link-cancelled', error: new BillPayError('link-cancelled'), action: 'Try again' },
  { title: 'link-failed', error: new BillPayError('link-failed'), action: 'Try again' },
  { title: 'aborted', error: new BillPayError('aborted'), action: null },
];

// The grid's countdown never moves, so its pictures stay the same.
const still = manualClock().clock;

function Cell({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="sb-cell" aria-label={title}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

const meta = {
  title: 'Components/ErrorNotice',
  component: ErrorNotice,
  args: { error: errors[2]!.error, messages: defaultMessages, onRetry: fn(), onContinueInTab: fn() },
} satisfies Meta<typeof ErrorNotice>;

export default meta;
type Story = StoryObj<typeof meta>;

/** A retryable Codat error: the kit's message, Try again, and Codat's own text in the collapsed support details. */
export const Retryable: Story = {};

/** An error retrying cannot fix: no Try again, the message says what to do instead. */
export const NotRetryable: Story = { args: { error: errors[3]!.error } };

/** Every code's notice side by side: the message, then at most one action, always in the same place. */
export const AllErrors: Story = {
  render: (args) => (
    <div className="sb-grid">
      {errors.map(({ title, error }) => (
        <Cell key={title} title={title}>
          <ErrorNotice {...args} error={error} clock={still} />
        </Cell>
      ))}
    </div>
  ),
  play: async ({ canvas, args }) => {
    for (const { title, error, action } of errors) {
      const alert = within(canvas.getByRole('region', { name: title })).getByRole('alert');
      await expect(alert).toHaveAttribute('data-code', error.code);
      // Codat's wording is never the message.
      if (error.codat) await expect(alert.querySelector('p')).not.toHaveTextContent(error.codat.error);
      await expect(within(alert).queryAllByRole('button')).toHaveLength(action ? 1 : 0);
      // The action comes right after the message, wherever it is shown.
      if (action) await expect(alert.querySelector('p + div, p + p + div')).toContainElement(within(alert).getByRole('button', { name: action }));
    }
    const rateLimited = within(canvas.getByRole('region', { name: 'rate-limited' })).getByRole('button', { name: 'Try again' });
    await expect(rateLimited).toHaveAttribute('aria-disabled', 'true');
    await expect(rateLimited).toHaveTextContent('Try again in 30 s');
    await userEvent.click(rateLimited);
    await expect(args.onRetry).not.toHaveBeenCalled();
    await userEvent.click(within(canvas.getByRole('region', { name: 'popup-blocked' })).getByRole('button', { name: 'Continue in this tab' }));
    await expect(args.onContinueInTab).toHaveBeenCalledTimes(1);
  },
};

/** The same grid in the dark theme. */
export const AllErrorsDark: Story = { ...AllErrors, globals: { theme: 'dark' } };

/**
 * "Details for support" is a native `<details>`: closed at first, next in the tab order after the action, and
 * toggled by the browser itself (click, Enter, Space), with no script of the kit's.
 */
export const SupportDetails: Story = {
  play: async ({ canvas }) => {
    const alert = canvas.getByRole('alert');
    const details = alert.querySelector('details') as HTMLDetailsElement;
    const summary = details.querySelector('summary') as HTMLElement;
    await expect(details.open).toBe(false);
    await expect(within(details).getByText('Codat had an internal error.')).not.toBeVisible();
    await userEvent.tab();
    await expect(within(alert).getByRole('button', { name: 'Try again' })).toHaveFocus();
    await userEvent.tab();
    await expect(summary).toHaveFocus();
    await userEvent.click(summary);
    await expect(details.open).toBe(true);
    await expect(within(details).getByText('Codat had an internal error.')).toBeVisible();
    await expect(within(details).getByText('HTTP status: 500')).toBeVisible();
    await expect(details).toHaveTextContent('Support reference: 7d3c6e0f-5b1a-4c2e-9f8d-2a6b4c8e0d13');
    await userEvent.click(summary);
    await expect(details.open).toBe(false);
  },
};

/** A host that hides the support details: `supportDetails={false}` (or `messages.supportDetails: ''` for the components). */
export const SupportDetailsHidden: Story = {
  args: { supportDetails: false },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('alert').querySelector('details')).toBeNull();
    await expect(canvas.getByRole('alert')).not.toHaveTextContent('Codat had an internal error.');
  },
};

// Moved only by the play function; each mount makes a fresh error, whose countdown starts then.
const countdownClock = manualClock();

function Countdown({ onRetry }: { onRetry: () => void }) {
  const [error] = useState(() => new BillPayError('rate-limited', { status: 429, retryAfter: 30 }));
  return <ErrorNotice error={error} messages={defaultMessages} onRetry={onRetry} clock={countdownClock.clock} />;
}

/** A rate limit: "Try again in N s" counts down once a second and the retry works only once it ends (a story clock, moved by the play function). */
export const RateLimitCountdown: Story = {
  render: (args) => <Countdown onRetry={args.onRetry!} />,
  play: async ({ canvas, args }) => {
    const alert = canvas.getByRole('alert');
    const retry = within(alert).getByRole('button', { name: 'Try again' });
    await expect(retry).toHaveAttribute('aria-disabled', 'true');
    await expect(retry).toHaveTextContent('Try again in 30 s');
    await expect(alert).toHaveTextContent('You can try again in 30 seconds.');
    countdownClock.advance(29_000);
    await waitFor(() => expect(retry).toHaveTextContent('Try again in 1 s'));
    await userEvent.click(retry);
    await expect(args.onRetry).not.toHaveBeenCalled();
    countdownClock.advance(1000);
    await waitFor(() => expect(retry).not.toHaveAttribute('aria-disabled'));
    await expect(within(alert).getByRole('status')).toHaveTextContent('You can try again now.');
    await expect(canvas.getByRole('alert')).toBe(alert);
    await userEvent.click(retry);
    await expect(args.onRetry).toHaveBeenCalledTimes(1);
  },
};
