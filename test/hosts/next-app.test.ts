import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkRedirectUrl } from 'billpay-connect/server';
import { startSandboxServer, type SandboxServer } from 'billpay-connect/sandbox-server';
import { launchChromium } from '../e2e/browser.js';
import { assertPackedKit, envWithout, repoRoot, startHostProcess, type HostProcess } from './host-process.js';

const appDir = join(repoRoot, 'examples/next-app');
const next = join(appDir, 'node_modules/next/dist/bin/next');
const apiKey = 'bmV4dC1leGFtcGxlLWtleQ==';
const baseEnv = { ...envWithout('CODAT_API_KEY', 'CODAT_BASE_URL', 'NODE_ENV'), NEXT_TELEMETRY_DISABLED: '1' };

let build: { stdout: string; stderr: string };
let codat: SandboxServer;
let app: HostProcess;
let browser: Browser;

beforeAll(async () => {
  assertPackedKit(appDir);
  // One production build per run, made without the API key, as a CI or Docker image build would be.
  build = await promisify(execFile)(process.execPath, [next, 'build'], { cwd: appDir, env: baseEnv, maxBuffer: 16 * 1024 * 1024 });
  codat = await startSandboxServer({ apiKey });
  app = await startHostProcess({
    args: [next, 'start', '-H', '127.0.0.1', '-p', '{port}'],
    cwd: appDir,
    env: { ...baseEnv, CODAT_API_KEY: apiKey, CODAT_BASE_URL: codat.url },
    readyPath: '/api/platforms',
  });
  // What the host pastes into the Codat Portal: its return page with the kit's placeholders.
  codat.setRedirectUrl(linkRedirectUrl(`${app.url}/codat/return`));
  browser = await launchChromium();
});

afterAll(async () => {
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
    const popupPromise = page.waitForEvent('popup');
    await page.getByRole('radio', { name: /Xero/ }).click();
    await page.getByRole('button', { name: 'Connect Xero' }).click();
    const popup = await popupPromise;
    await popup.getByRole('heading', { name: 'Sign in to Xero' }).waitFor();
    // The sandbox redirects the popup to /codat/return; the provider there reports to this page and closes it.
    const returned = popup.waitForURL(`${app.url}/codat/return?**`);
    await popup.getByRole('button', { name: 'Authorise access' }).click();
    await returned;
    await popup.waitForEvent('close');
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
