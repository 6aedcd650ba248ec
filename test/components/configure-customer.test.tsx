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
/** Waits until the company's connections have been read (the list's loading placeholder has gone). */
const listRead = () => waitFor(() => expect(screen.queryByRole('list', { name: 'Loading connections' })).toBeNull());

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
    // A new company has no connection to list: once that is known, the page is the choice alone.
    await listRead();
    expect(screen.queryByRole('heading', { name: 'Connected accounting software' })).toBeNull();
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

  it('shows the existing company’s connection first, under its title, then the choice of another platform', async () => {
    const sandbox = createSandbox({ seed: { companies: [{ id: '8a210b68-6988-11ed-a1eb-0242ac120002', name: 'A', connections: [{ platformKey: 'gbol', status: 'Linked' }] }] } });
    render(
      <CodatProvider fetcher={sandbox.fetcher} companyId="8a210b68-6988-11ed-a1eb-0242ac120002">
        <ConfigureCustomer />
      </CodatProvider>,
    );
    expect(screen.getByRole('radiogroup')).toBeInTheDocument();
    expect(await screen.findByRole('listitem')).toHaveTextContent('Xero');
    const order = ['Your accounting software', 'Connected accounting software', 'Use different accounting software'].map((name) =>
      screen.getByRole('heading', { name }),
    );
    expect(order.map((h) => h.tagName)).toEqual(['H2', 'H3', 'H3']);
    expect(order[0]!.compareDocumentPosition(order[1]!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.getByRole('listitem').compareDocumentPosition(screen.getByRole('radiogroup')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Choose your software' })).toHaveAttribute('aria-disabled', 'true');
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

describe('ConfigureCustomer: analytics', () => {
  it('emits opened once when it mounts, with the company, StrictMode included', async () => {
    const sandbox = createSandbox({ seed: { companies: [{ id: '8a210b68-6988-11ed-a1eb-0242ac120002', name: 'A' }] } });
    const onEvent = vi.fn();
    const { rerender } = render(
      <CodatProvider fetcher={sandbox.fetcher} companyId="8a210b68-6988-11ed-a1eb-0242ac120002" onEvent={onEvent}>
        <ConfigureCustomer />
      </CodatProvider>,
      { reactStrictMode: true },
    );
    await listRead();
    rerender(
      <CodatProvider fetcher={sandbox.fetcher} companyId="8a210b68-6988-11ed-a1eb-0242ac120002" onEvent={onEvent}>
        <ConfigureCustomer platformKeys={['gbol']} />
      </CodatProvider>,
    );
    const opened = onEvent.mock.calls.map((c) => c[0] as { type: string }).filter((e) => e.type === 'opened');
    expect(opened).toEqual([{ type: 'opened', companyId: '8a210b68-6988-11ed-a1eb-0242ac120002', at: expect.any(Number) }]);
  });

  it('emits opened with no company for a new customer', () => {
    const onEvent = vi.fn();
    render(
      <CodatProvider fetcher={createSandbox().fetcher} onEvent={onEvent}>
        <ConfigureCustomer />
      </CodatProvider>,
    );
    expect(onEvent).toHaveBeenCalledWith({ type: 'opened', companyId: undefined, at: expect.any(Number) });
  });
});

describe('ConfigureCustomer: intro and success steps', () => {
  const seededId = '8a210b68-6988-11ed-a1eb-0242ac120002';
  const seededSandbox = () => createSandbox({ seed: { companies: [{ id: seededId, name: 'Acme' }] } });

  it('opens on a title and one line of intro, with no intro step by default', async () => {
    const { container } = render(
      <CodatProvider fetcher={seededSandbox().fetcher} companyId={seededId}>
        <ConfigureCustomer />
      </CodatProvider>,
    );
    expect(container.firstElementChild).toHaveAttribute('data-step', 'choose');
    expect(screen.getAllByRole('heading')[0]).toHaveTextContent('Which accounting software do you use?');
    expect(screen.getAllByRole('heading')[0]!.nextElementSibling).toHaveTextContent('Bill Pay keeps your bills and payments in sync with it.');
    expect(screen.queryByRole('button', { name: 'Continue' })).toBeNull();
    await listRead();
    // A company without connections gets no empty list above the picker: the picker is its next step.
    expect(screen.getAllByRole('heading').map((h) => h.textContent)).toEqual(['Which accounting software do you use?']);
  });

  it('says who asks, what Bill Pay reads and writes and that the customer can disconnect, then Continue moves focus to the platform step', async () => {
    const user = userEvent.setup();
    const { container } = render(
      <CodatProvider fetcher={seededSandbox().fetcher} companyId={seededId}>
        <ConfigureCustomer intro={{ appName: 'Acme Pay' }} />
      </CodatProvider>,
    );
    expect(container.firstElementChild).toHaveAttribute('data-step', 'intro');
    expect(screen.getByRole('heading', { level: 2, name: 'Acme Pay wants to connect to your accounting software' })).toBeInTheDocument();
    expect(screen.getByText(/^Acme Pay uses Codat/)).toBeInTheDocument();
    expect(within(screen.getAllByRole('list')[0]!).getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      'Read and write your bills, suppliers and bill payments',
      'Read your bank accounts and chart of accounts',
    ]);
    expect(screen.getByText('You can disconnect at any time.')).toBeInTheDocument();
    // Nothing is offered before consent: no picker, no connect button.
    expect(screen.queryByRole('radiogroup')).toBeNull();
    await listRead();
    await expectNoAxeViolations(container);

    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(container.firstElementChild).toHaveAttribute('data-step', 'choose');
    expect(screen.getByRole('heading', { level: 2, name: 'Which accounting software do you use?' })).toHaveFocus();
    expect(screen.getByRole('radiogroup')).toBeInTheDocument();
    await expectNoAxeViolations(container);
  });

  it('takes intro={true} without an app name, and every intro text from the messages', async () => {
    const user = userEvent.setup();
    const { unmount } = render(
      <CodatProvider fetcher={seededSandbox().fetcher} companyId={seededId}>
        <ConfigureCustomer intro />
      </CodatProvider>,
    );
    expect(screen.getByRole('heading', { name: 'Connect your accounting software' })).toBeInTheDocument();
    expect(screen.getByText(/^This app uses Codat/)).toBeInTheDocument();
    unmount();
    render(
      <CodatProvider fetcher={seededSandbox().fetcher} companyId={seededId} messages={{ introContinue: 'Continuer' }}>
        <ConfigureCustomer
          intro={{ appName: 'Acme' }}
          messages={{
            introTitle: (app) => `${app ?? '?'} demande l’accès`,
            introDescription: () => 'Bill Pay pourra :',
            introWrites: 'lire et écrire les factures',
            introReads: 'lire les comptes',
            introDisconnect: 'Révocable à tout moment.',
            chooseTitle: 'Votre logiciel ?',
          }}
        />
      </CodatProvider>,
    );
    expect(screen.getByRole('heading', { name: 'Acme demande l’accès' })).toBeInTheDocument();
    expect(screen.getByText('Bill Pay pourra :')).toBeInTheDocument();
    expect(within(screen.getAllByRole('list')[0]!).getAllByRole('listitem').map((item) => item.textContent)).toEqual(['lire et écrire les factures', 'lire les comptes']);
    expect(screen.getByText('Révocable à tout moment.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Continuer' }));
    expect(screen.getByRole('heading', { name: 'Votre logiciel ?' })).toHaveFocus();
  });

  it('goes from the intro to the name form for a new customer, with focus in the name field, and creates nothing before', async () => {
    const sandbox = createSandbox();
    const user = userEvent.setup();
    render(
      <CodatProvider fetcher={sandbox.fetcher}>
        <ConfigureCustomer intro headingLevel={3} />
      </CodatProvider>,
    );
    expect(screen.getByRole('heading', { level: 3 })).toHaveTextContent('Connect your accounting software');
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(screen.getByRole('textbox', { name: 'Company name' })).toHaveFocus();
    await user.keyboard('Acme Ltd{Enter}');
    expect(await screen.findByRole('heading', { level: 3, name: 'Which accounting software do you use?' })).toHaveFocus();
    await waitFor(() => expect(ops(sandbox)).toEqual(['POST createCompany', 'GET listConnections']));
    await listRead();
    expect(screen.queryByRole('heading', { name: 'Connected accounting software' })).toBeNull();
  });

  it('shows the success step once the connection is Linked in this flow: focus on its heading, what happens next, Done', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    stubOpen();
    const sandbox = seededSandbox();
    const onDone = vi.fn();
    const onConnected = vi.fn();
    const user = userEvent.setup({ advanceTimers: (ms) => vi.advanceTimersByTime(ms) });
    const { container } = render(
      <CodatProvider fetcher={sandbox.fetcher} companyId={seededId}>
        <ConfigureCustomer intro={{ appName: 'Acme Pay' }} onDone={onDone} onConnected={onConnected} />
      </CodatProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    await user.click(screen.getByRole('radio', { name: /Xero/ }));
    await user.click(screen.getByRole('button', { name: 'Connect Xero' }));
    await screen.findByText('Waiting for you to sign in to Xero…');
    expect(container.firstElementChild).toHaveAttribute('data-step', 'choose');
    sandbox.authorize(sandbox.listConnections(seededId)[0]?.id as string);
    await act(() => vi.advanceTimersByTimeAsync(2000));

    const heading = await screen.findByRole('heading', { level: 2, name: 'Xero is connected' });
    expect(container.firstElementChild).toHaveAttribute('data-step', 'success');
    await waitFor(() => expect(heading).toHaveFocus());
    expect(screen.getByText('Your bills will sync from Xero over the next few minutes.')).toBeInTheDocument();
    expect(screen.getByText('You can manage or disconnect the connection below.')).toBeInTheDocument();
    // The washed-out disabled button and its repeated sentence are gone.
    expect(screen.queryByRole('button', { name: 'Xero is connected' })).toBeNull();
    expect(screen.queryByRole('radiogroup')).toBeNull();
    // The connection is listed below, for managing it.
    await waitFor(() => expect(screen.getByRole('listitem')).toHaveAttribute('data-status', 'linked'));
    await expectNoAxeViolations(container);
    expect(onConnected).toHaveBeenCalledTimes(1);

    await user.click(screen.getByRole('button', { name: 'Done' }));
    expect(onDone).toHaveBeenCalledTimes(1);
    expect(onDone).toHaveBeenCalledWith(expect.objectContaining({ status: 'Linked', platformName: 'Xero' }));
    expect(container.firstElementChild).toHaveAttribute('data-step', 'choose');
    // Back on the page, now about the connection just made: listed first, under a title that says so.
    expect(screen.getByRole('heading', { name: 'Your accounting software' })).toHaveFocus();
    expect(screen.getByRole('radio', { name: /Xero/ })).toHaveAttribute('aria-checked', 'false');
    expect(screen.getByRole('button', { name: 'Choose your software' })).toHaveAttribute('aria-disabled', 'true');
  });

  it('shows the success step without an intro too, and not for a connection that was Linked before', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    stubOpen();
    const sandbox = createSandbox({ seed: { companies: [{ id: seededId, name: 'Acme', connections: [{ platformKey: 'gbol', status: 'Linked' }] }] } });
    const user = userEvent.setup({ advanceTimers: (ms) => vi.advanceTimersByTime(ms) });
    render(
      <CodatProvider fetcher={sandbox.fetcher} companyId={seededId}>
        <ConfigureCustomer />
      </CodatProvider>,
    );
    expect(await screen.findByRole('listitem')).toHaveAttribute('data-status', 'linked');
    expect(screen.queryByRole('heading', { name: /is connected/ })).toBeNull();
    await user.click(screen.getByRole('radio', { name: /QuickBooks Online/ }));
    await user.click(screen.getByRole('button', { name: 'Connect QuickBooks Online' }));
    // Codat keeps one accounting connection per company: replacing Xero is asked first, on its safe answer.
    const question = screen.getByRole('group', { name: /Your books are connected to Xero\. Switch to QuickBooks Online\?/ });
    expect(within(question).getByRole('button', { name: 'Keep Xero' })).toHaveFocus();
    await user.click(within(question).getByRole('button', { name: 'Switch to QuickBooks Online' }));
    await screen.findByText('Waiting for you to sign in to QuickBooks Online…');
    expect(sandbox.listConnections(seededId).map((c) => c.integrationKey)).toEqual(['qhyg']);
    const created = sandbox.listConnections(seededId).find((c) => c.integrationKey === 'qhyg');
    sandbox.authorize(created?.id as string);
    await act(() => vi.advanceTimersByTimeAsync(2000));
    const heading = await screen.findByRole('heading', { name: 'QuickBooks Online is connected' });
    await waitFor(() => expect(heading).toHaveFocus());
    // Done without onDone goes back to the picker, focus on its first control.
    await user.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.getByRole('searchbox')).toHaveFocus();
  });

  it('leaves focus the user put elsewhere on the page when the next step arrives', async () => {
    const sandbox = createSandbox();
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const fetcher = async (input: string, init: RequestInit) => {
      await gate;
      return sandbox.fetcher(input, init);
    };
    const user = userEvent.setup();
    render(
      <CodatProvider fetcher={fetcher}>
        <input aria-label="Notes" />
        <ConfigureCustomer intro />
      </CodatProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    await user.keyboard('Acme Ltd{Enter}');
    await user.click(screen.getByRole('textbox', { name: 'Notes' }));
    await act(async () => release());
    await screen.findByRole('heading', { name: 'Which accounting software do you use?' });
    expect(screen.getByRole('textbox', { name: 'Notes' })).toHaveFocus();
  });
});
