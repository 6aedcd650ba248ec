import { act, type ReactNode } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CodatProvider,
  ConfigureCustomer,
  ConnectButton,
  ConnectionManager,
  PlatformPicker,
  UnlinkDialog,
  useUnlink,
} from '../../src/index.js';
import type { Fetcher } from '../../src/core/index.js';
import { companyId, connectionId } from '../hooks/helpers.js';

function Dialog() {
  const unlink = useUnlink({ companyId, connectionId });
  return <UnlinkDialog unlink={unlink} platformName="Xero" trigger={<button type="button">Unlink</button>} />;
}

// Reads never answer, so the tree stays as the server rendered it while hydration is checked.
const pending: Fetcher = () => new Promise<Response>(() => {});

const tree = (node: ReactNode, fetcher: Fetcher = pending) => (
  <CodatProvider fetcher={fetcher} companyId={companyId}>
    {node}
  </CodatProvider>
);

let container: HTMLElement | undefined;
afterEach(() => {
  container?.remove();
  container = undefined;
});

describe('hydration of server-rendered markup', () => {
  it.each([
    ['PlatformPicker', () => <PlatformPicker defaultValue="qhyg" />],
    ['PlatformPicker with logos', () => <PlatformPicker defaultValue="qhyg" showLogos />],
    ['ConnectButton', () => <ConnectButton platformKey="gbol" />],
    ['ConnectionManager', () => <ConnectionManager />],
    ['ConfigureCustomer', () => <ConfigureCustomer />],
    ['UnlinkDialog', () => <Dialog />],
  ])('hydrates %s without a mismatch or a console error', async (_name, element) => {
    // Render as a server would: no window, no document.
    vi.stubGlobal('window', undefined);
    vi.stubGlobal('document', undefined);
    let html: string;
    try {
      html = renderToString(tree(element()));
    } finally {
      vi.unstubAllGlobals();
    }
    container = document.createElement('div');
    container.innerHTML = html;
    document.body.append(container);
    const serverNodes = [...container.querySelectorAll('*')];
    const onRecoverableError = vi.fn();
    const consoleError = vi.spyOn(console, 'error');
    const root = await act(async () => hydrateRoot(container as HTMLElement, tree(element()), { onRecoverableError }));
    expect(onRecoverableError).not.toHaveBeenCalled();
    expect(consoleError).not.toHaveBeenCalled();
    // Hydration adopted the server's nodes rather than re-creating them.
    expect(serverNodes.every((node) => node.isConnected)).toBe(true);
    act(() => root.unmount());
  });
});
