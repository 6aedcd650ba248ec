import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';

interface HostApp {
  url: string;
  apiKey: string;
  /** The example backend's sessions: each holds the companies its browser created. */
  sessions: Map<string, { companies: Set<string> }>;
  /** What Codat's webhooks told the example backend, by company id. */
  books: Map<string, { status: string; platformName?: string; connectionId: string }>;
  codat: {
    url: string;
    sandbox: {
      requests: readonly { method: string; operation: string | undefined; path: string }[];
      fail: (operation: string, fault: Record<string, unknown>) => void;
      listConnections: (companyId: string) => Record<string, unknown>[];
    };
    webhooks: { settled: (type: string) => Promise<{ status: string; event: { eventType: string } }> };
  };
  close: () => Promise<void>;
}

const exampleDir = fileURLToPath(new URL('../../examples/host-app/', import.meta.url));
let browser: Browser;
let app: HostApp;
let context: BrowserContext;
let page: Page;
let violations: string[];
let bodies: string[];

beforeAll(async () => {
  await build({ configFile: `${exampleDir}vite.config.ts`, logLevel: 'error' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  const { startHostApp } = (await import(`${exampleDir}server.mjs`)) as { startHostApp: () => Promise<HostApp> };
  app = await startHostApp();
  context = await browser.newContext();
  violations = [];
  bodies = [];
  await context.exposeBinding('__reportCsp', (_source, text: string) => {
    violations.push(text);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __reportCsp: (t: string) => void }).__reportCsp(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  context.on('response', (response) => {
    void response.text().then(
      (text) => bodies.push(text),
      () => undefined,
    );
  });
  page = await context.newPage();
});

afterEach(async () => {
  await context?.close();
  await app?.close();
});

/** The sandbox's log with consecutive polls of the same connection collapsed into one entry. */
function requests(): string[] {
  const out: string[] = [];
  for (const r of app.codat.sandbox.requests) {
    const line = `${r.method} ${r.operation ?? r.path}`;
    if (line === 'GET getConnection' && out[out.length - 1] === line) continue;
    out.push(line);
  }
  return out;
}

async function pickAndConnect(platform: string) {
  await page.getByRole('radio', { name: new RegExp(platform) }).click();
  await page.getByRole('button', { name: `Connect ${platform}` }).click();
}

async function expectNoKeyAnywhere() {
  expect(await page.content()).not.toContain(app.apiKey);
  for (const body of bodies) expect(body).not.toContain(app.apiKey);
}

describe('example host app over real HTTP in Chromium', () => {
  it('connects Xero in a popup, shows Linked, then unlinks and removes it, with exactly the expected requests', async () => {
    await page.goto(app.url);
    const popupPromise = page.waitForEvent('popup');
    await pickAndConnect('Xero');
    const popup = await popupPromise;
    await popup.getByRole('heading', { name: 'Sign in to Xero' }).waitFor();
    await popup.getByRole('button', { name: 'Authorise access' }).click();
    await popup.waitForEvent('close');
    await page.getByText('Xero is connected').first().waitFor();
    const row = page.getByRole('listitem').filter({ hasText: 'Xero' });
    await expect.poll(() => row.getAttribute('data-status')).toBe('linked');
    // Codat's own word reaches the backend too: a signed connection.connected webhook, verified and recorded.
    expect((await app.codat.webhooks.settled('connection.connected')).status).toBe('delivered');
    const booksOfThisBrowser = () => page.evaluate(async () => (await (await fetch('/api/books')).json()) as { status: string; platformName: string }[]);
    expect(await booksOfThisBrowser()).toEqual([expect.objectContaining({ status: 'connected', platformName: 'Xero' })]);

    await row.getByRole('button', { name: 'Unlink' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Unlink Xero?' });
    await dialog.waitFor();
    // The page behind the dialog does not scroll, without an injected style (the CSP would report one).
    const rootOverflow = () => page.evaluate(() => getComputedStyle(document.documentElement).overflow);
    expect(await rootOverflow()).toBe('hidden');
    await dialog.getByRole('button', { name: 'Unlink' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await rootOverflow()).toBe('visible');
    await expect.poll(() => row.getAttribute('data-status')).toBe('unlinked');

    // Off-boarding: Remove deletes the connection at Codat, through the proxy, and the row goes.
    await row.getByRole('button', { name: 'Remove' }).click();
    const removal = page.getByRole('alertdialog', { name: 'Remove Xero?' });
    await removal.getByRole('button', { name: 'Remove' }).click();
    await removal.waitFor({ state: 'detached' });
    await row.waitFor({ state: 'detached' });
    expect((await app.codat.webhooks.settled('connection.deleted')).status).toBe('delivered');
    expect(await booksOfThisBrowser()).toEqual([expect.objectContaining({ status: 'deleted' })]);

    expect(requests()).toEqual([
      'POST createCompany',
      'POST createConnection',
      'GET listConnections',
      'GET getConnection',
      'PATCH unlinkConnection',
      'DELETE deleteConnection',
    ]);
    await expectNoKeyAnywhere();
    expect(violations).toEqual([]);
  });

  it('closes the popup by itself without ever showing the host app in it, and shows Linked in the opener within 1 s of the redirect', async () => {
    const hostAppIn: string[] = [];
    let redirectedAt: number | undefined;
    let linkedAt: number | undefined;
    await context.exposeBinding('__sawHostApp', ({ page: from }: { page: Page }) => {
      if (from !== page) hostAppIn.push(from.url());
    });
    await context.exposeBinding('__rowLinked', ({ page: from }: { page: Page }) => {
      if (from === page) linkedAt ??= Date.now();
    });
    // In every document of the context, popup included: report the host app's heading, and a Xero row turning linked.
    await context.addInitScript(() => {
      const report = window as unknown as { __sawHostApp: () => void; __rowLinked: () => void };
      let sawHeading = false;
      let sawLinked = false;
      const check = () => {
        if (!sawHeading && [...document.querySelectorAll('h1')].some((h) => h.textContent === 'Connect your accounting software')) {
          sawHeading = true;
          report.__sawHostApp();
        }
        if (!sawLinked && [...document.querySelectorAll('li[data-status="linked"]')].some((li) => li.textContent?.includes('Xero'))) {
          sawLinked = true;
          report.__rowLinked();
        }
      };
      new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
    });
    await page.goto(app.url);
    await page.getByRole('heading', { name: 'Connect your accounting software' }).waitFor();
    const popupPromise = page.waitForEvent('popup');
    await pickAndConnect('Xero');
    const popup = await popupPromise;
    // Codat's answer to "Authorise access": 303 to the Redirect URL, which lands the popup on the host app.
    popup.on('response', (response) => {
      if (response.status() === 303 && response.url().startsWith(`${app.codat.url}/link/`)) redirectedAt ??= Date.now();
    });
    await popup.getByRole('button', { name: 'Authorise access' }).click();
    await popup.waitForEvent('close');
    const row = page.getByRole('listitem').filter({ hasText: 'Xero' });
    await expect.poll(() => row.getAttribute('data-status')).toBe('linked');
    await expect.poll(() => linkedAt).toBeDefined();
    expect(redirectedAt).toBeDefined();
    // Issue 14's acceptance criterion: the outcome is on screen within a second of Codat's redirect.
    expect(linkedAt as number).toBeGreaterThanOrEqual(redirectedAt as number);
    expect((linkedAt as number) - (redirectedAt as number)).toBeLessThan(1000);
    expect(hostAppIn).toEqual([]);
    await expect.poll(() => page.locator('main').getAttribute('data-connected')).toBe('1');
    expect(violations).toEqual([]);
  });

  it('connects in the same tab: the provider confirms on return, onConnected fires once, and only the kit’s parameters leave the address bar', async () => {
    await page.goto(`${app.url}/?mode=redirect`);
    await pickAndConnect('QuickBooks Online');
    await page.waitForURL(`${app.codat.url}/link/**`);
    await page.getByRole('button', { name: 'Authorise access' }).click();
    await page.waitForURL(`${app.url}/?**`);
    await page.getByRole('heading', { name: 'QuickBooks Online is connected' }).waitFor();
    // The host's own parameter on the Redirect URL stays.
    await expect.poll(() => new URL(page.url()).search).toBe('?tenant=7');
    const row = page.getByRole('listitem').filter({ hasText: 'QuickBooks Online' });
    await expect.poll(() => row.getAttribute('data-status')).toBe('linked');
    expect(await page.locator('main').getAttribute('data-connected')).toBe('1');
    // The provider reads the return once; ConfigureCustomer resumes from its reading.
    expect(requests().filter((r) => r === 'GET getConnection')).toHaveLength(1);
    expect(requests().filter((r) => r.startsWith('POST'))).toEqual(['POST createCompany', 'POST createConnection']);
    expect(violations).toEqual([]);
  });

  it('continues the same connection after a cancel: one connection in Codat, no second POST', async () => {
    await page.goto(app.url);
    let popupPromise = page.waitForEvent('popup');
    await pickAndConnect('Xero');
    let popup = await popupPromise;
    await popup.getByRole('button', { name: 'Cancel' }).click();
    await popup.waitForEvent('close');
    const connect = page.locator('.bpc-connect');
    await expect.poll(() => connect.getAttribute('data-status')).toBe('cancelled');
    popupPromise = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'Connect Xero' }).click();
    popup = await popupPromise;
    await popup.getByRole('button', { name: 'Authorise access' }).click();
    await popup.waitForEvent('close');
    const row = page.getByRole('listitem').filter({ hasText: 'Xero' });
    await expect.poll(() => row.getAttribute('data-status')).toBe('linked');
    const companyId = [...app.sessions.values()].flatMap((s) => [...s.companies])[0] ?? '';
    expect(app.codat.sandbox.listConnections(companyId).map((c) => [c.integrationKey, c.status])).toEqual([['gbol', 'Linked']]);
    expect(requests().filter((r) => !r.startsWith('GET'))).toEqual(['POST createCompany', 'POST createConnection']);
    expect(violations).toEqual([]);
  });

  it('asks before switching software, keeps it on "Keep", and replaces the connection only when confirmed', async () => {
    await page.goto(app.url);
    let popupPromise = page.waitForEvent('popup');
    await pickAndConnect('Xero');
    let popup = await popupPromise;
    await popup.getByRole('button', { name: 'Authorise access' }).click();
    await popup.waitForEvent('close');
    await page.getByRole('heading', { name: 'Xero is connected' }).waitFor();
    await page.getByRole('button', { name: 'Done' }).click();

    await pickAndConnect('QuickBooks Online');
    const question = page.getByRole('group', { name: /Your books are connected to Xero\. Switch to QuickBooks Online\?/ });
    await question.getByRole('button', { name: 'Keep Xero' }).click();
    await question.waitFor({ state: 'detached' });
    const companyId = [...app.sessions.values()].flatMap((s) => [...s.companies])[0] ?? '';
    expect(app.codat.sandbox.listConnections(companyId).map((c) => c.integrationKey)).toEqual(['gbol']);

    popupPromise = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'Connect QuickBooks Online' }).click();
    await question.getByRole('button', { name: 'Switch to QuickBooks Online' }).click();
    popup = await popupPromise;
    await popup.getByRole('button', { name: 'Authorise access' }).click();
    await popup.waitForEvent('close');
    await page.getByRole('heading', { name: 'QuickBooks Online is connected' }).waitFor();
    expect(app.codat.sandbox.listConnections(companyId).map((c) => [c.integrationKey, c.status])).toEqual([['qhyg', 'Linked']]);
    expect(requests().filter((r) => !r.startsWith('GET'))).toEqual([
      'POST createCompany',
      'POST createConnection',
      'DELETE deleteConnection',
      'POST createConnection',
    ]);
    expect(violations).toEqual([]);
  });

  it('counts down a rate limit on the notice and lets the user retry only when it ends', async () => {
    // The page's timers run on a paused clock the test moves: no waiting for real seconds.
    await page.clock.install();
    await page.clock.pauseAt(Date.now() + 1000);
    await page.goto(app.url);
    app.codat.sandbox.fail('createConnection', { kind: 'rate-limit', retryAfter: 3 });
    await pickAndConnect('Sage Intacct');
    const notice = page.getByRole('alert');
    const retry = notice.getByRole('button', { name: 'Try again' });
    // The visible countdown; the button's accessible name stays "Try again".
    await expect.poll(() => retry.textContent()).toMatch(/^Try again in 3 s/);
    expect(await retry.getAttribute('aria-disabled')).toBe('true');
    await page.clock.runFor(1000);
    await expect.poll(() => retry.textContent()).toMatch(/^Try again in 2 s/);
    await page.clock.runFor(2000);
    await expect.poll(() => retry.getAttribute('aria-disabled')).toBe(null);
    const popupPromise = page.waitForEvent('popup');
    await retry.click();
    await (await popupPromise).getByRole('heading', { name: 'Sign in to Sage Intacct' }).waitFor();
    expect(requests().filter((r) => r.startsWith('POST'))).toEqual(['POST createCompany', 'POST createConnection', 'POST createConnection']);
    expect(violations).toEqual([]);
  });

  it('refuses a forged company id with 403 and sends nothing upstream', async () => {
    await page.goto(app.url);
    const before = app.codat.sandbox.requests.length;
    const status = await page.evaluate(async () => {
      const response = await fetch('/api/codat/companies/8a210b68-6988-11ed-a1eb-0242ac120002/connections');
      return { status: response.status, body: (await response.json()) as { statusCode: number } };
    });
    expect(status).toEqual({ status: 403, body: expect.objectContaining({ statusCode: 403 }) });
    expect(app.codat.sandbox.requests.length).toBe(before);
  });

  it('reads Codat’s cancelled redirect (403, "User cancelled.") in the same tab, says so in the kit’s words and clears its parameters', async () => {
    await page.goto(`${app.url}/?mode=redirect`);
    await pickAndConnect('FreeAgent');
    await page.waitForURL(`${app.codat.url}/link/**`);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL(`${app.url}/?**`);
    // The Connect button takes the flow up again and says how it ended, in the kit's words.
    const connect = page.locator('.bpc-connect');
    await expect.poll(() => connect.getAttribute('data-status')).toBe('cancelled');
    await connect.getByRole('status').getByText('The sign-in was cancelled before access was granted.').waitFor();
    await expect.poll(() => new URL(page.url()).search).toBe('?tenant=7');
    expect(await page.content()).not.toContain('User cancelled.');
    const row = page.getByRole('listitem').filter({ hasText: 'FreeAgent' });
    await expect.poll(() => row.getAttribute('data-status')).toBe('pending-auth');
    expect(requests().filter((r) => r.startsWith('POST'))).toEqual(['POST createCompany', 'POST createConnection']);
    expect(violations).toEqual([]);
  });

  it('offers "Continue in this tab" when the popup is blocked, and falls back by itself when configured to', async () => {
    await context.addInitScript(() => {
      window.open = () => null;
    });
    await page.goto(app.url);
    await pickAndConnect('Sage Intacct');
    await page.getByRole('alert').getByText('Your browser blocked the sign-in window').waitFor();
    expect(requests()).toEqual([]);
    await page.getByRole('button', { name: 'Continue in this tab' }).click();
    await page.waitForURL(`${app.codat.url}/link/**`);

    const second = await context.newPage();
    await second.goto(`${app.url}/?fallback=redirect`);
    await second.getByRole('radio', { name: /Zoho Books/ }).click();
    await second.getByRole('button', { name: 'Connect Zoho Books' }).click();
    await second.waitForURL(`${app.codat.url}/link/**`);
    await second.getByRole('heading', { name: 'Sign in to Zoho Books' }).waitFor();
  });

  it('styles the kit through the host app’s own Vite build: matching the page, then a theme switcher’s dark, then following the OS', async () => {
    // The host's build lowers modern CSS for its browser targets; the kit's colours must survive it.
    const tile = () =>
      page.getByRole('radio', { name: /Sage Intacct/ }).evaluate((el) => {
        const style = getComputedStyle(el);
        return { border: `${style.borderTopWidth} ${style.borderTopStyle} ${style.borderTopColor}`, background: style.backgroundColor };
      });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(app.url);
    // The OS is dark but this page is white: the kit matches the page it sits on. (A tile's edge is the strong
    // border, 3:1 against the page and the tile.)
    expect(await tile()).toEqual({ border: '1px solid rgb(132, 140, 152)', background: 'rgb(249, 250, 251)' });
    expect(await page.locator('.bpc-configure').getAttribute('data-bpc-tone')).toBe('light');
    // A theme switcher marking the page after the kit mounted wins over that reading.
    await page.evaluate(() => document.body.setAttribute('data-theme', 'dark'));
    expect(await tile()).toEqual({ border: '1px solid rgb(113, 122, 136)', background: 'rgb(31, 41, 55)' });
    await page.evaluate(() => document.body.setAttribute('data-theme', 'system'));
    expect((await tile()).background).toBe('rgb(31, 41, 55)');
    await page.emulateMedia({ colorScheme: 'light' });
    expect((await tile()).background).toBe('rgb(249, 250, 251)');
    expect(violations).toEqual([]);
  });

  it('marks the chosen platform without colour or shadow in forced-colors (high contrast) mode', async () => {
    await page.emulateMedia({ forcedColors: 'active' });
    await page.goto(app.url);
    await page.getByRole('radio', { name: /Xero/ }).click();
    const border = (name: RegExp) =>
      page.getByRole('radio', { name }).evaluate((el) => `${getComputedStyle(el).borderTopWidth} ${getComputedStyle(el).borderTopStyle}`);
    expect(await border(/Xero/)).toBe('3px solid');
    expect(await border(/Sage Intacct/)).toBe('1px solid');
    expect(violations).toEqual([]);
  });

  it('recovers from a 503 without the user seeing an error', async () => {
    app.codat.sandbox.fail('listConnections', { kind: 'status', status: 503 });
    await page.goto(app.url);
    const popupPromise = page.waitForEvent('popup');
    await pickAndConnect('Oracle NetSuite');
    const popup = await popupPromise;
    await popup.getByRole('button', { name: 'Authorise access' }).click();
    await popup.waitForEvent('close');
    const row = page.getByRole('listitem').filter({ hasText: 'Oracle NetSuite' });
    await expect.poll(() => row.getAttribute('data-status')).toBe('linked');
    // The list read that met the 503 is retried by the client (the row may already show from the connect flow).
    await expect.poll(() => requests().filter((r) => r === 'GET listConnections').length).toBe(2);
    await expect.poll(() => page.locator('.bpc-manager').getAttribute('data-status')).toBe('success');
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});
