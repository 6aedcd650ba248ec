import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import { ConnectionManager, PlatformPicker } from '../src/index.js';
import { backgroundBehind, composite, contrast, linkedQuickBooks, seededCompany, storyClock } from './support.js';

/** The parts whose edges must be seen, side by side: a picker with Xero chosen, and a connection with its dialog. */
function Parts() {
  return (
    <div style={{ display: 'grid', gap: 32 }}>
      <PlatformPicker defaultValue="gbol" searchable />
      <ConnectionManager clock={storyClock} />
    </div>
  );
}

const meta = {
  title: 'Theming/Contrast',
  component: Parts,
  parameters: seededCompany([linkedQuickBooks]),
} satisfies Meta<typeof Parts>;

export default meta;
type Story = StoryObj<typeof meta>;

const ratio = (a: string, b: string) => Math.round(contrast(a, b) * 100) / 100;

/**
 * Measures, from the rendered styles, what WCAG 1.4.11 asks of the parts that are not text: 3:1 or more for a
 * tile's edge (against the page and its own fill), the radio's ring, the chosen tile's edge, the check (its disc
 * against the tile, its mark against the disc), the search field's edge and the focus ring; that the focus ring
 * is not the selection (a ring outside the tile, the selection's check inside); and that a dialog stands off the
 * dimmed page behind it. Text contrast is axe's, as in every story.
 */
const measure: Story['play'] = async ({ canvas, canvasElement }) => {
  const page = backgroundBehind(canvas.getByRole('radiogroup'));
  const chosen = canvas.getByRole('radio', { name: 'Xero' });
  const other = canvas.getByRole('radio', { name: 'FreeAgent' });
  const tile = getComputedStyle(other);
  const indicator = (radio: HTMLElement) => radio.querySelector('.bpc-picker__indicator') as HTMLElement;

  await expect(ratio(tile.borderTopColor, page)).toBeGreaterThanOrEqual(3);
  await expect(ratio(tile.borderTopColor, tile.backgroundColor)).toBeGreaterThanOrEqual(3);
  await expect(ratio(getComputedStyle(indicator(other)).borderTopColor, tile.backgroundColor)).toBeGreaterThanOrEqual(3);

  const picked = getComputedStyle(chosen);
  await expect(ratio(picked.borderTopColor, page)).toBeGreaterThanOrEqual(3);
  await expect(ratio(picked.borderTopColor, picked.backgroundColor)).toBeGreaterThanOrEqual(3);
  const disc = getComputedStyle(indicator(chosen));
  await expect(ratio(disc.backgroundColor, picked.backgroundColor)).toBeGreaterThanOrEqual(3);
  await expect(ratio(getComputedStyle(indicator(chosen).querySelector('svg')!).color, disc.backgroundColor)).toBeGreaterThanOrEqual(3);
  // The selection never relies on colour alone: the chosen tile carries a check, the others none.
  await expect(indicator(chosen).querySelector('svg')).not.toBeNull();
  await expect(indicator(other).querySelector('svg')).toBeNull();

  const search = canvas.getByRole('searchbox');
  const field = getComputedStyle(search);
  await expect(ratio(field.borderTopColor, page)).toBeGreaterThanOrEqual(3);
  await expect(ratio(field.borderTopColor, field.backgroundColor)).toBeGreaterThanOrEqual(3);

  // Keyboard focus on the chosen tile: a ring outside it, apart from the selection's edge.
  search.focus();
  await userEvent.tab();
  await expect(chosen).toHaveFocus();
  const ring = getComputedStyle(chosen);
  await expect(ring.outlineStyle).toBe('solid');
  await expect(parseFloat(ring.outlineWidth)).toBeGreaterThanOrEqual(2);
  await expect(parseFloat(ring.outlineOffset)).toBeGreaterThanOrEqual(2);
  await expect(ratio(ring.outlineColor, page)).toBeGreaterThanOrEqual(3);
  search.focus();
  await expect(getComputedStyle(chosen).outlineStyle).toBe('none');

  // The dialog: its surface stands off the page dimmed by the backdrop (before this design, 1.1:1 in dark mode).
  await userEvent.click(await canvas.findByRole('button', { name: 'Unlink' }));
  const body = within(canvasElement.ownerDocument.body);
  const dialog = body.getByRole('alertdialog');
  const backdrop = canvasElement.ownerDocument.querySelector('.bpc-dialog__overlay') as HTMLElement;
  const dimmed = composite(getComputedStyle(backdrop).backgroundColor, page);
  await expect(ratio(getComputedStyle(dialog).backgroundColor, dimmed)).toBeGreaterThanOrEqual(1.25);
  await userEvent.keyboard('{Escape}');
};

/** The light palette. */
export const Light: Story = { play: measure };

/** The dark palette. */
export const Dark: Story = { globals: { theme: 'dark' }, play: measure };

/** Brand tokens on an ancestor (accent, radius, surface, decorative border): the defaults they leave still hold. */
export const Brand: Story = { globals: { theme: 'brand' }, play: measure };
