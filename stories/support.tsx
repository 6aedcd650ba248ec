import { useState, type ReactNode } from 'react';
import { CodatProvider, type Clock } from '../src/index.js';
import { createSandbox, type SandboxOptions, type SandboxSeedConnection } from '../src/sandbox/index.js';

/** The company id seeded stories use. */
export const COMPANY_ID = '8a210b68-6988-11ed-a1eb-0242ac120002';

/** Sandbox parameters for a story whose company has these connections. */
export function seededCompany(connections: SandboxSeedConnection[], extra: SandboxOptions = {}) {
  return {
    sandbox: { ...extra, companyId: COMPANY_ID, seed: { companies: [{ id: COMPANY_ID, name: 'Acme Plumbing Ltd', connections }] } },
  };
}

/** One labelled cell of an all-states grid, with a sandbox of its own. */
export function StateCell(props: { title: string; sandbox?: SandboxOptions; companyId?: string; children: ReactNode }) {
  const [sandbox] = useState(() => createSandbox(props.sandbox));
  return (
    <section className="sb-cell" aria-label={props.title}>
      <h3>{props.title}</h3>
      <CodatProvider fetcher={sandbox.fetcher} companyId={props.companyId}>
        {props.children}
      </CodatProvider>
    </section>
  );
}

/** The grid that holds the cells. */
export function StatesGrid({ children }: { children: ReactNode }) {
  return <div className="sb-grid">{children}</div>;
}

/**
 * The stories' "now": two hours after `linkedQuickBooks` last synced. It never moves (its timers never fire), so
 * relative dates and Retry-After countdowns read the same in every run, and so do the pictures.
 */
export const storyClock: Clock = { now: () => Date.parse('2026-11-20T11:30:00Z'), setTimeout: () => 0, clearTimeout: () => {} };

/** A linked connection synced on a fixed date, so screenshots stay stable. */
export const linkedQuickBooks: SandboxSeedConnection = {
  id: '2e9d2c44-f675-40ba-8049-353bfcb5e171',
  platformKey: 'qhyg',
  status: 'Linked',
  lastSync: '2026-11-20T09:30:00Z',
};

/**
 * A story's viewport at 400 % zoom of a 1280 × 1024 window: 320 × 256 CSS px, the size WCAG 1.4.10 (Reflow)
 * asks content to work at without scrolling sideways. Spread into the story's `parameters` and `globals`.
 */
export const zoom400 = {
  parameters: { viewport: { options: { zoom400: { name: '400 % zoom (320 × 256)', styles: { width: '320px', height: '256px' }, type: 'mobile' } } } },
  globals: { viewport: { value: 'zoom400', isRotated: false } },
};

/** Whether an element's box lies wholly inside the viewport, side by side, so a failure names the edge. */
export function withinViewport(element: Element) {
  const box = element.getBoundingClientRect();
  const view = element.ownerDocument.documentElement;
  return { left: box.left >= 0, top: box.top >= 0, right: box.right <= view.clientWidth, bottom: box.bottom <= view.clientHeight };
}

function luminance(color: string): number {
  const [r, g, b] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map((n) => {
    const c = Number(n) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG contrast ratio of two opaque computed colours (`rgb(…)`). */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/**
 * How well a text field's outline stands out (WCAG 1.4.11): the lower contrast of its top border against the
 * page behind it and against its own fill, rounded to two decimals.
 */
export function outlineContrast(field: Element): number {
  const behind = backgroundBehind(field);
  const style = getComputedStyle(field);
  return Math.round(Math.min(contrast(style.borderTopColor, behind), contrast(style.borderTopColor, style.backgroundColor)) * 100) / 100;
}

/** The first opaque background behind an element (its ancestors'), else white: the page it sits on. */
export function backgroundBehind(element: Element): string {
  for (let node = element.parentElement; node; node = node.parentElement) {
    const background = getComputedStyle(node).backgroundColor;
    if (background !== 'rgba(0, 0, 0, 0)') return background;
  }
  return 'rgb(255, 255, 255)';
}

/** A translucent computed colour (`rgba(…)`, `rgb(… / a)`) laid over an opaque one, as `rgb(…)`. */
export function composite(top: string, bottom: string): string {
  const [r, g, b, a = 1] = (top.match(/[\d.]+/g) ?? []).map(Number);
  const [r2, g2, b2] = (bottom.match(/[\d.]+/g) ?? []).map(Number);
  const mix = (x: number, y: number) => Math.round(x * a + y * (1 - a));
  return `rgb(${mix(r!, r2!)}, ${mix(g!, g2!)}, ${mix(b!, b2!)})`;
}

/** Contrast of a field's placeholder text against the field's own fill (WCAG 1.4.3), rounded to two decimals. */
export function placeholderContrast(field: Element): number {
  const ratio = contrast(getComputedStyle(field, '::placeholder').color, getComputedStyle(field).backgroundColor);
  return Math.round(ratio * 100) / 100;
}
