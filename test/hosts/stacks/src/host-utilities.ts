import type { KitPageOptions } from './kit-page.js';

/** Tailwind utilities a host passes to the standalone parts; stacks.test.ts expects each one to win. */
export const hostUtilities = {
  picker: { className: 'p-10', classNames: { tile: 'rounded-none bg-amber-200 text-zinc-950', search: 'rounded-none' } },
  button: { classNames: { button: 'px-8' } },
} satisfies KitPageOptions;
