import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../e2e/browser.js';
import { chosenPickerParts, compareParts, contrastFailures, geometry, measureKit, type Measurement, type PartSpec, type PartStyle } from './measure.js';
import { serveStatic } from './static-server.js';
import { serveStorybookReference, storyRendered, storyUrl, type StorybookReference } from './storybook-reference.js';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('stacks/', import.meta.url));

type Scheme = 'light' | 'dark';

/**
 * The host pages (test/hosts/stacks/*.html): whether their own CSS turns the page dark on a dark OS, and whether
 * they pass Tailwind utilities to the standalone PlatformPicker and ConnectButton (src/host-utilities.ts).
 */
const pages = {
  'vite-template': { darkFollowsOs: true, utilities: false },
  'next-default': { darkFollowsOs: true, utilities: false },
  // Dark by its background only, without color-scheme: the kit's own tone detection has to see it.
  'next-tailwind': { darkFollowsOs: true, utilities: false },
  'tailwind-before': { darkFollowsOs: true, utilities: true },
  // No dark styles: the page stays white on a dark OS, and so must the kit.
  'tailwind-after': { darkFollowsOs: false, utilities: true },
  // Dark only by the class strategy (.dark on <html>, as next-themes sets it): tested with the class on a light OS.
  shadcn: { darkFollowsOs: false, utilities: false },
} as const;
type HostPage = keyof typeof pages;

/** The kit's parts inside one ConfigureCustomer, after choosing Xero while QuickBooks Online is linked. */
const configureParts: PartSpec[] = [
  ...chosenPickerParts,
  { name: 'primary button', selector: '.bpc-connect__button', start: true },
  { name: 'switch question', selector: '.bpc-connect__switch', start: true },
  { name: 'switch text', selector: '.bpc-connect__switch-text' },
  { name: 'danger button', selector: '.bpc-connect__switch-confirm' },
  { name: 'secondary button', selector: '.bpc-connect__switch-cancel' },
  { name: 'manager heading', selector: '.bpc-manager__heading', start: true },
  { name: 'manager list', selector: '.bpc-manager__list', start: true },
  { name: 'manager row', selector: '.bpc-manager__item', start: true },
  { name: 'row name', selector: '.bpc-manager__name' },
  { name: 'row badge', selector: '.bpc-manager__badge' },
  { name: 'row status text', selector: '.bpc-manager__sync' },
  { name: 'row action', selector: '.bpc-manager__item .bpc-button' },
];

/** ConfigureCustomer's intro step: a heading, text, a bulleted list and an enabled primary button. */
const introParts: PartSpec[] = [
  { name: 'intro', selector: '.bpc-configure__intro' },
  { name: 'intro heading', selector: '.bpc-configure__heading', start: true },
  { name: 'intro text', selector: '.bpc-configure__text', start: true },
  { name: 'intro list', selector: '.bpc-configure__list', start: true },
  { name: 'intro list item', selector: '.bpc-configure__list > li' },
  { name: 'continue button', selector: '.bpc-configure__continue', start: true },
];

/** A standalone PlatformPicker (nothing chosen) and ConnectButton (ready), as in their own stories. */
const pickerParts: PartSpec[] = [
  { name: 'picker', selector: '.bpc-picker' },
  { name: 'picker label', selector: '.bpc-picker__label', start: true },
  { name: 'picker search', selector: '.bpc-picker__search', start: true, boundary: true },
  { name: 'tile', selector: '.bpc-picker__tile', start: true },
  { name: 'tile name', selector: '.bpc-picker__tile .bpc-picker__name' },
];
const focusParts: PartSpec[] = [{ name: 'focused search', selector: '.bpc-picker__search' }];
/** The Unlink confirmation (Radix Dialog, portalled into the connection list's root). */
const dialogParts: PartSpec[] = [
  { name: 'overlay', selector: '.bpc-dialog__overlay' },
  { name: 'dialog', selector: '.bpc-dialog' },
  { name: 'dialog title', selector: '.bpc-dialog__title' },
  { name: 'dialog description', selector: '.bpc-dialog__description' },
  { name: 'dialog actions', selector: '.bpc-dialog__actions' },
  { name: 'dialog cancel', selector: '.bpc-dialog__cancel' },
  { name: 'dialog confirm', selector: '.bpc-dialog__confirm' },
];
const buttonParts: PartSpec[] = [
  { name: 'connect', selector: '.bpc-connect' },
  { name: 'primary button', selector: '.bpc-connect__button', start: true },
];

let browser: Browser;
let hosts: { url: string; close: () => Promise<void> };
let storybook: StorybookReference;
const scratch = mkdtempSync(join(tmpdir(), 'bpc-stacks-'));
const timings: Record<string, string> = {};
const measured = new Map<string, Promise<PageMeasurement>>();

