import { render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Fetcher } from '../../src/core/index.js';
import { BillPayError, CodatProvider, ConfigureCustomer, ConnectButton, defaultMessages, ErrorNotice } from '../../src/index.js';
import { createSandbox } from '../../src/sandbox/index.js';
import { companyId, connectionBody, json, pageBody, stubOpen } from '../hooks/helpers.js';
import { manualClock } from '../support/manual-clock.js';

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

  it('says an error retrying cannot fix with messages.httpNotRetryable, and hides the support details when supportDetails is empty', async () => {
    stubOpen();
    const sandbox = createSandbox({
      seed: { companies: [{ id: companyId, name: 'Acme' }] },
      faults: { createConnection: { kind: 'status', status: 400, message: 'Integration not enabled.' } },
    });
    const onError = vi.fn();
    const user = userEvent.setup();
    render(
      <CodatProvider fetcher={sandbox.fetcher} companyId={companyId} messages={{ httpNotRetryable: (e) => `Impossible (${e.status ?? ''}). Contactez le support.`, supportDetails: '' }}>
        <ConnectButton platformKey="qhyg" onError={onError} />
      </CodatProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Connect QuickBooks Online' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Impossible (400). Contactez le support.');
    expect(alert.querySelector('details')).toBeNull();
    expect(alert).not.toHaveTextContent('Integration not enabled.');
    // Codat's text stays with the host.
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'http', retryable: false, codat: expect.objectContaining({ error: 'Integration not enabled.' }) }));
  });

  it('labels the countdown, the wait and the support details from the catalogue', () => {
    const { clock } = manualClock();
    const messages = { ...defaultMessages, retry: 'Réessayer', retryIn: (s: number) => `Réessayer dans ${s} s`, retryAfter: (s: number) => `Attendez ${s} secondes.`, supportDetails: 'Pour le support', supportStatus: 'Statut HTTP' };
    render(<ErrorNotice error={new BillPayError('rate-limited', { status: 429, retryAfter: 5 })} messages={messages} onRetry={() => {}} clock={clock} />);
    const alert = screen.getByRole('alert');
    expect(within(alert).getByRole('button', { name: 'Réessayer' })).toHaveTextContent('Réessayer dans 5 s');
    expect(alert).toHaveTextContent('Attendez 5 secondes.');
    expect(alert.querySelector('summary')).toHaveTextContent('Pour le support');
    expect(alert.querySelector('details')).toHaveTextContent('Statut HTTP: 429');
  });
});

