import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor } from 'storybook/test';
import { PlatformPicker } from '../src/index.js';
import { outlineContrast, placeholderContrast, StateCell, StatesGrid } from './support.js';

const meta = {
  title: 'Components/PlatformPicker',
  component: PlatformPicker,
} satisfies Meta<typeof PlatformPicker>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Nothing chosen yet. The search field's outline stands out at 3:1 or more, its placeholder at 4.5:1. */
export const Default: Story = {
  play: async ({ canvas }) => {
    const search = canvas.getByRole('searchbox', { name: 'Search accounting software' });
    await expect(outlineContrast(search)).toBeGreaterThanOrEqual(3);
    await expect(placeholderContrast(search)).toBeGreaterThanOrEqual(4.5);
  },
};

/** QuickBooks Online chosen. */
export const Selected: Story = { args: { defaultValue: 'qhyg' } };

/** Typing filters the tiles ("books": QuickBooks Online and Zoho Books); the count is announced politely. */
export const Filtered: Story = {
  play: async ({ canvas }) => {
    await userEvent.type(canvas.getByRole('searchbox', { name: 'Search accounting software' }), 'books');
    await expect(canvas.getAllByRole('radio')).toHaveLength(2);
    await expect(canvas.getByRole('status')).toHaveTextContent('2 platforms');
  },
};

/**
 * No platform matches the search: "Clear search", and "Can't find your software?" for the host to wire
 * (`onPlatformNotListed`, here a spy that receives the search text).
 */
export const Empty: Story = {
  args: { onPlatformNotListed: fn() },
  play: async ({ args, canvas }) => {
    await userEvent.type(canvas.getByRole('searchbox'), 'zzz');
    await expect(canvas.getByText('No accounting software matches “zzz”.')).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Can’t find your software?' }));
    await expect(args.onPlatformNotListed).toHaveBeenCalledWith('zzz');
  },
};

/** "Clear search" brings every platform back and puts the cursor in the search field. */
export const EmptyCleared: Story = {
  play: async ({ canvas }) => {
    const search = canvas.getByRole('searchbox');
    await userEvent.type(search, 'zzz');
    await expect(canvas.queryByRole('button', { name: 'Can’t find your software?' })).toBeNull();
    await userEvent.click(canvas.getByRole('button', { name: 'Clear search' }));
    await expect(canvas.getAllByRole('radio')).toHaveLength(6);
    await expect(search).toHaveFocus();
  },
};

/**
 * A search never hides the chosen platform: Xero is chosen, "books" matches QuickBooks Online and Zoho Books, and
 * Xero stays in its place, checked, so "Connect Xero" never points at something out of sight.
 */
export const SearchKeepsTheChoice: Story = {
  args: { defaultValue: 'gbol' },
  play: async ({ canvas }) => {
    await userEvent.type(canvas.getByRole('searchbox'), 'books');
    await expect(canvas.getAllByRole('radio').map((r) => r.getAttribute('aria-label'))).toEqual(['QuickBooks Online', 'Xero', 'Zoho Books']);
    await expect(canvas.getByRole('radio', { name: 'Xero' })).toHaveAttribute('aria-checked', 'true');
    await expect(canvas.getByRole('status')).toHaveTextContent('2 platforms');
  },
};

/** The chosen platform is left out by a search that matches nothing else: it stays, above the empty result. */
export const SearchKeepsTheChoiceWhenNothingMatches: Story = {
  args: { defaultValue: 'gbol' },
  play: async ({ canvas }) => {
    await userEvent.type(canvas.getByRole('searchbox'), 'zzz');
    await expect(canvas.getByRole('radio', { name: 'Xero' })).toHaveAttribute('aria-checked', 'true');
    await expect(canvas.getByText('No accounting software matches “zzz”.')).toBeVisible();
  },
};

/**
 * Codat's asynchronous Bill Pay list (`platformList="async"`): MYOB and QuickBooks Desktop, which needs Codat's
 * desktop connector and says so on its tile.
 */
