import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';

interface HostApp {
  url: string;
  apiKey: string;
  codat: { url: string; sandbox: { requests: readonly { operation: string | undefined }[] } };
  close: () => Promise<void>;
}

const exampleDir = fileURLToPath(new URL('../../examples/host-app/', import.meta.url));
let browser: Browser;
let app: HostApp | undefined;
let context: BrowserContext | undefined;

beforeAll(async () => {
  await build({ configFile: `${exampleDir}vite.config.ts`, logLevel: 'error' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  await context?.close();
  await app?.close();
  context = undefined;
  app = undefined;
});

/**
 * The example host app (served under `default-src 'self'`) in a fresh browser context that records CSP violations
 * and every URL the page asks for.
 */
async function open(options: { logos?: boolean }) {
  const { startHostApp } = (await import(`${exampleDir}server.mjs`)) as { startHostApp: (o: { logos?: boolean }) => Promise<HostApp> };
  app = await startHostApp(options);
  context = await browser.newContext();
  const violations: string[] = [];
  const requested: string[] = [];
  await context.exposeBinding('__reportCsp', (_source, text: string) => {
    violations.push(text);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __reportCsp: (t: string) => void }).__reportCsp(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  context.on('request', (request) => requested.push(request.url()));
  const page = await context.newPage();
  await page.goto(app.url);
  await page.getByRole('radio', { name: /Xero/ }).waitFor();
  return { page, violations, requested, app };
}

/** What each picker tile shows: its image (where from, whether it rendered) and the text in its mark. */
function tiles(page: Page) {
  return page.getByRole('radio').evaluateAll((radios) =>
    radios.map((radio) => {
      const image = radio.querySelector('img');
      return {
        name: radio.textContent,
        mark: radio.querySelector('[data-platform]')?.textContent,
        src: image?.currentSrc,
        width: image?.naturalWidth,
        loaded: image?.hasAttribute('data-loaded'),
      };
    }),
  );
}

describe('platform logos in the example host app, under its strict CSP', () => {
  it('shows every platform’s logo from the host’s own origin, fetched by the proxy from the sandbox, with no CSP violation', async () => {
    const { page, violations, requested, app } = await open({ logos: true });
    const names = ['FreeAgent', 'Oracle NetSuite', 'QuickBooks Online', 'Sage Intacct', 'Xero', 'Zoho Books'];
    const keys = ['fbrh', 'akxx', 'qhyg', 'knfz', 'gbol', 'rwuv'];
    await expect.poll(() => tiles(page)).toEqual(
      names.map((name, i) => ({ name, mark: '', src: `${app.url}/api/codat/integrations/${keys[i]}/logo`, width: 40, loaded: true })),
    );
    const logo = await page.request.get(`${app.url}/api/codat/integrations/gbol/logo`);
    expect(logo.headers()['content-type']).toBe('image/svg+xml');
    expect(logo.headers()['cache-control']).toBe('public, max-age=86400');
    expect(logo.headers()['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'");

    // The connection's row shows the logo too.
    const popupPromise = page.waitForEvent('popup');
    await page.getByRole('radio', { name: /Xero/ }).click();
    await page.getByRole('button', { name: 'Connect Xero' }).click();
    const popup = await popupPromise;
    await popup.getByRole('button', { name: 'Authorise access' }).click();
    await popup.waitForEvent('close');
    const row = page.getByRole('listitem').filter({ hasText: 'Xero' });
    await row.scrollIntoViewIfNeeded();
    await expect.poll(() => row.locator('img[data-loaded]').getAttribute('src')).toBe('/api/codat/integrations/gbol/logo');

    // The browser asked the host for every image; the sandbox's image URLs stayed on the server (only the Link
    // popup went to the sandbox).
    expect(requested.filter((url) => url.startsWith(app.codat.url) && !url.startsWith(`${app.codat.url}/link/`))).toEqual([]);
    expect(requested.filter((url) => url.includes('/logo'))).not.toHaveLength(0);
    expect(violations).toEqual([]);
  });

  it('shows the monograms with the default sandbox, which has no logo to serve, with no CSP violation', async () => {
    const { page, violations, app } = await open({});
    // Every logo answers 404; the images go and the monograms stay.
    await expect.poll(() => tiles(page)).toEqual([
      { name: 'FAFreeAgent', mark: 'FA', src: undefined, width: undefined, loaded: undefined },
      { name: 'NSOracle NetSuite', mark: 'NS', src: undefined, width: undefined, loaded: undefined },
      { name: 'QBQuickBooks Online', mark: 'QB', src: undefined, width: undefined, loaded: undefined },
      { name: 'SISage Intacct', mark: 'SI', src: undefined, width: undefined, loaded: undefined },
      { name: 'XXero', mark: 'X', src: undefined, width: undefined, loaded: undefined },
      { name: 'ZBZoho Books', mark: 'ZB', src: undefined, width: undefined, loaded: undefined },
    ]);
    expect(app.codat.sandbox.requests.map((r) => r.operation)).not.toContain('getIntegrationBranding');
    expect(violations).toEqual([]);
  });
});
