import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkRedirectUrl } from 'billpay-connect/server';
import { startSandboxServer, type SandboxServer } from 'billpay-connect/sandbox-server';
import { launchChromium } from '../e2e/browser.js';
import { assertPackedKit, envWithout, repoRoot, startHostProcess, type HostProcess } from './host-process.js';
import { chosenPickerParts, compareParts, contrastFailures, geometry, measureKit, type Measurement, type PartSpec } from './measure.js';
import { serveStorybookReference, storyRendered, storyUrl, type StorybookReference } from './storybook-reference.js';

const appDir = join(repoRoot, 'examples/next-app');
const next = join(appDir, 'node_modules/next/dist/bin/next');
const apiKey = 'bmV4dC1leGFtcGxlLWtleQ==';
const baseEnv = { ...envWithout('CODAT_API_KEY', 'CODAT_BASE_URL', 'CODAT_LOGO_HOSTS', 'NODE_ENV'), NEXT_TELEMETRY_DISABLED: '1' };

type Scheme = 'light' | 'dark';
/** One rendering of the kit, and what its tiles' marks show: `loaded` logos, `monogram`s, or a mix (`loaded, monogram`). */
type Look = Measurement & { logos: string };

let build: { stdout: string; stderr: string };
let codat: SandboxServer;
let app: HostProcess;
let browser: Browser;
let storybook: StorybookReference;
const timings: Record<string, string> = {};
/** The kit's look on the app's page and in Storybook, by scheme: each measured once, shared by the tests. */
const measured = new Map<string, Promise<Look>>();

beforeAll(async () => {
  assertPackedKit(appDir);
  const started = performance.now();
  // The reference for the kit's look: its Storybook, cached or built while next build runs (each its own process).
  const reference = serveStorybookReference();
  reference.catch(() => undefined); // Awaited below; a failed next build must not leave it unhandled.
  // One production build per run, made without the API key, as a CI or Docker image build would be.
  build = await promisify(execFile)(process.execPath, [next, 'build'], { cwd: appDir, env: baseEnv, maxBuffer: 16 * 1024 * 1024 });
  timings['next build'] = `${((performance.now() - started) / 1000).toFixed(1)} s`;
  // With the sandbox's own logos, as `npm run dev` runs it: the Route Handler serves them from the app's origin.
  codat = await startSandboxServer({ apiKey, logos: true });
  app = await startHostProcess({
    args: [next, 'start', '-H', '127.0.0.1', '-p', '{port}'],
    cwd: appDir,
    env: { ...baseEnv, CODAT_API_KEY: apiKey, CODAT_BASE_URL: codat.url, CODAT_LOGO_HOSTS: new URL(codat.url).host },
    readyPath: '/api/platforms',
  });
  // What the host pastes into the Codat Portal: its return page with the kit's placeholders.
  codat.setRedirectUrl(linkRedirectUrl(`${app.url}/codat/return`));
  [browser, storybook] = await Promise.all([launchChromium(), reference]);
  timings[`storybook ${storybook.source}`] = `${storybook.seconds.toFixed(1)} s`;
  timings['setup in all'] = `${((performance.now() - started) / 1000).toFixed(1)} s`;
});

afterAll(async () => {
  // What each rendering measured, for the record: page behind the kit, palette, parts found, texts and the lowest contrast.
  for (const [key, pending] of measured) {
    const m = await pending.catch(() => undefined);
    if (!m) continue;
    const found = Object.values(m.parts).filter(Boolean).length;
    const [lowest] = [...m.texts].sort((a, b) => a.ratio / a.required - b.ratio / b.required);
    console.log(
      `next-app look: ${key}: page ${m.hostBackground} (${m.hostDark ? 'dark' : 'light'}), kit ${m.kitScheme}, marks ${m.logos}, ${found}/${Object.keys(m.parts).length} parts, ` +
        `${m.texts.length} texts, closest to its minimum: ${lowest ? `${lowest.where} ${lowest.ratio}:1 (needs ${lowest.required})` : '-'}`,
    );
  }
  console.log(`next-app timings: ${Object.entries(timings).map(([k, v]) => `${k} ${v}`).join('; ')}`);
  await storybook?.close();
  await browser?.close();
  await app?.stop();
  await codat?.close();
});

