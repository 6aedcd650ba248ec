import { act, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CodatProvider, ConfigureCustomer } from '../../src/index.js';
import { createSandbox } from '../../src/sandbox/index.js';
import { stubOpen } from '../hooks/helpers.js';
import { expectNoAxeViolations } from './axe.js';

afterEach(() => {
  vi.useRealTimers();
});

const ops = (sandbox: ReturnType<typeof createSandbox>) => sandbox.requests.map((r) => `${r.method} ${r.operation}`);

describe('ConfigureCustomer', () => {
  it('runs the seed flow by keyboard: new customer -> QuickBooks Online -> authorise -> Linked -> unlink', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { win } = stubOpen();
    const sandbox = createSandbox();
    const onCompanyCreated = vi.fn();
    const onConnected = vi.fn();
    const onUnlinked = vi.fn();
    const user = userEvent.setup({ advanceTimers: (ms) => vi.advanceTimersByTime(ms) });
    const { container } = render(
      <CodatProvider fetcher={sandbox.fetcher}>
        <ConfigureCustomer companyName="Acme Plumbing" onCompanyCreated={onCompanyCreated} onConnected={onConnected} onUnlinked={onUnlinked} />
      </CodatProvider>,
    );
    await expectNoAxeViolations(container);
    await user.tab();
    expect(screen.getByRole('searchbox')).toHaveFocus();
    await user.tab();
    await user.keyboard('{ArrowRight}{ArrowRight}');
    expect(screen.getByRole('radio', { name: /QuickBooks Online/ })).toHaveAttribute('aria-checked', 'true');
    await user.tab();
    expect(screen.getByRole('button', { name: 'Connect QuickBooks Online' })).toHaveFocus();
    await user.keyboard('{Enter}');
    await screen.findByText('Waiting for you to sign in to QuickBooks Online…');
    expect(ops(sandbox).slice(0, 2)).toEqual(['POST createCompany', 'POST createConnection']);
    expect(onCompanyCreated).toHaveBeenCalledTimes(1);
    expect(win.location.href).toMatch(/^https:/);

    const companyId = (onCompanyCreated.mock.calls[0]?.[0] as { id: string }).id;
    sandbox.authorize(sandbox.listConnections(companyId)[0]?.id as string);
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(await screen.findAllByText('QuickBooks Online is connected')).not.toHaveLength(0);
    expect(onConnected).toHaveBeenCalledTimes(1);
    const row = await screen.findByRole('listitem');
    await waitFor(() => expect(row).toHaveAttribute('data-status', 'linked'));

    await user.click(within(row).getByRole('button', { name: 'Unlink' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Unlink' }));
    await waitFor(() => expect(screen.getByRole('listitem')).toHaveAttribute('data-status', 'unlinked'));
    expect(onUnlinked).toHaveBeenCalledTimes(1);
    expect(ops(sandbox).filter((o) => o.startsWith('POST') || o.startsWith('PATCH'))).toEqual([
      'POST createCompany',
      'POST createConnection',
      'PATCH unlinkConnection',
    ]);
  });

  it('asks for the company name first when there is no company, and validates it', async () => {
    const sandbox = createSandbox();
    const user = userEvent.setup();
    const { container } = render(
      <CodatProvider fetcher={sandbox.fetcher}>
        <ConfigureCustomer />
      </CodatProvider>,
    );
    const name = screen.getByRole('textbox', { name: 'Company name' });
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Enter the company name.');
    expect(name).toHaveAttribute('aria-invalid', 'true');
    // Fix the field: no Try again, and the field is described by the message alone.
    expect(within(screen.getByRole('alert')).queryByRole('button')).toBeNull();
    expect(name).toHaveAccessibleDescription('Enter the company name.');
    expect(ops(sandbox)).toEqual([]);
    await expectNoAxeViolations(container);
    await user.type(name, 'Acme Ltd{Enter}');
    expect(await screen.findByRole('radiogroup')).toBeInTheDocument();
    expect(await screen.findByText('No accounting software is connected yet.')).toBeInTheDocument();
    expect(ops(sandbox)).toEqual(['POST createCompany', 'GET listConnections']);
  });

  it('refuses a name made only of characters Codat strips before any request, and creates the company under the name Codat keeps', async () => {
    const sandbox = createSandbox();
    const onCompanyCreated = vi.fn();
    const user = userEvent.setup();
    render(
      <CodatProvider fetcher={sandbox.fetcher}>
        <ConfigureCustomer onCompanyCreated={onCompanyCreated} />
      </CodatProvider>,
    );
    const name = screen.getByRole('textbox', { name: 'Company name' });
    await user.type(name, '([[#*])');
    expect(name).toHaveValue('([#*])');
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent(/letters or numbers/);
    expect(alert).not.toHaveTextContent('Enter the company name.');
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(ops(sandbox)).toEqual([]);
    await user.clear(name);
    await user.type(name, 'Company (Codat[[1])');
    expect(name).toHaveValue('Company (Codat[1])');
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('radiogroup')).toBeInTheDocument();
    expect(onCompanyCreated).toHaveBeenCalledTimes(1);
    expect(onCompanyCreated).toHaveBeenCalledWith(expect.objectContaining({ name: 'Company Codat1' }));
    expect(sandbox.requests[0]).toMatchObject({ method: 'POST', operation: 'createCompany', body: { name: 'Company Codat1' } });
  });

  it('retries a failed company creation from the notice, which sits after the message like every other error', async () => {
    const sandbox = createSandbox({ faults: { createCompany: { kind: 'status', status: 503, message: 'Service unavailable.' } } });
    const user = userEvent.setup();
    const { container } = render(
      <CodatProvider fetcher={sandbox.fetcher}>
        <ConfigureCustomer defaultCompanyName="Acme Ltd" />
      </CodatProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    const alert = await screen.findByRole('alert');
    expect(alert.querySelector('p')).toHaveTextContent('Something went wrong on our side.');
    expect(alert.querySelector('p')?.nextElementSibling).toContainElement(within(alert).getByRole('button', { name: 'Try again' }));
    await expectNoAxeViolations(container);
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('radiogroup')).toBeInTheDocument();
    expect(ops(sandbox).filter((o) => o.startsWith('POST'))).toEqual(['POST createCompany', 'POST createCompany']);
  });

  it('shows the existing company’s connections next to the picker', async () => {
    const sandbox = createSandbox({ seed: { companies: [{ id: '8a210b68-6988-11ed-a1eb-0242ac120002', name: 'A', connections: [{ platformKey: 'gbol', status: 'Linked' }] }] } });
    render(
      <CodatProvider fetcher={sandbox.fetcher} companyId="8a210b68-6988-11ed-a1eb-0242ac120002">
        <ConfigureCustomer />
      </CodatProvider>,
    );
    expect(screen.getByRole('radiogroup')).toBeInTheDocument();
    expect(await screen.findByRole('listitem')).toHaveTextContent('Xero');
    expect(screen.getByRole('button', { name: 'Choose your accounting software' })).toHaveAttribute('aria-disabled', 'true');
  });

  it('names the chosen platform on the Connect button as the picker shows it, for a key outside the built-in lists', async () => {
    const sandbox = createSandbox();
    // Codat's integrations list, with one more platform the host has enabled.
    const fetcher = async (input: string, init: RequestInit) => {
      const response = await sandbox.fetcher(input, init);
      if (new URL(input, 'http://localhost').pathname !== '/api/codat/integrations') return response;
      const list = (await response.json()) as { results: Record<string, unknown>[] };
      list.results.push({ ...list.results[0], key: 'abcd', name: 'Acme Books', sourceId: 'acme-books' });
      return Response.json(list);
    };
    const user = userEvent.setup();
    render(
      <CodatProvider fetcher={fetcher} clientOptions={{ platformKeys: ['gbol', 'abcd'] }}>
        <ConfigureCustomer companyName="Acme Plumbing" source="integrations" platformKeys={['gbol', 'abcd']} />
      </CodatProvider>,
    );
    await user.click(await screen.findByRole('radio', { name: /Acme Books/ }));
    expect(screen.getByRole('button', { name: 'Connect Acme Books' })).toBeInTheDocument();
  });
});