/** One rendering: the flow after choosing Xero, the intro step, and a standalone PlatformPicker and ConnectButton. */
interface PageMeasurement {
  configure: Measurement;
  intro: Measurement;
  picker: Measurement;
  button: Measurement;
  /** The flow's search field with focus: the kit's focus ring. */
  focus: Measurement;
  /** The flow's Unlink confirmation, open. */
  dialog: Measurement;
  /** next-default only: a PlatformPicker under `data-theme="light"`. */
  explicitLight?: Measurement;
}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

beforeAll(async () => {
  const started = performance.now();
  // The reference: the kit's own Storybook, from the cache or built in parallel with the host pages (each its own process).
  const storybookServed = serveStorybookReference().then((served) => {
    timings[`storybook ${served.source}`] = `${served.seconds.toFixed(1)} s`;
    return served;
  });
  const { installStacks } = (await import(join(fixture, 'install.mjs'))) as { installStacks: () => string[] };
  const install = installStacks();
  timings[`fixture install (${install.join(', ') || 'up to date'})`] = seconds(started);
  const built = performance.now();
  await run(process.execPath, [join(fixture, 'build.mjs'), join(scratch, 'hosts')], { cwd: fixture });
  timings['vite build of the host pages'] = seconds(built);
  [hosts, storybook, browser] = await Promise.all([serveStatic(join(scratch, 'hosts')), storybookServed, launchChromium()]);
  timings['setup in all'] = seconds(started);
});

afterAll(async () => {
  // What each rendering measured, for the record: page behind the kit, palette, parts found, texts and the lowest contrast.
  for (const [key, pending] of measured) {
    const result = await pending.catch(() => undefined);
    if (!result) continue;
    const all = groups.map((group) => result[group]);
    const found = all.reduce((n, m) => n + Object.values(m.parts).filter(Boolean).length, 0);
    const asked = all.reduce((n, m) => n + Object.keys(m.parts).length, 0);
    const texts = all.flatMap((m) => m.texts);
    const [lowest] = [...texts].sort((a, b) => a.ratio / a.required - b.ratio / b.required);
    console.log(
      `host stacks: ${key}: page ${result.configure.hostBackground} (${result.configure.hostDark ? 'dark' : 'light'}), kit ${result.configure.kitScheme}, ` +
        `${found}/${asked} parts, ${texts.length} texts, closest to its minimum: ${lowest ? `${lowest.where} ${lowest.ratio}:1 (needs ${lowest.required})` : '-'}`,
    );
  }
  await browser?.close();
  await hosts?.close();
  await storybook?.close();
  rmSync(scratch, { recursive: true, force: true });
  console.log(`host stacks timings: ${Object.entries(timings).map(([k, v]) => `${k} ${v}`).join('; ')}`);
});

/**
 * Opens `url` in a fresh 1280 × 900 page in the given OS colour scheme, runs `read` on it and closes it; fails at
 * once on an uncaught error in the page.
 */
async function inPage<T>(url: string, scheme: Scheme, read: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: scheme });
  try {
    const page = await context.newPage();
    const threw = new Promise<never>((_, reject) => page.on('pageerror', (error) => reject(new Error(`${url} threw: ${error.message}`))));
    threw.catch(() => undefined); // An error after `read` finished has nobody left to tell.
    return await Promise.race([page.goto(url).then(() => read(page)), threw]);
  } finally {
    await context.close();
  }
}

/**
 * In one ConfigureCustomer: wait for the Linked row, choose Xero and press Connect, so the picker shows a selected
 * tile and the button asks before switching (a danger and a secondary button). Then the pointer leaves the kit.
 */
async function chooseXero(page: Page, scope: string) {
  const kit = page.locator(scope);
  await kit.locator('.bpc-manager__item[data-status="linked"]').waitFor();
  await kit.getByRole('radio', { name: /Xero/ }).click();
  await kit.getByRole('button', { name: 'Connect Xero' }).click();
  await kit.getByRole('group', { name: /Switch to Xero\?/ }).waitFor();
  await page.mouse.move(0, 0);
}

/** Gives the flow's search field focus (a text field shows its focus ring however it got focus) and measures it. */
async function focusSearch(page: Page, scope: string): Promise<Measurement> {
  await page.locator(`${scope} .bpc-picker__search`).focus();
  return page.evaluate(measureKit, { scope, parts: focusParts, textScopes: [] });
}

/** Opens the Linked row's Unlink confirmation and measures it. */
async function openUnlink(page: Page, scope: string): Promise<Measurement> {
  await page.locator(`${scope} .bpc-manager__item`).getByRole('button', { name: 'Unlink' }).click();
  await page.getByRole('alertdialog').waitFor();
  await page.mouse.move(0, 0);
  return page.evaluate(measureKit, { scope, parts: dialogParts, textScopes: [`${scope} .bpc-dialog`] });
}

