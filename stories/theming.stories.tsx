import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect } from 'storybook/test';
import { ConfigureCustomer } from '../src/index.js';
import { linkedQuickBooks, outlineContrast, placeholderContrast, seededCompany, storyClock } from './support.js';

const meta = {
  title: 'Theming/ConfigureCustomer',
  component: ConfigureCustomer,
  args: { clock: storyClock },
  parameters: seededCompany([linkedQuickBooks, { platformKey: 'gbol', status: 'Deauthorized' }]),
} satisfies Meta<typeof ConfigureCustomer>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Brand tokens set on an ancestor: accent, radius, font, surface, border. */
export const Brand: Story = { globals: { theme: 'brand' } };

/** Dark mode through a [data-theme="dark"] ancestor. The search field's outline stands out at 3:1 or more, its placeholder at 4.5:1. */
export const Dark: Story = {
  globals: { theme: 'dark' },
  play: async ({ canvas }) => {
    const search = canvas.getByRole('searchbox', { name: 'Search accounting software' });
    await expect(outlineContrast(search)).toBeGreaterThanOrEqual(3);
    await expect(placeholderContrast(search)).toBeGreaterThanOrEqual(4.5);
  },
};

/** No kit classes: ARIA and data-* remain for the host's own CSS. */
export const Unstyled: Story = {
  args: { unstyled: true },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('[class^="bpc-picker"]')).toBeNull();
    await expect(canvasElement.querySelector('[role="radiogroup"]')).not.toBeNull();
  },
};

/** Host classes on the root (applied last) and per part. */
export const ClassNameSlots: Story = {
  args: { className: 'host-onboarding', classNames: { input: 'host-input' } },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('.bpc-configure.host-onboarding')).not.toBeNull();
  },
};