export const AsyncBillPayList: Story = {
  args: { platformList: 'async' },
  play: async ({ canvas }) => {
    await expect(canvas.getAllByRole('radio')).toHaveLength(6);
    await expect(canvas.getByRole('radio', { name: /MYOB Business/ })).toBeVisible();
    await expect(canvas.getByRole('radio', { name: 'QuickBooks Desktop' })).toHaveAccessibleDescription('Needs desktop connector');
    await expect(canvas.queryByRole('radio', { name: /Zoho Books/ })).toBeNull();
  },
};

/**
 * `source="integrations"`: the chosen list narrowed to what the host's Codat client has enabled (here only
 * Xero and QuickBooks Online are enabled in the sandbox).
 */
export const EnabledInCodat: Story = {
  args: { source: 'integrations' },
  parameters: { sandbox: { enabledPlatforms: ['gbol', 'qhyg'] } },
  play: async ({ canvas }) => {
    await waitFor(() => expect(canvas.getAllByRole('radio')).toHaveLength(2));
    await expect(canvas.getAllByRole('radio').map((r) => r.textContent)).toEqual([expect.stringMatching(/QuickBooks Online/), expect.stringMatching(/Xero/)]);
  },
};

/** Waiting for Codat's integrations list. */
export const Loading: Story = {
  args: { source: 'integrations' },
  parameters: { sandbox: { faults: { listIntegrations: { kind: 'hang' } } } },
};

/** The integrations list failed: the built-in list stays usable, with a retry. */
export const Error: Story = {
  args: { source: 'integrations' },
  parameters: { sandbox: { faults: { listIntegrations: { kind: 'status', status: 500, message: 'Codat had an internal error.' } } } },
  play: async ({ canvas }) => {
    await expect(await canvas.findByRole('alert')).toHaveTextContent('Codat had an internal error.');
    await userEvent.click(canvas.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(canvas.queryByRole('alert')).toBeNull());
  },
};

/** Keyboard: Tab in, arrows move by column and row, type-ahead jumps. */
export const Keyboard: Story = {
  args: { searchable: false },
  play: async ({ canvas }) => {
    await userEvent.tab();
    await userEvent.keyboard('{ArrowRight}{ArrowRight}');
    await expect(canvas.getByRole('radio', { name: /QuickBooks Online/ })).toHaveAttribute('aria-checked', 'true');
    await userEvent.keyboard('x');
    await expect(canvas.getByRole('radio', { name: /Xero/ })).toHaveFocus();
  },
};

/** Every state side by side. */
export const AllStates: Story = {
  render: () => (
    <StatesGrid>
      <StateCell title="Idle">
        <PlatformPicker />
      </StateCell>
      <StateCell title="Selected">
        <PlatformPicker defaultValue="gbol" />
      </StateCell>
      <StateCell title="Loading" sandbox={{ faults: { listIntegrations: { kind: 'hang' } } }}>
        <PlatformPicker source="integrations" />
      </StateCell>
      <StateCell title="Error, fallback list" sandbox={{ faults: { listIntegrations: { kind: 'status', status: 500 } } }}>
        <PlatformPicker source="integrations" />
      </StateCell>
      <StateCell title="Disabled">
        <PlatformPicker disabled defaultValue="knfz" />
      </StateCell>
    </StatesGrid>
  ),
};

/** The same grid in the dark theme. */
export const AllStatesDark: Story = { ...AllStates, globals: { theme: 'dark' } };

/**
 * A host that widens the tiles (`--bpc-picker-tile-min: 12rem`) and puts the picker in a narrow column (160 px,
 * a sidebar or a phone at 400 % zoom): a tile shrinks to the column instead of overflowing it.
 */
export const WideTilesInANarrowColumn: Story = {
  decorators: [
    (Story) => (
      <div data-testid="column" style={{ width: 160, ['--bpc-picker-tile-min' as string]: '12rem' }}>
        <Story />
      </div>
    ),
  ],
  play: async ({ canvas }) => {
    const column = canvas.getByTestId('column').getBoundingClientRect().right;
    const parts = [canvas.getByRole('searchbox'), canvas.getByRole('radiogroup'), ...canvas.getAllByRole('radio')];
    for (const part of parts) await expect(part.getBoundingClientRect().right).toBeLessThanOrEqual(column + 0.5);
  },
};