/** Runs `read` on a story of the kit's Storybook in the given theme, once its themed frame holds the kit. */
function inStory<T>(id: string, scheme: Scheme, read: (page: Page) => Promise<T>): Promise<T> {
  return inPage(storyUrl(storybook, id, scheme), scheme, async (page) => {
    await storyRendered(page, scheme);
    return read(page);
  });
}

/**
 * The Storybook reference, light or dark: Flows/ConfigureCustomer's ExistingCustomer (then Xero chosen) and Intro,
 * Components/PlatformPicker's Default and Components/ConnectButton's Idle.
 */
function reference(scheme: Scheme): Promise<PageMeasurement> {
  const key = `storybook ${scheme}`;
  if (!measured.has(key)) {
    const scope = '#storybook-root';
    const read = (parts: PartSpec[]) => (page: Page) => page.evaluate(measureKit, { scope, parts });
    measured.set(
      key,
      Promise.all([
        inStory('flows-configurecustomer--existing-customer', scheme, async (page) => {
          await chooseXero(page, scope);
          return [await read(configureParts)(page), await focusSearch(page, scope), await openUnlink(page, scope)] as const;
        }),
        inStory('flows-configurecustomer--intro', scheme, read(introParts)),
        inStory('components-platformpicker--default', scheme, async (page) => {
          await page.locator(`${scope} .bpc-picker__tile`).first().waitFor();
          return read(pickerParts)(page);
        }),
        inStory('components-connectbutton--idle', scheme, async (page) => {
          await page.locator(`${scope} .bpc-connect__button:not([aria-disabled="true"])`).waitFor();
          return read(buttonParts)(page);
        }),
      ]).then(([[configure, focus, dialog], intro, picker, button]) => ({ configure, focus, dialog, intro, picker, button })),
    );
  }
  return measured.get(key)!;
}

/** One host page, measured once per OS colour scheme and class (`?theme=dark`: .dark on <html> before the kit mounts). */
function measure(name: HostPage | 'control-wiped', scheme: Scheme, darkClass = false): Promise<PageMeasurement> {
  const key = `${name}, ${scheme} OS${darkClass ? ', .dark' : ''}`;
  if (!measured.has(key)) {
    const at = (part: string) => `[data-host-part="${part}"]`;
    // Text on the Tailwind pages' amber tiles has the host's colours: the host's to check, not the kit's.
    const textSkip = '.bpc-picker[class*="p-10"]';
    measured.set(
      key,
      inPage(`${hosts.url}/${name}.html${darkClass ? '?theme=dark' : ''}`, scheme, async (page) => {
        await chooseXero(page, at('configure'));
        await page.locator(`${at('standalone')} .bpc-picker__tile`).first().waitFor();
        const configure = await page.evaluate(measureKit, { scope: at('configure'), parts: configureParts, textSkip });
        const intro = await page.evaluate(measureKit, { scope: at('intro'), parts: introParts, textScopes: [`${at('intro')} .bpc-configure__intro`] });
        const picker = await page.evaluate(measureKit, { scope: at('standalone'), parts: pickerParts, textSkip });
        const button = await page.evaluate(measureKit, { scope: `${at('standalone')} .bpc-connect`, parts: buttonParts });
        const focus = await focusSearch(page, at('configure'));
        const dialog = await openUnlink(page, at('configure'));
        const explicitLight = (await page.locator(at('explicit-light')).count())
          ? await page.evaluate(measureKit, { scope: at('explicit-light'), parts: pickerParts, textScopes: [] })
          : undefined;
        return { configure, intro, picker, button, focus, dialog, ...(explicitLight ? { explicitLight } : {}) };
      }),
    );
  }
  return measured.get(key)!;
}

/** Each page on a light and a dark OS; shadcn on a dark OS without its class, and with .dark on a light OS. */
const cases = (Object.keys(pages) as HostPage[])
  .flatMap((name): { name: HostPage; scheme: Scheme; darkClass: boolean }[] =>
    name === 'shadcn'
      ? [{ name, scheme: 'dark', darkClass: false }, { name, scheme: 'light', darkClass: true }]
      : (['light', 'dark'] as const).map((scheme) => ({ name, scheme, darkClass: false })),
  )
  .map((c) => ({ ...c, label: `${c.name}, ${c.scheme} OS${c.darkClass ? ', .dark on <html>' : ''}` }));
const groups = ['configure', 'intro', 'picker', 'button', 'focus', 'dialog'] as const;

/** Every group's differences from the reference, prefixed with the group (`intro: intro list.listStyle: …`). */
function differences(host: PageMeasurement, ref: PageMeasurement, only?: readonly (keyof PartStyle)[], skip: readonly string[] = []) {
  return groups.filter((group) => !skip.includes(group)).flatMap((group) => compareParts(host[group].parts, ref[group].parts, only).map((diff) => `${group}: ${diff}`));
}

