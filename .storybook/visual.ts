import { expect, inject } from 'vitest';
import { commands, page } from 'vitest/browser';

/** The visual matrix: every story in both themes at a desktop and a phone width. */
const VISUAL_THEMES = ['light', 'dark'] as const;
const VISUAL_WIDTHS = [1280, 375] as const;

/** The screen a dialog is centred in (1280 × 800 laptop, 375 × 667 phone); other stories are as tall as their content. */
const SCREEN_HEIGHT: Record<(typeof VISUAL_WIDTHS)[number], number> = { 1280: 800, 375: 667 };

/** The runner's window height outside the screenshot pass (vitest.config.ts). */
const OUTER_HEIGHT = 2400;

/** Dark page background, the same as the story frame's in .storybook/preview.css. */
const PAGE = { light: '#fff', dark: '#111827' };

/**
 * Test-only CSS for the screenshot pass (the kit injects nothing): no animations, transitions or caret; the page
 * behind the story frame in the theme's colours, so a portalled dialog's backdrop covers the same page; the frame
 * only as tall as its content (its 100vh would make the content's height depend on the window's), and the body as
 * tall as the window, so the picture of the body is the whole page, a dialog fixed in the middle of it included.
 */
const CSS = `
*, *::before, *::after {
  animation: none !important;
  transition: none !important;
  caret-color: transparent !important;
  scroll-behavior: auto !important;
}
html[data-theme='light'] { background: ${PAGE.light}; color-scheme: light; }
html[data-theme='dark'] { background: ${PAGE.dark}; color-scheme: dark; }
.sb-frame { min-height: 0 !important; }
body { min-height: 100vh; }
html.visual-measure body { min-height: 0; }
`;

/**
 * The name handed to `toMatchScreenshot`: `<title part>/<story part>/<theme>-<width>`. Vitest collapses the `--` in
 * a story id when it cleans the name, so the id travels split at it and test/support/visual-commands.ts joins it
 * again: the reference is stories/__screenshots__/<story id>/<theme>-<width>.png.
 */
function referenceName(storyId: string, theme: string, width: number) {
  return `${storyId.replace('--', '/')}/${theme}-${width}`;
}

const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

/** Fonts loaded, images decoded, and two frames painted with the current layout. */
async function settle() {
  await document.fonts.ready;
  await Promise.all([...document.images].map((img) => (img.complete ? undefined : img.decode().catch(() => undefined))));
  await frame();
  await frame();
}

/** Fixed-position boxes on screen (a dialog, its backdrop, a portalled panel). */
function fixedBoxes(): HTMLElement[] {
  return [...document.body.querySelectorAll<HTMLElement>('*')].filter((el) => getComputedStyle(el).position === 'fixed' && el.getClientRects().length > 0);
}

/** The height of the page's content, without the body's min-height: 100vh (the measure class lifts it). */
function contentHeight(): number {
  const html = document.documentElement;
  html.classList.add('visual-measure');
  const height = Math.ceil(document.body.scrollHeight);
  html.classList.remove('visual-measure');
  return height;
}

/**
 * Sizes the story's iframe to `width` and to the height of what the user sees: the page's content, or for a page
 * with a dialog a screen of SCREEN_HEIGHT, made taller while the dialog still scrolls inside. Resizes only when
 * the size changes (the second theme at a width usually needs none).
 */
async function fitViewport(width: (typeof VISUAL_WIDTHS)[number]) {
  const resize = async (height: number) => {
    if (height > window.top!.innerHeight) await commands.visualWindow({ width, height });
    await page.viewport(width, height);
    await settle();
  };
  if (window.innerWidth !== width) await resize(window.innerHeight);
  else await settle();
  let height = contentHeight();
  if (fixedBoxes().length) height = Math.max(height, SCREEN_HEIGHT[width]);
  if (height !== window.innerHeight) await resize(height);
  for (let i = 0; i < 4; i += 1) {
    const overflow = Math.max(0, ...fixedBoxes().map((el) => el.scrollHeight - el.clientHeight));
    const below = contentHeight() - height;
    if (overflow <= 0 && below <= 0) break;
    height += Math.max(overflow, below);
    await resize(height);
  }
}

/**
 * Compares the page as the story left it (after its play function and axe check) with its references, in both
 * themes at both widths. The theme is the host's: `data-theme` on the story frame and on `<html>`, so portalled
 * dialogs take the palette too. Every picture is taken even when one differs; then the failures are reported
 * together.
 */
export async function matchStoryScreenshots(storyId: string) {
  const html = document.documentElement;
  const frames = [...document.querySelectorAll<HTMLElement>('.sb-frame')];
  const saved = frames.map((el) => el.getAttribute('data-theme'));
  const savedHtml = html.getAttribute('data-theme');
  const style = document.createElement('style');
  style.textContent = CSS;
  document.head.append(style);
  await commands.visualReducedMotion(true);
  const failures: string[] = [];
  try {
    for (const width of VISUAL_WIDTHS) {
      for (const theme of VISUAL_THEMES) {
        html.setAttribute('data-theme', theme);
        for (const el of frames) el.setAttribute('data-theme', theme);
        await fitViewport(width);
        try {
          // The body, not <html>: Vitest's locator for the root element never resolves (4.1.12).
          await expect.element(page.elementLocator(document.body)).toMatchScreenshot(referenceName(storyId, theme, width));
        } catch (error) {
          failures.push(`${theme} ${width}px: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
  } finally {
    frames.forEach((el, i) => (saved[i] === null ? el.removeAttribute('data-theme') : el.setAttribute('data-theme', saved[i]!)));
    if (savedHtml === null) html.removeAttribute('data-theme');
    else html.setAttribute('data-theme', savedHtml);
    style.remove();
    await commands.visualReducedMotion(false);
    if (window.top!.innerHeight !== OUTER_HEIGHT) await commands.visualWindow();
  }
  if (failures.length) {
    const drawnBy = inject('referenceChromium');
    const running = /Chrome\/([\d.]+)/.exec(navigator.userAgent)?.[1] ?? 'unknown';
    const hint =
      drawnBy !== running
        ? `\n\nThe references were drawn by Chromium ${drawnBy} and this is Chromium ${running}: text may render differently.`
        : '';
    throw new Error(
      `${storyId} does not look like its references (npm run test:screenshots:update rewrites them after an intended change):\n\n` +
        `${failures.join('\n\n')}${hint}`,
    );
  }
}
