import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BILL_PAY_ASYNC_PLATFORMS, BILL_PAY_SYNC_PLATFORMS } from '../../src/core/index.js';

const css = (name: string) => readFileSync(new URL(`../../src/styles/${name}`, import.meta.url), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
const tokens = css('tokens.css');
const picker = css('platform-picker.css');

type Rgb = [number, number, number];

function parseColor(value: string): Rgb {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim())?.[1];
  if (!hex) throw new Error(`not a hex colour: ${value}`);
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as Rgb;
}

const linear = (channel: number) => {
  const c = channel / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};

/** WCAG 2 relative luminance. */
function luminance(color: string): number {
  const [r, g, b] = parseColor(color).map(linear) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio. */
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** CIE76 colour difference in CIELAB (D65): about 2 is barely noticeable, above 25 clearly another colour. */
function deltaE(a: string, b: string): number {
  const lab = (color: string) => {
    const [r, g, b2] = parseColor(color).map(linear) as Rgb;
    const xyz = [(0.4124 * r + 0.3576 * g + 0.1805 * b2) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b2, (0.0193 * r + 0.1192 * g + 0.9505 * b2) / 1.08883];
    const [fx, fy, fz] = xyz.map((t) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116)) as Rgb;
    return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
  };
  const [p, q] = [lab(a), lab(b)];
  return Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!, p[2]! - q[2]!);
}

/** The custom properties declared in a block of declarations. */
function declarations(block: string): Record<string, string> {
  return Object.fromEntries([...block.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));
}

/** Every palette block in tokens.css (the light one, the dark one, and the dark one again for data-theme="system"). */
const palettes = [...tokens.matchAll(/\{([^{}]*--_bpc-scheme:[^{}]*)\}/g)].map((m) => declarations(m[1]!));
const monogramRules = Object.fromEntries(
  [...picker.matchAll(/\.bpc-picker__monogram\[data-platform='([a-z]{4})'\]\)\s*\{([^}]*)\}/g)].map((m) => [m[1]!, declarations(m[2]!)]),
);
const platforms = [...new Map([...BILL_PAY_SYNC_PLATFORMS, ...BILL_PAY_ASYNC_PLATFORMS].map((p) => [p.key, p])).values()];

describe('monogram colours in the stylesheet', () => {
  it('reads the light palette and both dark ones from tokens.css', () => {
    expect(palettes.map((p) => p['--_bpc-scheme'])).toEqual(['light', 'dark', 'dark']);
    expect(palettes.map((p) => p['--_bpc-surface'])).toEqual(['#f9fafb', '#1f2937', '#1f2937']);
  });

  it('paints a monogram with its platform’s colours, else the accent pair', () => {
    const base = /:where\(\.bpc-picker__monogram\)\s*\{([^}]*)\}/.exec(picker)?.[1] ?? '';
    expect(base).toMatch(/background:\s*var\(--_brand, var\(--_accent\)\);/);
    expect(base).toMatch(/color:\s*var\(--_brand-fg, var\(--_accent-fg\)\);/);
  });

  it('has a rule for every built-in platform, in the colour core reports as its brandColor', () => {
    for (const platform of platforms) {
      expect(monogramRules[platform.key], platform.name).toEqual({ '--_brand': platform.brandColor, '--_brand-fg': '#fff' });
    }
    expect(Object.keys(monogramRules).sort()).toEqual(platforms.map((p) => p.key).sort());
  });

  it.each(platforms.map((p) => [p.name, p.key] as const))('keeps %s’s monogram at 3:1 against the tile and its letters at 4.5:1, light and dark', (_name, key) => {
    const { '--_brand': brand, '--_brand-fg': letters } = monogramRules[key]!;
    for (const palette of palettes) {
      expect(contrast(brand!, palette['--_bpc-surface']!)).toBeGreaterThanOrEqual(3);
    }
    expect(contrast(letters!, brand!)).toBeGreaterThanOrEqual(4.5);
  });

  it('keeps the fallback monogram (a platform without colours of its own) at 3:1 and 4.5:1 in every palette', () => {
    for (const palette of palettes) {
      expect(contrast(palette['--_bpc-accent']!, palette['--_bpc-surface']!)).toBeGreaterThanOrEqual(3);
      expect(contrast(palette['--_bpc-accent-fg']!, palette['--_bpc-accent']!)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('gives every platform a clearly different colour (QuickBooks Online and Desktop included)', () => {
    const quickBooks = deltaE(monogramRules.qhyg!['--_brand']!, monogramRules.pqsw!['--_brand']!);
    expect(quickBooks).toBeGreaterThanOrEqual(30);
    for (const [i, a] of platforms.entries()) {
      for (const b of platforms.slice(i + 1)) {
        expect(deltaE(a.brandColor, b.brandColor), `${a.name} / ${b.name}`).toBeGreaterThanOrEqual(30);
      }
    }
  });

  it('measures the issue’s examples the way WCAG does', () => {
    // Before: NetSuite's navy on the dark tile, and QuickBooks Online's and Desktop's near-identical greens.
    expect(contrast('#1a3f5c', '#1f2937')).toBeLessThan(1.5);
    expect(deltaE('#1d7a12', '#236b15')).toBeLessThan(15);
    expect(contrast('#ffffff', '#000000')).toBeCloseTo(21, 5);
  });
});
