import { act } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CodatProvider, ConfigureCustomer } from '../../src/index.js';
import type { Fetcher } from '../../src/core/index.js';
import { companyId, connectionId } from '../hooks/helpers.js';

// Reads never answer, so the page stays as the server rendered it while hydration is checked.
const pending: Fetcher = () => new Promise<Response>(() => {});
const back = `/onboarding?tenant=7&companyId=${companyId}&connectionId=${connectionId}&statusCode=200&errorMessage=&statusText=`;

const page = () => (
  <CodatProvider fetcher={pending} companyId={companyId}>
    <main>
      <h1>Connect your accounting software</h1>
      <ConfigureCustomer />
    </main>
  </CodatProvider>
);

let container: HTMLElement | undefined;
afterEach(() => {
  container?.remove();
  container = undefined;
  window.history.replaceState(null, '', '/');
  window.name = '';
});

/** Renders as a server would (no window, no document), then hydrates that markup in this window. */
async function hydrate() {
  vi.stubGlobal('window', undefined);
  vi.stubGlobal('document', undefined);
  let html: string;
  try {
    html = renderToString(page());
  } finally {
    vi.unstubAllGlobals();
  }
  expect(html).toContain('Connect your accounting software');
  container = document.createElement('div');
  container.innerHTML = html;
  document.body.append(container);
  const heading = container.querySelector('h1');
  const onRecoverableError = vi.fn();
  const consoleError = vi.spyOn(console, 'error');
  const root = await act(async () => hydrateRoot(container as HTMLElement, page(), { onRecoverableError }));
  expect(onRecoverableError).not.toHaveBeenCalled();
  expect(consoleError).not.toHaveBeenCalled();
  return { root, heading, container };
}

describe('hydration of the page Codat redirects to', () => {
  it('hydrates the server’s page in the kit’s popup without a mismatch, then shows only the closing status and closes', async () => {
    window.history.replaceState(null, '', back);
    window.name = 'bpc-link:r1';
    const close = vi.spyOn(window, 'close').mockImplementation(() => undefined);
    const { root, container: el } = await hydrate();
    expect(el.querySelector('h1')).toBeNull();
    expect(el.querySelector('[role="status"]')?.textContent).toBe('Finishing… you can close this window.');
    expect(close).toHaveBeenCalledTimes(1);
    act(() => root.unmount());
  });

  it('hydrates the server’s page in a tab without a mismatch, keeping its nodes, and starts reading the return', async () => {
    window.history.replaceState(null, '', back);
    const close = vi.spyOn(window, 'close').mockImplementation(() => undefined);
    const { root, heading } = await hydrate();
    expect(heading?.isConnected).toBe(true);
    expect(close).not.toHaveBeenCalled();
    // The re-read never answers here, so the kit's parameters stay for a reload to retry.
    expect(window.location.search).toBe(back.slice(back.indexOf('?')));
    act(() => root.unmount());
  });
});
