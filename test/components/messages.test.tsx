import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Fetcher } from '../../src/core/index.js';
import { CodatProvider, ConfigureCustomer, ConnectButton, defaultMessages } from '../../src/index.js';
import { createSandbox } from '../../src/sandbox/index.js';
import { companyId, connectionBody, json, pageBody, stubOpen } from '../hooks/helpers.js';

describe('messages: every user-visible error text is overridable', () => {
  it('shows invalid-input through messages.invalidInput, telling a blank name from an over-long one', async () => {
    const sandbox = createSandbox();
    const user = userEvent.setup();
    render(
      <CodatProvider
        fetcher={sandbox.fetcher}
        clientOptions={{ maxCompanyNameLength: 5 }}
        messages={{ invalidInput: (e) => (e.limit !== undefined ? `Au plus ${e.limit} caractères` : `Champ requis : ${e.field ?? ''}`) }}
      >
        <ConfigureCustomer />
      </CodatProvider>,
    );
    const name = screen.getByRole('textbox', { name: 'Company name' });
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Champ requis : name');
    await user.type(name, 'Acme Plumbing{Enter}');
    expect(screen.getByRole('alert')).toHaveTextContent('Au plus 5 caractères');
    expect(sandbox.requests).toHaveLength(0);
  });

  it('defaults invalid-input to the core’s readable text', () => {
    expect(defaultMessages.invalidInput(Object.assign(new Error('Enter the company name.'), { field: 'name' }) as never)).toBe(
      'Enter the company name.',
    );
  });

  it('titles the Link window with the component’s own connectRedirecting override', async () => {
    const { win } = stubOpen();
    const user = userEvent.setup();
    render(
      <CodatProvider fetcher={createSandbox({ seed: { companies: [{ id: companyId, name: 'Acme' }] } }).fetcher} companyId={companyId}>
        <ConnectButton platformKey="gbol" messages={{ connectRedirecting: 'Connexion en cours…' }} />
      </CodatProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Connect Xero' }));
    expect(win.document.title).toBe('Connexion en cours…');
    expect(win.document.body.textContent).toBe('Connexion en cours…');
  });

  it('shows an unsafe linkUrl with the catalogue’s text, keeping the technical reason out of the UI', async () => {
    const { win } = stubOpen();
    // The company has no connection yet (the list read comes first); the one created carries an unsafe linkUrl.
    const fetcher = vi.fn<Fetcher>((_input, init) =>
      Promise.resolve(json(200, init.method === 'POST' ? connectionBody({ linkUrl: 'javascript:alert(1)' }) : pageBody([]))),
    );
    const onError = vi.fn();
    const user = userEvent.setup();
    render(
      <CodatProvider fetcher={fetcher} companyId={companyId} messages={{ errors: { 'unsafe-link-url': 'Lien refusé.' } }}>
        <ConnectButton platformKey="qhyg" onError={onError} />
      </CodatProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Connect QuickBooks Online' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Lien refusé.');
    expect(alert).not.toHaveTextContent('javascript');
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'unsafe-link-url', message: expect.stringContaining('javascript:') }));
    expect(win.close).toHaveBeenCalled();
    expect(win.location.href).not.toMatch(/^javascript/);
    expect(fetcher.mock.calls.map(([input, init]) => `${init.method ?? 'GET'} ${input}`)).toEqual([
      `GET /api/codat/companies/${companyId}/connections?page=1&pageSize=100`,
      `POST /api/codat/companies/${companyId}/connections`,
    ]);
  });
});