/** A fresh browser context that records page errors and console errors (hydration mismatches land there). */
async function openPage(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext();
  const errors: string[] = [];
  context.on('weberror', (error) => errors.push(error.error().message));
  context.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${message.text()} ${message.location().url}`);
  });
  return { context, page: await context.newPage(), errors };
}

describe('examples/next-app: the kit installed from its tarball in a Next.js 16 App Router app', () => {
  it('builds with next build while CODAT_API_KEY is unset', () => {
    expect(build.stdout).toMatch(/Compiled successfully/);
    expect(build.stdout).toMatch(/\/api\/codat\/\[\.\.\.path\]/);
  });

  it('connects Xero in Chromium through the Route Handler to the sandbox, returning through the Link return page', async () => {
    const { context, page, errors } = await openPage();
    await page.goto(app.url);
    await page.getByRole('heading', { name: 'Connect your accounting software' }).waitFor();
    // The picker's logos, server-rendered as images and served by the Route Handler from the app's own origin.
    await expect.poll(() => page.locator('[role="radio"] img[data-loaded]').count()).toBe(6);
    const popupPromise = page.waitForEvent('popup');
    await page.getByRole('radio', { name: /Xero/ }).click();
    await page.getByRole('button', { name: 'Connect Xero' }).click();
    const popup = await popupPromise;
    await popup.getByRole('heading', { name: 'Sign in to Xero' }).waitFor();
    // The sandbox redirects the popup to /codat/return; the provider there reports to this page and closes it. Both
    // waits start before the click: the return page can load and close the popup before a later wait would attach.
    const returned = popup.waitForRequest((request) => request.isNavigationRequest() && request.url().startsWith(`${app.url}/codat/return?`));
    const closed = popup.waitForEvent('close');
    await popup.getByRole('button', { name: 'Authorise access' }).click();
    await returned;
    await closed;
    await page.getByRole('heading', { name: 'Xero is connected' }).waitFor();
    const row = page.getByRole('listitem').filter({ hasText: 'Xero' });
    await expect.poll(() => row.getAttribute('data-status')).toBe('linked');

    const company = codat.sandbox.requests.find((r) => r.operation === 'createCompany');
    expect(company?.body).toEqual({ name: 'Acme Plumbing Ltd' });
    const companyId = codat.sandbox.requests.find((r) => r.operation === 'createConnection')?.path.split('/')[2] as string;
    expect(codat.sandbox.listConnections(companyId)).toMatchObject([{ platformName: 'Xero', status: 'Linked' }]);

    // The session remembers the company on the server: a reload renders the Linked connection again.
    await page.reload();
    await expect.poll(() => page.getByRole('listitem').filter({ hasText: 'Xero' }).getAttribute('data-status')).toBe('linked');
    expect(await page.content()).not.toContain(apiKey);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('refuses a company the browser session did not create', async () => {
    const { context, page } = await openPage();
    await page.goto(app.url);
    const status = await page.evaluate(async () => (await fetch('/api/codat/companies/7d7b0c4e-0000-4000-8000-000000000001/connections')).status);
    expect(status).toBe(403);
    await context.close();
  });

  it('renders the Server Component page from plain values of billpay-connect/core, /headless and the main entry: the platform lists, a name check and a redirect reading', async () => {
    const { context, page, errors } = await openPage();
    const query = new URLSearchParams({ name: 'Müller (Plumbing[1])', companyId: 'not-a-uuid', statusCode: '200' });
    await page.goto(`${app.url}/platforms?${query}`);
    const list = (name: string) => page.getByRole('region', { name, exact: true }).getByRole('listitem').allTextContents();
    expect(await list('Bill Pay')).toEqual(['FreeAgent', 'Oracle NetSuite', 'QuickBooks Online', 'Sage Intacct', 'Xero', 'Zoho Books']);
    expect(await list('Bill Pay (asynchronous)')).toContain('QuickBooks Desktop (desktop connector)');
    expect(await page.getByTestId('same-list').textContent()).toBe('billpay-connect/headless lists the same platforms.');
    expect(await page.getByTestId('name-check').textContent()).toBe('Codat stores “Muller Plumbing1”.');
    expect(await page.getByTestId('link-return').textContent()).toMatch(/^Ignored: /);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('answers the Route Handler from billpay-connect/core: platforms by list, and the company-name check with 422 on a refused name', async () => {
    const platforms = (await (await fetch(`${app.url}/api/platforms?list=async`)).json()) as { platforms: { name: string }[] };
    expect(platforms.platforms.map((p) => p.name)).toEqual(['MYOB Business', 'Oracle NetSuite', 'QuickBooks Online', 'QuickBooks Desktop', 'Sage Intacct', 'Xero']);
    const check = (name: string) => fetch(`${app.url}/api/platforms`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name }) });
    const accepted = await check('Café & Co.');
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ company: { name: 'Cafe & Co.' } });
    const refused = await check('☃');
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ error: { code: 'invalid-input', field: 'name' } });
  });

  it('starts without CODAT_API_KEY and answers the first proxy request with a clear 500', async () => {
    const keyless = await startHostProcess({
      args: [next, 'start', '-H', '127.0.0.1', '-p', '{port}'],
      cwd: appDir,
      env: { ...baseEnv, CODAT_BASE_URL: codat.url },
      readyPath: '/api/platforms',
    });
    try {
      const response = await fetch(`${keyless.url}/api/codat/companies`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: `sid=${crypto.randomUUID()}` },
        body: JSON.stringify({ name: 'Acme' }),
      });
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ error: 'The server is not set up to reach Codat yet (no API key).' });
      await expect.poll(() => keyless.output()).toContain('createCodatProxy has no apiKey: set it (e.g. from CODAT_API_KEY)');
    } finally {
      await keyless.stop();
    }
  });
});

/** ConfigureCustomer for a new customer after choosing Xero: the picker with a chosen tile, and the ready Connect button. */
const newCustomerParts: PartSpec[] = [
  ...chosenPickerParts,
  { name: 'selected tile name', selector: '.bpc-picker__tile[data-selected] .bpc-picker__name' },
  { name: 'connect', selector: '.bpc-connect', start: true },
  { name: 'primary button', selector: '.bpc-connect__button', start: true },
];

/**
 * In a fresh 1280 × 900 page with the OS in `scheme`: opens `url`, waits for `ready`, chooses Xero in the kit under
 * `scope` (a new customer: nothing is created yet), waits for the logos to settle, adds `css` to the page if given,
 * and measures the kit.
 */
async function chooseXeroAndMeasure(url: string, scheme: Scheme, scope: string, ready: (page: Page) => Promise<void>, css?: string): Promise<Look> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: scheme });
  try {
    const page = await context.newPage();
    const threw = new Promise<never>((_, reject) => page.on('pageerror', (error) => reject(new Error(`${url} threw: ${error.message}`))));
    threw.catch(() => undefined);
    const measure = async () => {
      await page.goto(url);
      await ready(page);
      const kit = page.locator(scope);
      await kit.getByRole('radio', { name: /Xero/ }).click();
      await kit.locator('.bpc-picker__tile[data-selected]', { hasText: 'Xero' }).waitFor();
      await kit.locator('.bpc-connect__button:not([aria-disabled="true"])', { hasText: 'Connect Xero' }).waitFor();
      // Each tile's logo has loaded or failed (the monogram stays): the marks no longer change.
      await expect.poll(() => kit.locator('.bpc-picker__monogram[data-logo="loading"]').count()).toBe(0);
      const marks = await kit.locator('.bpc-picker__monogram').evaluateAll((els) => els.map((el) => el.getAttribute('data-logo') ?? 'monogram'));
      await page.mouse.move(0, 0);
      if (css) await page.addStyleTag({ content: css });
      return { ...(await page.evaluate(measureKit, { scope, parts: newCustomerParts })), logos: [...new Set(marks)].join(', ') };
    };
    return await Promise.race([measure(), threw]);
  } finally {
    await context.close();
  }
}

/**
 * The app's home page (create-next-app's globals.css: `* { padding: 0; margin: 0 }`, #fff or #0a0a0a by the OS),
 * once the kit has taken its tone from the page (which also means it hydrated), measured once per scheme.
 */
function home(scheme: Scheme, css?: string): Promise<Look> {
  const key = `next ${scheme}${css ? ` + ${css}` : ''}`;
  if (!measured.has(key)) {
    const ready = async (page: Page) => {
      await page.locator(`.bpc-configure[data-bpc-tone="${scheme}"]`).waitFor();
      // The palette must come from the page's own background, as create-next-app's layout sets no theme.
      const markers = await page.locator('[data-theme], .dark, .light').count();
      if (markers) throw new Error(`${markers} theme marker(s) (data-theme, .dark, .light) on the app's page: the kit would not be choosing by itself`);
    };
    measured.set(key, chooseXeroAndMeasure(app.url, scheme, '.page .bpc-configure', ready, css));
  }
  return measured.get(key)!;
}

