import { useCallback, useRef, type MutableRefObject } from 'react';

/** Relative luminance (WCAG) under which light text reads better than dark text on that background. */
const DARK_BELOW = 0.19;

/**
 * The WCAG relative luminance of a computed CSS colour (`rgb()`, `rgba()`, `color(srgb …)`, `oklch()`,
 * `oklab()`, `lab()`, `lch()`), or undefined when it is mostly transparent or not understood, so the caller
 * looks further up. Gamma and perceptual lightness are approximated: a light/dark choice needs no more.
 */
export function luminance(color: string): number | undefined {
  const [, fn = '', channels = '', alpha] = /^(\w+)\(([^/)]*)\/?([^)]*)\)$/.exec(color) ?? [];
  const n = channels
    .split(/[\s,]+/)
    .filter((s) => s && s !== 'srgb')
    .map((s) => parseFloat(s) / (s.endsWith('%') ? 100 : 1));
  if (!fn || !((alpha ? parseFloat(alpha) / (alpha.endsWith('%') ? 100 : 1) : (n[3] ?? 1)) >= 0.5)) return undefined;
  const [a = NaN, g = 0, b = 0] = n;
  const k = fn === 'color' ? 1 : 255;
  const y = fn.startsWith('ok') ? a ** 3 : fn.startsWith('l') ? ((a + 16) / 116) ** 3 : 0.2126 * (a / k) ** 2.2 + 0.7152 * (g / k) ** 2.2 + 0.0722 * (b / k) ** 2.2;
  return y >= 0 ? y : undefined;
}

/**
 * Whether the page behind `el` is dark or light: the first ancestor with an opaque background decides, then
 * the canvas (dark when the root's color-scheme makes it so). Undefined when a theme marker above `el`
 * (`data-theme`, `.dark`, `.light`, or another kit root's tone) decides instead.
 */
export function hostTone(el: Element): 'dark' | 'light' | undefined {
  const parent = el.parentElement;
  if (!parent || parent.closest('[data-theme],.dark,.light,[data-bpc-tone]')) return undefined;
  for (let node: Element | null = parent; node; node = node.parentElement) {
    const y = luminance(getComputedStyle(node).backgroundColor);
    if (y !== undefined) return y < DARK_BELOW ? 'dark' : 'light';
  }
  const scheme = getComputedStyle(document.documentElement).colorScheme || '';
  const osDark = typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
  return /dark/.test(scheme) && (!/light/.test(scheme) || osDark) ? 'dark' : 'light';
}

const live = new Set<HTMLElement>();
let media: MediaQueryList | undefined;

function update(el: HTMLElement): void {
  const tone = hostTone(el);
  if (tone) el.setAttribute('data-bpc-tone', tone);
  else el.removeAttribute('data-bpc-tone');
}

/**
 * A ref callback that gives a styled component's root `data-bpc-tone` from the host page behind it as the
 * element is attached (before the first paint), and again when the OS switches between light and dark (pages
 * that follow it change their background then). The stylesheet turns the tone into the light or dark
 * palette; an explicit `data-theme` (or `.dark`) above the kit wins. Also sets `ref` when given.
 */
export function useToneRef<T extends HTMLElement>(off?: boolean, ref?: MutableRefObject<T | null>): (el: T | null) => void {
  const attached = useRef<T | null>(null);
  return useCallback(
    (el: T | null) => {
      if (ref) ref.current = el;
      if (attached.current) live.delete(attached.current);
      attached.current = el;
      if (!el || off) return;
      live.add(el);
      update(el);
      if (!media && typeof matchMedia === 'function') {
        media = matchMedia('(prefers-color-scheme: dark)');
        media.addEventListener('change', () => live.forEach(update));
      }
    },
    [off, ref],
  );
}
