import { render, screen, waitFor, within } from '@testing-library/react';
import { readFileSync } from 'node:fs';
import { userEvent } from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { describe, expect, it } from 'vitest';
import { CodatProvider, ConnectButton, ConnectionManager, PlatformPicker } from '../../src/index.js';
import { createSandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { companyId, connectionId, stubOpen } from '../hooks/helpers.js';

// role="alert" is announced when the node is inserted: a second failure that renders the same text into
// the node already there goes unannounced, so a new error must bring a new node (and an old one must not).

function renderKit(ui: ReactElement, options: SandboxOptions = {}) {
  const sandbox = createSandbox({
    seed: { companies: [{ id: companyId, name: 'Acme', connections: [{ id: connectionId, platformKey: 'knfz', status: 'Deauthorized' }] }] },
    ...options,
  });
  const tree = (children: ReactElement) => (
    <CodatProvider fetcher={sandbox.fetcher} companyId={companyId} clientOptions={{ retry: false }}>
      {children}
    </CodatProvider>
  );
  const view = render(tree(ui));
  return { ...view, sandbox, user: userEvent.setup(), rerender: (next: ReactElement) => view.rerender(tree(next)) };
}

const ops = (sandbox: ReturnType<typeof createSandbox>) => sandbox.requests.map((r) => `${r.method} ${r.operation}`);

describe('ErrorNotice: a repeated failure is announced again', () => {
  it('inserts a new alert when the connection list retry fails again the same way, with focus on its Try again', async () => {
    const { user, sandbox } = renderKit(<ConnectionManager />, { faults: { listConnections: { kind: 'network', times: 2 } } });
    const first = await screen.findByRole('alert');
    await user.click(within(first).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.getByRole('alert')).not.toBe(first));
    const second = screen.getByRole('alert');
    expect(first).not.toBeInTheDocument();
    expect(second).toHaveTextContent(first.textContent ?? '');
    expect(within(second).getByRole('button', { name: 'Try again' })).toHaveFocus();
    expect(ops(sandbox)).toEqual(['GET listConnections', 'GET listConnections']);
  });

  it('inserts a new alert when Connect is pressed again and the popup is blocked again', async () => {
    stubOpen(true);
    const { user } = renderKit(<ConnectButton platformKey="qhyg" />);
    await user.click(screen.getByRole('button', { name: 'Connect QuickBooks Online' }));
    const first = screen.getByRole('alert');
    expect(first).toHaveTextContent('Your browser blocked the sign-in window');
    const retry = screen.getByRole('button', { name: 'Try again' });
    await user.click(retry);
    const second = screen.getByRole('alert');
    expect(second).not.toBe(first);
    expect(second).toHaveTextContent(first.textContent ?? '');
    expect(retry).toHaveFocus();
  });

  it('inserts a new alert in the row when Reconnect is pressed again and the popup is blocked again', async () => {
    stubOpen(true);
    const { user } = renderKit(<ConnectionManager />);
    const reconnect = await screen.findByRole('button', { name: 'Reconnect' });
    await user.click(reconnect);
    const first = screen.getByRole('alert');
    await user.click(reconnect);
    const second = screen.getByRole('alert');
    expect(second).not.toBe(first);
    expect(second).toHaveTextContent(first.textContent ?? '');
  });

  it('keeps the same alert node through re-renders that bring no new error', async () => {
    const manager = renderKit(<ConnectionManager />, { faults: { listConnections: { kind: 'network' } } });
    const listAlert = await screen.findByRole('alert');
    manager.rerender(<ConnectionManager className="host" />);
    expect(screen.getByRole('alert')).toBe(listAlert);
    manager.unmount();

    const { user } = renderKit(<PlatformPicker source="integrations" />, { faults: { listIntegrations: { kind: 'network' } } });
    const pickerAlert = await screen.findByRole('alert');
    await user.type(screen.getByRole('searchbox'), 'xe');
    expect(screen.getAllByRole('radio')).toHaveLength(1);
    expect(screen.getByRole('alert')).toBe(pickerAlert);
  });
});

describe('ErrorNotice on its own', () => {
  it('takes the kit’s tokens and themes outside a kit component, so it renders as the components do', () => {
    // error.css reads the private --_* values the token rules declare on the kit's roots; a notice in the
    // host's own UI (not inside .bpc-picker and the like) must be one of those roots, in every theme.
    const css = readFileSync('src/styles/tokens.css', 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    const themeRules = [...css.matchAll(/([^{}]*)\{([^{}]*)\}/g)].filter(([, , body]) => /--_danger\s*:/.test(body ?? ''));
    expect(themeRules.length).toBeGreaterThanOrEqual(4);
    for (const [, selector] of themeRules) expect(selector).toMatch(/\.bpc-error\b/);
    const used = new Set([...readFileSync('src/styles/error.css', 'utf8').matchAll(/var\((--_[\w-]+)/g)].map((m) => m[1]));
    const declared = new Set([...(themeRules[0]?.[2] ?? '').matchAll(/(--_[\w-]+)\s*:/g)].map((m) => m[1]));
    expect([...used].filter((name) => !declared.has(name))).toEqual([]);
  });
});