/** The reference: Storybook's Flows/ConfigureCustomer NewCustomer in the same theme, with Xero chosen the same way. */
function reference(scheme: Scheme): Promise<Look> {
  const key = `storybook ${scheme}`;
  if (!measured.has(key)) {
    const url = storyUrl(storybook, 'flows-configurecustomer--new-customer', scheme);
    measured.set(key, chooseXeroAndMeasure(url, scheme, '#storybook-root .bpc-configure', (page) => storyRendered(page, scheme)));
  }
  return measured.get(key)!;
}

describe('examples/next-app: the kit’s look in the real Next build (next build + next start), against its own Storybook', () => {
  describe.each(['light', 'dark'] as const)('%s OS', (scheme) => {
    it(`takes the ${scheme} palette by itself from create-next-app’s ${scheme === 'dark' ? '#0a0a0a' : 'white'} page, with no data-theme`, async () => {
      const host = await home(scheme);
      expect({ hostBackground: host.hostBackground, hostDark: host.hostDark, kitScheme: host.kitScheme }).toEqual({
        hostBackground: scheme === 'dark' ? 'rgba(10, 10, 10, 1)' : 'rgba(255, 255, 255, 1)',
        hostDark: scheme === 'dark',
        kitScheme: scheme,
      });
    });

    it('matches the kit’s Storybook rendering of a new customer with a platform chosen: paddings, margins, borders, radii, alignment, weights', async () => {
      const [host, ref] = await Promise.all([home(scheme), reference(scheme)]);
      // Every part found in both, so no comparison below passes by being empty.
      const missing = (m: Measurement) => Object.keys(m.parts).filter((name) => !m.parts[name]);
      expect({ host: missing(host), reference: missing(ref) }).toEqual({ host: [], reference: [] });
      expect(compareParts(host.parts, ref.parts, geometry)).toEqual([]);
    });

    it(`matches the reference’s ${scheme} palette part for part: backgrounds, borders, text colours`, async () => {
      const [host, ref] = await Promise.all([home(scheme), reference(scheme)]);
      // The tile's mark shows the platform's logo in the app (its sandbox serves logos through the Route Handler)
      // and the monogram in Storybook (no logos there): it is compared for geometry above, and shows the logo here.
      const { 'tile mark': hostMark, ...hostParts } = host.parts;
      const { 'tile mark': _refMark, ...refParts } = ref.parts;
      expect(compareParts(hostParts, refParts)).toEqual([]);
      expect({ logo: host.logos, background: hostMark?.background }).toEqual({ logo: 'loaded', background: 'rgba(0, 0, 0, 0)' });
    });

    it('gives every text in the kit WCAG AA contrast against what is behind it (4.5:1, large text 3:1), and outlines the search field and the chosen tile at 3:1', async () => {
      const host = await home(scheme);
      expect(host.texts.length).toBeGreaterThan(6);
      expect(contrastFailures(host.texts)).toEqual([]);
      const outlines = ['picker search', 'selected tile'].map((part) => ({ part, ...host.parts[part]?.boundaryContrast }));
      expect(outlines.filter((o) => !(o.behind! >= 3 && o.fill! >= 3))).toEqual([]);
    });
  });

  it('reports differences when a stylesheet added to the Next page wipes the kit (the negative control)', async () => {
    const wipe = '.bpc-configure * { padding: 0 !important; border: 0 !important; background: none !important; }';
    const [wiped, ref] = await Promise.all([home('light', wipe), reference('light')]);
    expect(compareParts(wiped.parts, ref.parts, geometry)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^tile\.padding: 0px 0px 0px 0px, reference 12px/),
        expect.stringMatching(/^primary button\.borderWidth: 0px 0px 0px 0px, reference 1px/),
        expect.stringMatching(/^picker search\.borderWidth: 0px/),
      ]),
    );
    expect(compareParts(wiped.parts, ref.parts, ['background'])).toEqual(expect.arrayContaining([expect.stringMatching(/^primary button\.background: rgba\(0, 0, 0, 0\), reference rgba\(29, 78, 216, 1\)/)]));
    // The button's white label is left on the white page: the contrast check sees it too.
    expect(contrastFailures(wiped.texts)).toEqual(expect.arrayContaining([expect.stringMatching(/"Connect Xero": 1:1/)]));
  });
});
