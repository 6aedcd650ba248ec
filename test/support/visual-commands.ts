import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diff } from '@blazediff/core';
import type {} from '@vitest/browser-playwright';
import type { BrowserCommand, ToMatchScreenshotOptions } from 'vitest/node';

type ResolvePath = NonNullable<ToMatchScreenshotOptions['resolveScreenshotPath']>;

/** The outer window's size outside the screenshot pass (vitest.config.ts gives the browser context this viewport). */
const OUTER = { width: 1280, height: 2400 };

/**
 * Browser commands of the screenshot pass (.storybook/visual.ts). They act on the runner's outer page, which the
 * story's iframe cannot reach: Vitest scales the iframe down when it is larger than that page, so a tall story
 * needs a taller window first; and `prefers-reduced-motion` is emulated per page by Playwright.
 */
export const visualCommands = {
  /** Makes the outer window at least `width` × `height` (never smaller than its usual size); none restores that. */
  visualWindow: (async (context, size?: { width: number; height: number }) => {
    const width = Math.max(OUTER.width, size?.width ?? 0);
    const height = Math.max(OUTER.height, size?.height ?? 0);
    const current = context.page.viewportSize();
    if (current?.width !== width || current.height !== height) await context.page.setViewportSize({ width, height });
  }) satisfies BrowserCommand<[size?: { width: number; height: number }]>,
  /** Emulates `prefers-reduced-motion: reduce` (true) or the browser's default again (false). */
  visualReducedMotion: (async (context, reduce: boolean) => {
    await context.page.emulateMedia({ reducedMotion: reduce ? 'reduce' : null });
  }) satisfies BrowserCommand<[reduce: boolean]>,
};

declare module 'vitest/browser' {
  interface BrowserCommands {
    visualWindow: (size?: { width: number; height: number }) => Promise<void>;
    visualReducedMotion: (reduce: boolean) => Promise<void>;
  }
}

/** `<title part>/<story part>/<file>` (.storybook/visual.ts) back to `<story id>/<file>`. */
const storyPath = (arg: string) => arg.replace('/', '--');

/** `stories/__screenshots__/<story id>/<theme>-<width>.png`: one folder per story, named by Storybook's story id. */
const referencePath: ResolvePath = ({ arg, ext, root }) => join(root, 'stories', '__screenshots__', `${storyPath(arg)}${ext}`);

/** On a mismatch: `.vitest-attachments/screenshots/<story id>/<theme>-<width>-{reference,actual,diff}.png` (git-ignored). */
const diffPath: ResolvePath = ({ arg, ext, root, attachmentsDir }) =>
  join(root, attachmentsDir, 'screenshots', `${storyPath(arg)}${ext}`);

/** What the comparator is given: pixelmatch's options (Vitest's own comparator takes the same). */
interface PagePixelsOptions {
  threshold?: number;
  includeAA?: boolean;
  allowedMismatchedPixels?: number;
}

interface Picture {
  metadata: { width: number; height: number };
  data: Uint8Array | Uint8ClampedArray;
}

/** Where the page has no pixel of its own (it got shorter or narrower), the diff shows magenta. */
const MISSING = [255, 0, 255, 255];

/**
 * Vitest's pixelmatch comparison (the same @blazediff/core function it uses), with a diff image even when the page
 * changed size, as most layout changes do (1px more padding makes the page 1px taller): Vitest's own comparator
 * then gives only "Expected image dimensions …". The actual picture is laid over the reference's frame, cut or
 * filled with magenta, so the diff shows where things moved; a size change always fails.
 */
function pagePixels(reference: Picture, actual: Picture, options: { createDiff: boolean } & PagePixelsOptions) {
  const { createDiff, allowedMismatchedPixels = 0, ...compare } = options;
  const { width, height } = reference.metadata;
  const sameSize = actual.metadata.width === width && actual.metadata.height === height;
  let pixels: Uint8Array | Uint8ClampedArray = actual.data;
  if (!sameSize) {
    pixels = new Uint8Array(width * height * 4);
    for (let i = 0; i < pixels.length; i += 4) pixels.set(MISSING, i);
    const columns = Math.min(width, actual.metadata.width) * 4;
    for (let y = 0; y < Math.min(height, actual.metadata.height); y += 1) {
      const from = y * actual.metadata.width * 4;
      pixels.set(actual.data.subarray(from, from + columns), y * width * 4);
    }
  }
  const output = createDiff ? new Uint8Array(width * height * 4) : undefined;
  const differing = diff(reference.data, pixels, output, width, height, compare);
  const pass = sameSize && differing <= allowedMismatchedPixels;
  const size = sameSize ? '' : `The page is ${actual.metadata.width}×${actual.metadata.height}px, the reference ${width}×${height}px; within the reference's frame `;
  return { pass, diff: output ?? null, message: pass ? null : `${size}${differing} pixels differ.` };
}

declare module '@vitest/browser/context' {
  interface ScreenshotComparatorRegistry {
    'page-pixels': PagePixelsOptions;
  }
}

/**
 * How `toMatchScreenshot` compares. The pictures come from one Chromium build rendering in software, with fixed fonts,
 * locale, time zone, pixel ratio and clock, so two runs give the same pixels: no mismatched pixel is tolerated.
 * `threshold` is how far apart two colours of one pixel may be (pixelmatch's YIQ distance, 0 to 1). Its default, 0.1,
 * lets a grey move by 26 of 255 levels unseen (#d1d5db to #bbbfc5 passes), too loose for a design system's tokens;
 * 0.02 lets through about 5 levels: rounding in blending, which a Chromium update may change, but no colour anyone
 * would pick on purpose (gray-50 #f9fafb to gray-100 #f3f4f6, 6 levels, fails). `includeAA` counts the pixels
 * pixelmatch takes for anti-aliasing: without it a corner radius of 9px instead of 8px, which changes only edge
 * pixels, passed unnoticed.
 */
export const visualScreenshotOptions = {
  comparatorName: 'page-pixels' as const,
  comparatorOptions: { threshold: 0.02, includeAA: true, allowedMismatchedPixels: 0 },
  comparators: { 'page-pixels': pagePixels },
  resolveScreenshotPath: referencePath,
  resolveDiffPath: diffPath,
};

/** The Chromium version that drew the references (written by scripts/update-screenshots.mjs), for failure messages. */
export function referenceChromium(root: string): string {
  try {
    return readFileSync(join(root, 'stories', '__screenshots__', 'chromium-version.txt'), 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Chromium version that drew the visual references. */
    referenceChromium: string;
  }
}