describe.each(cases)('$label', ({ name, scheme, darkClass }) => {
  // Which palette the kit should use: the page's own darkness decides.
  const dark = darkClass || (scheme === 'dark' && pages[name].darkFollowsOs);
  const load = () => Promise.all([measure(name, scheme, darkClass), reference(dark ? 'dark' : 'light')]);
  // The Tailwind pages pass host utilities to the standalone picker and button: those are checked on their own below.
  const withUtilities = pages[name].utilities;
  const standalone = withUtilities ? ['picker', 'button'] : [];

  it('matches the kit’s Storybook rendering: paddings, margins, borders, radii, alignment, weights', async () => {
    const [host, ref] = await load();
    expect(differences(host, ref, geometry, standalone)).toEqual([]);
  });

  it(`follows the page’s darkness (${dark ? 'dark' : 'light'}) with the reference’s palette, part for part`, async () => {
    const [host, ref] = await load();
    expect({ hostDark: host.configure.hostDark, kitScheme: host.configure.kitScheme }).toEqual({ hostDark: dark, kitScheme: dark ? 'dark' : 'light' });
    expect(differences(host, ref, undefined, standalone)).toEqual([]);
  });

  it('gives every text in the kit WCAG AA contrast against what is behind it (4.5:1, large text 3:1)', async () => {
    const [host] = await load();
    const texts = groups.flatMap((group) => host[group].texts);
    expect(texts.length).toBeGreaterThan(15);
    expect(contrastFailures(texts)).toEqual([]);
  });

  it('outlines the search field and the chosen tile at 3:1 or more against the page and against their fill', async () => {
    const [host] = await load();
    const outlines = ['picker search', 'selected tile'].map((part) => ({ part, ...host.configure.parts[part]?.boundaryContrast }));
    expect(outlines.filter((o) => !(o.behind! >= 3 && o.fill! >= 3))).toEqual([]);
  });

  if (withUtilities) {
    it('lets host utilities passed through className and classNames win over the kit’s styles', async () => {
      const [host, ref] = await load();
      const { picker, button } = host;
      expect({
        'picker p-10': picker.parts.picker?.padding,
        'tile rounded-none': picker.parts.tile?.radius,
        'tile bg-amber-200': picker.parts.tile?.background,
        'tile text-zinc-950': picker.parts['tile name']?.color,
        'search rounded-none': picker.parts['picker search']?.radius,
        'button px-8': button.parts['primary button']?.padding,
      }).toEqual({
        'picker p-10': '40px 40px 40px 40px',
        'tile rounded-none': '0px',
        'tile bg-amber-200': 'rgba(254, 230, 133, 1)',
        'tile text-zinc-950': 'rgba(9, 9, 11, 1)',
        'search rounded-none': '0px',
        'button px-8': '8px 32px 8px 32px',
      });
      // What no utility touched keeps the kit's look.
      const untouched: (keyof PartStyle)[] = ['borderWidth', 'borderStyle', 'borderColor', 'textAlign', 'fontWeight', 'display', 'placeholder'];
      expect([...compareParts(picker.parts, ref.picker.parts, untouched), ...compareParts(button.parts, ref.button.parts, [...untouched, 'background', 'color', 'radius'])]).toEqual([]);
    });
  }
});

it('keeps the light palette under an explicit data-theme="light" wrapper on a dark page', async () => {
  const [host, ref] = await Promise.all([measure('next-default', 'dark'), reference('light')]);
  expect(host.configure.hostDark).toBe(true);
  expect(host.explicitLight?.kitScheme).toBe('light');
  expect(compareParts(host.explicitLight!.parts, ref.picker.parts)).toEqual([]);
});

it('turns dark with the page when the OS turns dark and the page follows it by its background alone', async () => {
  await inPage(`${hosts.url}/next-tailwind.html`, 'light', async (page) => {
    const root = '[data-host-part="configure"] .bpc-configure';
    await page.locator(`${root}[data-bpc-tone="light"]`).waitFor();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.locator(`${root}[data-bpc-tone="dark"]`).waitFor();
    expect(await page.locator(root).evaluate((el) => getComputedStyle(el).colorScheme)).toBe('dark');
  });
});

it('reports differences when a host reset wipes the kit (the negative control)', async () => {
  const [host, ref] = await Promise.all([measure('control-wiped', 'light'), reference('light')]);
  expect(differences(host, ref, geometry)).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^configure: tile\.padding: 0px 0px 0px 0px, reference 12px/),
      expect.stringMatching(/^configure: primary button\.borderWidth: 0px/),
    ]),
  );
  expect(differences(host, ref, ['background'])).toEqual(expect.arrayContaining([expect.stringMatching(/^configure: primary button\.background: rgba\(0, 0, 0, 0\)/)]));
});
